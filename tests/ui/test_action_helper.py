"""The one QAction helper every menu, toolbar and context menu uses."""

from __future__ import annotations

from PySide6.QtGui import QIcon, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from backprop_gui.ui.common.action_helper import ICON_PROPERTY, add_action, add_menu, make_action, set_tips


def test_tips_name_the_shortcut_and_the_slot_gets_no_arguments(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    calls = []
    action = make_action(parent, "&Save", "Save the project", lambda: calls.append("saved"),
                         "Ctrl+S")
    keys = QKeySequence("Ctrl+S").toString(QKeySequence.SequenceFormat.NativeText)
    assert action.toolTip() == f"Save the project ({keys})"
    assert action.statusTip() == "Save the project"
    assert action.parent() is parent and action.isEnabled() and not action.isCheckable()
    action.trigger()
    assert calls == ["saved"]
    plain = make_action(parent, "Fit", "Show the whole network")
    assert plain.toolTip() == plain.statusTip() == "Show the whole network"
    set_tips(plain, "Fit it")
    assert plain.toolTip() == plain.statusTip() == "Fit it"


def test_standard_keys_fall_back_where_the_platform_has_none(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    key = QKeySequence.StandardKey.Save
    action = make_action(parent, "&Save", "Save", None, key, fallback="Ctrl+Alt+S")
    bound = QKeySequence.keyBindings(key)
    assert action.shortcuts() == (bound if bound else [QKeySequence("Ctrl+Alt+S")])


def test_icons_checkable_and_disabled_actions(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    themed = make_action(parent, "Undo", "Undo", icon="undo", checkable=True, enabled=False)
    assert themed.property(ICON_PROPERTY) == "undo" and not themed.icon().isNull()
    assert themed.isCheckable() and not themed.isEnabled()
    given = QIcon(themed.icon())
    ready = make_action(parent, "Play", "Play", icon=given)
    assert not ready.icon().isNull() and ready.property(ICON_PROPERTY) is None
    states = []
    toggle = make_action(parent, "Grid", "Grid", lambda: states.append(toggle.isChecked()),
                         checkable=True)
    toggle.trigger()
    toggle.trigger()
    assert states == [True, False]


def test_add_action_puts_it_in_the_menu(qtbot):
    menu = QMenu()
    qtbot.addWidget(menu)
    action = add_action(menu, "Add neuron", "Give layer 1 seven neurons", enabled=False)
    assert menu.actions() == [action] and action.parent() is menu
    assert action.statusTip() == "Give layer 1 seven neurons" and not action.isEnabled()


def test_add_menu_shows_tooltips_and_says_what_it_holds(qtbot):
    top = QMenu()
    qtbot.addWidget(top)
    sub = add_menu(top, "&Speed", "How many epochs to train per second", "menu_speed")
    assert top.actions() == [sub.menuAction()] and sub.toolTipsVisible()
    assert sub.menuAction().statusTip() == "How many epochs to train per second"
    assert sub.objectName() == "menu_speed"
    plain = add_menu(top, "Loss")
    assert plain.toolTipsVisible() and plain.menuAction().statusTip() == ""
