"""The walkthrough: teaching order, the engine's own numbers, read-only steps, chain rule."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine.network import Network
from backprop_gui.engine.walkthrough import (
    KINDS, PHASES, chain_rule_paths, loss_after_update, sup, walkthrough)


def digit_net() -> Network:
    return Network.build([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy", seed=0)


def digit_sample() -> tuple[np.ndarray, np.ndarray]:
    x = np.random.default_rng(1).uniform(0.0, 1.0, 16)
    return x, np.array([0.0, 1.0])


def snapshot(net: Network) -> list[np.ndarray]:
    return [p.copy() for p in net.weights + net.biases]


def assert_unchanged(net: Network, before: list[np.ndarray]) -> None:
    for now, then in zip(net.weights + net.biases, before):
        np.testing.assert_array_equal(now, then)


EXPECTED_ORDER = [
    ("forward", "z", 1, "z¹"),
    ("forward", "a", 1, "a¹"),
    ("forward", "z", 2, "z²"),
    ("forward", "a", 2, "a²"),
    ("forward", "z", 3, "z³"),
    ("forward", "a", 3, "a³"),
    ("loss", "loss", None, "L"),
    ("backward", "dL/dz", 3, "∂L/∂z³"),
    ("backward", "dL/dW", 3, "∂L/∂W³"),
    ("backward", "dL/db", 3, "∂L/∂b³"),
    ("backward", "dL/da", 2, "∂L/∂a²"),
    ("backward", "dL/dz", 2, "∂L/∂z²"),
    ("backward", "dL/dW", 2, "∂L/∂W²"),
    ("backward", "dL/db", 2, "∂L/∂b²"),
    ("backward", "dL/da", 1, "∂L/∂a¹"),
    ("backward", "dL/dz", 1, "∂L/∂z¹"),
    ("backward", "dL/dW", 1, "∂L/∂W¹"),
    ("backward", "dL/db", 1, "∂L/∂b¹"),
    ("update", "update_W", 1, "new W¹"),
    ("update", "update_b", 1, "new b¹"),
    ("update", "update_W", 2, "new W²"),
    ("update", "update_b", 2, "new b²"),
    ("update", "update_W", 3, "new W³"),
    ("update", "update_b", 3, "new b³"),
]


def test_softmax_cross_entropy_steps_in_textbook_order():
    x, y = digit_sample()
    steps = walkthrough(digit_net(), x, y, 0.1)
    assert [(s.phase, s.kind, s.layer, s.result_name) for s in steps] == EXPECTED_ORDER
    assert all(s.phase in PHASES and s.kind in KINDS for s in steps)
    assert all(s.title and s.formula and s.explanation for s in steps)


def engine_value(net, trace, grads, loss, step):
    """The engine array a step claims to show, looked up independently of walkthrough.py."""
    l = step.layer
    return {
        "z": lambda: trace.z[l], "a": lambda: trace.a[l], "loss": lambda: np.array(loss),
        "dL/da": lambda: grads.da[l], "dL/dz": lambda: grads.dz[l],
        "dL/dW": lambda: grads.dW[l - 1], "dL/db": lambda: grads.db[l - 1],
    }[step.kind]()


@pytest.mark.parametrize("build", [
    digit_net,
    lambda: Network.build([3, 4, 3], ["tanh", "sigmoid"], "mse", seed=5),
    lambda: Network.build([3, 4, 2], ["leaky_relu", "softmax"], "mse", seed=6),
    lambda: Network.build([3, 2, 1], ["linear", "sigmoid"], "binary_cross_entropy", seed=7),
])
def test_every_result_is_the_engines_number(build):
    net = build()
    rng = np.random.default_rng(2)
    X = rng.uniform(-1.0, 1.0, (4, net.sizes[0]))
    Y = np.eye(net.sizes[-1])[[0, 1, 0, 1]] if net.sizes[-1] > 1 else np.array([[0.0], [1.0]] * 2)
    trace = net.forward(X)
    loss = net.loss(trace, Y)
    grads = net.backward(trace, Y)
    steps = walkthrough(net, X, Y, 0.05)
    for step in steps[: -2 * net.n_layers]:
        assert np.array_equal(step.result, engine_value(net, trace, grads, loss, step)), step.title
    # Operands are the engine's arrays too, e.g. z³ = a² · (W³)ᵀ + b³ shows trace.a[2] and W³.
    z_steps = [s for s in steps if s.kind == "z"]
    for s in z_steps:
        l = s.layer
        assert np.array_equal(s.operands[f"a{sup(l - 1)}"], trace.a[l - 1])
        assert np.array_equal(s.operands[f"W{sup(l)}"], net.weights[l - 1])
        assert np.array_equal(s.operands[f"b{sup(l)}"], net.biases[l - 1])


def test_update_steps_equal_network_apply_on_a_copy():
    net = digit_net()
    x, y = digit_sample()
    steps = walkthrough(net, x, y, 0.3)
    applied = net.copy()
    trace = applied.forward(x)
    applied.apply(applied.backward(trace, y), 0.3)
    updates = [s for s in steps if s.phase == "update"]
    for s in updates:
        new = applied.weights if s.kind == "update_W" else applied.biases
        assert np.array_equal(s.result, new[s.layer - 1]), s.title
        assert s.operands["α"].shape == () and float(s.operands["α"]) == 0.3
        name = ("W" if s.kind == "update_W" else "b") + sup(s.layer)
        old = net.weights if s.kind == "update_W" else net.biases
        assert np.array_equal(s.operands[name], old[s.layer - 1])


def test_walkthrough_does_not_change_the_network():
    net = digit_net()
    before = snapshot(net)
    ids = [id(p) for p in net.weights + net.biases]
    x, y = digit_sample()
    walkthrough(net, x, y, 0.5)
    assert_unchanged(net, before)
    assert [id(p) for p in net.weights + net.biases] == ids


def test_steps_are_read_only_copies():
    net = digit_net()
    x, y = digit_sample()
    steps = walkthrough(net, x, y, 0.1)
    for s in steps:
        for arr in [s.result, *s.operands.values()]:
            assert not arr.flags.writeable
    with pytest.raises(ValueError):
        steps[0].operands["W¹"][0, 0] = 5.0
    # Training the network afterwards does not change what the steps show.
    shown = steps[0].operands["W¹"].copy()
    trace = net.forward(x)
    net.apply(net.backward(trace, y), 1.0)
    assert np.array_equal(steps[0].operands["W¹"], shown)
    assert not np.array_equal(net.weights[0], shown)
    x[0] = 99.0  # nor does editing the caller's input
    assert steps[0].operands["a⁰"][0, 0] != 99.0


def test_non_fused_output_shows_dL_da_before_dL_dz():
    net = Network.build([2, 3, 3, 1], ["tanh", "relu", "sigmoid"], "mse", seed=3)
    x, y = np.array([0.3, -0.6]), np.array([1.0])
    steps = walkthrough(net, x, y, 0.1)
    backward = [(s.kind, s.layer, s.result_name) for s in steps if s.phase == "backward"]
    assert backward[:4] == [("dL/da", 3, "∂L/∂a³"), ("dL/dz", 3, "∂L/∂z³"),
                            ("dL/dW", 3, "∂L/∂W³"), ("dL/db", 3, "∂L/∂b³")]
    dz3 = next(s for s in steps if s.kind == "dL/dz" and s.layer == 3)
    assert dz3.formula == "∂L/∂z³ = ∂L/∂a³ ⊙ σ′(z³)"
    a3 = net.forward(x).a[3]
    np.testing.assert_array_equal(dz3.operands["σ′(z³)"], a3 * (1 - a3))
    np.testing.assert_array_equal(dz3.result, dz3.operands["∂L/∂a³"] * dz3.operands["σ′(z³)"])


def test_formulas_use_row_layout_and_superscripts():
    steps = walkthrough(digit_net(), *digit_sample(), 0.1)
    formulas = {s.result_name: s.formula for s in steps}
    assert formulas["z²"] == "z² = a¹ · (W²)ᵀ + b²"
    assert formulas["a²"] == "a² = ReLU(z²)"
    assert formulas["∂L/∂z³"] == "∂L/∂z³ = (ŷ − y) / N"
    assert formulas["∂L/∂W³"] == "∂L/∂W³ = (∂L/∂z³)ᵀ · a²"
    assert formulas["∂L/∂a²"] == "∂L/∂a² = ∂L/∂z³ · W³"
    assert formulas["∂L/∂z²"] == "∂L/∂z² = ∂L/∂a² ⊙ ReLU′(z²)"
    assert formulas["new W¹"] == "new W¹ = W¹ − α · ∂L/∂W¹"
    assert sup(12) == "¹²" and sup(-1) == "⁻¹" and sup(0) == "⁰"


def test_loss_step_value_and_operands():
    net = digit_net()
    x, y = digit_sample()
    loss_step = next(s for s in walkthrough(net, x, y, 0.1) if s.phase == "loss")
    assert loss_step.result.shape == ()
    assert float(loss_step.result) == net.loss(net.forward(x), y)
    np.testing.assert_array_equal(loss_step.operands["y"], [[0.0, 1.0]])


def test_batch_input():
    net = digit_net()
    rng = np.random.default_rng(4)
    X = rng.uniform(0.0, 1.0, (5, 16))
    Y = np.eye(2)[[0, 1, 1, 0, 1]]
    steps = {s.result_name: s for s in walkthrough(net, X, Y, 0.1)}
    assert steps["z¹"].result.shape == (5, 6)
    assert steps["∂L/∂W¹"].result.shape == (6, 16)
    np.testing.assert_allclose(steps["∂L/∂b²"].result, steps["∂L/∂z²"].result.sum(axis=0),
                               rtol=0, atol=0)
    # A batch gradient is the mean of the one-sample gradients (loss is a mean over samples).
    singles = [walkthrough(net, X[n], Y[n], 0.1) for n in range(5)]
    mean_dW1 = np.mean([next(s for s in ss if s.result_name == "∂L/∂W¹").result for ss in singles],
                       axis=0)
    np.testing.assert_allclose(steps["∂L/∂W¹"].result, mean_dW1, rtol=1e-12, atol=1e-15)


def test_loss_after_update_matches_apply_and_leaves_net_alone():
    net = digit_net()
    before_params = snapshot(net)
    x, y = digit_sample()
    before, after = loss_after_update(net, x, y, 0.1)
    assert_unchanged(net, before_params)
    assert before == net.loss(net.forward(x), y)
    applied = net.copy()
    applied.apply(applied.backward(applied.forward(x), y), 0.1)
    assert after == applied.loss(applied.forward(x), y)
    assert after < before  # a small step against the gradient lowers the loss


# ----- chain rule for one weight -------------------------------------------------------------

@pytest.mark.parametrize("build", [
    lambda: Network.build([3, 4, 3, 2], ["tanh", "sigmoid", "softmax"], "cross_entropy", seed=8),
    lambda: Network.build([2, 3, 2], ["leaky_relu", "sigmoid"], "mse", seed=9),
    lambda: Network.build([2, 3, 2], ["relu", "softmax"], "mse", seed=10),
])
def test_chain_rule_paths_rebuild_every_weight_gradient(build):
    net = build()
    x = np.random.default_rng(5).uniform(-1.0, 1.0, net.sizes[0])
    y = np.eye(net.sizes[-1])[1]
    trace = net.forward(x)
    grads = net.backward(trace, y)
    for l in range(1, net.n_layers + 1):
        n_out, n_in = net.weights[l - 1].shape
        for j in range(n_out):
            for i in range(n_in):
                ex = chain_rule_paths(net, trace, grads, l, j, i)
                assert ex.gradient.value == grads.dW[l - 1][j, i]
                assert ex.recomposed == pytest.approx(grads.dW[l - 1][j, i], rel=1e-12, abs=1e-300)
                if l == net.n_layers:
                    assert ex.derivative is None and ex.paths == ()
                    continue
                assert len(ex.paths) == net.sizes[l + 1]  # one path per neuron of layer l+1
                assert ex.path_sum == pytest.approx(grads.da[l][0, j], rel=1e-12, abs=1e-300)
                assert ex.derivative.value * ex.path_sum == pytest.approx(
                    grads.dz[l][0, j], rel=1e-12, abs=1e-300)


def test_chain_rule_labels_for_a_hidden_weight():
    net = Network.build([3, 4, 3, 2], ["tanh", "sigmoid", "softmax"], "cross_entropy", seed=8)
    x, y = np.array([0.2, -0.4, 0.9]), np.array([1.0, 0.0])
    trace = net.forward(x)
    grads = net.backward(trace, y)
    ex = chain_rule_paths(net, trace, grads, 2, 1, 3)
    assert ex.formula == "∂L/∂W²[1,3] = ∂L/∂z²[1] · a¹[3]"
    assert ex.dz_formula == "∂L/∂z²[1] = σ′(z²[1]) · Σₖ W³[k,1] · ∂L/∂z³[k]"
    assert [[f.label for f in t.factors] for t in ex.paths] == [
        ["W³[0,1]", "∂L/∂z³[0]"], ["W³[1,1]", "∂L/∂z³[1]"]]
    assert ex.paths[1].factors[0].value == net.weights[2][1, 1]
    assert ex.paths[1].value == net.weights[2][1, 1] * grads.dz[3][0, 1]
    assert ex.a_in.value == trace.a[1][0, 3]
    out = chain_rule_paths(net, trace, grads, 3, 0, 2)
    assert out.dz_formula == "∂L/∂z³ = (ŷ − y) / N"  # softmax: fused, no f′ factor


def test_chain_rule_rejects_batches_and_bad_indices():
    net = Network.build([2, 3, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    trace = net.forward(np.ones((2, 2)))
    grads = net.backward(trace, np.eye(2))
    with pytest.raises(ValueError, match="one sample"):
        chain_rule_paths(net, trace, grads, 1, 0, 0)
    trace = net.forward(np.ones(2))
    grads = net.backward(trace, [1.0, 0.0])
    with pytest.raises(ValueError, match="layer must be 1"):
        chain_rule_paths(net, trace, grads, 3, 0, 0)
    with pytest.raises(ValueError, match="outside"):
        chain_rule_paths(net, trace, grads, 1, 3, 0)
