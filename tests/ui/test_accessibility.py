"""Accessibility of the whole window: every control reachable with Tab and showing that it has
the focus, every button named for a screen reader and explained by a tooltip, every toolbar
button also in a menu or on a key (issue 16, "Accessibility and keyboard")."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox,
    QGraphicsView, QLineEdit, QMenu, QScrollBar, QToolBar, QToolButton, QWidget, QWidgetAction,
)

from backprop_gui.ui.editors.drawn_control import DrawnControl

# What a person operates: buttons, fields, lists, the diagram and the drawn editors.
INTERACTIVE = (QAbstractButton, QComboBox, QAbstractSpinBox, QAbstractSlider, QLineEdit,
               QAbstractItemView, QGraphicsView, DrawnControl)


def describe(widget: QWidget) -> str:
    names = []
    while widget is not None and len(names) < 5:
        names.append(type(widget).__name__ + (f"[{widget.objectName()}]" if widget.objectName() else ""))
        if len(names) == 1 and hasattr(widget, "text"):
            names[0] += f"({widget.accessibleName() or widget.text()!r}, policy {widget.focusPolicy().name})"
        widget = widget.parentWidget()
    return "/".join(reversed(names))


def qt_furniture(widget: QWidget) -> bool:
    """Buttons Qt makes itself, with a keyboard way around them: a dock's close and float
    buttons (View ▸ Panels shows and hides each panel), a tab bar's scroll arrows (Ctrl+Tab and
    the arrow keys change tabs), a toolbar's buttons for its actions (checked below: each
    action is in a menu or has a key) and its overflow arrow."""
    name = widget.objectName()
    if name.startswith("qt_") or name in ("ScrollLeftButton", "ScrollRightButton"):
        return True
    parent = widget.parentWidget()
    return isinstance(widget, QToolButton) and isinstance(parent, QToolBar) and not isinstance(
        parent.actionAt(widget.geometry().center()), QWidgetAction)


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()


def each_panel_in_front(window, qtbot):
    """Bring every panel to the front in turn (building a lazily made one), yielding its name."""
    for name in window.dock_names():
        dock = window.dock(name)
        dock.show()
        dock.raise_()
        window.panel(name)
        settle(qtbot)
        yield name


def shown_interactive(window) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget)
            if isinstance(w, INTERACTIVE) and w.isVisible() and w.isEnabled()
            and not isinstance(w, QScrollBar) and not qt_furniture(w)]


def tab_round(window, qtbot) -> set[QWidget]:
    """Every widget the Tab key reaches, pressing it as a person does until focus comes back
    round (or after as many presses as the window has widgets)."""
    window.activateWindow()
    first = next(w for w in shown_interactive(window)
                 if w.focusPolicy() & Qt.FocusPolicy.TabFocus)
    first.setFocus(Qt.FocusReason.TabFocusReason)
    reached = {first}
    for _ in range(len(window.findChildren(QWidget))):
        focus = QApplication.focusWidget()
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is first:
            break
        reached.add(now)
    return reached


def exclusive_siblings(widget: QWidget) -> list[QAbstractButton]:
    """The other buttons of `widget`'s exclusive group (empty if it is in none)."""
    if not isinstance(widget, QAbstractButton) or not widget.isCheckable():
        return []
    group = widget.group()
    if group is not None and group.exclusive():
        return [b for b in group.buttons() if b is not widget]
    if widget.autoExclusive() and widget.parentWidget() is not None:
        return [b for b in widget.parentWidget().findChildren(QAbstractButton)
                if b is not widget and b.autoExclusive()]
    return []


def reached_with_arrows(widget: QAbstractButton, reached: set[QWidget], qtbot) -> bool:
    """Tab stops only at the checked button of an exclusive group (as in every radio group):
    → and ← go to the others. Presses them from the group's Tab stop, then goes back."""
    siblings = exclusive_siblings(widget)
    start = next((b for b in siblings if b in reached), None)
    if start is None:
        return False
    for key, back in ((Qt.Key.Key_Right, Qt.Key.Key_Left), (Qt.Key.Key_Left, Qt.Key.Key_Right)):
        start.setFocus(Qt.FocusReason.TabFocusReason)
        found, presses = False, 0
        while presses < len(siblings) and not found:
            qtbot.keyClick(QApplication.focusWidget(), key)
            presses += 1
            found = QApplication.focusWidget() is widget
        for _ in range(presses):
            qtbot.keyClick(QApplication.focusWidget(), back)
        if found:
            return True
    return False


