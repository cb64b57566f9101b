"""One lesson page on screen: its text, the question with the answer field and feedback,
Back / Next and the progress bar ("Page 3 of 12").

The view shows what a LessonRun says and tells its `host` (LessonController) what the
student did; it computes nothing itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QMenu, QProgressBar, QPushButton,
    QSizePolicy, QToolButton, QVBoxLayout, QWidget,
)

from ...lessons.run import Feedback, LessonRun
from .choice_button import add_choice
from .text_view import LessonText, glossary_term

if TYPE_CHECKING:
    from . import LessonController

FEEDBACK_TITLES = {"right": "Right!", "hint": "Not quite. A hint:",
                   "solution": "Not quite. The worked solution:", "unreadable": ""}


def _label(name: str, rich: bool = False) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    # Rich only for HTML made by lessons.markup.to_html (escaped); plain for everything else.
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    flags = Qt.TextInteractionFlag.TextSelectableByMouse
    if rich:    # glossary links in a question, hint or solution (never opened by Qt itself)
        flags |= Qt.TextInteractionFlag.LinksAccessibleByMouse | \
            Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        label.setOpenExternalLinks(False)
    label.setTextInteractionFlags(flags)
    return label


class PageView(QWidget):
    closed = Signal()

    def __init__(self, host: LessonController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.run: LessonRun | None = None
        self.setObjectName("lesson_page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)

        top = QHBoxLayout()
        self.lesson_title = _label("lesson_title")
        self.lesson_title.setStyleSheet("font-weight: bold;")
        self.menu_button = QToolButton()
        self.menu_button.setText("Lesson")
        self.menu_button.setToolTip("Restart the lesson, or close it and explore freely")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.menu_button)
        self.restart_action = menu.addAction("Restart Lesson (Forget Answers)", host.restart)
        self.close_action = menu.addAction("Close Lesson", host.close_lesson)
        self.menu_button.setMenu(menu)
        top.addWidget(self.lesson_title, 1)
        top.addWidget(self.menu_button)
        layout.addLayout(top)

        self.progress = QProgressBar()
        self.progress.setObjectName("lesson_progress")
        self.progress.setFormat("Page %v of %m")
        self.progress.setTextVisible(True)
        layout.addWidget(self.progress)

        self.page_title = _label("page_title")
        self.page_title.setStyleSheet("font-size: 115%; font-weight: bold;")
        layout.addWidget(self.page_title)
        self.text = LessonText()
        self.text.setMinimumHeight(80)
        self.text.glossary_requested.connect(host.open_glossary)
        layout.addWidget(self.text, 1)
        self.notes = _label("lesson_notes")
        self.notes.setStyleSheet("font-style: italic;")
        layout.addWidget(self.notes)

        layout.addWidget(self._question_box())

        nav = QHBoxLayout()
        self.back_button = QPushButton("◀ Back")
        self.back_button.setToolTip("The previous page (Alt+Left)")
        self.back_button.setShortcut("Alt+Left")
        self.back_button.clicked.connect(host.back)
        self.score_label = _label("lesson_score")
        self.score_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("The next page (Alt+Right)")
        self.next_button.setShortcut("Alt+Right")
        self.next_button.setDefault(False)
        self.next_button.clicked.connect(host.next)
        nav.addWidget(self.back_button)
        nav.addWidget(self.score_label, 1)
        nav.addWidget(self.next_button)
        layout.addLayout(nav)

    def _follow_link(self, link: str) -> None:
        term = glossary_term(link)
        if term:
            self.host.open_glossary(term)

    def _question_box(self) -> QFrame:
        box = QFrame()
        box.setObjectName("lesson_question")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        v = QVBoxLayout(box)
        v.setContentsMargins(8, 6, 8, 6)
        self.ask = _label("lesson_ask", rich=True)
        self.ask.linkActivated.connect(self._follow_link)
        v.addWidget(self.ask)
        self.choices_box = QWidget()
        self.choices_layout = QGridLayout(self.choices_box)
        self.choices_layout.setContentsMargins(0, 0, 0, 0)
        self.choices_layout.setColumnStretch(1, 1)
        self.choice_group = QButtonGroup(self)
        v.addWidget(self.choices_box)
        row = QHBoxLayout()
        self.answer_field = QLineEdit()
        self.answer_field.setObjectName("lesson_answer")
        self.answer_field.setPlaceholderText("Your answer, e.g. 0.25")
        self.answer_field.returnPressed.connect(self._check)
        self.check_button = QPushButton("Check")
        self.check_button.setToolTip("Check your answer against what the network computes")
        self.check_button.clicked.connect(self._check)
        row.addWidget(self.answer_field, 1)
        row.addWidget(self.check_button)
        v.addLayout(row)
        self.feedback = _label("lesson_feedback", rich=True)
        self.feedback.linkActivated.connect(self._follow_link)
        v.addWidget(self.feedback)
        extra = QHBoxLayout()
        self.solution_button = QPushButton("Show Solution")
        self.solution_button.setToolTip("Show the worked solution (the question then counts "
                                         "as not answered on your own)")
        self.solution_button.clicked.connect(self.host.reveal)
        self.review_button = QPushButton("Review")
        self.review_button.clicked.connect(self.host.review)
        extra.addWidget(self.solution_button)
        extra.addWidget(self.review_button)
        extra.addStretch(1)
        v.addLayout(extra)
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.question_box = box
        return box

    # ----- showing ------------------------------------------------------------------------

    def show_run(self, run: LessonRun, text_html: str, ask_html: str, notes: list[str]) -> None:
        self.run = run
        page = run.page
        self.lesson_title.setText(run.lesson.title)
        self.progress.setRange(0, run.n_pages)     # %m is maximum − minimum: the page count
        self.progress.setValue(run.index + 1)
        self.page_title.setText(page.title)
        notes = notes + self.text.show_page(text_html, page.images)
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        question = page.question
        self.question_box.setVisible(question is not None)
        if question is not None:
            self.ask.setText(ask_html)
            self._set_choices(question.choices, run)
            self.answer_field.setVisible(not question.is_choice)
            answer = run.answer()
            self.answer_field.setText(answer.given if not question.is_choice else "")
            self.review_button.setVisible(question.review_page is not None)
            if question.review_page is not None:
                self.review_button.setText(f"Review page {question.review_page}")
            feedback = ""
            if answer.right:
                feedback = "<p><b>Right!</b></p>"
            elif answer.revealed:
                feedback = self.host.feedback_html(Feedback("solution", question.solution))
            self.feedback.setText(feedback)
            self.feedback.setVisible(bool(feedback))
        self.sync()

    def refresh_numbers(self, text_html: str, ask_html: str) -> None:
        """New numbers in the text and the question (training moved on): the student's
        typing, choice and feedback stay, and so does the text's scroll position."""
        bar = self.text.verticalScrollBar()
        where = bar.value()
        self.text.show_page(text_html, self.run.page.images if self.run else ())
        bar.setValue(where)
        if self.run is not None and self.run.page.question is not None:
            self.ask.setText(ask_html)

    def _set_choices(self, choices: tuple[str, ...], run: LessonRun) -> None:
        for button in self.choice_group.buttons():
            self.choice_group.removeButton(button)
        while self.choices_layout.count():
            self.choices_layout.takeAt(0).widget().deleteLater()
        for k, text in enumerate(choices, start=1):
            button = add_choice(self.choices_layout, k - 1, text)
            button.setObjectName(f"lesson_choice_{k}")
            self.choice_group.addButton(button, k)
        given = run.answer().given
        if given.isdigit() and self.choice_group.button(int(given)) is not None:
            self.choice_group.button(int(given)).setChecked(True)
        self.choices_box.setVisible(bool(choices))

    def sync(self) -> None:
        """Enable Back, Next, Show Solution from the run's state."""
        run = self.run
        if run is None:
            return
        self.back_button.setEnabled(not run.at_first)
        self.next_button.setEnabled(run.can_go_next() or (run.at_last and not run.blocked()))
        self.next_button.setText("Finish ✓" if run.at_last else "Next ▶")
        waiting = run.blocked()
        self.next_button.setToolTip("Answer the question first" if waiting else
                                    "Back to the list of lessons" if run.at_last else
                                    "The next page (Alt+Right)")
        answer = run.answer() if run.page.question is not None else None
        self.solution_button.setVisible(answer is not None and answer.attempts > 0
                                        and not answer.revealed and not answer.right)
        right, total = run.score()
        self.score_label.setText(f"Score: {right} of {total}" if total else "")

    def show_feedback(self, html: str) -> None:
        self.feedback.setText(html)
        self.feedback.setVisible(bool(html))
        self.sync()

    def given_answer(self) -> str:
        question = self.run.page.question if self.run else None
        if question is not None and question.is_choice:
            k = self.choice_group.checkedId()
            return str(k) if k > 0 else ""
        return self.answer_field.text()

    def _check(self) -> None:
        self.host.check(self.given_answer())
