"""Gradient check: it agrees on a healthy network, counts passes, and catches a broken one."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from backprop_gui.engine.gradcheck import (
    ERROR_FLOOR, gradient_check, numerical_gradients, relative_error)
from backprop_gui.engine.network import Network


def healthy() -> tuple[Network, np.ndarray, np.ndarray]:
    net = Network.build([3, 4, 3], ["tanh", "softmax"], "cross_entropy", seed=2)
    X = np.random.default_rng(0).uniform(-1.0, 1.0, (5, 3))
    Y = np.eye(3)[[0, 2, 1, 1, 0]]
    return net, X, Y


def snapshot(net: Network) -> list[np.ndarray]:
    return [p.copy() for p in net.weights + net.biases]


def assert_unchanged(net: Network, before: list[np.ndarray], ids: list[int]) -> None:
    assert [id(p) for p in net.weights + net.biases] == ids
    for now, then in zip(net.weights + net.biases, before):
        np.testing.assert_array_equal(now, then)  # bit for bit


def test_numerical_gradient_of_a_quadratic_by_hand():
    # L = (w·x + b − y)² with w = 2, b = 1, x = 3, y = 0: L = 49, ∂L/∂w = 2·7·3, ∂L/∂b = 2·7.
    net = Network([1, 1], ["linear"], "mse", [np.array([[2.0]])], [np.array([1.0])])
    dW, db, passes = numerical_gradients(net, np.array([[3.0]]), np.array([[0.0]]))
    assert dW[0][0, 0] == pytest.approx(42.0, rel=1e-8)
    assert db[0][0] == pytest.approx(14.0, rel=1e-8)
    assert passes == 4


@pytest.mark.parametrize("problem", [
    healthy,
    lambda: (Network.build([2, 3, 1], ["sigmoid", "sigmoid"], "binary_cross_entropy", seed=1),
             np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]),
             np.array([[0.0], [1.0], [1.0], [0.0]])),
    lambda: (Network.build([2, 3, 2], ["tanh", "sigmoid"], "mse", seed=4),
             np.array([[0.5, -0.2], [1.0, 0.3]]), np.array([[0.2, 0.9], [0.7, 0.1]])),
])
def test_healthy_network_agrees_and_is_left_unchanged(problem):
    net, X, Y = problem()
    before, ids = snapshot(net), [id(p) for p in net.weights + net.biases]
    report = gradient_check(net, X, Y)
    assert report.max_error < 1e-7
    assert report.passed()
    assert all(c.max_error_W < 1e-7 and c.max_error_b < 1e-7 for c in report.layers)
    assert_unchanged(net, before, ids)
    assert report.loss == net.loss(net.forward(X), Y)


def test_pass_counts_and_side_by_side_arrays():
    net, X, Y = healthy()
    report = gradient_check(net, X, Y)
    P = 3 * 4 + 4 + 4 * 3 + 3
    assert report.n_parameters == P == net.n_parameters
    assert report.forward_passes == 2 * P
    assert report.backward_passes == 1
    assert [c.layer for c in report.layers] == [1, 2]
    grads = net.backward(net.forward(X), Y)
    for c in report.layers:
        shape = net.weights[c.layer - 1].shape
        assert c.dW_numeric.shape == c.dW_backprop.shape == c.dW_error.shape == shape
        assert c.db_numeric.shape == c.db_backprop.shape == net.biases[c.layer - 1].shape
        np.testing.assert_array_equal(c.dW_backprop, grads.dW[c.layer - 1])
        np.testing.assert_allclose(c.dW_numeric, grads.dW[c.layer - 1], rtol=1e-6, atol=1e-9)
    assert report.floor == ERROR_FLOOR * max(1.0, report.loss)


def test_detects_a_broken_activation_derivative():
    net, X, Y = healthy()
    broken = net.copy()
    tanh = broken.activations[0]
    # A classic mistake: tanh′ written as 1 − z² instead of 1 − tanh²(z).
    broken.activations[0] = replace(tanh, backward=lambda z, a, da: da * (1.0 - z * z))
    before, ids = snapshot(broken), [id(p) for p in broken.weights + broken.biases]
    report = gradient_check(broken, X, Y)
    assert report.layers[0].max_error_W > 1e-2  # layer 1 sits behind the broken derivative
    assert report.layers[1].max_error_W < 1e-7  # layer 2's gradient does not use it
    assert report.max_error > 1e-2 and not report.passed()
    assert_unchanged(broken, before, ids)


def test_detects_a_broken_loss_gradient():
    net, X, Y = healthy()
    broken = net.copy()
    # Forgetting the 1/N of the mean: every gradient is N = 5 times too large.
    broken.loss_fn = replace(broken.loss_fn, fused_grad=lambda y_hat, y: y_hat - y)
    report = gradient_check(broken, X, Y)
    assert all(c.max_error_W > 0.5 for c in report.layers)
    assert report.max_error == pytest.approx(0.8, rel=1e-5)  # |5g − g| / |5g|


def test_parameters_restored_even_when_the_loss_fails():
    net, X, _ = healthy()
    before, ids = snapshot(net), [id(p) for p in net.weights + net.biases]
    with pytest.raises(ValueError, match="Y has 2 rows"):
        numerical_gradients(net, X, np.eye(3)[:2])
    assert_unchanged(net, before, ids)


def test_relative_error_definition():
    assert relative_error(1.0, 1.1) == pytest.approx(0.1 / 1.1)
    assert relative_error(-2.0, 2.0) == pytest.approx(2.0)
    assert relative_error(0.0, 0.0) == 0.0
    # Below the floor the measure is absolute / floor: FD noise on a zero gradient is not a failure.
    assert relative_error(1e-11, -1e-11) == pytest.approx(2e-11 / ERROR_FLOOR)
    assert relative_error(1e-11, -1e-11, floor=1e-12) == pytest.approx(2.0)


def test_eps_must_be_positive():
    net, X, Y = healthy()
    with pytest.raises(ValueError, match="eps must be positive"):
        numerical_gradients(net, X, Y, eps=0.0)
