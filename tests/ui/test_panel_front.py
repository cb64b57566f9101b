"""`--screenshot FILE --panel NAME`: the named panel comes to the front before the window is drawn."""

from __future__ import annotations

import pytest

from backprop_gui.ui.window.panel_front import bring_panel_to_front, panel_name


@pytest.fixture
def window(main_window):
    return main_window


def in_front(window, name: str) -> bool:
    """The dock's contents can be seen: shown, and its tab (if it has one) the current one."""
    dock = window.dock(name)
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def test_names_match_in_any_case_and_unknown_ones_list_the_known():
    known = ["Input", "Steps", "Plots"]
    assert panel_name(known, "plots") == "Plots" and panel_name(known, "STEPS ") == "Steps"
    with pytest.raises(ValueError, match=r"^unknown panel 'landscape' \(known: input, steps, plots\)$"):
        panel_name(known, "landscape")


def test_plots_and_steps_take_turns_in_front_of_their_shared_place(window, qtbot):
    assert window.dock("Plots") in window.tabifiedDockWidgets(window.dock("Steps"))
    bring_panel_to_front(window, "plots")
    qtbot.waitUntil(lambda: in_front(window, "Plots"))
    assert not in_front(window, "Steps")
    assert bring_panel_to_front(window, "Steps") is window.dock("Steps")
    qtbot.waitUntil(lambda: in_front(window, "Steps"))
    assert not in_front(window, "Plots")


def test_a_closed_panel_is_shown_again(window, qtbot):
    window.dock("Inspector").close()
    assert not window.dock("Inspector").isVisible()
    bring_panel_to_front(window, "inspector")
    qtbot.waitUntil(lambda: in_front(window, "Inspector"))


def test_every_dock_can_be_named(window):
    for name in window.dock_names():
        assert bring_panel_to_front(window, name.lower()) is window.dock(name)
