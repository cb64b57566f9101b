"""What the views say about an activation or a loss comes from its record (engine.activations,
engine.losses): the worked loss, why a slope is 0, which outputs are probabilities, which
neurons can die. Each case is one the app showed before the records held it."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine.dataset import Dataset
from backprop_gui.engine.network import Network
from backprop_gui.engine.project import Project
from backprop_gui.engine.selection import Selection
from backprop_gui.engine.walkthrough import walkthrough
from backprop_gui.session.session import Session
from backprop_gui.ui.editors.output_chart import OutputChart
from backprop_gui.ui.stepper import StepperPanel
from backprop_gui.ui.stepper.expression import build_expression
from backprop_gui.ui.stepper.worked_line import entry_sentence
from backprop_gui.ui.stepper.panel import TAB_EXPLAIN

X = np.array([[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0], [0.1, 0.2]])
LOSS_CASES = {
    "cross_entropy": ([2, 3, 3], ["relu", "softmax"], np.eye(3)[[1, 0, 2, 1]]),
    "binary_cross_entropy": ([2, 3, 2], ["tanh", "sigmoid"],
                             np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0], [0.0, 1.0]])),
    "mse": ([2, 3, 2], ["sigmoid", "linear"], np.eye(2)[[1, 0, 1, 0]]),
}


@pytest.mark.parametrize("loss, rows, sentence", [
    ("cross_entropy", [0], "L = −log 0.286 = 1.25"),
    ("cross_entropy", [0, 1, 2, 3],
     "L = −(log 0.286 + log 0.223 + log 0.0128 + log 0.345) / 4 = 2.04"),
    ("binary_cross_entropy", [0], "L = −(log 0.554 + log(1 − 0.239)) / 2 = 0.431"),
    ("binary_cross_entropy", [0, 1, 2, 3],
     "L = −(log 0.554 + log(1 − 0.239) + log(1 − 0.454) + log(1 − 0.187) + log 0.412 + "
     "log 0.847 + …) / 8 = 0.509"),
    ("mse", [0], "L = ((−0.629 − 0)² + (−0.161 − 1)²) / 2 = 0.871"),
    ("mse", [0, 1, 2, 3],
     "L = ((−0.629 − 0)² + (−0.161 − 1)² + (−0.757 − 1)² + (−0.265 − 0)² + (−0.816 − 0)² + "
     "(0.667 − 1)² + …) / 8 = 1.08"),
])
def test_the_loss_is_written_out_with_its_numbers(loss, rows, sentence):
    sizes, acts, Y = LOSS_CASES[loss]
    net = Network.build(sizes, acts, loss, seed=0)
    step = next(s for s in walkthrough(net, X[rows], Y[rows], 0.1) if s.kind == "loss")
    expr = build_expression(step, net.n_layers, rows)
    assert entry_sentence(expr, expr.result, 0, 0) == sentence


def one_hidden_layer(hidden: str) -> Session:
    """Layer 1: neuron 1 has z = 1, neuron 2 has z = −1001 (σ of it underflows to 0)."""
    net = Network([1, 2, 2], [hidden, "softmax"], "cross_entropy",
                  [np.array([[1.0], [-1.0]]), np.array([[0.5, -0.5], [1.0, 2.0]])],
                  [np.array([0.0, -1000.0]), np.zeros(2)])
    return Session(Project(network=net, dataset=Dataset("one", "One", [[1.0]], [1], ["a", "b"])))


@pytest.mark.parametrize("hidden, summary", [
    ("relu", "Neuron 2 of layer 1 has ReLU′ = 0 (z ≤ 0): no gradient flows back through "
             "them, so their incoming weights do not change."),
    ("sigmoid", "Neuron 2 of layer 1 has σ′ = 0: no gradient flows back through them, so "
                "their incoming weights do not change."),
    ("leaky_relu", ""),                         # its slope is never 0
])
def test_a_zero_slope_is_blamed_on_z_only_where_the_activation_is_flat_below_zero(
        qtbot, hidden, summary):
    panel = StepperPanel(one_hidden_layer(hidden))
    qtbot.addWidget(panel)
    i = next(k for k, s in enumerate(panel.cursor.steps) if s.kind == "dL/dz" and s.layer == 1)
    panel.cursor.go_to(i)
    assert panel.page.loss_line.text() == summary


@pytest.mark.parametrize("hidden, why", [
    ("relu", "(z¹[2] = −1001 is not positive, so the slope is 0)"),
    ("leaky_relu", "(z¹[2] = −1001 is not positive, so the slope is 0.01)"),
    ("sigmoid", None),
])
def test_explain_says_the_sign_of_z_decides_the_slope_of_relus(qtbot, hidden, why):
    session = one_hidden_layer(hidden)
    panel = StepperPanel(session)
    qtbot.addWidget(panel)
    session.select(Selection.weight(1, 1, 0))
    panel.tabs.setCurrentIndex(TAB_EXPLAIN)
    text = panel.explain.text()
    assert "the activation's slope" in text
    if why is None:
        assert "positive, so the slope" not in text
    else:
        assert why in text


@pytest.mark.parametrize("output, fixed", [("sigmoid", True), ("softmax", True),
                                           ("linear", False), ("tanh", False)])
def test_the_output_chart_fixes_its_axis_to_0_1_for_probabilities(qtbot, output, fixed):
    net = Network.build([2, 3, 2], ["relu", output], "mse", seed=0)
    net.biases[-1][:] = [5.0, -5.0]              # outputs beyond 0 … 1 where not squashed
    session = Session(Project(network=net, dataset=Dataset(
        "two", "Two", [[0.0, 1.0]], [1], ["a", "b"])))
    chart = OutputChart(session)
    qtbot.addWidget(chart)
    assert (chart._axis_range() == (0.0, 1.0)) is fixed


@pytest.mark.parametrize("output, whole_column", [("softmax", True), ("sigmoid", False)])
def test_an_output_of_softmax_depends_on_every_z_of_its_sample(output, whole_column):
    net = Network.build([2, 3, 3], ["relu", output], "mse", seed=0)
    step = next(s for s in walkthrough(net, X[:2], np.eye(3)[[0, 1]], 0.1)
                if s.kind == "a" and s.layer == 2)
    expr = build_expression(step, net.n_layers, [0, 1])
    z, a = expr.terms
    related = expr.related(a, 1, 0, z)           # a²[2] of the first sample
    expected = np.zeros((3, 2), dtype=bool)
    if whole_column:
        expected[:, 0] = True
    else:
        expected[1, 0] = True
    np.testing.assert_array_equal(related, expected)


@pytest.mark.parametrize("hidden, dead", [("relu", True), ("leaky_relu", False), ("tanh", False)])
def test_only_a_neuron_flat_below_zero_can_be_dead(qapp, hidden, dead):
    session = one_hidden_layer(hidden)
    assert session.dead_neurons(1).tolist() == [False, dead]
