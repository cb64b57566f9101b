"""The fast path equals the plain path, for every activation and loss in the registries.

The Trainer runs each record's in-place kernel (engine.kernels); `Network.forward` /
`backward` and the walkthrough run the record's plain functions. These tests iterate over
ACTIVATIONS and LOSSES (and every output activation a loss allows), so an activation or
loss added to its registry is checked here without editing this file.

Where both paths do the same floating-point operations (ReLU, leaky ReLU, tanh, linear,
every backward pass but softmax's Jacobian, which the Trainer takes from the plain path)
the numbers are equal to the last bit. Where the fast path uses a cheaper form (σ as
1/(1 + e⁻ᶻ) for every z; softmax and the losses summed in another order, cross-entropy as
log Σ eᶻ − y·z) they agree to a few units in the last place: rtol ULPS. Values below the
normal range (|x| < 2.2×10⁻³⁰⁸, e.g. σ(−740)) may round to 0 on one path only.
"""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine import ACTIVATIONS, LOSSES, Network
from backprop_gui.engine.dataset import Dataset
from backprop_gui.engine.kernels import Buffers, dot, wrap_activation
from backprop_gui.engine.network import check_architecture
from backprop_gui.engine.project import TrainingConfig
from backprop_gui.engine.training import Trainer
from backprop_gui.engine.walkthrough import walkthrough

ULPS = 1e-15                          # a few units in the last place of a float64
TINY = np.finfo(np.float64).tiny      # below this, a value has lost precision anyway
EDGES = [0.0, -0.0, 1e-9, -1e-9, 0.5, -3.0, 40.0, -40.0, 700.0, -700.0, 740.0, -740.0,
         800.0, -800.0, 1e6, -1e6]


def output_pairs() -> list[tuple[str, str, int]]:
    """(output activation, loss, outputs) for every pair the architecture rules allow,
    with one output and with three."""
    pairs = []
    for loss in LOSSES:
        for act in ACTIVATIONS:
            for k in (1, 3):
                try:
                    check_architecture([2, k], [act], loss)
                except ValueError:
                    continue
                pairs.append((act, loss, k))
    return pairs


HIDDEN = [name for name, act in ACTIVATIONS.items() if not act.output_only]
OUTPUTS = output_pairs()


def edge_inputs(rows: int, seed: int) -> np.ndarray:
    """(rows, samples): random values of several sizes, then every edge value in each row."""
    rng = np.random.default_rng(seed)
    random = rng.normal(size=(rows, 12)) * rng.choice([0.1, 3.0, 30.0], size=(rows, 12))
    edges = np.array([np.roll(EDGES, r) for r in range(rows)])
    return np.concatenate([random, edges], axis=1)


def targets(k: int, n: int, seed: int) -> np.ndarray:
    """(k, n) targets as a Dataset gives them: 0/1 for one output, one-hot columns else."""
    labels = np.random.default_rng(seed).integers(0, max(k, 2), n)
    if k == 1:
        return labels.reshape(1, n).astype(np.float64)
    return np.eye(k)[:, labels]


def test_the_registries_are_covered():
    assert {"sigmoid", "tanh", "relu", "leaky_relu", "linear"} <= set(HIDDEN)
    assert ("softmax", "cross_entropy", 3) in OUTPUTS and ("softmax", "cross_entropy", 1) not in OUTPUTS
    assert ("sigmoid", "binary_cross_entropy", 1) in OUTPUTS and ("relu", "mse", 3) in OUTPUTS
    assert all(act.kernel is not None for act in ACTIVATIONS.values())


# ----- activations -------------------------------------------------------------------------

@pytest.mark.parametrize("rows", [3, 10])
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_forward_kernel_equals_plain_forward(name, seed, rows):
    act = ACTIVATIONS[name]
    Z = edge_inputs(rows, seed)
    out, t, r = np.empty_like(Z), np.empty_like(Z), np.empty((1, Z.shape[1]))
    with np.errstate(over="ignore"):            # e⁸⁰⁰ = inf on the way to σ(−800) = 0
        act.kernel.forward(Z, out, t, r)
        plain = act.forward(Z.T).T
    np.testing.assert_allclose(out, plain, rtol=ULPS, atol=TINY)


@pytest.mark.parametrize("rows", [3, 10])
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_backward_kernel_equals_plain_backward_to_the_last_bit(name, seed, rows):
    act = ACTIVATIONS[name]
    Z = edge_inputs(rows, seed)
    with np.errstate(over="ignore"):
        a = act.forward(Z.T).T
    da = np.random.default_rng(seed + 10).normal(size=Z.shape)
    d, t = da.copy(), np.empty_like(Z)
    if act.kernel.backward is not None:         # None: f′ = 1
        act.kernel.backward(Z, a, d, t)
    np.testing.assert_array_equal(d, act.backward(Z.T, a.T, da.T).T)


