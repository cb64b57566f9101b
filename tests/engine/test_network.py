"""Network: hand-computed backprop, building and initialising, checks, and backward against
finite differences for every allowed activation × loss combination."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from backprop_gui.engine.network import Gradients, Network


# ----- one neuron per layer, by hand ---------------------------------------------------------

def test_one_one_one_sigmoid_chain_matches_hand_computed_chain_rule():
    # x → z¹ = w¹x + b¹ → a¹ = σ(z¹) → z² = w²a¹ + b² → a² = σ(z²) → C = (a² − y)²
    w1, b1, w2, b2, x, y = 0.5, 0.1, -0.3, 0.2, 1.5, 0.8
    net = Network([1, 1, 1], ["sigmoid", "sigmoid"], "mse",
                  [np.array([[w1]]), np.array([[w2]])], [np.array([b1]), np.array([b2])])
    # Forward, by hand:
    z1 = 0.85                       # 0.5 · 1.5 + 0.1
    a1 = 0.7005671424739729         # σ(0.85) = 1 / (1 + e^−0.85)
    z2 = -0.010170142742191857      # −0.3 · a1 + 0.2
    a2 = 0.49745748622914626        # σ(z2)
    C = 0.09153197263878725         # (a2 − 0.8)²
    # The three local derivatives of the chain ∂C/∂w² = ∂z²/∂w² · ∂a²/∂z² · ∂C/∂a²:
    dC_da2 = -0.6050850275417076    # 2(a2 − y), with N = K = 1
    da2_dz2 = 0.249993535623725     # σ′(z2) = a2(1 − a2)
    dz2_dw2 = a1
    da1_dz1 = 0.20977282135982506   # σ′(z1) = a1(1 − a1)
    dC_dw2 = dz2_dw2 * da2_dz2 * dC_da2           # −0.10597293190818609
    dC_db2 = 1.0 * da2_dz2 * dC_da2               # ∂z²/∂b² = 1
    # One layer further back, ∂z²/∂a¹ = w² and ∂z¹/∂w¹ = x:
    dC_dw1 = x * da1_dz1 * w2 * da2_dz2 * dC_da2  # 0.014279300019755664
    dC_db1 = 1.0 * da1_dz1 * w2 * da2_dz2 * dC_da2

    trace = net.forward([x])
    assert trace.z[1][0, 0] == pytest.approx(z1, rel=1e-15)
    assert trace.a[1][0, 0] == pytest.approx(a1, rel=1e-15)
    assert trace.z[2][0, 0] == pytest.approx(z2, rel=1e-13)
    assert trace.a[2][0, 0] == pytest.approx(a2, rel=1e-15)
    assert net.loss(trace, [y]) == pytest.approx(C, rel=1e-14)
    grads = net.backward(trace, [y])
    assert grads.da[2][0, 0] == pytest.approx(dC_da2, rel=1e-14)
    assert grads.dz[2][0, 0] == pytest.approx(da2_dz2 * dC_da2, rel=1e-14)
    assert grads.dW[1][0, 0] == pytest.approx(dC_dw2, rel=1e-14)
    assert grads.dW[1][0, 0] == pytest.approx(-0.10597293190818609, rel=1e-14)
    assert grads.db[1][0] == pytest.approx(dC_db2, rel=1e-14)
    assert grads.dW[0][0, 0] == pytest.approx(dC_dw1, rel=1e-13)
    assert grads.dW[0][0, 0] == pytest.approx(0.014279300019755664, rel=1e-13)
    assert grads.db[0][0] == pytest.approx(dC_db1, rel=1e-13)


def test_shapes_follow_the_textbook_indices():
    net = Network.build([4, 3, 2], ["tanh", "softmax"], "cross_entropy", seed=1)
    trace = net.forward(np.ones((5, 4)))
    assert trace.z[0] is None and trace.a[0].shape == (5, 4)
    assert [z.shape for z in trace.z[1:]] == [(5, 3), (5, 2)]
    grads = net.backward(trace, np.tile([1.0, 0.0], (5, 1)))
    assert [W.shape for W in grads.dW] == [(3, 4), (2, 3)]
    assert [b.shape for b in grads.db] == [(3,), (2,)]
    assert grads.dz[0] is None and grads.da[2] is None  # fused: no ∂L/∂ŷ
    assert grads.da[0].shape == (5, 4)
    assert net.backward(trace, np.tile([1.0, 0.0], (5, 1)), input_gradient=False).da[0] is None


# ----- building and initialising --------------------------------------------------------------

def test_build_is_deterministic_per_seed_and_differs_across_seeds():
    a = Network.build([5, 4, 3], ["relu", "sigmoid"], "mse", seed=11)
    b = Network.build([5, 4, 3], ["relu", "sigmoid"], "mse", seed=11)
    c = Network.build([5, 4, 3], ["relu", "sigmoid"], "mse", seed=12)
    np.testing.assert_array_equal(a.get_flat(), b.get_flat())
    assert not np.array_equal(a.weights[0], c.weights[0])
    assert not np.array_equal(a.weights[1], c.weights[1])


def test_he_init_has_std_sqrt_two_over_fan_in():
    net = Network.build([400, 500, 2], seed=3, init="he")
    W = net.weights[0]  # 200 000 draws: the sample std is within 1 % of the true one
    assert W.std() == pytest.approx(np.sqrt(2.0 / 400), rel=0.01)
    assert abs(W.mean()) < 0.01 * np.sqrt(2.0 / 400) * 5
    np.testing.assert_array_equal(net.biases[0], np.zeros(500))


def test_uniform_init_is_in_zero_one_for_weights_and_biases():
    net = Network.build([50, 40, 30], seed=4, init="uniform")
    for arr in net.weights + net.biases:
        assert arr.min() >= 0.0 and arr.max() < 1.0
    assert net.weights[0].mean() == pytest.approx(0.5, abs=0.02)
    assert net.biases[0].std() > 0.1  # not constant


def test_zeros_init_is_all_zero():
    net = Network.build([3, 4, 2], seed=5, init="zeros")
    assert not np.any(net.get_flat())


def test_xavier_init_within_its_limit():
    net = Network.build([30, 20, 1], seed=6, init="xavier")
    limit = np.sqrt(6.0 / 50)
    assert np.abs(net.weights[0]).max() <= limit
    assert np.abs(net.weights[0]).max() > 0.9 * limit


@pytest.mark.parametrize("init", ["he", "xavier", "uniform", "zeros"])
def test_reinitialise_layer_reproduces_build(init):
    fresh = Network.build([4, 5, 3, 2], ["relu", "tanh", "softmax"], "cross_entropy",
                          seed=9, init=init)
    net = fresh.copy()
    for l in range(net.n_layers):
        net.weights[l][:] = 7.0
        net.biases[l][:] = 7.0
    net.reinitialise_layer(1, seed=9, init=init)
    np.testing.assert_array_equal(net.weights[1], fresh.weights[1])
    np.testing.assert_array_equal(net.biases[1], fresh.biases[1])
    for l in (0, 2):  # the other layers keep their (edited) values
        assert np.all(net.weights[l] == 7.0) and np.all(net.biases[l] == 7.0)


def test_default_activations_follow_the_loss():
    assert Network.build([2, 3, 2], loss="cross_entropy").activation_names == ["relu", "softmax"]
    assert Network.build([2, 3, 1], loss="mse").activation_names == ["relu", "sigmoid"]


# ----- architecture errors -------------------------------------------------------------------

@pytest.mark.parametrize("sizes, acts, loss, message", [
    ([2, 3, 2], ["softmax", "softmax"], "mse",
     r"Softmax is only allowed on the output layer.*layer 1"),
    ([2, 3, 2], ["relu", "sigmoid"], "cross_entropy", r"Cross-entropy needs a Softmax output"),
    ([2, 2], ["softmax"], "binary_cross_entropy", r"needs a Sigmoid output"),
    ([2, 3, 2], ["relu"], "mse", r"2 layers need 2 activations, got 1"),
    ([2, 3, 2], ["relu", "relu", "relu"], "mse", r"need 2 activations, got 3"),
    ([2, 3, 2], ["relu", "swish"], "mse", r"unknown activation 'swish'.*known: sigmoid"),
    ([2, 3, 2], ["relu", "sigmoid"], "hinge", r"unknown loss 'hinge'.*known: mse"),
    ([2, 1], ["softmax"], "cross_entropy", r"Softmax output layer needs at least two neurons"),
    ([2, 0, 1], ["relu", "sigmoid"], "mse", r"layer 1 must have at least one neuron"),
    ([3], [], "mse", r"at least an input and an output layer"),
])
def test_bad_architectures_raise_helpful_errors(sizes, acts, loss, message):
    with pytest.raises(ValueError, match=message):
        Network.build(sizes, acts, loss)


def test_unknown_initialiser_and_bad_shapes_raise():
    with pytest.raises(ValueError, match=r"unknown initialiser 'gauss'"):
        Network.build([2, 2], seed=0, init="gauss")
    with pytest.raises(ValueError, match=r"weights\[0\] must have shape \(1, 2\)"):
        Network([2, 1], ["sigmoid"], "mse", [np.zeros((2, 1))], [np.zeros(1)])
    net = Network.build([3, 2], seed=0)
    with pytest.raises(ValueError, match=r"X must have shape \(N, 3\)"):
        net.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"Y has 2 rows but X has 4"):
        net.loss(net.forward(np.zeros((4, 3))), np.zeros((2, 2)))


# ----- parameters ----------------------------------------------------------------------------

def test_get_flat_set_flat_round_trip_and_layout():
    net = Network.build([3, 2, 2], ["tanh", "sigmoid"], "mse", seed=2, init="uniform")
    flat = net.get_flat()
    assert flat.shape == (net.n_parameters,) == (3 * 2 + 2 + 2 * 2 + 2,)
    # W¹ (row-major), b¹, W², b²
    np.testing.assert_array_equal(flat[:6], net.weights[0].ravel())
    np.testing.assert_array_equal(flat[6:8], net.biases[0])
    np.testing.assert_array_equal(flat[8:12], net.weights[1].ravel())
    np.testing.assert_array_equal(flat[12:], net.biases[1])
    other = Network.build([3, 2, 2], ["tanh", "sigmoid"], "mse", seed=99)
    other.set_flat(flat)
    np.testing.assert_array_equal(other.get_flat(), flat)
    for l in range(2):
        np.testing.assert_array_equal(other.weights[l], net.weights[l])
        np.testing.assert_array_equal(other.biases[l], net.biases[l])
    flat[0] = 123.0  # set_flat copied: the source vector does not alias the parameters
    assert other.weights[0][0, 0] != 123.0
    with pytest.raises(ValueError, match="expected 14 values"):
        other.set_flat(np.zeros(13))


def test_apply_is_w_minus_alpha_times_gradient():
    net = Network.build([2, 2, 1], ["relu", "linear"], "mse", seed=0, init="uniform")
    before_W = [W.copy() for W in net.weights]
    before_b = [b.copy() for b in net.biases]
    dW = [np.array([[1.0, -2.0], [0.5, 4.0]]), np.array([[3.0, -1.0]])]
    db = [np.array([10.0, -10.0]), np.array([0.25])]
    net.apply(Gradients(dW, db, [None] * 3, [None] * 3), 0.1)
    for l in range(2):
        np.testing.assert_array_equal(net.weights[l], before_W[l] - 0.1 * dW[l])
        np.testing.assert_array_equal(net.biases[l], before_b[l] - 0.1 * db[l])


def test_copy_is_independent():
    net = Network.build([2, 3, 1], seed=0)
    twin = net.copy()
    twin.weights[0][0, 0] += 1.0
    assert twin.weights[0][0, 0] != net.weights[0][0, 0]


# ----- backward against finite differences (hypothesis) ---------------------------------------

OUTPUT_COMBOS = [("mse", out) for out in ("sigmoid", "tanh", "relu", "leaky_relu", "linear",
                                           "softmax")]
OUTPUT_COMBOS += [("cross_entropy", "softmax"), ("binary_cross_entropy", "sigmoid"),
                  ("half_sse", "sigmoid"), ("half_sse", "linear")]
HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
KINKED = {"relu", "leaky_relu"}


def finite_difference_gradient(net: Network, X: np.ndarray, Y: np.ndarray,
                               eps: float = 1e-6) -> np.ndarray:
    """Central differences on the flat parameter vector (independent of gradcheck.py)."""
    theta = net.get_flat()
    grad = np.empty_like(theta)
    for p in range(theta.size):
        for sign in (1, -1):
            nudged = theta.copy()
            nudged[p] += sign * eps
            net.set_flat(nudged)
            value = net.loss(net.forward(X), Y)
            grad[p] = value if sign == 1 else (grad[p] - value) / (2 * eps)
    net.set_flat(theta)
    return grad


def backprop_flat(grads: Gradients) -> np.ndarray:
    return np.concatenate([part for W, b in zip(grads.dW, grads.db) for part in (W.ravel(), b)])


@st.composite
def network_problems(draw, loss: str, output: str):
    n_layers = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(1, 5), min_size=n_layers + 1, max_size=n_layers + 1))
    if output == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    hidden = draw(st.lists(st.sampled_from(HIDDEN), min_size=n_layers - 1, max_size=n_layers - 1))
    net = Network.build(sizes, hidden + [output], loss, seed=draw(st.integers(0, 2**32 - 1)),
                        init=draw(st.sampled_from(["he", "xavier"])))
    n = draw(st.integers(1, 6))
    X = draw(arrays(np.float64, (n, sizes[0]), elements=st.floats(-3.0, 3.0)))
    k = sizes[-1]
    if loss == "cross_entropy":
        Y = np.eye(k)[draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))]
    elif loss == "binary_cross_entropy":
        Y = draw(arrays(np.float64, (n, k), elements=st.sampled_from([0.0, 1.0])))
    else:
        Y = draw(arrays(np.float64, (n, k), elements=st.floats(-1.0, 1.0)))
    return net, X, Y


@pytest.mark.parametrize("loss, output", OUTPUT_COMBOS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_backward_matches_finite_differences(loss, output, data):
    net, X, Y = data.draw(network_problems(loss, output))
    trace = net.forward(X)
    # A ReLU kink within reach of the ε nudge makes the one-sided slopes differ: skip those.
    for l, act in enumerate(net.activation_names, start=1):
        if act in KINKED:
            assume(np.min(np.abs(trace.z[l])) > 1e-4)
    value = net.loss(trace, Y)
    analytic = backprop_flat(net.backward(trace, Y))
    numeric = finite_difference_gradient(net, X, Y)
    # Relative error with a floor for gradients ≈ 0 (see gradcheck.py for why).
    floor = 1e-3 * max(1.0, abs(value))
    error = np.abs(analytic - numeric) / np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)),
                                                    floor)
    assert error.max() < 1e-6, (net, error.max())


def test_same_architecture_compares_sizes_activations_and_loss_not_values():
    net = Network.build([2, 3, 1], ["tanh", "sigmoid"], "mse", seed=0)
    assert net.same_architecture(Network.build([2, 3, 1], ["tanh", "sigmoid"], "mse", seed=7))
    assert not net.same_architecture(Network.build([2, 4, 1], ["tanh", "sigmoid"], "mse"))
    assert not net.same_architecture(Network.build([2, 3, 1], ["relu", "sigmoid"], "mse"))
    assert not net.same_architecture(Network.build([2, 3, 1], ["tanh", "sigmoid"],
                                                   "binary_cross_entropy"))
