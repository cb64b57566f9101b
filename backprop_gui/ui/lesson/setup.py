"""Applying a page's setup actions to the window.

Each action of lessons/actions.py becomes calls of the window's own parts: the Session
(open a copy of the project, select a sample, select an item), the step cursor, the diagram
(highlight, edge colours), the docks (by name), the training clock, and the panels that plug
in by dock name (Landscape, Graph), called through their public methods. Something the
window cannot do (a panel this version lacks, a step this network has no) becomes a note
shown on the page; it never stops the lesson.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from ...engine.project import Project, first_difference
from ...engine.projectfile import ProjectFileError
from ...engine.selection import Selection
from ...lessons.model import Action
from ...lessons.steps import find_step
from ...session.session import Session
from .controls import ControlLocks



class PageSetup:
    """Applies actions to `window` (a MainWindow, or anything with the parts used: see
    `apply`). `confirm_replace()` is asked before a project replaces unsaved work."""

    def __init__(self, window: Any, session: Session, locks: ControlLocks,
                 confirm_replace: Callable[[], bool] | None = None) -> None:
        self.window = window
        self.session = session
        self.locks = locks
        self.confirm_replace = confirm_replace or (lambda: True)
        # The project as the lesson's own training left it: a page that opens the next
        # project replaces it without asking to save (nothing in it is the student's work).
        self._lesson_made: Project | None = None
        self._training_for_lesson = False
        self._watched_clock = None
        self.compare_runner = None          # the comparison a `compare` action started

    # ----- the window's parts (None when this window has no such part) ------------------------

    @property
    def cursor(self):
        return getattr(getattr(self.window, "stepper", None), "cursor", None)

    @property
    def clock(self):
        return getattr(getattr(self.window, "training", None), "clock", None)

    @property
    def view(self):
        return getattr(self.window, "view", None)

    def dock(self, name: str):
        names = self.window.dock_names() if hasattr(self.window, "dock_names") else []
        return self.window.dock(name) if name in names else None

    def panel(self, name: str):
        """The widget in the dock `name` (a plug-in panel such as Landscape), or None."""
        return self.window.panel(name) if self.dock(name) is not None else None

    # ----- applying -----------------------------------------------------------------------------

    def apply_all(self, actions: tuple[Action, ...]) -> list[str]:
        """Apply `actions` in order; the notes to show for those that could not be done."""
        notes = []
        for action in actions:
            note = self.apply(action)
            if note:
                notes.append(note)
        return notes

    def apply(self, action: Action) -> str | None:
        method = getattr(self, "_" + action.kind, None)
        if method is None:
            return f"This version of Backprop GUI cannot “{action.kind}”."
        try:
            return method(**action.args)
        except (ProjectFileError, OSError, ValueError) as exc:
            return f"Could not {action.kind.replace('_', ' ')}: {exc}"

    def _open_project(self, file) -> str | None:
        if self.session.modified and not self._only_lesson_changes() and not self.confirm_replace():
            return "The lesson's project was not opened: your unsaved work is still open."
        if self.compare_runner is not None:
            self.compare_runner.cancel()    # its runs belong to the project being replaced
        self.session.open_copy(file)
        self._lesson_made = None
        return None

    def _only_lesson_changes(self) -> bool:
        """Is the project exactly as a lesson's run_epochs left it (or being changed by
        such a run, which a page opened in the middle of a lesson may cut short)?"""
        if self._training_for_lesson and self.clock is not None and self.clock.is_running:
            return True
        made = self._lesson_made
        return made is not None and first_difference(self.session.project, made) is None

    def _on_running_changed(self, running: bool) -> None:
        if not running and self._training_for_lesson:
            self._training_for_lesson = False
            self._lesson_made = self.session.project.copy()

    def _select_sample(self, sample: int) -> str | None:
        if not 1 <= sample <= self.session.dataset.n_samples:
            return f"There is no sample {sample} in this dataset."
        self.session.select_sample(sample - 1)
        return None

    def _show_step(self, step: str, scope: str | None = None) -> str | None:
        cursor = self.cursor
        if cursor is None:
            return "This window has no step-through."
        if scope is not None:
            cursor.set_scope(scope)
        cursor.go_to(find_step(cursor.steps, step))
        return None

    def _select(self, item: str) -> str | None:
        sel = Selection.parse(item)
        if not sel.exists_in(self.session.network.sizes):
            return f"The network has no {sel.name}."
        self.session.select(sel)
        return None

    def _highlight(self, layer: int, neurons: tuple[int, ...] | None = None) -> str | None:
        from ..diagram.highlight import Highlight

        if self.view is None:
            return None
        if layer >= len(self.session.network.sizes):
            return f"The network has no layer {layer}."
        lit = {layer: [n - 1 for n in neurons]} if neurons else {layer: None}
        self.view.set_highlight(Highlight(layer=layer, neurons=lit))
        return None

    def _clear_highlight(self) -> str | None:
        if self.view is not None:
            self.view.set_highlight(None)
        return None

    def _colour_edges(self, by: str) -> str | None:
        set_mode = getattr(self.window, "set_color_mode", None)
        if callable(set_mode):
            set_mode(by)
        return None

    def _bring_to_front(self, panel: str) -> str | None:
        dock = self.dock(panel)
        if dock is None:
            return f"This version of Backprop GUI has no {panel} panel."
        dock.show()
        dock.raise_()
        return None

    def _steps_tab(self, tab: str) -> str | None:
        return self._bring_to_front("Steps") or self._call("Steps", "show_tab", tab)

    def _show_panels(self, panels: tuple[str, ...]) -> str | None:
        return self._set_panels(panels, True)

    def _hide_panels(self, panels: tuple[str, ...]) -> str | None:
        return self._set_panels(panels, False)

    def _set_panels(self, panels: tuple[str, ...], visible: bool) -> str | None:
        missing = []
        for name in panels:
            dock = self.dock(name)
            if dock is None:
                missing.append(name)
            elif name != "Lesson" or visible:      # the lesson never hides itself
                dock.setVisible(visible)
        return f"This version of Backprop GUI has no {', '.join(missing)} panel." if missing else None

    def _controls(self, verb: Callable, controls: tuple[str, ...]) -> str | None:
        verb(controls)
        missing = self.locks.missing(controls)
        return f"This window has no {', '.join(missing)} control." if missing else None

    def _show_controls(self, controls):
        return self._controls(self.locks.show, controls)

    def _hide_controls(self, controls):
        return self._controls(self.locks.hide, controls)

    def _lock_controls(self, controls):
        return self._controls(self.locks.lock, controls)

    def _unlock_controls(self, controls):
        return self._controls(self.locks.unlock, controls)

    def _run_epochs(self, epochs: int) -> str | None:
        clock = self.clock
        if clock is None:
            return "This window cannot train."
        if self._watched_clock is not clock:
            clock.running_changed.connect(self._on_running_changed)
            self._watched_clock = clock
        only_lesson = not self.session.modified or self._only_lesson_changes()
        clock.step_epoch(epochs)
        self._training_for_lesson = only_lesson
        if not clock.is_running:
            self._on_running_changed(False)
        return None

    def _compare(self, optimizers: tuple[str, ...], epochs: int) -> str | None:
        from ...engine.compare import CompareJob, Variant, variant_name
        from ...session.compare_runner import CompareRunner

        base = self.session.training
        variants = [Variant(variant_name(replace(base, optimizer=o)), {"optimizer": o})
                    for o in optimizers]
        if self.compare_runner is not None:
            self.compare_runner.cancel()
        job = CompareJob(self.session.network, self.session.dataset, base, variants, epochs)
        only_lesson = not self.session.modified or self._only_lesson_changes()
        runner = self.compare_runner = CompareRunner(self.session, job, self.session)

        def finished(_message: str) -> None:
            if only_lesson and runner.job.done:
                self._lesson_made = self.session.project.copy()
        runner.finished.connect(finished)
        runner.start()
        return None

    def _set_learning_rate(self, value: float) -> str | None:
        if self.session.training.learning_rate != value:
            self.session.set_training_setting("learning_rate", value)
        return None

    # ----- panels that plug in by their dock name ---------------------------------------------

    def _call(self, dock: str, method: str, *args) -> str | None:
        panel = self.panel(dock)
        target = getattr(panel, method, None) if panel is not None else None
        if not callable(target):
            return f"This page uses the {dock} panel, which this version of Backprop GUI lacks."
        target(*args)
        return None

    def _landscape(self, preset: str | None = None, function: str | None = None,
                   start: tuple | None = None, learning_rate: float | None = None,
                   run: str | None = None) -> str | None:
        calls = []
        if preset is not None:
            calls.append(("apply_preset", (preset,)))
        if function is not None:
            calls.append(("show_function", (function,)))
        if start is not None:
            calls.append(("place_start", tuple(start)))
        if learning_rate is not None:
            calls.append(("set_learning_rate", (learning_rate,)))
        if run is not None:
            calls.append((run, ()))
        for method, args in calls:
            note = self._call("Landscape", method, *args)
            if note:
                return note
        return None

    def _landscape_slice(self, a: str, b: str) -> str | None:
        return self._call("Landscape", "show_network_slice", Selection.parse(a), Selection.parse(b))

    def _graph(self, parameter: str) -> str | None:
        return self._call("Graph", "show_parameter", Selection.parse(parameter))
