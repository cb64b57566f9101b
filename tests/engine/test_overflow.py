"""Numbers past float64's range: the engine computes them quietly, writes them with the word
"overflow" and says what caused them; hand-computed values throughout."""

from __future__ import annotations

import math

import numpy as np

from backprop_gui.engine import Network
from backprop_gui.engine.gradcheck import gradient_check, relative_error
from backprop_gui.engine.overflow import (FLOAT_MAX, fixed_text, forward_overflow, non_finite_text,
                                          number_text, overflow_cause, update_overflow_cause)
from backprop_gui.engine.walkthrough import walkthrough


def chain(w1: float, w2: float) -> Network:
    """x → z¹ = w1·x → a¹ = z¹ → z² = w2·a¹ → ŷ = z², mean squared error."""
    return Network([1, 1, 1], ["linear", "linear"], "mse",
                   [np.array([[w1]]), np.array([[w2]])], [np.zeros(1), np.zeros(1)])


def test_non_finite_values_say_they_are_an_overflow():
    assert non_finite_text(math.inf) == "∞ (overflow)"
    assert non_finite_text(-math.inf) == "−∞ (overflow)"
    assert non_finite_text(math.nan) == "undefined (overflow)"
    assert [non_finite_text(v, short=True) for v in (math.inf, -math.inf, math.nan)] == ["∞", "−∞", "?"]


def test_number_text_writes_powers_of_ten_and_overflows():
    assert number_text(0.25) == "0.25"
    assert number_text(-1.5e20) == "−1.5×10²⁰"
    assert number_text(1e300) == "1×10³⁰⁰"
    assert number_text(1.234e-5, 2) == "1.2×10⁻⁵"
    assert number_text(-0.0) == "0"
    assert number_text(FLOAT_MAX, 2) == "1.8×10³⁰⁸"
    assert number_text(np.float64(np.inf)) == "∞ (overflow)"
    assert number_text(math.nan) == "undefined (overflow)"
    assert fixed_text(0.5, 2) == "0.50" and fixed_text(math.nan, 3) == "undefined (overflow)"
    assert fixed_text(-math.inf, 3, short=True) == "−∞"
    assert fixed_text(6.6126e298, 4) == "6.61×10²⁹⁸"        # not its 299 digits
    assert fixed_text(999999.5, 1) == "999999.5" and fixed_text(-1e6, 2) == "−1×10⁶"
    assert fixed_text(-0.0, 4) == "0.0000"


def test_the_four_operations_overflow_quietly_to_the_exact_infinities():
    # x = 1: z¹ = 10³⁰⁰, z² = 10³⁰⁰ · 10³⁰⁰ = ∞, L = (∞ − 0)² = ∞; ∂L/∂ŷ = 2(∞ − 0) = ∞,
    # ∂L/∂W² = ∞ · 10³⁰⁰ = ∞, ∂L/∂a¹ = ∞ · 10³⁰⁰ = ∞, ∂L/∂W¹ = ∞ · 1 = ∞; W − 0.1 · ∞ = −∞.
    # The suite turns RuntimeWarnings into errors: none may escape.
    net = chain(1e300, 1e300)
    trace = net.forward([1.0])
    assert trace.z[1][0, 0] == 1e300 and trace.z[2][0, 0] == math.inf
    assert net.loss(trace, [0.0]) == math.inf
    grads = net.backward(trace, [0.0])
    assert [g[0, 0] for g in grads.dW] == [math.inf, math.inf]
    assert grads.da[0][0, 0] == math.inf
    net.apply(grads, 0.1)
    assert net.weights[0][0, 0] == -math.inf and net.weights[1][0, 0] == -math.inf


def test_infinities_of_both_signs_make_nan_quietly_in_softmax_and_cross_entropy():
    # z¹ = (10³⁰⁰, −10³⁰⁰)·x with x = 10⁹ overflows to (∞, −∞); z − max z = (∞ − ∞, −∞ − ∞)
    # = (NaN, −∞), so e^… = (NaN, 0), their sum NaN, softmax (NaN, NaN) and the loss NaN.
    net = Network([1, 2], ["softmax"], "cross_entropy", [np.array([[1e300], [-1e300]])],
                  [np.zeros(2)])
    trace = net.forward([1e9])
    assert trace.z[1].tolist() == [[math.inf, -math.inf]]
    assert np.isnan(trace.a[1]).all()
    assert math.isnan(net.loss(trace, [[1.0, 0.0]]))


def test_forward_overflow_names_the_first_quantity_past_the_largest_float():
    X = np.array([[0.0], [1.0]])            # sample 1 gives 0 everywhere, sample 2 overflows
    assert forward_overflow(chain(1e300, 1e300), X) == "z² of sample 2"
    assert forward_overflow(chain(1e300, 1e8), X) is None
    # Every z and a finite, the squared error is not: (10²⁰⁰)² = ∞.
    assert forward_overflow(chain(1e100, 1e100), X, np.array([[0.0], [0.0]])) == "the loss"
    assert forward_overflow(chain(1e100, 1e100), X) is None


def test_overflow_cause_names_the_larger_of_weights_and_inputs():
    X = np.array([[1.0], [-2.0]])
    assert overflow_cause(chain(1e300, 3.0), X) == "overflow: the weights are too large (up to 1×10³⁰⁰)"
    assert overflow_cause(chain(0.5, 3.0), X * 1e200) == \
        "overflow: the inputs are too large (up to 2×10²⁰⁰)"
    assert overflow_cause(chain(0.5, 3.0), X) == (
        "overflow: the numbers grew past 1.8×10³⁰⁸, the largest a computer's float holds, "
        "from layer to layer")
    assert update_overflow_cause(1e300) == \
        "overflow: the learning rate α = 1×10³⁰⁰ times the gradient is too large"


def test_walkthrough_and_gradient_check_of_an_overflowing_network_are_quiet():
    net = chain(1e300, 1e300)
    steps = walkthrough(net, [1.0], [0.0], 0.1)
    assert steps[1].result[0, 0] == 1e300 and steps[2].result[0, 0] == math.inf
    assert np.isnan(relative_error(np.array([math.inf]), np.array([math.inf]))[0])
    report = gradient_check(chain(1e300, 1e300), np.array([[1.0]]), np.array([[0.0]]))
    assert report.loss == math.inf

