"""Views in a dock tabbed behind another (Steps and Landscape behind Plots while training)
do no work for nobody, and show what changed once their tab comes to the front."""

from __future__ import annotations

import pytest

from backprop_gui.engine.selection import Selection
from backprop_gui.ui.stepper.panel import StepperPanel
from backprop_gui.ui.window.panel_front import bring_panel_to_front


def in_front(window, name: str) -> bool:
    dock = window.dock(name)
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def to_front(window, qtbot, name: str) -> None:
    bring_panel_to_front(window, name)
    qtbot.waitUntil(lambda: in_front(window, name))
    qtbot.wait(20)


def numbers_shown(panel: StepperPanel) -> dict:
    return panel.page.canvas.displayed_texts()


def test_the_steps_panel_behind_plots_waits_and_catches_up_in_front(main_window, session,
                                                                     qtbot):
    window, clock = main_window, main_window.training.clock
    steps = window.panel("Steps")
    to_front(window, qtbot, "Steps")
    steps.last()                                   # a step whose numbers are the weights'
    before = numbers_shown(steps)
    to_front(window, qtbot, "Plots")
    for _ in range(3):
        clock.step_epoch()
        qtbot.wait(150)                            # more than the panel's refresh interval
    assert numbers_shown(steps) == before          # behind the Plots tab: not redrawn
    to_front(window, qtbot, "Steps")
    # A Steps panel made afresh for the trained network, at the same step, shows the same.
    fresh = StepperPanel(session)
    qtbot.addWidget(fresh)
    fresh.resize(steps.size())
    fresh.show()
    fresh.last()
    qtbot.waitUntil(lambda: numbers_shown(steps) == numbers_shown(fresh))
    assert numbers_shown(steps) != before


def test_the_landscape_network_slice_behind_plots_waits_and_catches_up(main_window, session,
                                                                       qtbot):
    window, clock = main_window, main_window.training.clock
    to_front(window, qtbot, "Landscape")
    window.panel("Landscape").show_network_slice(Selection.weight(1, 0, 0), Selection.bias(2, 0))
    page = window.panel("Landscape").panel().network
    qtbot.wait(150)
    before = page.centre_loss()
    assert before == pytest.approx(session.loss_on_dataset(), rel=1e-13)
    to_front(window, qtbot, "Plots")
    for _ in range(3):
        clock.step_epoch()
        qtbot.wait(150)
    assert session.loss_on_dataset() != pytest.approx(before, rel=1e-9)
    assert page.centre_loss() == before            # behind the Plots tab: not recomputed
    to_front(window, qtbot, "Landscape")
    qtbot.waitUntil(lambda: page.centre_loss() == pytest.approx(session.loss_on_dataset(),
                                                                rel=1e-13))


def test_behind_plots_no_view_works_out_the_step_through_while_training(main_window, qtbot,
                                                                        monkeypatch):
    """The step-through's walkthrough (every number of a step of gradient descent) is the
    costly part of the Steps and Graph panels: behind the Plots tab neither asks for it."""
    import backprop_gui.session.stepper as stepper

    computed = []
    real = stepper.walkthrough
    monkeypatch.setattr(stepper, "walkthrough",
                        lambda *args, **kwargs: computed.append(1) or real(*args, **kwargs))
    window, clock = main_window, main_window.training.clock
    to_front(window, qtbot, "Plots")
    for _ in range(3):
        clock.step_epoch()
        qtbot.wait(150)
    assert computed == []
    to_front(window, qtbot, "Graph")              # it shows the step row: one walkthrough
    qtbot.waitUntil(lambda: len(computed) == 1)
