"""Whether the open project has unsaved changes: a comparison with a copy of what was saved.

Not the undo stack's clean state: that misses edits that cancel out (a label changed and
changed back), merged edits change the project without moving the stack, and the undo limit
may drop the saved state off the stack altogether. Only the selected sample does not count
(a selection, not an edit; see engine.project.first_difference).
"""

from __future__ import annotations

from ..engine.project import Project, first_difference


class SavedCopy:
    """A copy of the project as opened, saved or new, and whether the project differs from it."""

    def __init__(self, project: Project) -> None:
        self._saved: Project | None = None
        self.modified = False
        self.reset(project)

    def reset(self, project: Project | None) -> None:
        """`project` is now what is on disk (None: nothing is, e.g. a recovered copy, which
        counts as modified until it is saved)."""
        self._saved = None if project is None else project.copy()
        self.modified = project is None

    def compare(self, project: Project) -> bool:
        """Compare `project` with the saved one after a change; True if `modified` changed."""
        modified = self._saved is None or first_difference(project, self._saved) is not None
        if modified == self.modified:
            return False
        self.modified = modified
        return True