# ----- losses ------------------------------------------------------------------------------

def loss_buffers(act_name: str, z: np.ndarray, y: np.ndarray, lr: float) -> Buffers:
    """One output layer's buffers after the Trainer's forward pass up to the loss."""
    act, k, n = ACTIVATIONS[act_name], z.shape[0], z.shape[1]
    buf = Buffers([2, k], [act.identity], n)
    buf.zT[1][...] = z
    buf.yT[...] = y
    buf.factor = 0.0
    return buf


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("out,loss_name,k", OUTPUTS)
def test_loss_kernel_equals_plain_loss_and_gradient(out, loss_name, k, seed):
    act, loss = ACTIVATIONS[out], LOSSES[loss_name]
    fused = loss.fused_grad is not None
    z = edge_inputs(k, seed)
    y = targets(k, z.shape[1], seed)
    lr = 0.3
    buf = loss_buffers(out, z, y, lr)
    with np.errstate(all="ignore"):             # as inside the Trainer
        if not (act.identity or loss.kernel.computes_output):
            act.kernel.forward(buf.zT[1], buf.out, buf.tT[1], buf.row)
        value = loss.kernel.value(buf)
        buf.scale[()] = lr * loss.kernel.factor(z.shape[1], k)
        d = np.empty_like(z)
        loss.kernel.gradient(buf, d)
    y_hat = act.forward(z.T)
    plain_value = loss.value(y_hat, y.T, z.T if fused else None)
    plain_grad = (loss.fused_grad if fused else loss.grad)(y_hat, y.T).T * lr
    np.testing.assert_allclose(buf.out, y_hat.T, rtol=ULPS, atol=TINY)
    # Log-space forms cancel differently: the loss agrees to rounding of its largest term.
    assert value == pytest.approx(plain_value, rel=1e-13, abs=1e-15 * np.abs(z).max())
    np.testing.assert_allclose(d, plain_grad, rtol=ULPS, atol=TINY)


def test_sliced_dot_product_equals_one_product(monkeypatch):
    from backprop_gui.engine import kernels
    monkeypatch.setattr(kernels, "DOT_SLICE", 5)
    assert dot(np.arange(12.0), np.ones(12)) == 66.0
    with np.errstate(over="ignore"):                # as inside the Trainer
        assert dot(np.full(6, 1e200), np.full(6, 1e200)) == np.inf


# ----- whole steps: what the walkthrough shows is what training does ------------------------

def random_dataset(n: int, n_in: int, k: int, seed: int = 1) -> Dataset:
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % max(k, 2)
    rng.shuffle(labels)
    return Dataset("random", "random", rng.normal(size=(n, n_in)), labels,
                   [str(c) for c in range(max(k, 2))])


def engine_step(net: Network, X: np.ndarray, Y: np.ndarray, lr: float) -> float:
    """One plain gradient-descent step with the engine's own forward/backward/apply."""
    trace = net.forward(X)
    loss = net.loss(trace, Y)
    net.apply(net.backward(trace, Y), lr)
    return loss


