"""Making a QAction (and a submenu) the app's way: a tooltip that names its shortcut, a
status tip, a slot.

Every menu entry, toolbar button and context-menu item is made here, so they all say what
they do in the same words in the tooltip and in the status bar ("Save the project (Ctrl+S)").
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QDockWidget, QMenu, QMenuBar, QToolButton, QWidget

from .theme import make_icon

# The name of an action's drawn icon, so a theme change can redraw it in the new text colour.
ICON_PROPERTY = "backprop_icon"


def shortcut_text(action: QAction) -> str:
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)


def set_tips(action: QAction, tip: str) -> None:
    """The tooltip "tip (shortcut)" and the status tip "tip"."""
    keys = shortcut_text(action)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.setStatusTip(tip)


def make_action(parent: QObject, text: str, tip: str, slot: Callable[[], object] | None = None,
                shortcut: QKeySequence.StandardKey | str | None = None,
                fallback: str | None = None, icon: str | QIcon | None = None,
                checkable: bool = False, enabled: bool = True) -> QAction:
    """A QAction with its tooltip and status tip set (see `set_tips`).

    `shortcut` is a StandardKey or a key string; `fallback` is used when the platform has
    no binding for the StandardKey. `icon` is an icon of ui/common/theme.py by name (redrawn when
    the theme changes, see ICON_PROPERTY) or a ready QIcon. `slot` is called without
    arguments (a checkable action's state is `action.isChecked()`).
    """
    action = QAction(text, parent)
    if isinstance(shortcut, QKeySequence.StandardKey):
        if QKeySequence.keyBindings(shortcut):
            action.setShortcuts(shortcut)
        elif fallback:
            action.setShortcut(QKeySequence(fallback))
    elif shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.setCheckable(checkable)
    action.setEnabled(enabled)
    if isinstance(icon, str):
        action.setIcon(make_icon(icon))
        action.setProperty(ICON_PROPERTY, icon)
    elif icon is not None:
        action.setIcon(icon)
    set_tips(action, tip)
    if slot is not None:
        action.triggered.connect(lambda _checked=False: slot())
    return action


def add_action(widget: QWidget, text: str, tip: str, slot: Callable[[], object] | None = None,
               **options: object) -> QAction:
    """`make_action` with `widget` (a menu, a toolbar) as parent, added to it."""
    action = make_action(widget, text, tip, slot, **options)  # type: ignore[arg-type]
    widget.addAction(action)
    return action


def add_menu(parent: QMenu | QMenuBar, title: str, tip: str = "", name: str = "") -> QMenu:
    """A submenu of `parent` that shows its entries' tooltips; `tip` is its status tip,
    `name` its object name (for tests and the shortcuts dialog)."""
    menu = parent.addMenu(title)
    menu.setToolTipsVisible(True)
    if tip:
        menu.menuAction().setStatusTip(tip)
    if name:
        menu.setObjectName(name)
    return menu


def tool_button(parent: QWidget, text: str, tip: str, slot: Callable[[], object]) -> QToolButton:
    """A text button in a panel's button row: its text is also its accessible name."""
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(text)
    button.clicked.connect(slot)
    return button


def name_dock_buttons(dock: QDockWidget, title: str) -> None:
    """Tooltips for the icon buttons Qt puts in a dock's title bar (it names them for screen
    readers, "Close" and "Float", but explains neither to the mouse)."""
    for name, tip in (("qt_dockwidget_closebutton",
                       f"Close the {title} panel (View ▸ Panels shows it again)"),
                      ("qt_dockwidget_floatbutton",
                       f"Float the {title} panel in a window of its own, or dock it again")):
        button = dock.findChild(QAbstractButton, name)
        if button is not None:
            button.setToolTip(tip)
