"""The Lesson panel: guided lessons, and the welcome page shown when none is open.

`install_lessons(window, session)` docks the panel as "Lesson", adds File ▸ Open Lesson…
and returns the LessonController, which opens lessons, applies each page's setup to the
window (setup.py), checks answers against the engine's numbers (lessons/quantities.py),
keeps the teacher's locks (controls.py) and remembers progress (progress.py).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog, QMainWindow, QMessageBox, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget,
)

from ...lessons import LessonError, LessonRun, Quantities, QuantityError, load_lesson
from ...lessons.catalog import bundled_lessons, find_bundled
from ...lessons.glossary import guide_address
from ...lessons.markup import fill, to_html
from ...lessons.model import Action, Lesson
from ...lessons.quantities import format_number
from ...lessons.run import Feedback
from ...session.session import Session
from ..common.action_helper import make_action
from ..common.modal import can_ask
from ..common.plain_text import message_box
from ..common.throttle import Throttle
from .controls import ControlLocks, window_controls
from .page_view import FEEDBACK_TITLES, PageView
from .progress import ProgressStore
from .setup import PageSetup
from .welcome import WelcomePage

__all__ = ["LessonController", "LessonPanel", "install_lessons"]

DOCK = "Lesson"
REFRESH_MS = 250     # the page's numbers follow training at most this often
UNCOMPUTABLE = "cannot compute"   # shown where a {{…}} has no value now


class LessonPanel(QWidget):
    """The dock's widget: the welcome page or the open lesson's page."""

    message_posted = Signal(str)

    def __init__(self, controller: LessonController) -> None:
        super().__init__()
        self.setObjectName("lesson_panel")
        self.stack = QStackedWidget()
        self.welcome = WelcomePage(controller)
        self.page = PageView(controller)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def show_widget(self, widget: QWidget) -> None:
        """Show the welcome page or the lesson page; only the one on show counts for the
        panel's size (a stacked widget otherwise takes the larger of both, and the long
        welcome page made a lesson page scroll in a short window)."""
        for page in (self.welcome, self.page):
            policy = QSizePolicy.Policy.Preferred if page is widget else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.stack.setCurrentWidget(widget)
        self.stack.adjustSize()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        # The dock's scroll area asks this (its layout has word-wrapped labels). A lesson page
        # fits the dock, its text scrolling by itself, so the question and Back/Next stay in
        # view; the welcome page is as tall as its lessons need, and the dock scrolls.
        if self.stack.currentWidget() is self.page:
            return -1
        return super().heightForWidth(width)

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setWidth(min(hint.width(), 380))
        return hint


class LessonController(QObject):
    """Opens lessons and runs them in `window` (a MainWindow, or a test's stand-in)."""

    lesson_changed = Signal(object)     # the open Lesson, or None

    def __init__(self, window: Any, session: Session, settings: QSettings,
                 lesson_folder: Path | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.store = ProgressStore(
            settings, (lambda: window.preferences) if hasattr(window, "preferences") else None)
        self.lesson_folder = lesson_folder
        self.locks = ControlLocks(window_controls(window), self)
        files = getattr(window, "files", None)
        self.setup = PageSetup(window, session, self.locks,
                               confirm_replace=files.maybe_save if files is not None else None)
        self.run: LessonRun | None = None
        self.panel = LessonPanel(self)
        self._notes: list[str] = []
        self.last_problem = ""
        self._refresh = Throttle(REFRESH_MS, self._refresh_numbers, self, defer=True)
        session.values_changed.connect(self._on_values_changed)

    # ----- opening and closing --------------------------------------------------------------

    def show_welcome(self, bring_forward: bool = True) -> None:
        lessons, problems = bundled_lessons(self.lesson_folder)
        progress = {}
        for lesson in lessons:
            saved = self.store.load(lesson.id)
            if saved:
                run = LessonRun.resume(lesson, saved)
                progress[lesson.id] = f"{len(run.seen)} of {run.n_pages} pages seen"
        files = getattr(self.window, "files", None)
        recent = files.recent_files() if files is not None else []
        self.panel.welcome.fill(lessons, problems, progress, recent[0] if recent else None,
                                self.store.show_at_start())
        self.panel.show_widget(self.panel.welcome)
        if bring_forward:
            self._bring_forward()

    def open_lesson(self, lesson: Lesson, page: int | None = None) -> None:
        """Open `lesson` where the student left it (or at `page`, 1-based) and set it up."""
        self.close_lesson(show_welcome=False)
        run = LessonRun.resume(lesson, self.store.load(lesson.id))
        if page is not None:
            # A page asked for on the command line (or by a teacher): open it directly.
            run.index = max(0, min(page - 1, run.n_pages - 1))
            run.seen.add(run.index)
        self.run = run
        self.panel.show_widget(self.panel.page)
        self.lesson_changed.emit(lesson)
        self._bring_forward()
        # Opened in the middle: the pages before set the window up as a student who read
        # them would have it (their project, locks, training).
        for earlier in lesson.pages[:run.index]:
            self.setup.apply_all(earlier.actions)
        self._open_page()

    def open_bundled(self, lesson_id: str, page: int | None = None) -> None:
        """LessonError when there is no such lesson."""
        self.open_lesson(find_bundled(lesson_id, self.lesson_folder), page)

    def open_file(self, path: str | Path) -> bool:
        try:
            lesson = load_lesson(path)
        except LessonError as exc:
            self._problem(f"Cannot open the lesson: {exc}")
            return False
        self.open_lesson(lesson)
        return True

    def open_lesson_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window if isinstance(self.window, QWidget) else None, "Open Lesson", "",
            "Lessons (*.toml *.json);;All files (*)")
        if path:
            self.open_file(path)

    def close_lesson(self, show_welcome: bool = True) -> None:
        """Close the open lesson: every hidden or locked control comes back."""
        self.locks.release_all()
        if self.run is not None:
            self.run = None
            self.lesson_changed.emit(None)
        if show_welcome:
            self.show_welcome()

    def restart(self) -> None:
        if self.run is None:
            return
        lesson = self.run.lesson
        self.store.forget(lesson.id)
        self.run = None
        self.open_lesson(lesson, page=1)

    def explore(self) -> None:
        self.close_lesson(show_welcome=False)
        if DOCK in self._dock_names():
            self.window.dock(DOCK).hide()

    def open_last_project(self) -> None:
        files = getattr(self.window, "files", None)
        recent = files.recent_files() if files is not None else []
        if recent:
            files.open_path(recent[0])

    def set_show_at_start(self, on: bool) -> None:
        self.store.set_show_at_start(on)

    # ----- pages ----------------------------------------------------------------------------

    def next(self) -> None:
        run = self.run
        if run is None:
            return
        if run.at_last and not run.blocked():
            self._save()
            self.close_lesson()
            self._post(f"Lesson finished: “{run.lesson.title}”, score {run.score()[0]} of "
                       f"{run.score()[1]}")
            return
        if run.next():
            self._open_page()

    def back(self) -> None:
        if self.run is not None and self.run.back():
            self._open_page()

    def go_to(self, page: int) -> bool:
        """To page `page` (1-based), if the lesson allows it."""
        if self.run is not None and self.run.go_to(page - 1):
            self._open_page()
            return True
        return False

    def apply_page(self, page: int) -> list[str]:
        """Open page `page` (1-based) whatever the student answered (for the self-test and
        a teacher's check): its setup notes, empty when every action took effect."""
        if self.run is None:
            raise ValueError("no lesson is open")
        self.run.index = max(0, min(page - 1, self.run.n_pages - 1))
        self.run.seen.add(self.run.index)
        self._open_page()
        return list(self._notes)

    def review(self) -> None:
        q = self.run.page.question if self.run else None
        if q is not None and q.review_page is not None:
            self.go_to(q.review_page)

    def _open_page(self) -> None:
        self._notes = self.setup.apply_all(self.run.page.actions)
        self._save()
        self._show_page()

    def _show_page(self) -> None:
        run = self.run
        if run is None:
            return
        page = run.page
        ask = to_html(self.fill(page.question.ask)) if page.question else ""
        self.panel.page.show_run(run, to_html(self.fill(page.text)), ask, list(self._notes))

    def _refresh_numbers(self) -> None:
        run = self.run
        if run is None:
            return
        ask = to_html(self.fill(run.page.question.ask)) if run.page.question else ""
        self.panel.page.refresh_numbers(to_html(self.fill(run.page.text)), ask)

    def _on_values_changed(self) -> None:
        if self.run is not None and "{{" in self.run.page.text + (
                self.run.page.question.ask if self.run.page.question else ""):
            self._refresh()

    # ----- numbers and answers --------------------------------------------------------------

    def quantities(self) -> Quantities:
        return Quantities(self.session.project)

    def fill(self, text: str) -> str:
        """`text` with each {{expression}} replaced by the engine's number now."""
        q = self.quantities()

        def value(expr: str) -> str:
            try:
                return q.format(expr)
            except QuantityError as exc:
                return f"[{UNCOMPUTABLE}: {exc}]"
        return fill(text, value)

    def expected(self) -> float:
        """The right answer to this page's question, computed now (for a choice, the number
        of the right choice)."""
        q = self.run.page.question
        if q.is_choice:
            return float(q.correct) if isinstance(q.correct, int) else \
                self.quantities().value(q.correct)
        return self.quantities().value(q.expression)

    def check(self, given: str) -> Feedback | None:
        run = self.run
        if run is None or run.page.question is None:
            return None
        try:
            expected = self.expected()
        except QuantityError as exc:
            self.panel.page.show_feedback(f"<p>{html.escape(f'This question cannot be checked now: {exc}')}</p>")
            return None
        feedback = run.submit(given, expected)
        if feedback.kind == "unreadable" and run.page.question.is_choice:
            feedback = Feedback("unreadable", "Choose one of the answers first.")
        self._after_feedback(feedback)
        return feedback

    def reveal(self) -> None:
        if self.run is not None and self.run.page.question is not None:
            self._after_feedback(self.run.reveal())

    def _after_feedback(self, feedback: Feedback) -> None:
        question = self.run.page.question
        if feedback.kind == "solution" and question.solution_step:
            # The worked solution is the step itself, with the actual numbers.
            note = self.setup.apply(Action("show_step", {"step": question.solution_step}))
            if note is None:
                self.setup.apply(Action("bring_to_front", {"panel": "Steps"}))
        self.panel.page.show_feedback(self.feedback_html(feedback))
        self._save()

    def feedback_html(self, feedback: Feedback) -> str:
        title = FEEDBACK_TITLES.get(feedback.kind, "")
        parts = [f"<p><b>{html.escape(title)}</b></p>"] if title else []
        if feedback.kind == "right":
            q = self.run.page.question if self.run else None
            if q is not None and not q.is_choice:
                try:
                    parts.append(f"<p>The network computes {html.escape(format_number(self.expected()))}.</p>")
                except QuantityError:
                    pass
        elif feedback.text:
            parts.append(to_html(self.fill(feedback.text)))
        return "\n".join(parts)

    def open_glossary(self, term: str) -> None:
        """Show the User Guide's glossary at `term` (a link written [[term]] in the lesson)."""
        show_guide = getattr(self.window, "show_guide", None)
        if callable(show_guide):
            show_guide(guide_address(term))
        else:
            self._post("This version of Backprop GUI has no User Guide to look the word up in.")

    # ----- helpers ---------------------------------------------------------------------------

    def _save(self) -> None:
        if self.run is not None:
            self.store.save(self.run.lesson.id, self.run.progress())

    def _dock_names(self) -> list[str]:
        return self.window.dock_names() if hasattr(self.window, "dock_names") else []

    def _bring_forward(self) -> None:
        if DOCK not in self._dock_names():
            return
        dock = self.window.dock(DOCK)
        dock.show()
        dock.raise_()
        # Tabbed with Input over Dataset (the default layout): a page needs most of the height.
        names = self._dock_names()
        if "Dataset" in names and isinstance(self.window, QMainWindow) and not dock.isFloating():
            others = self.window.tabifiedDockWidgets(dock)
            # (Not when the Dataset shares the tabs too, as in the compact layout: that
            # would give the height to the panel below them.)
            if ("Input" in names and self.window.dock("Input") in others
                    and self.window.dock("Dataset") not in others):
                h = max(self.window.height(), 400)
                self.window.resizeDocks([dock, self.window.dock("Dataset")],
                                        [int(h * 0.72), int(h * 0.2)], Qt.Orientation.Vertical)

    def _post(self, text: str) -> None:
        self.panel.message_posted.emit(text)

    def _problem(self, text: str) -> None:
        """A lesson that cannot be opened: a message box naming file, page and field (the
        status bar where no dialog can be shown); the window stays as it was."""
        self.last_problem = text
        if can_ask() and isinstance(self.window, QWidget):
            message_box(self.window, QMessageBox.Icon.Warning, "Open Lesson", text).exec()
        else:
            self._post(text)


def install_lessons(window: Any, session: Session, settings: QSettings,
                    lesson_folder: Path | None = None) -> LessonController:
    """Dock the Lesson panel in `window` and add File ▸ Open Lesson…"""
    controller = LessonController(window, session, settings, lesson_folder)
    window.set_dock_widget(DOCK, controller.panel)
    action = make_action(window, "Open &Lesson…", "Open a lesson file a teacher wrote",
                         controller.open_lesson_dialog)
    action.setObjectName("action_open_lesson")
    lessons_action = make_action(window, "&Lessons", "Show the lessons and the welcome page",
                                 controller.show_welcome)
    lessons_action.setObjectName("action_show_lessons")
    window.add_menu_entries("File", "open", [action, lessons_action])
    controller.open_action = action
    controller.lessons_action = lessons_action
    # Filled, not brought forward: start-up shows it when the preference says so (app.py).
    controller.show_welcome(bring_forward=False)
    return controller
