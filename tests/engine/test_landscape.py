"""Loss landscapes: toy gradients, gradient-descent paths, grids and network loss slices."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop_gui.engine import Network
from backprop_gui.engine import loss_slice
from backprop_gui.engine.datasets import default_network_for, load_builtin
from backprop_gui.engine.landscape import (
    DIVERGENCE_LIMIT, TOY_FUNCTIONS, descend, get_toy_function, gradient_descent_path, grid,
    nearest_minimum)
from backprop_gui.engine.loss_slice import network_loss_surface

BOWL, RAVINE, BUMPY = TOY_FUNCTIONS["bowl"], TOY_FUNCTIONS["ravine"], TOY_FUNCTIONS["bumpy"]


def _fd_gradient(fn, x: float, y: float, h: float = 1e-6) -> np.ndarray:
    return np.array([(fn.f(x + h, y) - fn.f(x - h, y)) / (2 * h),
                     (fn.f(x, y + h) - fn.f(x, y - h)) / (2 * h)])


# ----- toy functions -----------------------------------------------------------------------

def test_catalogue() -> None:
    assert list(TOY_FUNCTIONS) == ["bowl", "ravine", "bumpy"]
    assert get_toy_function("bowl") is BOWL
    with pytest.raises(ValueError, match=r"unknown function 'saddle' \(known: bowl, ravine, bumpy\)"):
        get_toy_function("saddle")
    assert BOWL.formula == "f(x, y) = x² + y²"
    assert BOWL(3.0, 4.0) == 25.0
    assert RAVINE(1.0, 2.0) == 41.0
    assert BUMPY(0.0, 0.0) == -1.0


@pytest.mark.parametrize("name", list(TOY_FUNCTIONS))
def test_gradient_matches_finite_differences(name: str) -> None:
    fn = TOY_FUNCTIONS[name]
    rng = np.random.default_rng(0)
    for x, y in rng.uniform(-3, 3, (25, 2)):
        np.testing.assert_allclose(fn.gradient(x, y), _fd_gradient(fn, x, y), rtol=1e-6, atol=1e-7)


def test_functions_and_gradients_work_on_arrays() -> None:
    X, Y = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-2, 2, 3))
    gx, gy = BUMPY.gradient(X, Y)
    assert gx.shape == gy.shape == BUMPY.f(X, Y).shape == (3, 5)
    np.testing.assert_array_equal(BOWL.gradient(X, Y)[1], 2 * Y)


@pytest.mark.parametrize("name", list(TOY_FUNCTIONS))
def test_documented_minima_are_local_minima(name: str) -> None:
    fn = TOY_FUNCTIONS[name]
    for x, y in fn.minima:
        assert np.hypot(*fn.gradient(x, y)) < 1e-5
        for dx, dy in ((1e-2, 0), (-1e-2, 0), (0, 1e-2), (0, -1e-2), (7e-3, 7e-3), (7e-3, -7e-3)):
            assert fn.f(x + dx, y + dy) > fn.f(x, y)
        assert fn.xlim[0] < x < fn.xlim[1] and fn.ylim[0] < y < fn.ylim[1]


def test_bumpy_minima_values() -> None:
    values = sorted(round(float(BUMPY.f(x, y)), 3) for x, y in BUMPY.minima)
    assert values == [-1.0] + [-0.53] * 4 + [-0.06] * 4 + [0.877] * 4


# ----- gradient descent --------------------------------------------------------------------

def test_bowl_descent_matches_the_closed_form() -> None:
    # p ← p − 0.1·2p = 0.8·p, so p_k = 0.8ᵏ·(1, 1) and f(p_k) = 2·0.64ᵏ.
    path = gradient_descent_path(BOWL, (1.0, 1.0), 0.1, 30)
    assert path.shape == (31, 2)
    k = np.arange(31)
    np.testing.assert_allclose(path, np.column_stack([0.8 ** k, 0.8 ** k]), rtol=1e-12, atol=0)
    d = descend(BOWL, (1.0, 1.0), 0.1, 30)
    assert not d.diverged and d.message == "" and d.n_steps == 30
    np.testing.assert_allclose(d.values, 2 * 0.64 ** k, rtol=1e-12, atol=0)


def test_momentum_hand_computed() -> None:
    # v₁ = −0.1·2 = −0.2, p₁ = 0.8; v₂ = 0.9·(−0.2) − 0.1·1.6 = −0.34, p₂ = 0.46.
    path = gradient_descent_path(BOWL, (1.0, -1.0), 0.1, 2, momentum=0.9)
    np.testing.assert_allclose(path, [[1.0, -1.0], [0.8, -0.8], [0.46, -0.46]], rtol=1e-14)


def test_momentum_zero_is_plain_descent() -> None:
    plain = gradient_descent_path(BUMPY, (0.7, -1.9), 0.05, 40)
    np.testing.assert_array_equal(plain, gradient_descent_path(BUMPY, (0.7, -1.9), 0.05, 40, momentum=0.0))


def test_divergence_stops_early_and_reports() -> None:
    # On the bowl p_k = (−1.2)ᵏ·p₀ for α = 1.1: the first k with 1.2ᵏ > limit stops it.
    k_stop = math.ceil(math.log(DIVERGENCE_LIMIT) / math.log(1.2))
    d = descend(BOWL, (1.0, 1.0), 1.1, 500)
    assert d.diverged
    assert d.points.shape == (k_stop + 1, 2) and d.values.shape == (k_stop + 1,)
    assert np.abs(d.points[-1]).max() > DIVERGENCE_LIMIT
    assert np.abs(d.points[:-1]).max() <= DIVERGENCE_LIMIT
    assert f"step {k_stop}" in d.message and "learning rate 1.1" in d.message
    assert len(gradient_descent_path(BOWL, (1.0, 1.0), 1.1, 500)) == k_stop + 1


def test_learning_rate_one_oscillates_without_diverging() -> None:
    d = descend(BOWL, (1.0, 2.0), 1.0, 10)
    assert not d.diverged
    np.testing.assert_array_equal(d.points[-1], [1.0, 2.0])
    np.testing.assert_array_equal(d.points[1], [-1.0, -2.0])


def test_ravine_diverges_above_its_critical_rate() -> None:
    assert not descend(RAVINE, (1.0, 1.0), 0.09, 300).diverged
    assert descend(RAVINE, (1.0, 1.0), 0.11, 300).diverged


def test_bumpy_descent_ends_in_different_minima_from_different_starts() -> None:
    ends = {}
    for start in [(0.5, 0.3), (1.2, 1.8), (-1.8, -1.2), (2.7, 0.3), (0.2, -2.6), (2.6, 2.6)]:
        end = gradient_descent_path(BUMPY, start, 0.05, 400)[-1]
        index, dist = nearest_minimum(BUMPY, end)
        assert dist < 1e-5, (start, end)
        ends[start] = index
    assert len(set(ends.values())) == 6
    assert ends[(0.5, 0.3)] == 0  # the global minimum
    assert BUMPY.minima[ends[(1.2, 1.8)]] == (1.494891, 1.494891)


def test_descent_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="steps"):
        descend(BOWL, (1, 1), 0.1, -1)
    with pytest.raises(ValueError, match="learning rate"):
        descend(BOWL, (1, 1), float("nan"), 5)
    with pytest.raises(ValueError, match="momentum"):
        descend(BOWL, (1, 1), 0.1, 5, momentum=1.0)
    with pytest.raises(ValueError, match="start"):
        descend(BOWL, (1, 1, 1), 0.1, 5)
    assert descend(BOWL, (1, 1), 0.1, 0).points.shape == (1, 2)


# ----- grids -------------------------------------------------------------------------------

def test_grid_rows_follow_y() -> None:
    X, Y, Z = grid(RAVINE, (-2, 2), (-1, 3), 5)
    assert X.shape == Y.shape == Z.shape == (5, 5)
    np.testing.assert_array_equal(X[0], [-2, -1, 0, 1, 2])
    np.testing.assert_array_equal(Y[:, 0], [-1, 0, 1, 2, 3])
    assert Z[4, 0] == (-2) ** 2 + 10 * 3 ** 2
    np.testing.assert_array_equal(Z, X ** 2 + 10 * Y ** 2)
    _, _, Z2 = grid(lambda x, y: x * y, (0, 1), (0, 1), 2)
    np.testing.assert_array_equal(Z2, [[0, 0], [0, 1]])
    with pytest.raises(ValueError, match="at least 2"):
        grid(BOWL, (0, 1), (0, 1), 1)


# ----- network loss slices -----------------------------------------------------------------

def _snapshot(net: Network) -> list[np.ndarray]:
    return [p.copy() for pair in zip(net.weights, net.biases) for p in pair]


def _brute_force(net: Network, X, Y, ref_a, ref_b, A, B) -> np.ndarray:
    """The loss at every grid point by setting the two parameters on a copy, one by one."""
    probe = net.copy()
    Z = np.empty(A.shape)

    def put(ref, value):
        if ref[0] == "W":
            probe.weights[ref[1]][ref[2], ref[3]] = value
        else:
            probe.biases[ref[1]][ref[2]] = value

    for idx in np.ndindex(A.shape):
        put(ref_a, A[idx])
        put(ref_b, B[idx])
        Z[idx] = probe.loss(probe.forward(X), Y)
    return Z


def _digits01_net() -> tuple[Network, np.ndarray, np.ndarray]:
    d = load_builtin("digits01")
    net = Network.build(*default_network_for(d), seed=0)
    return net, d.inputs, d.targets(2)


def test_surface_centre_is_the_current_loss_and_the_net_is_unchanged() -> None:
    net, X, Y = _digits01_net()
    before = _snapshot(net)
    weights_list, W0 = net.weights, net.weights[0]
    A, B, Z = network_loss_surface(net, X, Y, ("W", 0, 1, 3), ("b", 2, 0), 0.5, 41)
    assert A.shape == B.shape == Z.shape == (41, 41)
    assert A[20, 20] == net.weights[0][1, 3] and B[20, 20] == net.biases[2][0]
    assert Z[20, 20] == pytest.approx(net.loss(net.forward(X), Y), rel=1e-13, abs=0)
    for p, q in zip(before, _snapshot(net)):
        np.testing.assert_array_equal(p, q)
    assert net.weights is weights_list and net.weights[0] is W0


def test_surface_axes_span_the_requested_range() -> None:
    net, X, Y = _digits01_net()
    a0, b0 = net.weights[1][2, 4], net.weights[2][1, 0]
    A, B, _ = network_loss_surface(net, X, Y, ("W", 1, 2, 4), ("W", 2, 1, 0), 2.0, 5)
    np.testing.assert_allclose(A[0], a0 + np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), rtol=0, atol=1e-15)
    np.testing.assert_allclose(B[:, 0], b0 + np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), rtol=0, atol=1e-15)
    np.testing.assert_array_equal(A[:, 3], np.full(5, A[0, 3]))


@pytest.mark.parametrize("ref_a, ref_b", [
    (("W", 0, 1, 3), ("b", 2, 0)),        # first and last layer
    (("W", 1, 0, 0), ("W", 1, 5, 2)),     # two weights of one layer
    (("b", 2, 1, 0), ("W", 2, 0, 3)),     # bias and weight of the output layer
])
def test_surface_matches_setting_the_parameters_one_by_one(ref_a, ref_b) -> None:
    net, X, Y = _digits01_net()
    A, B, Z = network_loss_surface(net, X, Y, ref_a, ref_b, 1.5, 9)
    np.testing.assert_allclose(Z, _brute_force(net, X, Y, ref_a, ref_b, A, B), rtol=1e-12, atol=0)


def test_surface_of_a_sigmoid_mse_network() -> None:
    d = load_builtin("xor")
    net = Network.build(*default_network_for(d), seed=1, init="uniform")
    X, Y = d.inputs, d.targets(1)
    A, B, Z = network_loss_surface(net, X, Y, ("W", 0, 0, 1), ("b", 1, 0), 3.0, 7)
    np.testing.assert_allclose(Z, _brute_force(net, X, Y, ("W", 0, 0, 1), ("b", 1, 0), A, B),
                               rtol=1e-12, atol=0)
    assert Z.min() < Z[3, 3] < Z.max()


def test_surface_in_small_chunks_equals_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    net, X, Y = _digits01_net()
    _, _, whole = network_loss_surface(net, X, Y, ("W", 0, 2, 2), ("W", 1, 3, 1), 1.0, 11)
    monkeypatch.setattr(loss_slice, "_CHUNK_FLOATS", 1000)
    _, _, chunked = network_loss_surface(net, X, Y, ("W", 0, 2, 2), ("W", 1, 3, 1), 1.0, 11)
    # BLAS may round a product of another size differently in the last bit.
    np.testing.assert_allclose(whole, chunked, rtol=1e-14, atol=0)


@pytest.mark.parametrize("ref, match", [
    (("W", 3, 0, 0), "layer 3 does not exist"),
    (("W", 0, 6, 0), "outside W of layer 0"),
    (("W", 0, 0, 16), "outside W of layer 0"),
    (("b", 1, 0, 1), "a bias has no column"),
    (("b", 1, 6), "outside b of layer 1"),
    (("W", 0, 1), "needs a row and a column"),
    (("z", 0, 1, 1), "a parameter is"),
    (("W", "x", 1, 1), "whole numbers"),
])
def test_surface_rejects_bad_parameters(ref, match) -> None:
    net, X, Y = _digits01_net()
    with pytest.raises(ValueError, match=match):
        network_loss_surface(net, X, Y, ref, ("b", 0, 0), 1.0, 5)


def test_surface_rejects_bad_grid() -> None:
    net, X, Y = _digits01_net()
    with pytest.raises(ValueError, match="two different parameters"):
        network_loss_surface(net, X, Y, ("b", 0, 1), ("b", 0, 1, 0), 1.0, 5)
    with pytest.raises(ValueError, match="span"):
        network_loss_surface(net, X, Y, ("b", 0, 1), ("b", 0, 2), 0.0, 5)
    with pytest.raises(ValueError, match="at least 2"):
        network_loss_surface(net, X, Y, ("b", 0, 1), ("b", 0, 2), 1.0, 1)