def assert_same_parameters(net: Network, weights: list, biases: list) -> None:
    for mine, theirs in zip([*net.weights, *net.biases], [*weights, *biases]):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("scale", [1.0, 25.0])
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("out,loss,k", OUTPUTS)
def test_batch_steps_equal_the_walkthrough_and_the_network(hidden, out, loss, k, scale):
    # scale 25: weights large enough to saturate σ and tanh and reach e^±100 in softmax.
    ds = random_dataset(7, 3, k)
    X, Y = ds.inputs, ds.targets(k)
    net = Network.build([3, 4, 5, k], [hidden, hidden, out], loss, seed=3, init="xavier")
    net.weights = [W * scale for W in net.weights]
    ref = net.copy()
    steps = walkthrough(net, X, Y, 0.3)
    trainer = Trainer(net, ds, TrainingConfig(optimizer="batch", learning_rate=0.3))
    # The first step: what the step-through shows.
    shown = {(s.kind, s.layer): s.result for s in steps}
    assert trainer.step() == pytest.approx(float(shown["loss", None]), rel=1e-13, abs=1e-13)
    assert_same_parameters(net, [shown["update_W", l] for l in (1, 2, 3)],
                           [shown["update_b", l] for l in (1, 2, 3)])
    # The second, in buffers the first has used: the network's own step, unless the loss
    # exploded (large weights and an unbounded output): then the Trainer keeps the first's.
    engine_step(ref, X, Y, 0.3)
    kept = ref.copy()
    assert trainer.step() == pytest.approx(engine_step(ref, X, Y, 0.3), rel=1e-13, abs=1e-13)
    if trainer.stopped is not None:
        assert trainer.stopped.code == "diverged" and scale > 1 and not ACTIVATIONS[out].probability
        ref = kept
    assert_same_parameters(net, ref.weights, ref.biases)


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("out,loss,k", OUTPUTS)
def test_minibatch_epoch_equals_network_steps_on_the_seeded_permutation(hidden, out, loss, k):
    ds = random_dataset(7, 3, k)
    net = Network.build([3, 4, 5, k], [hidden, hidden, out], loss, seed=4, init="xavier")
    ref = net.copy()
    cfg = TrainingConfig(optimizer="minibatch", batch_size=3, learning_rate=0.2, seed=11)
    trainer = Trainer(net, ds, cfg)
    result = trainer.run_epoch()
    order = np.random.default_rng(11).permutation(7)
    for start in range(0, 7, 3):                     # batches of 3, 3 and 1 samples
        rows = order[start:start + 3]
        engine_step(ref, ds.inputs[rows], ds.targets(k)[rows], 0.2)
    assert_same_parameters(net, ref.weights, ref.biases)
    assert result.steps == 3 and trainer.steps == 3 and trainer.epoch == 1
    full_loss = ref.loss(ref.forward(ds.inputs), ds.targets(k))
    assert result.loss == pytest.approx(full_loss, rel=1e-13, abs=1e-13)
    assert trainer.history.loss == [result.loss]


# ----- a record without a kernel trains with its plain functions ----------------------------

def _softplus(z: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, z)


def _softplus_prime(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return ACTIVATIONS["sigmoid"].forward(z)


def test_an_activation_added_without_a_kernel_trains_as_the_network_computes(monkeypatch):
    from backprop_gui.engine.activations import _elementwise
    softplus = _elementwise("softplus", "Softplus", "softplus", "softplus(z) = log(1 + eᶻ)",
                            "softplus′(z) = σ(z)", _softplus, _softplus_prime)
    monkeypatch.setitem(ACTIVATIONS, "softplus", softplus)
    ds = random_dataset(5, 3, 3)
    net = Network.build([3, 4, 3], ["softplus", "softmax"], "cross_entropy", seed=2)
    steps = walkthrough(net, ds.inputs, ds.targets(3), 0.5)
    assert any(s.formula == "a¹ = softplus(z¹)" for s in steps)
    trainer = Trainer(net, ds, TrainingConfig(optimizer="batch", learning_rate=0.5))
    trainer.step()
    shown = {(s.kind, s.layer): s.result for s in steps}
    np.testing.assert_allclose(net.weights[0], shown["update_W", 1], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name,out,k", [("mse", "tanh", 2), ("cross_entropy", "softmax", 3),
                                        ("binary_cross_entropy", "sigmoid", 2)])
def test_a_loss_added_without_a_kernel_trains_as_the_network_computes(monkeypatch, name, out, k):
    import dataclasses
    plain = dataclasses.replace(LOSSES[name], name="plain", kernel=None)
    assert plain.kernel is not LOSSES[name].kernel      # the wrapped plain functions
    monkeypatch.setitem(LOSSES, "plain", plain)
    ds = random_dataset(5, 3, k)
    net = Network.build([3, 4, k], ["relu", out], "plain", seed=2)
    steps = walkthrough(net, ds.inputs, ds.targets(k), 0.5)
    loss_value = Trainer(net, ds, TrainingConfig(optimizer="batch", learning_rate=0.5)).step()
    shown = {(s.kind, s.layer): s.result for s in steps}
    assert loss_value == float(shown["loss", None])
    np.testing.assert_allclose(net.weights[0], shown["update_W", 1], rtol=1e-13, atol=1e-15)


def test_wrapped_kernels_equal_the_plain_functions():
    act = ACTIVATIONS["tanh"]
    kernel = wrap_activation(act.forward, act.backward)
    Z = edge_inputs(3, 4)
    out, d = np.empty_like(Z), np.ones_like(Z)
    kernel.forward(Z, out, np.empty_like(Z), np.empty((1, Z.shape[1])))
    kernel.backward(Z, out, d, np.empty_like(Z))
    np.testing.assert_array_equal(out, act.forward(Z.T).T)
    np.testing.assert_array_equal(d, act.derivative(Z.T, out.T).T)
