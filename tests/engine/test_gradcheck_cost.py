"""The cost argument of the gradient check: the counts (2·P forward passes against one
forward and one backward pass) and the structure of the figures; never the timings."""

from __future__ import annotations

import math

import numpy as np

from backprop_gui.engine import gradcheck_cost
from backprop_gui.engine.gradcheck_cost import (CostFigures, cost_ladder, ladder_networks,
                                                measure_cost)
from backprop_gui.engine.network import Network


def small():
    net = Network.build([3, 4, 2], ["tanh", "sigmoid"], "mse", seed=2)
    X = np.random.default_rng(0).uniform(size=(5, 3))
    Y = np.random.default_rng(1).uniform(size=(5, 2))
    return net, X, Y


def test_finite_differences_cost_two_forward_passes_per_parameter():
    net, X, Y = small()
    P = 3 * 4 + 4 + 4 * 2 + 2
    assert net.n_parameters == P == 26
    before = [W.copy() for W in net.weights + net.biases]
    figures = measure_cost(net, X, Y, budget=10.0)
    assert figures.n_parameters == 26 and figures.forward_passes == 52
    assert figures.measured_passes == 52 and not figures.estimated   # all run, none guessed
    assert (figures.backprop_forward_passes, figures.backprop_backward_passes) == (1, 1)
    assert figures.sizes == (3, 4, 2)
    assert figures.finite_difference_seconds > 0 and figures.backprop_seconds > 0
    assert math.isclose(figures.ratio,
                        figures.finite_difference_seconds / figures.backprop_seconds)
    # The network measured is left exactly as it was.
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights + net.biases))


def test_the_forward_passes_run_are_counted(monkeypatch):
    net, X, Y = small()
    counted = []
    forward = Network.forward
    monkeypatch.setattr(Network, "forward", lambda self, x: counted.append(1) or forward(self, x))
    figures = measure_cost(net, X, Y, budget=10.0, repeats=3)
    assert len(counted) == 52 + 3           # 2·P nudged passes, then 3 timed backprops
    assert figures.forward_passes == figures.measured_passes == 52


def test_past_the_budget_the_time_is_extrapolated_from_the_passes_run(monkeypatch):
    net, X, Y = small()
    clock = iter(range(0, 10_000))          # every reading one second later
    monkeypatch.setattr(gradcheck_cost.time, "perf_counter", lambda: float(next(clock)))
    figures = measure_cost(net, X, Y, budget=5.0, repeats=1)
    # Start at 0, deadline 5: one reading after each pair of passes (1, 2, …); the sixth (6)
    # is past it, so 12 of the 52 passes ran, and the elapsed time read next is 7 s.
    assert figures.estimated and figures.measured_passes == 12
    assert figures.finite_difference_seconds == 7 * 52 / 12
    assert figures.backprop_seconds == 1.0     # read at 8 and 9


def test_the_ladder_grows_and_keeps_the_outputs_and_loss():
    net = Network.build([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy")
    ladder = ladder_networks(net)
    assert [n.sizes for n in ladder] == [[16, 2, 2], [16, 8, 2], [16, 32, 2], [16, 128, 2]]
    assert all(n.activation_names == ["relu", "softmax"] and n.loss_name == "cross_entropy"
               for n in ladder)
    X = np.eye(16)[:4]
    Y = np.eye(2)[[0, 1, 0, 1]]
    rows = cost_ladder(net, X, Y, budget=0.001)
    assert all(isinstance(r, CostFigures) for r in rows)
    assert [r.forward_passes for r in rows] == [2 * n.n_parameters for n in ladder]
    assert [r.n_parameters for r in rows] == sorted(r.n_parameters for r in rows)


def test_the_ladder_leaves_out_networks_beyond_the_limits():
    net = Network.build([4096, 2, 10], ["relu", "softmax"], "cross_entropy")
    assert [n.sizes[1] for n in ladder_networks(net)] == [2, 8, 32]   # 128 wide: > 300,000
