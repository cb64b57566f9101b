"""DrawnControl: what the widgets that paint themselves and are edited with the mouse and the
keys have in common: the pixel grid and its brush strip, the scatter plot of 2-D points."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

# A dynamic property: the widget edits a value with ←/→/Home/End, as a text field does, so
# those keys stay with it while it has the focus instead of stepping (ui/stepper/controls.py).
EDITS_WITH_ARROWS = "edits_with_arrow_keys"


class DrawnControl(QWidget):
    """Takes the keyboard focus, and repaints when it comes or goes: each subclass draws its
    own focus mark. With `hover`, it follows the mouse: the subclass keeps what is under it in
    `_hover` and draws a mark there, which goes (with a repaint) when the mouse leaves."""

    def __init__(self, name: str, tooltip: str, minimum: tuple[int, int],
                 parent: QWidget | None = None, hover: bool = True,
                 vertical: QSizePolicy.Policy = QSizePolicy.Policy.Expanding) -> None:
        super().__init__(parent)
        self._hover: object | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setProperty(EDITS_WITH_ARROWS, True)   # it moves its cursor or value with them
        self.setMouseTracking(hover)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, vertical)
        self.setMinimumSize(*minimum)
        self.setAccessibleName(name)
        self.setToolTip(tooltip)

    def leaveEvent(self, event: QEvent) -> None:
        if self.hasMouseTracking():
            self._hover = None
            self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()
