"""½ sum of squared errors in the window: chosen from the Network menu, shown by the
step-through's loss and ∂L/∂ŷ steps, and named with its convention by the Explain tab."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine.selection import Selection
from backprop_gui.ui.stepper.expression import build_expression
from backprop_gui.ui.common.formatting import fmt
from backprop_gui.ui.stepper.panel import TAB_EXPLAIN
from backprop_gui.ui.stepper.worked_line import entry_sentence
from backprop_gui.ui.training.training_bar import progress_text


@pytest.fixture
def window(main_window):
    return main_window


def choose_half_sse(window) -> None:
    action = next(a for a in window.network_menu.loss_menu.actions() if a.data() == "half_sse")
    assert action.text() == "½ sum of squared errors"
    action.trigger()
    assert action.isChecked()


def test_the_loss_menu_sets_half_sse_and_the_loss_step_says_it_sums(window, session):
    choose_half_sse(window)
    assert session.network.loss_name == "half_sse"
    panel = window.stepper
    i = next(k for k, s in enumerate(panel.cursor.steps) if s.kind == "loss")
    panel.cursor.go_to(i)
    step = panel.cursor.step
    assert "½ sum of squared errors" in panel.page.title.text()
    assert panel.page.formula.text() == "L = ½ Σₙ Σₖ (ŷₙₖ − yₙₖ)²"
    assert "Summed over the samples, not averaged" in panel.page.explanation.text()
    # The value: ½ Σ (ŷ − y)² of the selected sample, and its hand-worked line.
    y_hat, y = session.trace().output[0], session.sample_target()
    assert float(step.result) == 0.5 * float(np.sum((y_hat - y) ** 2))
    expr = build_expression(step, session.network.n_layers, [session.selected_sample])
    line = entry_sentence(expr, expr.result, 0, 0)
    assert line.startswith(f"L = ½ · (({fmt(y_hat[0])} − {fmt(y[0])})² + ")
    assert line.endswith(f" = {fmt(float(step.result))}")


def test_the_output_gradient_step_is_the_error_itself(window, session):
    choose_half_sse(window)
    panel = window.stepper
    L = session.network.n_layers
    i = next(k for k, s in enumerate(panel.cursor.steps) if s.kind == "dL/da" and s.layer == L)
    panel.cursor.go_to(i)
    step = panel.cursor.step
    assert panel.page.formula.text() == "∂L/∂a³ = ŷ − y"
    assert "not 2(ŷ − y)/(N·K)" in panel.page.explanation.text()
    y_hat, y = session.trace().output[0], session.sample_target()
    np.testing.assert_array_equal(np.ravel(step.result), y_hat - y)
    # Worked out entry by entry: ŷ[k] − y[k], with no constant.
    expr = build_expression(step, L, [session.selected_sample])
    assert [getattr(t, "label", None) for t in expr.items][:3] == ["ŷ", None, "y"]
    line = entry_sentence(expr, expr.result, 0, 0)
    assert line == f"∂L/∂a³[1] = {fmt(y_hat[0])} − {fmt(y[0])} = {fmt(float(np.ravel(step.result)[0]))}"


def test_the_explain_tab_names_the_convention_and_the_sum_over_the_batch(window, session):
    choose_half_sse(window)
    panel = window.stepper
    panel.set_scope("batch")
    panel.show_explain(Selection.weight(3, 0, 0))
    assert panel.tabs.currentIndex() == TAB_EXPLAIN
    text = panel.explain.text()
    assert "The loss: ½ sum of squared errors" in text
    assert "each sample's gradient is simply ŷ − y, not 2(ŷ − y)/(N·K)" in text
    assert "the sum of such per-sample gradients" in text
    # The mean squared error says the opposite.
    next(a for a in window.network_menu.loss_menu.actions() if a.data() == "mse").trigger()
    panel.show_explain(Selection.weight(3, 0, 0))
    text = panel.explain.text()
    assert "The loss: Mean squared error" in text and "the average of such" in text


def test_the_training_bar_calls_a_summed_loss_a_total(window, session):
    assert "mean loss" in progress_text(session)
    choose_half_sse(window)
    assert "total loss" in progress_text(session) and "mean" not in progress_text(session)
