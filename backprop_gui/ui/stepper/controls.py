"""The stepping actions (Step menu, shortcuts) and the row of buttons above the steps.

→/← step, Shift+→/Shift+← jump a phase, Home/End go to the first/last step. Those keys
also mean something in lists, text fields and spin boxes, so `ArrowKeyGuard` lets such a
widget keep them while it has the focus; everywhere else (the diagram, this panel) they step.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor, QIcon, QKeyEvent, QPainter, QPainterPath, QPalette, QPen, QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox, QLineEdit,
    QPlainTextEdit, QTextEdit, QWidget,
)

STEP_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End}
_EDITORS = (QLineEdit, QAbstractSpinBox, QAbstractSlider, QComboBox, QTextEdit, QPlainTextEdit,
            QAbstractItemView)


def _draw(name: str, p: QPainter, color: QColor) -> None:
    """Media-player style glyphs in a 16×16 box."""
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)

    def tri(x: float, right: bool, w: float = 6.0) -> None:
        path = QPainterPath()
        if right:
            path.moveTo(x, 3)
            path.lineTo(x + w, 8)
            path.lineTo(x, 13)
        else:
            path.moveTo(x + w, 3)
            path.lineTo(x, 8)
            path.lineTo(x + w, 13)
        path.closeSubpath()
        p.drawPath(path)

    if name == "next":
        tri(5, True, 7)
    elif name == "previous":
        tri(4, False, 7)
    elif name == "next_phase":
        tri(2, True)
        tri(8, True)
    elif name == "previous_phase":
        tri(2, False)
        tri(8, False)
    elif name == "first":
        p.drawRect(QRectF(3, 3, 2, 10))
        tri(6, False, 7)
    elif name == "last":
        tri(3, True, 7)
        p.drawRect(QRectF(11, 3, 2, 10))
    elif name == "run":
        tri(1.5, True, 5)
        tri(6, True, 5)
        p.drawRect(QRectF(12, 3, 2, 10))
    elif name == "apply":
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(color, 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                      Qt.PenJoinStyle.RoundJoin))
        path = QPainterPath(QPointF(3, 8.5))
        path.lineTo(6.5, 12)
        path.lineTo(13, 4)
        p.drawPath(path)


def step_icon(name: str, color: QColor | None = None) -> QIcon:
    if color is None:
        color = QApplication.palette().color(QPalette.ColorRole.ButtonText)
    icon = QIcon()
    for scale in (1.0, 2.0):
        pix = QPixmap(QSize(int(16 * scale), int(16 * scale)))
        pix.setDevicePixelRatio(scale)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        _draw(name, p, color)
        p.end()
        icon.addPixmap(pix)
    return icon


def handles_keys_itself(widget: QObject) -> bool:
    """True for widgets of this program that define their own keyboard handling (the
    diagram moves its selection with the arrows, the pixel editor its cursor)."""
    for cls in type(widget).__mro__:
        module = getattr(cls, "__module__", "")
        if module.startswith("backprop_gui.") and "keyPressEvent" in vars(cls):
            return not module.startswith("backprop_gui.ui.stepper")
    return False


class ArrowKeyGuard(QObject):
    """Lets text fields, lists, spin boxes and widgets with their own key handling keep
    ←/→/Home/End; elsewhere (and in `exempt` widgets such as the step list) they step."""

    def __init__(self, exempt: Callable[[QWidget], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._exempt = exempt

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if (event.key() in STEP_KEYS and not self._exempt(obj)
                    and (isinstance(obj, _EDITORS) or handles_keys_itself(obj))):
                mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                if mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
                    # Accepted and consumed (a widget's own handler could reset the flag):
                    # the key then goes to the focused widget, not to the shortcut.
                    event.accept()
                    return True
        return False