def test_the_tab_key_reaches_every_control_of_every_panel(qtbot, main_window):
    missed: list[str] = []
    for name in each_panel_in_front(main_window, qtbot):
        reached = tab_round(main_window, qtbot)
        for widget in shown_interactive(main_window):
            # A spin box's line edit is reached as the spin box itself.
            owner = widget.focusProxy() or widget
            if (widget not in reached and owner not in reached
                    and not reached_with_arrows(widget, reached, qtbot)):
                missed.append(f"{name}: {describe(widget)}")
    assert not missed, "not reached with Tab:\n" + "\n".join(sorted(set(missed)))


def test_every_toolbar_button_is_also_in_a_menu_or_on_a_key(main_window):
    in_menus = {action for menu in main_window.findChildren(QMenu) for action in menu.actions()}
    in_menus |= {action for action in main_window.menuBar().actions()}
    missing = []
    for toolbar in main_window.findChildren(QToolBar):
        for action in toolbar.actions():
            if action.isSeparator() or isinstance(action, QWidgetAction):
                continue
            if not isinstance(toolbar.widgetForAction(action), QToolButton):
                continue   # a widget of its own (a combo box, a field): reached with Tab
            if action not in in_menus and action.shortcut().isEmpty():
                missing.append(f"{toolbar.objectName()}: {action.text()!r}")
    assert not missing, "toolbar buttons with no menu entry and no key: " + ", ".join(missing)


def test_every_button_has_an_accessible_name_and_a_tooltip(qtbot, main_window):
    unnamed, untipped = set(), set()
    for _name in each_panel_in_front(main_window, qtbot):
        for button in main_window.findChildren(QAbstractButton):
            if not button.isVisible():
                continue
            text = button.text().replace("&", "")
            label = button.accessibleName() or text
            where = f"{describe(button)} {label!r}"
            if not label.strip():
                unnamed.add(where)
            # A tab bar's scroll arrows are Qt's own, named by Qt ("Scroll Left") and drawn
            # as arrows beside the tabs they scroll: no tooltip is needed to guess them.
            arrow = button.objectName() in ("ScrollLeftButton", "ScrollRightButton")
            if not text.strip() and not button.toolTip().strip() and not arrow:
                untipped.add(where)
    assert not unnamed, "buttons without a name for a screen reader:\n" + "\n".join(sorted(unnamed))
    assert not untipped, "icon buttons without a tooltip:\n" + "\n".join(sorted(untipped))


def looks_different_with_focus(widget: QWidget, qtbot) -> int:
    """How many pixels of `widget` change when it takes the keyboard focus by Tab."""
    widget.window().activateWindow()
    elsewhere = QLineEdit(widget.window())      # somewhere for the focus to be meanwhile
    elsewhere.setGeometry(0, 0, 1, 1)
    elsewhere.show()
    elsewhere.setFocus()
    settle(qtbot)
    assert not widget.hasFocus()
    without = widget.grab().toImage()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    settle(qtbot)
    assert widget.hasFocus()
    with_focus = widget.grab().toImage()
    elsewhere.deleteLater()
    return int(np.count_nonzero(pixels(without) != pixels(with_focus)))


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return np.frombuffer(image.constBits(), np.uint32).reshape(
        image.height(), image.bytesPerLine() // 4)[:, :image.width()].copy()


def drawn_widgets(window) -> dict[str, QWidget]:
    from backprop_gui.ui.editors.pixel_editor import BrushBar, PixelCanvas
    from backprop_gui.ui.stepper.step_list import StepList

    return {"diagram": window.view,
            "pixel grid": window.findChild(PixelCanvas),
            "brush strip": window.findChild(BrushBar),
            "step list": window.findChild(StepList)}


@pytest.mark.parametrize("name", ["diagram", "pixel grid", "brush strip", "step list"])
def test_a_drawn_control_shows_that_it_has_the_keyboard_focus(qtbot, main_window, name):
    main_window.dock("Steps").raise_()
    main_window.dock("Input").raise_()
    widget = drawn_widgets(main_window)[name]
    assert widget is not None and widget.isVisible()
    # A mark that can be seen: at least a 1-px line along the widget's longer side.
    changed = looks_different_with_focus(widget, qtbot)
    assert changed >= max(widget.width(), widget.height())


def test_the_points_canvas_shows_that_it_has_the_keyboard_focus(qtbot, session):
    from backprop_gui.ui.editors.points_editor import PointsEditor

    session.load_builtin_dataset("moons")
    editor = PointsEditor(session)
    qtbot.addWidget(editor)
    editor.resize(320, 380)
    editor.show()
    qtbot.waitExposed(editor)
    canvas = editor.canvas
    assert looks_different_with_focus(canvas, qtbot) >= max(canvas.width(), canvas.height())
