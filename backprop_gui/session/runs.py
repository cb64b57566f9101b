"""The project's named runs (engine.runs) as the views see them: added, renamed and deleted
through the undo stack, shown or hidden without it (a view choice, like the selected sample).

`session.runs` is the one RunList of a session; `changed` fires after every change of the
list, New and Open included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from ..engine.limits import MAX_RUNS
from ..engine.project_schema import run_name_problem
from ..engine.runs import Run, free_color, unique_name
from .commands import Weak

if TYPE_CHECKING:
    from .session import Session


class RunList(QObject):
    """Reads and changes `session.project.runs`. A child of the session that holds it only
    weakly: a strong link back would close a reference cycle (see commands.Weak)."""

    changed = Signal()
    _session = Weak()

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._session = session
        session.project_replaced.connect(self.changed)

    @property
    def runs(self) -> list[Run]:
        return self._session.project.runs

    def __len__(self) -> int:
        return len(self.runs)

    def __getitem__(self, index: int) -> Run:
        return self.runs[index]

    @property
    def room(self) -> int:
        """How many more runs the project can keep."""
        return MAX_RUNS - len(self.runs)

    def add(self, runs: list[Run], text: str) -> list[Run]:
        """Keep `runs` (one undo step called `text`), each with a colour and a name no other
        run has; the runs as kept. ValueError when they would be more than MAX_RUNS."""
        if len(runs) > self.room:
            raise ValueError(f"A project keeps at most {MAX_RUNS} runs and this one has "
                             f"{len(self.runs)}: delete {len(runs) - self.room} first.")
        kept: list[Run] = []
        for run in runs:
            run = run.copy()
            problem = run_name_problem(run.name)
            if problem:
                raise ValueError(problem[0].upper() + problem[1:])
            run.name = unique_name(run.name, self.runs + kept)
            run.color = free_color(self.runs + kept)
            kept.append(run)
        self._session.undo_stack.push(_RunsCommand(self, text, self.runs + kept))
        return kept

    def rename(self, index: int, name: str) -> None:
        """Call run `index` `name` (one undo step). ValueError for a name a file could not hold."""
        name = name.strip()
        problem = run_name_problem(name)
        if problem:
            raise ValueError(problem[0].upper() + problem[1:])
        old = self.runs[index].name
        if name == old:
            return
        runs = [run.copy() for run in self.runs]
        runs[index].name = name
        self._session.undo_stack.push(_RunsCommand(self, f"Rename run “{old}” to “{name}”", runs))

    def delete(self, index: int) -> None:
        runs = [run.copy() for run in self.runs]
        removed = runs.pop(index)
        self._session.undo_stack.push(_RunsCommand(self, f"Delete run “{removed.name}”", runs))

    def set_visible(self, index: int, visible: bool) -> None:
        """Show or hide run `index` in the plots (not an edit: no undo step)."""
        if self.runs[index].visible != visible:
            self.runs[index].visible = visible
            self.changed.emit()

    def _set_runs(self, runs: list[Run]) -> None:
        """For the undo commands: the list becomes (copies of) `runs`."""
        self._session.project.runs = [run.copy() for run in runs]
        self.changed.emit()
        self._session._check_modified()


class _RunsCommand(QUndoCommand):
    """The list of runs before → after (runs are few and their histories short)."""

    _runs = Weak()

    def __init__(self, runs: RunList, text: str, new: list[Run]) -> None:
        super().__init__(text)
        self._runs = runs
        self._old = [run.copy() for run in runs.runs]
        self._new = [run.copy() for run in new]

    def redo(self) -> None:
        self._keep_visibility(self._new)
        self._runs._set_runs(self._new)

    def undo(self) -> None:
        self._keep_visibility(self._old)
        self._runs._set_runs(self._old)

    def _keep_visibility(self, target: list[Run]) -> None:
        # Shown or hidden since (not an undo step): the runs keep how they are shown now.
        # A run is known by its colour, which no other run of the project has (see `add`).
        shown = {run.color: run.visible for run in self._runs.runs}
        for run in target:
            run.visible = shown.get(run.color, run.visible)
