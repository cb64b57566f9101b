"""Fast loss slices: every loss, the fallback, random directions and the projected path."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine import LOSSES, Network, loss_slice
from backprop_gui.engine.datasets import load_builtin
from backprop_gui.engine.loss_slice import (
    direction_loss_surface, network_loss_surface, param_ref, param_value, project_path,
    random_directions)
from backprop_gui.engine.selection import Selection

# An output activation each loss can be used with (the loss's own where it needs one).
OUTPUTS = {"mse": "sigmoid", "cross_entropy": "softmax", "binary_cross_entropy": "sigmoid"}


def _net_for(loss: str, out: str | None = None) -> tuple[Network, np.ndarray, np.ndarray]:
    d = load_builtin("digits01")
    net = Network.build([16, 5, 4, 2], ["tanh", "relu", out or OUTPUTS[loss]], loss, seed=3)
    return net, d.inputs, d.targets(2)


def _loss_with(net: Network, X, Y, flat: np.ndarray) -> float:
    probe = net.copy()
    probe.set_flat(flat)
    return probe.loss(probe.forward(X), Y)


def _brute(net, X, Y, a, b, A, B) -> np.ndarray:
    probe, Z = net.copy(), np.empty(A.shape)
    for idx in np.ndindex(A.shape):
        for ref, value in ((a, A[idx]), (b, B[idx])):
            ref.array_in(probe)[ref.index] = value
        Z[idx] = probe.loss(probe.forward(X), Y)
    return Z


def test_every_loss_has_a_batched_form() -> None:
    # A new loss still works without one (see the fallback test), only slower.
    assert set(LOSSES) <= set(loss_slice._BATCHED)


def test_half_sse_sums_over_samples_and_outputs() -> None:
    # Ready for the loss "half_sse" (½ Σ over samples Σ over outputs (ŷ − y)²): two batches
    # of two samples, one output.
    a = np.array([[[0.5], [1.0]], [[0.0], [3.0]]])
    y = np.array([[1.0], [0.0]])
    half_sse, fused = loss_slice._BATCHED["half_sse"]
    assert not fused
    np.testing.assert_array_equal(half_sse(a, a, y), [0.5 * (0.25 + 1.0), 0.5 * (1.0 + 9.0)])


@pytest.mark.parametrize("loss, out", [("mse", "sigmoid"), ("mse", "linear"), ("mse", "softmax"),
                                       ("cross_entropy", "softmax"),
                                       ("binary_cross_entropy", "sigmoid")])
@pytest.mark.parametrize("fast", [True, False])
def test_two_parameter_slice_equals_setting_them(loss, out, fast, monkeypatch) -> None:
    if not fast:
        monkeypatch.setattr(loss_slice, "_BATCHED", {})
    net, X, Y = _net_for(loss, out)
    a, b = Selection.weight(1, 2, 7), Selection.bias(3, 1)    # first and last layer
    A, B, Z = network_loss_surface(net, X, Y, a, b, 2.0, 7)
    np.testing.assert_allclose(Z, _brute(net, X, Y, a, b, A, B), rtol=1e-12, atol=1e-15)
    assert Z[3, 3] == pytest.approx(net.loss(net.forward(X), Y), rel=1e-13)


def test_the_later_parameter_may_come_first() -> None:
    net, X, Y = _net_for("cross_entropy")
    a, b = Selection.weight(3, 0, 2), Selection.weight(2, 1, 4)
    A, B, Z = network_loss_surface(net, X, Y, a, b, 1.0, 5)
    np.testing.assert_allclose(Z, _brute(net, X, Y, a, b, A, B), rtol=1e-12, atol=0)
    _, _, Zt = network_loss_surface(net, X, Y, b, a, 1.0, 5)
    np.testing.assert_allclose(Zt, Z.T, rtol=1e-13, atol=0)


def test_selections_name_parameters() -> None:
    net, _, _ = _net_for("mse")
    assert param_ref(Selection.weight(2, 3, 1)) == ("W", 1, 3, 1)
    assert param_ref(Selection.bias(1, 4)) == ("b", 0, 4)
    assert param_value(net, Selection.weight(2, 3, 1)) == net.weights[1][3, 1]
    with pytest.raises(ValueError, match="is a neuron"):
        param_ref(Selection.neuron(1, 0))
    with pytest.raises(ValueError, match="outside W of layer 1"):
        param_value(net, Selection.weight(2, 9, 0))


@pytest.mark.parametrize("filtered", [True, False])
@pytest.mark.parametrize("loss", list(OUTPUTS))
def test_direction_slice_equals_moving_all_parameters(loss, filtered) -> None:
    net, X, Y = _net_for(loss)
    dirs = random_directions(net, seed=5, filter_normalised=filtered)
    Al, Be, Z = direction_loss_surface(net, X, Y, dirs, 0.8, 5)
    theta = net.get_flat()
    expected = np.array([[_loss_with(net, X, Y, theta + al * dirs.d1 + be * dirs.d2)
                          for al, be in zip(ra, rb)] for ra, rb in zip(Al, Be)])
    np.testing.assert_allclose(Z, expected, rtol=1e-12, atol=0)
    np.testing.assert_allclose(Al[0], [-0.8, -0.4, 0, 0.4, 0.8], rtol=1e-15, atol=0)
    assert Z[2, 2] == pytest.approx(net.loss(net.forward(X), Y), rel=1e-13)


def test_random_directions() -> None:
    net, _, _ = _net_for("mse")
    plain = random_directions(net, seed=1, filter_normalised=False)
    assert np.linalg.norm(plain.d1) == pytest.approx(1.0) and np.linalg.norm(plain.d2) == pytest.approx(1.0)
    assert "plain" in plain.description
    again = random_directions(net, seed=1, filter_normalised=False)
    np.testing.assert_array_equal(plain.d1, again.d1)
    filtered = random_directions(net, seed=1)
    assert "filter-normalised" in filtered.description
    for (dW, db), W in zip(loss_slice._layers_of(net, filtered.d2), net.weights):
        np.testing.assert_allclose(np.linalg.norm(dW, axis=1), np.linalg.norm(W, axis=1), rtol=1e-12)
        assert np.all(db == 0)
    other = Network.build([16, 3, 2], loss="mse")
    with pytest.raises(ValueError, match="another size"):
        direction_loss_surface(other, np.zeros((1, 16)), np.zeros((1, 2)), filtered, 1.0, 3)


def test_project_path_recovers_the_coordinates() -> None:
    net, _, _ = _net_for("mse")
    dirs = random_directions(net, seed=2)
    centre = net.get_flat()
    points = [centre + 0.3 * dirs.d1 - 0.2 * dirs.d2, centre, centre - dirs.d2]
    np.testing.assert_allclose(project_path(dirs, centre, points),
                               [[0.3, -0.2], [0, 0], [0, -1]], atol=1e-12)


def test_steepest_parameters() -> None:
    net, X, Y = _net_for("cross_entropy")
    _, grads = net.gradients(X, Y)
    chosen = loss_slice.steepest_parameters(net, X, Y)
    sizes = [abs(float((grads.dW if p.is_weight else grads.db)[p.param][p.index])) for p in chosen]
    every = np.concatenate([np.abs(np.concatenate([dW.ravel(), db]))
                            for dW, db in zip(grads.dW, grads.db)])
    assert sorted(sizes, reverse=True) == pytest.approx(sorted(every, reverse=True)[:2], rel=0)
    # Biases are found too: with every weight's gradient 0, the biases are the steepest.
    flat = Network.build([2, 2], ["sigmoid"], "mse", seed=0)
    flat.weights[0][:] = 0.0
    got = loss_slice.steepest_parameters(flat, np.zeros((3, 2)), np.ones((3, 2)), count=2)
    assert got == [Selection.bias(1, 0), Selection.bias(1, 1)]


def test_parameters_in_the_order_of_get_flat() -> None:
    net = Network.build([3, 2, 2], loss="mse", seed=1)
    items = list(loss_slice.iter_parameters(net))
    assert [p.name for p in items[:8]] == ["W¹[1,1]", "W¹[1,2]", "W¹[1,3]", "W¹[2,1]", "W¹[2,2]",
                                           "W¹[2,3]", "b¹[1]", "b¹[2]"]
    assert len(items) == net.n_parameters
    flat = net.get_flat()
    for k, item in enumerate(items):
        assert loss_slice.parameter_at(net, k) == item
        assert item.array_in(net)[item.index] == flat[k]
    with pytest.raises(IndexError):
        loss_slice.parameter_at(net, net.n_parameters)
