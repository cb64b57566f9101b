"""Activations and losses: values and derivatives at hand-picked points, and stability.

A new activation needs its hand-computed values in the first table here; the tests over
ELEMENTWISE and ACTIVATIONS (and tests/engine/test_kernels.py) cover it without an edit."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from backprop_gui.engine.activations import ACTIVATIONS, LEAKY_SLOPE, get_activation
from backprop_gui.engine.losses import LOSSES, get_loss

ELEMENTWISE = [name for name, act in ACTIVATIONS.items() if act.elementwise]


def value_and_slope(name: str, z: float) -> tuple[float, float]:
    act = get_activation(name)
    zz = np.array([[z]])
    a = act.forward(zz)
    return float(a[0, 0]), float(act.derivative(zz, a)[0, 0])


BY_HAND = [
    ("sigmoid", 0.0, 0.5, 0.25),
    # σ(2) = 1 / (1 + e⁻²); σ′(2) = σ(2)(1 − σ(2))
    ("sigmoid", 2.0, 0.8807970779778823, 0.10499358540350662),
    ("sigmoid", -2.0, 0.11920292202211755, 0.10499358540350662),
    ("tanh", 0.0, 0.0, 1.0),
    # tanh(1) = 0.76159…; tanh′(1) = 1 − tanh²(1)
    ("tanh", 1.0, 0.7615941559557649, 0.41997434161402614),
    ("relu", -1.0, 0.0, 0.0),
    ("relu", 2.5, 2.5, 1.0),
    ("relu", 0.0, 0.0, 0.0),  # the kink: slope taken as 0, as PyTorch does
    ("leaky_relu", -2.0, -0.02, 0.01),
    ("leaky_relu", 3.0, 3.0, 1.0),
    ("linear", -1.5, -1.5, 1.0),
    ("linear", 4.0, 4.0, 1.0),
]


@pytest.mark.parametrize("name, z, value, slope", BY_HAND)
def test_activation_value_and_derivative_by_hand(name, z, value, slope):
    got_value, got_slope = value_and_slope(name, z)
    assert got_value == pytest.approx(value, rel=1e-12, abs=1e-15)
    assert got_slope == pytest.approx(slope, rel=1e-12, abs=1e-15)


def test_every_elementwise_activation_has_values_computed_by_hand():
    assert set(ELEMENTWISE) <= {name for name, *_ in BY_HAND}     # softmax: tests of its own


def test_leaky_slope_is_the_documented_constant():
    assert LEAKY_SLOPE == 0.01
    assert value_and_slope("leaky_relu", -100.0) == pytest.approx((-1.0, 0.01))


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_central_difference(name):
    act = get_activation(name)
    z = np.array([[-2.3, -0.7, 0.4, 1.9]])  # away from the ReLU kink
    h = 1e-6
    numeric = (act.forward(z + h) - act.forward(z - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(z, act.forward(z)), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_backward_is_upstream_times_slope(name):
    act = get_activation(name)
    z = np.array([[-1.0, 0.5, 2.0]])
    a = act.forward(z)
    da = np.array([[3.0, -2.0, 0.5]])
    np.testing.assert_array_equal(act.backward(z, a, da), da * act.derivative(z, a))


def test_softmax_values_by_hand():
    softmax = get_activation("softmax")
    # e⁰ : e^(ln 3) = 1 : 3
    np.testing.assert_allclose(softmax.forward(np.array([[0.0, math.log(3.0)]])), [[0.25, 0.75]],
                               rtol=1e-15)
    np.testing.assert_allclose(softmax.forward(np.array([[1.0, 1.0, 1.0, 1.0]])), [[0.25] * 4])


def test_softmax_rows_sum_to_one():
    rng = np.random.default_rng(3)
    z = rng.normal(0.0, 10.0, (50, 7))
    a = get_activation("softmax").forward(z)
    np.testing.assert_allclose(a.sum(axis=1), np.ones(50), rtol=0, atol=1e-14)
    assert np.all(a >= 0)


def test_softmax_backward_by_hand():
    # a = [0.25, 0.75], ∂L/∂a = [1, 0]: ∂L/∂zᵢ = aᵢ(∂L/∂aᵢ − Σⱼ ∂L/∂aⱼ aⱼ)
    softmax = get_activation("softmax")
    z = np.array([[0.0, math.log(3.0)]])
    a = softmax.forward(z)
    dz = softmax.backward(z, a, np.array([[1.0, 0.0]]))
    np.testing.assert_allclose(dz, [[0.25 * 0.75, -0.75 * 0.25]], rtol=1e-14)


def test_softmax_backward_matches_full_jacobian():
    softmax = get_activation("softmax")
    z = np.array([[0.3, -1.2, 2.0, 0.1]])
    a = softmax.forward(z)
    jac = np.diag(a[0]) - np.outer(a[0], a[0])  # ∂aₖ/∂zⱼ = aₖ(δₖⱼ − aⱼ)
    da = np.array([[0.5, -1.0, 2.0, 0.25]])
    np.testing.assert_allclose(softmax.backward(z, a, da)[0], jac.T @ da[0], rtol=1e-14)


EXTREME = np.array([[-1000.0, 1000.0], [1000.0, -1000.0]])


def strict():
    """Overflow, 0/0, x/0 and any RuntimeWarning raise. Underflow may not: e⁻²⁰⁰⁰ rounding
    to 0 is the correctly rounded float64 result, not an error."""
    return np.errstate(over="raise", divide="raise", invalid="raise", under="ignore")


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activations_stable_at_plus_minus_1000(name):
    act = get_activation(name)
    with warnings.catch_warnings(), strict():
        warnings.simplefilter("error")
        a = act.forward(EXTREME)
        dz = act.backward(EXTREME, a, np.ones_like(EXTREME))
        slope = act.derivative(EXTREME, a) if act.derivative is not None else dz
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(dz)) and np.all(np.isfinite(slope))


def test_saturated_values_are_exact_limits():
    sigmoid = get_activation("sigmoid").forward(EXTREME)
    np.testing.assert_array_equal(sigmoid, [[0.0, 1.0], [1.0, 0.0]])
    softmax = get_activation("softmax").forward(EXTREME)
    np.testing.assert_array_equal(softmax, [[0.0, 1.0], [1.0, 0.0]])


@pytest.mark.parametrize("name, output", [("mse", "sigmoid"), ("mse", "linear"),
                                          ("half_sse", "linear"), ("cross_entropy", "softmax"),
                                          ("binary_cross_entropy", "sigmoid")])
def test_losses_stable_at_plus_minus_1000(name, output):
    loss = get_loss(name)
    z = EXTREME
    y_hat = get_activation(output).forward(z)
    y = np.array([[0.0, 1.0], [0.0, 1.0]])  # the second row is confidently wrong
    with warnings.catch_warnings(), strict():
        warnings.simplefilter("error")
        value = loss.value(y_hat, y, z)
        grads = [loss.fused_grad(y_hat, y)] if loss.fused_grad else [loss.grad(y_hat, y)]
    assert math.isfinite(value)
    assert all(np.all(np.isfinite(g)) for g in grads)


def test_cross_entropy_from_z_is_finite_when_prediction_is_exactly_zero():
    ce = get_loss("cross_entropy")
    z = np.array([[1000.0, -1000.0]])
    y_hat = get_activation("softmax").forward(z)
    assert y_hat[0, 1] == 0.0  # the class with target 1 has probability exactly 0
    with warnings.catch_warnings(), strict():
        warnings.simplefilter("error")
        value = ce.value(y_hat, np.array([[0.0, 1.0]]), z)
    assert value == pytest.approx(2000.0, rel=1e-12)  # −log softmax = 1000 − (−1000)


def test_binary_cross_entropy_from_z_is_finite_when_prediction_is_exactly_zero_or_one():
    bce = get_loss("binary_cross_entropy")
    z = np.array([[1000.0, -1000.0]])
    y_hat = get_activation("sigmoid").forward(z)
    np.testing.assert_array_equal(y_hat, [[1.0, 0.0]])
    with warnings.catch_warnings(), strict():
        warnings.simplefilter("error")
        wrong = bce.value(y_hat, np.array([[0.0, 1.0]]), z)
        right = bce.value(y_hat, np.array([[1.0, 0.0]]), z)
    # −log σ(−1000) = 1000 for each of the two outputs, averaged over the two.
    assert wrong == pytest.approx(1000.0, rel=1e-12)
    assert right == pytest.approx(0.0, abs=1e-300)


def test_softmax_cross_entropy_fused_gradient_by_hand():
    ce = get_loss("cross_entropy")
    dz = ce.fused_grad(np.array([[0.5, 0.5, 0.0]]), np.array([[0.0, 1.0, 0.0]]))
    np.testing.assert_array_equal(dz, [[0.5, -0.5, 0.0]])


def test_fused_gradient_is_mean_over_samples():
    ce = get_loss("cross_entropy")
    y_hat = np.array([[0.5, 0.5], [0.2, 0.8]])
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(ce.fused_grad(y_hat, y), [[-0.25, 0.25], [0.1, -0.1]], rtol=1e-15)


def test_fused_gradient_equals_chain_through_softmax():
    # (ŷ − y)/N must equal the softmax Jacobian applied to ∂L/∂ŷ = −y/(N ŷ).
    softmax, ce = get_activation("softmax"), get_loss("cross_entropy")
    z = np.array([[0.2, -0.4, 1.1], [2.0, 0.0, -1.0]])
    y = np.array([[0.0, 0.0, 1.0], [0.3, 0.7, 0.0]])
    a = softmax.forward(z)
    np.testing.assert_allclose(softmax.backward(z, a, ce.grad(a, y)), ce.fused_grad(a, y),
                               rtol=1e-12, atol=1e-15)


def test_bce_fused_gradient_equals_chain_through_sigmoid():
    sigmoid, bce = get_activation("sigmoid"), get_loss("binary_cross_entropy")
    z = np.array([[0.3, -2.0], [1.5, 0.1]])
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    a = sigmoid.forward(z)
    np.testing.assert_allclose(sigmoid.backward(z, a, bce.grad(a, y)), bce.fused_grad(a, y),
                               rtol=1e-12)


def test_loss_values_by_hand():
    mse, ce, bce = get_loss("mse"), get_loss("cross_entropy"), get_loss("binary_cross_entropy")
    # ((1 − 0)² + (2 − 0)² + (0 − 1)² + (0 − 1)²) / 4 = 7 / 4
    assert mse.value(np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[0.0, 0.0], [1.0, 1.0]])) == 1.75
    ce_value = ce.value(np.array([[0.25, 0.75]]), np.array([[0.0, 1.0]]))
    assert ce_value == pytest.approx(-math.log(0.75))
    assert bce.value(np.array([[0.8]]), np.array([[1.0]])) == pytest.approx(-math.log(0.8))
    assert bce.value(np.array([[0.8]]), np.array([[0.0]])) == pytest.approx(-math.log(0.2))


def test_mse_gradient_by_hand():
    # 2(ŷ − y)/(N·K) with N = 1, K = 2
    g = get_loss("mse").grad(np.array([[1.0, 2.0]]), np.array([[0.0, 3.0]]))
    np.testing.assert_array_equal(g, [[1.0, -1.0]])


def test_half_sse_value_by_hand():
    # ½ ((1 − 0)² + (2 − 0)² + (0 − 1)² + (0 − 1)²) = ½ · 7, summed over the 2 samples, not averaged
    half_sse = get_loss("half_sse")
    assert half_sse.value(np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[0.0, 0.0], [1.0, 1.0]])) == 3.5
    # The classic XOR tutorial's first epoch has a loss like this one: ½ Σ over 4 samples.
    y_hat, y = np.array([[0.75], [0.5], [0.25], [0.5]]), np.array([[0.0], [1.0], [1.0], [0.0]])
    assert half_sse.value(y_hat, y) == 0.5 * (0.5625 + 0.25 + 0.5625 + 0.25)


def test_half_sse_gradient_by_hand_is_the_error_per_sample():
    # ŷ − y itself: no 2 (the ½ cancels it) and no 1/(N·K), whatever N and K are.
    half_sse = get_loss("half_sse")
    g = half_sse.grad(np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([[0.0, 3.0], [1.0, 1.0]]))
    np.testing.assert_array_equal(g, [[1.0, -1.0], [-0.5, -2.0]])
    # The mean squared error on the same numbers: 2(ŷ − y)/(N·K) = (ŷ − y)/2 here.
    mse = get_loss("mse").grad(np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([[0.0, 3.0], [1.0, 1.0]]))
    np.testing.assert_array_equal(g, mse * 2)


def test_half_sse_says_it_sums_and_what_that_does_to_the_gradient():
    half_sse, mse = get_loss("half_sse"), get_loss("mse")
    assert half_sse.sums_samples and not mse.sums_samples
    assert "not averaged" in half_sse.convention and "ŷ − y" in half_sse.convention
    assert "2(ŷ − y)/(N·K)" in half_sse.convention
    assert all(loss.convention for loss in LOSSES.values())


@pytest.mark.parametrize("name, output", [("mse", "sigmoid"), ("half_sse", "sigmoid"),
                                          ("half_sse", "linear"), ("cross_entropy", "softmax"),
                                          ("binary_cross_entropy", "sigmoid")])
def test_loss_gradient_matches_central_difference(name, output):
    loss = get_loss(name)
    y_hat = get_activation(output).forward(np.array([[0.3, -0.8, 1.2], [0.0, 0.5, -0.2]]))
    y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    h = 1e-7
    numeric = np.zeros_like(y_hat)
    for idx in np.ndindex(y_hat.shape):
        plus, minus = y_hat.copy(), y_hat.copy()
        plus[idx] += h
        minus[idx] -= h
        numeric[idx] = (loss.value(plus, y) - loss.value(minus, y)) / (2 * h)
    np.testing.assert_allclose(loss.grad(y_hat, y), numeric, rtol=1e-6, atol=1e-9)


def test_z_path_agrees_with_probability_path_at_moderate_values():
    for name, output in (("cross_entropy", "softmax"), ("binary_cross_entropy", "sigmoid")):
        z = np.array([[0.4, -1.3], [2.2, 0.7]])
        y = np.array([[1.0, 0.0], [0.0, 1.0]])
        y_hat = get_activation(output).forward(z)
        loss = get_loss(name)
        assert loss.value(y_hat, y, z) == pytest.approx(loss.value(y_hat, y), rel=1e-12)


def test_unknown_names_list_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown activation 'swish'.*sigmoid"):
        get_activation("swish")
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'.*cross_entropy"):
        get_loss("hinge")
    assert set(LOSSES) == {"mse", "half_sse", "cross_entropy", "binary_cross_entropy"}


def test_non_negative_activations_are_those_never_below_zero():
    # The diagram's neuron maps colour these on a sequential map, the others on a diverging one.
    z = np.linspace(-5.0, 5.0, 101).reshape(1, -1)
    for act in ACTIVATIONS.values():
        assert act.non_negative == bool(np.all(act.forward(z) >= 0.0)), act.name
    assert {a.name for a in ACTIVATIONS.values() if a.non_negative} == {"sigmoid", "relu", "softmax"}
