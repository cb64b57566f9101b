"""The stepping actions (Step menu, shortcuts, the buttons above the steps) and their icons.

→/← step, Shift+→/Shift+← jump a phase, Home/End go to the first/last step, wherever the
keyboard focus is: a class follows the README's "press →" whatever was clicked last. Only
where a person types (a text field, a spin box) or edits with the arrows (the pixel editor,
the brush, the 2-D points: widgets that set EDITS_WITH_ARROWS) do the keys stay with the
widget (`ArrowKeyGuard`). The diagram walks its selection with Alt+arrows instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QSize, Qt
from PySide6.QtGui import (
    QAction, QColor, QIcon, QKeyEvent, QPainter, QPainterPath, QPalette, QPen, QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget,
)

from ...session.stepper import StepCursor
from ..common.action_helper import make_action
from ..editors.drawn_control import EDITS_WITH_ARROWS

if TYPE_CHECKING:
    from .panel import StepperPanel

STEP_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End}


def _draw(name: str, p: QPainter, color: QColor) -> None:
    """Stroked chevrons in a 16×16 box: ‹ › step, « » jump a phase, |‹ ›| first and last,
    ›› with a bar run to the end. Outlines, not the filled triangles of a media player:
    training's Play is a filled ▶, and a step must not look like it."""
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(color, 2.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))

    def chevron(x: float, right: bool, w: float = 4.5) -> None:
        tip, back = (x + w, x) if right else (x, x + w)
        path = QPainterPath(QPointF(back, 3.5))
        path.lineTo(tip, 8)
        path.lineTo(back, 12.5)
        p.drawPath(path)

    def bar(x: float) -> None:
        p.drawLine(QPointF(x, 3.5), QPointF(x, 12.5))

    if name == "next":
        chevron(5.5, True)
    elif name == "previous":
        chevron(6, False)
    elif name == "next_phase":
        chevron(3, True)
        chevron(8.5, True)
    elif name == "previous_phase":
        chevron(3, False)
        chevron(8.5, False)
    elif name == "first":
        bar(3.5)
        chevron(7, False)
    elif name == "last":
        chevron(4.5, True)
        bar(12.5)
    elif name == "run":
        chevron(1.5, True, 4)
        chevron(6, True, 4)
        bar(13)
    elif name == "apply":
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


class StepActions(QObject):
    """The Steps panel's commands as actions (the Step menu, the keys, the buttons): each
    calls the panel's method of the same name; `sync` enables them as the cursor moves."""

    def __init__(self, panel: StepperPanel) -> None:
        super().__init__(panel)

        def act(text, tip, slot, keys=None, icon=None, checkable=False) -> QAction:
            action = make_action(panel, text, tip, slot, keys, checkable=checkable,
                                 icon=step_icon(icon) if icon else None)
            panel.addAction(action)     # the keys work wherever the panel is
            return action

        self.previous = act("&Previous Step", "Go back one step", panel.previous, "Left",
                            "previous")
        self.next = act("&Next Step", "Go on to the next step", panel.next, "Right", "next")
        self.previous_phase = act(
            "Previous P&hase", "Go back to the start of this phase (or of the one before)",
            panel.previous_phase, "Shift+Left", "previous_phase")
        self.next_phase = act("Next Ph&ase", "Jump to the start of the next phase",
                              panel.next_phase, "Shift+Right", "next_phase")
        self.first = act("&First Step", "Go to the first step of the forward pass",
                         panel.first, "Home", "first")
        self.last = act("&Last Step", "Go to the last step of the update", panel.last,
                        "End", "last")
        self.run = act("&Run the Rest", "Run through the remaining steps to the end",
                       panel.run_rest, "Ctrl+End", "run")
        self.apply = act(
            "&Apply Update", "Change the network's weights and biases by this gradient-descent "
            "step (undo with Ctrl+Z)", panel.apply_update, "Ctrl+Return", "apply")
        self.batch = act(
            "Whole &Batch", "Step through all samples at once (checked) or only the selected "
            "sample (unchecked)", lambda: panel.set_scope("batch" if self.batch.isChecked()
                                                          else "sample"),
            "Ctrl+Shift+B", checkable=True)
        self.export = act("Export &Worksheet (PDF)…",
                          "Save every step of this sample's pass with all its numbers as a "
                          "printable PDF", lambda: panel.export_worksheet(blank=False))
        self.export_blank = act(
            "Export &Homework Sheet (PDF)…",
            "The same worksheet with the results left blank for students to work out",
            lambda: panel.export_worksheet(blank=True))

    def menu_order(self) -> list[QAction | None]:
        """The Step menu's actions in order (None = separator)."""
        return [self.next, self.previous, self.next_phase, self.previous_phase, self.first,
                self.last, None, self.run, self.apply, None, self.batch, None, self.export,
                self.export_blank]

    def sync(self, cursor: StepCursor) -> None:
        """Enabled where they would do something at the cursor's step."""
        has = bool(cursor.steps)
        back, on = has and cursor.index > 0, has and not cursor.at_end()
        # The Try it input has only its forward pass: nothing to apply, no worksheet of it.
        sample = has and not cursor.session.trying
        for action, enabled in ((self.previous, back), (self.previous_phase, back),
                                (self.first, back), (self.next, on), (self.next_phase, on),
                                (self.last, on), (self.run, on), (self.apply, sample),
                                (self.batch, not cursor.session.trying),
                                (self.export, sample), (self.export_blank, sample)):
            action.setEnabled(enabled)


def is_text_field(widget: QObject) -> bool:
    """Where ←/→/Home/End move a text cursor or change what is typed: line edits, spin
    boxes, editable text and editable combo boxes, and our widgets with EDITS_WITH_ARROWS;
    also a button of an exclusive group (Sample / Try it, Weights / Gradients): Tab reaches only
    its checked button, so the arrows are the only keys that choose another.
    (Read-only text, lists, sliders, other buttons and the diagram are not: there the keys step.)"""
    if isinstance(widget, (QLineEdit, QAbstractSpinBox)):
        return True
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        group = widget.group()
        return widget.autoExclusive() or (group is not None and group.exclusive())
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, QWidget) and bool(widget.property(EDITS_WITH_ARROWS))


class ArrowKeyGuard(QObject):
    """Lets text fields (`is_text_field`) keep ←/→/Home/End; everywhere else, and in
    `exempt` widgets such as the step list, they step."""

    def __init__(self, exempt: Callable[[QWidget], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._exempt = exempt

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.key() in STEP_KEYS and not self._exempt(obj) and is_text_field(obj):
                mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                if mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
                    # Accepted and consumed (a widget's own handler could reset the flag):
                    # the key then goes to the focused widget, not to the shortcut.
                    event.accept()
                    return True
        return False
