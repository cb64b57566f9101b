"""The welcome page: the lessons, "Explore freely", the last project, and whether to show
this page at start-up. It is the Lesson panel's first page, shown when no lesson is open."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from ...lessons.model import Lesson
from ..common.plain_text import action_text, shorten

if TYPE_CHECKING:
    from . import LessonController

INTRO = ("Backprop GUI shows how a neural network learns, one chain-rule step at a time. "
         "A lesson guides you page by page: it sets the window up, asks you to predict a "
         "number, then lets the network show you. Or explore on your own.")


class WelcomePage(QWidget):
    def __init__(self, host: LessonController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.setObjectName("lesson_welcome")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 8, 8, 8)
        title = QLabel("Welcome to Backprop GUI")
        title.setStyleSheet("font-size: 130%; font-weight: bold;")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self._layout.addWidget(title)
        self._layout.addWidget(intro)
        self.lessons_label = QLabel("Lessons")
        self.lessons_label.setStyleSheet("font-weight: bold;")
        self._layout.addWidget(self.lessons_label)
        self.lesson_list = QVBoxLayout()
        self.lesson_list.setSpacing(4)
        self._layout.addLayout(self.lesson_list)
        self.lesson_buttons: dict[str, QPushButton] = {}
        self.problems = QLabel()
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self._layout.addWidget(self.problems)

        self.open_lesson_button = QPushButton("Open a Lesson File…")
        self.open_lesson_button.setToolTip("Open a lesson a teacher wrote (.toml or .json)")
        self.open_lesson_button.clicked.connect(host.open_lesson_dialog)
        self.explore_button = QPushButton("Explore Freely")
        self.explore_button.setToolTip("Close this page and use every panel on your own")
        self.explore_button.clicked.connect(host.explore)
        self.last_project_button = QPushButton()
        self.last_project_button.clicked.connect(host.open_last_project)
        row = QHBoxLayout()
        row.addWidget(self.explore_button)
        row.addWidget(self.open_lesson_button)
        row.addStretch(1)
        self._layout.addLayout(row)
        self._layout.addWidget(self.last_project_button)
        self.show_at_start = QCheckBox("Show this page at start-up")
        self.show_at_start.setObjectName("welcome_show_at_start")
        self.show_at_start.toggled.connect(host.set_show_at_start)
        self._layout.addWidget(self.show_at_start)
        self._layout.addStretch(1)

    def fill(self, lessons: list[Lesson], problems: list[str], progress: dict[str, str],
             last_project: str | None, show_at_start: bool) -> None:
        while self.lesson_list.count():
            item = self.lesson_list.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()              # gone now, not at the next turn of the event loop
                widget.deleteLater()
        self.lesson_buttons.clear()
        for lesson in lessons:
            self.lesson_list.addWidget(self._lesson_entry(lesson, progress.get(lesson.id, "")))
        self.lessons_label.setVisible(bool(lessons))
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        self.last_project_button.setVisible(bool(last_project))
        if last_project:
            name = shorten(Path(last_project).name, 40)
            self.last_project_button.setText(action_text(f"Open Last Project: {name}"))
            self.last_project_button.setToolTip(last_project)
        self.show_at_start.blockSignals(True)
        self.show_at_start.setChecked(show_at_start)
        self.show_at_start.blockSignals(False)

    def _lesson_entry(self, lesson: Lesson, progress: str) -> QWidget:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        h = QHBoxLayout(frame)
        h.setContentsMargins(6, 4, 6, 4)
        text = QVBoxLayout()
        text.setSpacing(1)
        for line, style in ((lesson.title, "font-weight: bold;"), (lesson.summary, ""),
                            (progress, "font-style: italic;")):
            if line:
                label = QLabel(line)
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setWordWrap(True)
                label.setStyleSheet(style)
                text.addWidget(label)
        button = QPushButton("Continue" if progress else "Start")
        button.setObjectName(f"start_lesson_{lesson.id}")
        button.setToolTip(f"Open the lesson “{lesson.title}”")
        button.clicked.connect(lambda _=False, lesson=lesson: self.host.open_lesson(lesson))
        self.lesson_buttons[lesson.id] = button
        h.addLayout(text, 1)
        h.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        return frame
