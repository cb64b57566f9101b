"""The Gradient check tab's cost argument: 2·P forward passes against one forward and one
backward pass, with the measured times and a table of four sizes. The counts and the
structure are checked, never the timings."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from backprop_gui.engine import gradcheck_cost
from backprop_gui.ui.stepper import gradcheck_cost_view
from backprop_gui.ui.stepper.gradcheck_cost_view import cost_sentence, duration, times_faster
from backprop_gui.ui.stepper.panel import TAB_CHECK, StepperPanel


@pytest.fixture
def measured(monkeypatch):
    """Every measure_cost call the view makes, in order (the real one still runs)."""
    calls = []
    real = gradcheck_cost.measure_cost

    def counting(net, X, Y, budget=0.05, **kw):
        calls.append(tuple(net.sizes))
        return real(net, X, Y, budget=0.001, **kw)
    monkeypatch.setattr(gradcheck_cost_view, "measure_cost", counting)
    monkeypatch.setattr(gradcheck_cost, "measure_cost", counting)    # cost_ladder's
    return calls


@pytest.fixture
def panel(qtbot, session):
    p = StepperPanel(session)
    qtbot.addWidget(p)
    p.resize(380, 900)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_the_tab_times_2p_forward_passes_against_one_backprop(panel, session, measured):
    panel.tabs.setCurrentIndex(TAB_CHECK)
    cost = panel.gradcheck.cost
    assert cost.isVisible()
    text = cost.sentence.text()
    assert re.fullmatch(r"316 forward passes: \S+ (s|ms|µs); backprop \(1 forward \+ 1 backward "
                        r"pass\): \S+ (s|ms|µs); [\d,.]+× faster( \(the first [\d,]+ passes "
                        r"timed, the rest estimated from them\))?\.", text), text
    assert cost.figures.forward_passes == 2 * 158
    table = cost.table
    assert table.rowCount() == 4
    assert [table.item(r, 0).text() for r in range(4)] == ["16-2-2", "16-8-2", "16-32-2",
                                                           "16-128-2"]
    params = [16 * h + h + 2 * h + 2 for h in (2, 8, 32, 128)]
    assert [table.item(r, 1).text() for r in range(4)] == [f"{p:,}" for p in params]
    for r, p in enumerate(params):
        assert table.item(r, 2).toolTip().startswith(f"{2 * p:,} forward passes")
    assert measured == [(16, 6, 6, 2), (16, 2, 2), (16, 8, 2), (16, 32, 2), (16, 128, 2)]


def test_times_are_taken_again_only_for_another_shape_or_on_request(panel, session, measured,
                                                                    qtbot):
    panel.tabs.setCurrentIndex(TAB_CHECK)
    assert len(measured) == 5
    session.set_weight(1, 0, 0, 0.5)             # other values, same shape: same times
    panel.gradcheck.refresh()
    assert len(measured) == 5
    qtbot.mouseClick(panel.gradcheck.cost.measure_button, Qt.MouseButton.LeftButton)
    assert len(measured) == 10
    session.resize_layer(1, 3)                    # another shape: timed again
    panel.gradcheck.refresh()
    assert measured[-5] == (16, 3, 6, 2)
    P = session.network.n_parameters
    assert panel.gradcheck.cost.sentence.text().startswith(f"{2 * P} forward passes")


def test_durations_and_ratios_read_as_a_person_writes_them():
    assert [duration(x) for x in (2.918, 0.0106, 5e-5, 7.69e-5)] == ["2.92 s", "10.6 ms",
                                                                     "50 µs", "76.9 µs"]
    assert [times_faster(x) for x in (215.4, 13053.2, 3.14)] == ["215×", "13,053×", "3.1×"]
    figures = gradcheck_cost.CostFigures((2, 3, 1), 13, 26, 26, 0.0106, 5e-5)
    assert cost_sentence(figures) == ("26 forward passes: 10.6 ms; backprop (1 forward + 1 "
                                      "backward pass): 50 µs; 212× faster.")
