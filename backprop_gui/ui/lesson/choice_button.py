"""A lesson's choice: a radio button and its words, which wrap. A QRadioButton's own text
is one line that sets the panel's minimum width (a long choice pushed Back/Next and the
progress bar out of a narrow Lesson panel), so the words are a word-wrapped label beside an
empty button, and a click on them is a click on the button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QRadioButton


class ChoiceWords(QLabel):
    def __init__(self, text: str, button: QRadioButton) -> None:
        super().__init__(text)
        self.button = button
        self.setTextFormat(Qt.TextFormat.PlainText)      # a teacher's words, as written
        self.setWordWrap(True)
        self.setBuddy(button)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()) and self.button.isEnabled():
            self.button.click()
            self.button.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)


def add_choice(grid: QGridLayout, row: int, text: str) -> QRadioButton:
    """Put choice `text` in `row` of `grid` (button, then its words); the button."""
    button = QRadioButton()
    button.setAccessibleName(text)
    button.setToolTip(text)
    words = ChoiceWords(text, button)
    grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
    grid.addWidget(words, row, 1)
    return button
