"""Trainer: the fast path equals Network.forward/backward/apply, optimisers, momentum,
regularisation, schedule, validation, divergence and stopping, with hand-computed numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop_gui.engine import Network
from backprop_gui.engine import batch_pass, kernels
from backprop_gui.engine.dataset import Dataset
from backprop_gui.engine.datasets import load_builtin
from backprop_gui.engine.overflow import number_text
from backprop_gui.engine.project import History, TrainingConfig
from backprop_gui.engine.training import EpochResult, StopReason, Trainer

TOL = 1e-12


def params(net: Network) -> list[np.ndarray]:
    return [a.copy() for a in (*net.weights, *net.biases)]


def assert_params_close(a: Network, b: Network, tol: float = TOL) -> None:
    for x, y in zip(params(a), params(b)):
        np.testing.assert_allclose(x, y, rtol=0, atol=tol)


def engine_step(net: Network, X: np.ndarray, Y: np.ndarray, lr: float) -> float:
    """One plain gradient-descent step with the engine's own forward/backward/apply."""
    trace = net.forward(X)
    loss = net.loss(trace, Y)
    net.apply(net.backward(trace, Y), lr)
    return loss


def random_dataset(n: int, n_in: int, n_classes: int, seed: int = 1) -> Dataset:
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % n_classes
    rng.shuffle(labels)
    return Dataset("random", "random", rng.normal(size=(n, n_in)), labels,
                   [str(k) for k in range(n_classes)])


def linear_net(w: list[float], b: float) -> Network:
    """A single linear neuron with MSE: ŷ = w·x + b."""
    return Network([len(w), 1], ["linear"], "mse", [np.array([w])], [np.array([b])])


def one_sample(x: list[float], label: int) -> Dataset:
    return Dataset("one", "one", [x], [label], ["0", "1"])


# ----- one Trainer step is one engine step ----------------------------------------------------
# For every activation and loss: tests/engine/test_kernels.py. Here the edge cases of the path.

@pytest.mark.parametrize("scale,bias", [(400.0, 0.0), (1.0, -800.0), (-300.0, 400.0)])
def test_cross_entropy_with_extreme_logits_equals_engine(scale, bias):
    # Logits beyond ±709 overflow or underflow eᶻ: the trainer falls back to the shifted softmax.
    ds = random_dataset(6, 2, 3)
    W = scale * np.array([[1.0, -1.0], [0.5, 2.0], [-1.5, 0.2]])
    net = Network([2, 3], ["softmax"], "cross_entropy", [W], [np.array([bias, bias + 1.0, bias])])
    ref = net.copy()
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=1e-3))
    ref_loss = ref.loss(ref.forward(ds.inputs), ds.targets(3))
    assert math.isfinite(ref_loss)
    assert trainer.evaluate()[0] == pytest.approx(ref_loss, rel=1e-12, abs=TOL)
    assert trainer.step() == pytest.approx(ref_loss, rel=1e-12, abs=TOL)
    engine_step(ref, ds.inputs, ds.targets(3), 1e-3)
    assert_params_close(net, ref)


@pytest.mark.parametrize("loss,out,k", [("cross_entropy", "softmax", 3), ("mse", "sigmoid", 2),
                                        ("binary_cross_entropy", "sigmoid", 1)])
def test_sliced_dot_products_give_the_same_step(monkeypatch, loss, out, k):
    # Long dot products are summed in slices; make the slices tiny to exercise that path.
    monkeypatch.setattr(kernels, "DOT_SLICE", 5)
    ds = random_dataset(9, 3, max(k, 2))
    net = Network.build([3, 4, k], ["relu", out], loss, seed=6)
    ref = net.copy()
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=0.4))
    assert trainer.step() == pytest.approx(engine_step(ref, ds.inputs, ds.targets(k), 0.4), abs=TOL)
    assert_params_close(net, ref)


def test_each_epoch_draws_a_new_permutation_from_the_seeded_generator():
    ds = random_dataset(6, 2, 2)
    net = Network.build([2, 3, 2], ["tanh", "softmax"], "cross_entropy", seed=0)
    ref = net.copy()
    trainer = Trainer(net, ds, TrainingConfig(optimizer="minibatch", batch_size=4,
                                              learning_rate=0.5, seed=5))
    trainer.train(epochs=3)
    rng = np.random.default_rng(5)
    for _ in range(3):
        order = rng.permutation(6)
        for start in (0, 4):
            rows = order[start:start + 4]
            engine_step(ref, ds.inputs[rows], ds.targets(2)[rows], 0.5)
    assert_params_close(net, ref)


def test_same_seed_same_parameters_other_seed_other_parameters():
    ds = random_dataset(10, 3, 2)

    def trained(seed: int) -> Network:
        net = Network.build([3, 4, 2], ["relu", "softmax"], "cross_entropy", seed=0)
        Trainer(net, ds, TrainingConfig(optimizer="minibatch", batch_size=3,
                                        learning_rate=0.1, seed=seed)).train(epochs=5)
        return net

    a, b, c = trained(1), trained(1), trained(2)
    assert all(np.array_equal(x, y) for x, y in zip(params(a), params(b)))
    assert not all(np.array_equal(x, y) for x, y in zip(params(a), params(c)))


@pytest.mark.parametrize("optimizer,batch_size,steps", [("sgd", 8, 7), ("minibatch", 3, 3),
                                                        ("minibatch", 7, 1), ("minibatch", 50, 1),
                                                        ("batch", 3, 1)])
def test_steps_per_epoch(optimizer, batch_size, steps):
    ds = random_dataset(7, 2, 2)
    net = Network.build([2, 3, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    trainer = Trainer(net, ds, TrainingConfig(optimizer=optimizer, batch_size=batch_size))
    assert trainer.steps_per_epoch == steps
    result = trainer.run_epoch()
    assert (result.steps, trainer.steps, trainer.epoch, len(trainer.history)) == (steps, steps, 1, 1)
    trainer.run_epoch()
    assert (trainer.steps, trainer.epoch) == (2 * steps, 2)


def test_sgd_uses_one_sample_per_step():
    ds = random_dataset(5, 2, 2)
    net = Network.build([2, 2], ["softmax"], "cross_entropy", seed=0)
    ref = net.copy()
    trainer = Trainer(net, ds, TrainingConfig(optimizer="sgd", learning_rate=0.4, seed=3))
    first = trainer.step()
    row = np.random.default_rng(3).permutation(5)[:1]
    assert first == pytest.approx(engine_step(ref, ds.inputs[row], ds.targets(2)[row], 0.4), abs=TOL)
    assert_params_close(net, ref)


# ----- momentum, regularisation, schedule ------------------------------------------------------

def test_momentum_two_steps_by_hand():
    # ŷ = w·x + b with x = 2, y = 1, w = 0.25, b = 0, α = 0.1, μ = 0.9.
    # Step 1: ŷ = 0.5, L = 0.25, ∂L/∂w = 2(ŷ − y)x = −2, ∂L/∂b = −1
    #         v_w = 0.2 → w = 0.45;  v_b = 0.1 → b = 0.1
    # Step 2: ŷ = 0.45·2 + 0.1 = 1, L = 0, gradient 0: only momentum moves the weights
    #         v_w = 0.18 → w = 0.63;  v_b = 0.09 → b = 0.19
    net = linear_net([0.25], 0.0)
    trainer = Trainer(net, one_sample([2.0], 1), TrainingConfig(learning_rate=0.1, momentum=0.9))
    assert trainer.step() == pytest.approx(0.25, abs=TOL)
    assert (net.weights[0][0, 0], net.biases[0][0]) == pytest.approx((0.45, 0.1), abs=TOL)
    assert trainer.step() == pytest.approx(0.0, abs=TOL)
    assert (net.weights[0][0, 0], net.biases[0][0]) == pytest.approx((0.63, 0.19), abs=TOL)


def test_without_momentum_the_second_step_stays_put():
    net = linear_net([0.25], 0.0)
    trainer = Trainer(net, one_sample([2.0], 1), TrainingConfig(learning_rate=0.1))
    trainer.step()
    trainer.step()
    assert (net.weights[0][0, 0], net.biases[0][0]) == pytest.approx((0.45, 0.1), abs=TOL)


def zero_gradient_net() -> tuple[Network, Dataset]:
    # ŷ = 0.25·2 − 0.25·0 + 0·1 + 0.5 = 1 = y: the data gradient is exactly 0.
    return linear_net([0.25, -0.25, 0.0], 0.5), one_sample([2.0, 0.0, 1.0], 1)


def test_l2_shrinks_weights_but_not_biases_by_hand():
    net, ds = zero_gradient_net()
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=0.5, l2=0.1))
    # w ← w − α·l2·w = 0.95·w; the bias is not regularised.
    assert trainer.step() == 0.0                     # the reported loss has no penalty
    np.testing.assert_allclose(net.weights[0], [[0.2375, -0.2375, 0.0]], rtol=0, atol=TOL)
    assert net.biases[0][0] == 0.5
    # (l2/2)·Σw² = 0.05·2·0.2375²
    assert trainer.penalty() == pytest.approx(0.05 * 2 * 0.2375 ** 2, abs=TOL)


def test_l1_moves_weights_towards_zero_by_a_constant_by_hand():
    net, ds = zero_gradient_net()
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=0.5, l1=0.1))
    # w ← w − α·l1·sign(w): ±0.05 towards zero; sign(0) = 0 keeps a zero weight at 0.
    trainer.step()
    np.testing.assert_allclose(net.weights[0], [[0.2, -0.2, 0.0]], rtol=0, atol=TOL)
    assert net.biases[0][0] == 0.5
    assert trainer.penalty() == pytest.approx(0.1 * 0.4, abs=TOL)


def test_last_gradients_are_the_steps_gradients_at_the_rate_it_used():
    ds = load_builtin("xor")
    net = Network.build([2, 3, 1], ["tanh", "sigmoid"], "mse", seed=0)
    ref = net.copy()
    cfg = TrainingConfig(learning_rate=0.8, schedule="step", step_every=1, step_factor=0.5, l2=0.01)
    trainer = Trainer(net, ds, cfg)
    assert trainer.last_gradients() is None
    trainer.step()                                   # the epoch ends: α halves after the step
    assert trainer.current_learning_rate == 0.4
    grads = trainer.last_gradients()
    expected = ref.backward(ref.forward(ds.inputs), ds.targets(1))
    for l in range(2):
        np.testing.assert_allclose(grads.dW[l], expected.dW[l] + 0.01 * ref.weights[l], atol=TOL)
        np.testing.assert_allclose(grads.db[l], expected.db[l], atol=TOL)
    assert grads.dW[0].flags.c_contiguous and not np.shares_memory(grads.dW[0], trainer._params.G)


def test_l2_adds_to_the_data_gradient():
    # x = 2, y = 1, w = 0.25, b = 0: ∂L/∂w = −2, plus l2·w = 0.025 → w = 0.25 + 0.1·1.975
    net = linear_net([0.25], 0.0)
    Trainer(net, one_sample([2.0], 1), TrainingConfig(learning_rate=0.1, l2=0.1)).step()
    assert net.weights[0][0, 0] == pytest.approx(0.4475, abs=TOL)
    assert net.biases[0][0] == pytest.approx(0.1, abs=TOL)


def test_step_schedule_rates_and_updates():
    ds = load_builtin("xor")
    net = Network.build([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0, init="uniform")
    ref = net.copy()
    cfg = TrainingConfig(learning_rate=0.8, schedule="step", step_every=2, step_factor=0.5)
    trainer = Trainer(net, ds, cfg)
    rates = []
    for _ in range(6):
        rates.append(trainer.current_learning_rate)
        trainer.run_epoch()
    assert rates == [0.8, 0.8, 0.4, 0.4, 0.2, 0.2]
    assert trainer.current_learning_rate == 0.1
    for lr in rates:
        engine_step(ref, ds.inputs, ds.targets(1), lr)
    assert_params_close(net, ref)


def test_constant_schedule_keeps_the_rate():
    ds = load_builtin("xor")
    net = Network.build([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0)
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=0.3, step_every=1, step_factor=0.1))
    trainer.train(epochs=3)
    assert trainer.current_learning_rate == 0.3


# ----- learning -------------------------------------------------------------------------------

def test_xor_learns_from_a_fixed_seed():
    ds = load_builtin("xor")
    net = Network.build([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0, init="uniform")
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=1.0, max_epochs=2000))
    assert trainer.train().code == "max_epochs"
    out = net.predict(ds.inputs).ravel()
    assert list(out > 0.5) == [False, True, True, False]
    assert trainer.history.accuracy[-1] == 1.0
    assert trainer.history.loss[-1] < 0.01 < trainer.history.loss[0]


def test_digits01_reaches_full_training_accuracy():
    ds = load_builtin("digits01")
    assert ds.n_inputs == 16 and ds.n_classes == 2
    net = Network.build([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy", seed=0)
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=0.1, max_epochs=200))
    trainer.train()
    predicted = net.predict(ds.inputs).argmax(axis=1)
    assert np.array_equal(predicted, ds.labels)
    assert trainer.history.accuracy[-1] == 1.0


def test_history_holds_the_engines_loss_and_accuracy_after_each_epoch():
    ds = random_dataset(9, 3, 3)
    net = Network.build([3, 5, 3], ["tanh", "softmax"], "cross_entropy", seed=2)
    ref = net.copy()
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=0.5))
    trainer.train(epochs=4)
    Y = ds.targets(3)
    for e in range(4):
        engine_step(ref, ds.inputs, Y, 0.5)
        out = ref.forward(ds.inputs)
        assert trainer.history.epoch[e] == e + 1
        assert trainer.history.loss[e] == pytest.approx(ref.loss(out, Y), abs=TOL)
        assert trainer.history.accuracy[e] == np.mean(out.output.argmax(axis=1) == ds.labels)
        assert math.isnan(trainer.history.val_loss[e]) and math.isnan(trainer.history.val_accuracy[e])


def test_single_output_accuracy_thresholds_at_one_half():
    # ŷ = w·x + b with w = 1, b = 0: outputs 0.4, 0.6, 0.5 for labels 0, 1, 1.
    net = linear_net([1.0], 0.0)
    ds = Dataset("t", "t", [[0.4], [0.6], [0.5]], [0, 1, 1], ["0", "1"])
    trainer = Trainer(net, ds, TrainingConfig())
    loss, acc, _, _ = trainer.evaluate()
    assert acc == pytest.approx(2 / 3)                # 0.5 is not above the threshold
    assert loss == pytest.approx((0.16 + 0.16 + 0.25) / 3, abs=TOL)


def test_validation_split_gives_the_engines_validation_metrics():
    ds = load_builtin("digits01")
    net = Network.build([16, 6, 2], ["relu", "softmax"], "cross_entropy", seed=1)
    cfg = TrainingConfig(learning_rate=0.1, validation_fraction=0.25, seed=3)
    trainer = Trainer(net, ds, cfg)
    train, val = ds.split(0.25, 3)
    assert trainer.n_samples == train.n_samples == ds.n_samples - 6
    result = trainer.run_epoch()
    out = net.forward(val.inputs)
    assert math.isfinite(result.val_loss) and math.isfinite(result.val_accuracy)
    assert result.val_loss == pytest.approx(net.loss(out, val.targets(2)), abs=TOL)
    assert result.val_accuracy == np.mean(out.output.argmax(axis=1) == val.labels)
    assert trainer.history.val_loss == [result.val_loss]


def test_chunked_evaluation_equals_one_pass(monkeypatch):
    monkeypatch.setattr(batch_pass, "EVAL_CHUNK", 4)
    ds = random_dataset(10, 3, 2)
    net = Network.build([3, 4, 2], ["sigmoid", "softmax"], "cross_entropy", seed=0)
    ref = net.copy()
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=0.2, validation_fraction=0.3))
    result = trainer.run_epoch()
    train, _ = ds.split(0.3, 0)
    engine_step(ref, train.inputs, train.targets(2), 0.2)
    assert_params_close(net, ref)
    assert result.loss == pytest.approx(ref.loss(ref.forward(train.inputs), train.targets(2)), abs=TOL)


# ----- divergence -------------------------------------------------------------------------------

def test_huge_learning_rate_diverges_and_keeps_the_last_finite_parameters():
    ds = load_builtin("xor")
    net = Network.build([2, 3, 1], ["relu", "linear"], "mse", seed=0)
    ref = net.copy()
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=1e6))
    reason = trainer.train(epochs=50)
    assert reason.code == "diverged" and trainer.stopped is reason
    assert "learning rate" in reason.message and "exploded" in reason.message
    assert trainer.steps >= 1
    assert len(trainer.history) == trainer.epoch
    for _ in range(trainer.steps):                   # the updates that were applied
        engine_step(ref, ds.inputs, ds.targets(1), 1e6)
    assert all(np.isfinite(p).all() for p in params(net))
    for x, y in zip(params(net), params(ref)):
        np.testing.assert_allclose(x, y, rtol=1e-12)


def test_loss_turning_infinite_mid_training_names_the_learning_rate():
    # ŷ = w·x + b, x = 1, y = 0, w = 4e147, b = 0: ∂L/∂w = ∂L/∂b = 2ŷ = 8e147. With α = 1e6
    # (the largest rate allowed) the update is 8e153 per parameter (its square still
    # finite), so ŷ = −1.6e154 and L = inf.
    cfg = TrainingConfig(learning_rate=1e6)
    net = linear_net([4e147], 0.0)
    trainer = Trainer(net, one_sample([1.0], 0), cfg)
    assert trainer.train(epochs=5).code == "diverged"       # seen by the evaluation
    assert "the loss on the training set became infinite after epoch 1" in trainer.stopped.message
    assert "learning rate 1e+06" in trainer.stopped.message
    assert trainer.steps == 1 and trainer.history.loss == [math.inf]
    assert (net.weights[0][0, 0], net.biases[0][0]) == pytest.approx((4e147 - 8e153, -8e153))

    net = linear_net([4e147], 0.0)
    trainer = Trainer(net, one_sample([1.0], 0), cfg)
    trainer.step()
    assert trainer.step() == math.inf and trainer.steps == 1  # seen by the next step
    assert "the loss became infinite at step 2 (epoch 2)" in trainer.stopped.message
    assert (net.weights[0][0, 0], net.biases[0][0]) == pytest.approx((4e147 - 8e153, -8e153))


def test_oversized_update_is_not_applied():
    # Huge weights make huge gradients; times the largest rate allowed, the update overflows.
    net = linear_net([1e150, 1e150], 0.0)
    before = params(net)
    trainer = Trainer(net, load_builtin("xor"), TrainingConfig(learning_rate=1e6))
    assert trainer.train(epochs=5).code == "diverged"
    assert "update (learning rate × gradient) grew too large" in trainer.stopped.message
    assert trainer.steps == 0
    assert all(np.array_equal(x, y) for x, y in zip(params(net), before))


def test_infinite_loss_stops_before_any_update():
    net = linear_net([1e200, 1e200], 0.0)
    before = params(net)
    trainer = Trainer(net, load_builtin("xor"), TrainingConfig(learning_rate=0.1))
    assert trainer.step() == math.inf
    assert trainer.stopped.code == "diverged" and "already infinite" in trainer.stopped.message
    assert "Re-initialise" in trainer.stopped.message
    assert trainer.steps == 0
    assert all(np.array_equal(x, y) for x, y in zip(params(net), before))


def test_infinite_gradient_is_not_applied():
    # z¹ = 1e-310·1e10 = 1e-300, z² = 1e300·1e-300 = 1: the loss is finite, but
    # ∂L/∂W¹ = α·δ²·W²·x ≈ 0.029·1e300·1e10 overflows.
    net = Network([1, 1, 1], ["relu", "sigmoid"], "mse",
                  [np.array([[1e-310]]), np.array([[1e300]])], [np.zeros(1), np.zeros(1)])
    before = params(net)
    ds = Dataset("big", "big", [[1e10]], [0], ["0", "1"])
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=0.1))
    result = trainer.run_epoch()
    assert result.stopped is trainer.stopped and trainer.stopped.code == "diverged"
    assert "update of W¹ (learning rate × ∂L/∂W¹) became infinite" in trainer.stopped.message
    # W² = 10³⁰⁰ from the start: the weights are to blame, not the learning rate 0.1.
    assert "The weights were already huge before training: the largest was 1×10³⁰⁰" \
        in trainer.stopped.message
    assert "learning rate" not in trainer.stopped.message.split("Re-initialise")[0].split(
        "before training")[1].split("even")[0]
    assert math.isnan(result.loss) and len(trainer.history) == 0
    assert trainer.steps == 0
    assert all(np.array_equal(x, y) for x, y in zip(params(net), before))


def test_divergence_from_huge_starting_weights_blames_the_weights_not_a_small_rate():
    net = Network.build([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy", seed=0)
    net.weights = [1e20 * np.sign(W) for W in net.weights]
    trainer = Trainer(net, load_builtin("digits01"), TrainingConfig(learning_rate=0.1))
    assert trainer.train(epochs=100).code == "diverged"
    message = trainer.stopped.message
    assert message.startswith("Training diverged: the loss on the training set exploded")
    assert ("The weights were already huge before training: the largest was 1×10²⁰. Their "
            "gradients are huge too, so even the learning rate 0.1 takes steps far too large, "
            "and a lower one would not help. Re-initialise the weights, or make them smaller. "
            "The weights were kept at their last finite values.") in message
    assert "too high" not in message and "Try a lower learning rate" not in message


def test_divergence_from_huge_starting_biases_names_the_biases():
    net = Network.build([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy", seed=0)
    net.biases = [np.full(b.shape, 1e6) for b in net.biases]
    trainer = Trainer(net, load_builtin("digits01"), TrainingConfig(learning_rate=0.1))
    assert trainer.train(epochs=100).code == "diverged"
    assert "The biases were already huge before training: the largest was 1×10⁶." \
        in trainer.stopped.message


def test_divergence_from_huge_inputs_blames_the_inputs():
    ds = load_builtin("digits01")
    ds.inputs = ds.inputs * 1e20
    net = Network.build([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy", seed=0)
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=0.1))
    assert trainer.train(epochs=100).code == "diverged"
    assert "The inputs are huge (up to 1×10²⁰)" in trainer.stopped.message
    assert "Scale the inputs down." in trainer.stopped.message


def test_divergence_from_a_large_rate_says_how_the_steps_made_the_weights_grow():
    net = Network.build([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy", seed=0)
    start = max(float(np.max(np.abs(p))) for p in params(net))
    trainer = Trainer(net, load_builtin("digits01"), TrainingConfig(learning_rate=10.0))
    assert trainer.train(epochs=100).code == "diverged"
    grown = max(float(np.max(np.abs(p))) for p in params(net))   # the last finite weights
    assert trainer.steps == 4 and f"{start:.3g}" == "1.75" and 1e4 < grown < 1e5
    assert trainer.stopped.message.endswith(
        f"The learning rate 10 is too high: its 4 steps made the largest weight grow from "
        f"1.75 to {number_text(grown)}. Try a lower learning rate, such as 1. "
        "The weights were kept at their last finite values.")


def test_a_run_begun_after_the_weights_were_made_huge_blames_the_weights():
    # The same Trainer goes on after a pause in which a weight was set to 10²⁰ in place
    # (as an Inspector edit does): the divergence is explained against where the run began.
    net = Network.build([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy", seed=0)
    trainer = Trainer(net, load_builtin("digits01"), TrainingConfig(learning_rate=0.1))
    assert trainer.train(epochs=2).code == "limit"
    net.weights[1][0, 0] = 1e20
    trainer.begin_run()
    assert trainer.train(epochs=100).code == "diverged"
    assert "The weights were already huge before training: the largest was 1×10²⁰" \
        in trainer.stopped.message


def test_an_absurd_rate_suggests_the_default_not_a_tenth_of_it():
    net = Network.build([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy", seed=0)
    # 10⁶, the largest rate a project may hold: a tenth of it (10⁵) is still absurd.
    trainer = Trainer(net, load_builtin("digits01"), TrainingConfig(learning_rate=1e6))
    assert trainer.train(epochs=100).code == "diverged" and trainer.steps == 1
    assert ("The learning rate 1e+06 is too high: its first step made the largest weight grow "
            "from 1.75 to 1.5×10⁵. Try a lower learning rate, such as 0.1.") in trainer.stopped.message


def test_nan_input_diverges_with_nan_message():
    net = linear_net([0.5, 0.5], 0.0)
    ds = Dataset("nan", "nan", [[0.0, np.nan], [1.0, 1.0]], [0, 1], ["0", "1"])
    trainer = Trainer(net, ds, TrainingConfig())
    assert trainer.train(epochs=3).code == "diverged"
    assert "already NaN" in trainer.stopped.message and trainer.steps == 0


# ----- stopping -------------------------------------------------------------------------------

def test_target_loss_stops_early():
    ds = load_builtin("xor")
    net = Network.build([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0, init="uniform")
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=1.0, target_loss=0.05, max_epochs=5000))
    reason = trainer.train()
    assert reason.code == "target_loss" and "0.05" in reason.message
    h = trainer.history
    assert len(h) == trainer.epoch < 5000
    assert h.loss[-1] <= 0.05 < h.loss[-2]


def test_history_lengths_equal_epochs():
    ds = random_dataset(8, 2, 2)
    net = Network.build([2, 3, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    trainer = Trainer(net, ds, TrainingConfig(optimizer="minibatch", batch_size=3))
    reason = trainer.train(epochs=7)
    assert reason == StopReason("limit", "Trained the requested 7 epochs.")
    h = trainer.history
    assert trainer.epoch == 7 and h.epoch == [1, 2, 3, 4, 5, 6, 7]
    assert len(h.loss) == len(h.accuracy) == len(h.val_loss) == len(h.val_accuracy) == 7
    assert trainer.steps == 7 * 3


def test_max_epochs_counts_all_epochs():
    ds = load_builtin("xor")
    net = Network.build([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0)
    trainer = Trainer(net, ds, TrainingConfig(max_epochs=5))
    assert trainer.train(epochs=3).code == "limit"
    assert trainer.train(epochs=10).code == "max_epochs"
    assert trainer.epoch == 5 and len(trainer.history) == 5
    assert trainer.train().code == "max_epochs" and trainer.steps == 5


def test_max_steps_stops_mid_epoch_and_run_epoch_finishes_the_pass():
    ds = random_dataset(7, 2, 2)
    net = Network.build([2, 3, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    trainer = Trainer(net, ds, TrainingConfig(optimizer="minibatch", batch_size=3))
    reason = trainer.train(max_steps=2)
    assert reason.code == "limit" and (trainer.steps, trainer.epoch) == (2, 0)
    result = trainer.run_epoch()
    assert (result.steps, trainer.steps, trainer.epoch) == (1, 3, 1)


def test_should_stop_is_asked_after_every_step():
    ds = random_dataset(6, 2, 2)
    net = Network.build([2, 3, 2], ["relu", "softmax"], "cross_entropy", seed=0)
    trainer = Trainer(net, ds, TrainingConfig(optimizer="sgd"))
    calls = []
    reason = trainer.train(should_stop=lambda: calls.append(1) or len(calls) == 4)
    assert reason.code == "user" and trainer.steps == 4 and len(calls) == 4


def test_train_needs_a_limit():
    net = Network.build([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0)
    trainer = Trainer(net, load_builtin("xor"), TrainingConfig(target_loss=0.1))
    with pytest.raises(ValueError, match="limit"):
        trainer.train()


@pytest.mark.parametrize("kwargs", [{"epochs": -1}, {"epochs": 1.5}, {"max_steps": True}])
def test_train_limits_must_be_whole_numbers(kwargs):
    net = Network.build([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0)
    with pytest.raises(ValueError, match="whole number"):
        Trainer(net, load_builtin("xor"), TrainingConfig()).train(**kwargs)


def test_history_can_be_continued():
    history = History()
    history.append(41, 0.5, 0.5)
    net = Network.build([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0)
    trainer = Trainer(net, load_builtin("xor"), TrainingConfig(), history=history)
    assert isinstance(trainer.run_epoch(), EpochResult)
    assert trainer.history is history and history.epoch == [41, 42]


# ----- the trainer and the caller's network -------------------------------------------------

def test_trainer_keeps_values_and_trains_the_callers_network_in_place():
    net = Network.build([2, 3, 1], ["tanh", "sigmoid"], "mse", seed=0)
    before = params(net)
    trainer = Trainer(net, load_builtin("xor"), TrainingConfig())
    assert all(np.array_equal(x, y) for x, y in zip(params(net), before))
    trainer.step()
    assert not np.array_equal(net.weights[0], before[0])


def test_edits_between_calls_are_used():
    ds = load_builtin("xor")
    net = Network.build([2, 3, 1], ["tanh", "sigmoid"], "mse", seed=0)
    ref = net.copy()
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=0.5))
    trainer.run_epoch()
    engine_step(ref, ds.inputs, ds.targets(1), 0.5)
    net.weights[0][0, 0] += 1.0                      # an edit in place
    ref.weights[0][0, 0] += 1.0
    trainer.run_epoch()
    engine_step(ref, ds.inputs, ds.targets(1), 0.5)
    net.weights[1] = np.full((1, 3), 0.2)            # a replaced array
    ref.weights[1] = np.full((1, 3), 0.2)
    net.set_flat(net.get_flat() * 0.5)               # every array replaced
    ref.set_flat(ref.get_flat() * 0.5)
    trainer.run_epoch()
    engine_step(ref, ds.inputs, ds.targets(1), 0.5)
    assert_params_close(net, ref)


def test_batch_training_equals_repeated_steps():
    # train() reuses the evaluation's forward pass for the next step; the result is the same.
    ds = load_builtin("xor")
    a = Network.build([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0, init="uniform")
    b = a.copy()
    Trainer(a, ds, TrainingConfig(learning_rate=1.0)).train(epochs=5)
    tb = Trainer(b, ds, TrainingConfig(learning_rate=1.0))
    for _ in range(5):
        tb.step()
    assert all(np.array_equal(x, y) for x, y in zip(params(a), params(b)))
    assert tb.epoch == 5 and len(tb.history) == 0    # step() never records


@pytest.mark.parametrize("change,match", [
    ({"optimizer": "adam"}, "optimizer"), ({"learning_rate": 0.0}, "learning rate"),
    ({"learning_rate": math.nan}, "learning rate"), ({"batch_size": 0}, "batch size"),
    ({"momentum": 1.0}, "momentum"), ({"l2": -1.0}, "l2"), ({"schedule": "cosine"}, "schedule"),
    ({"step_every": 0}, "step every"), ({"validation_fraction": 1.0}, "validation"),
])
def test_bad_settings_are_refused(change, match):
    net = Network.build([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0)
    with pytest.raises(ValueError, match=match):
        Trainer(net, load_builtin("xor"), TrainingConfig(**change))


def test_dataset_must_fit_the_network():
    net = Network.build([3, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0)
    with pytest.raises(ValueError, match="3 neurons"):
        Trainer(net, load_builtin("xor"), TrainingConfig())


def test_non_finite_parameters_are_refused():
    net = Network.build([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0)
    net.weights[1][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"weights\[1\]"):
        Trainer(net, load_builtin("xor"), TrainingConfig())


@pytest.mark.parametrize("loss", ["mse", "half_sse"])
def test_a_loss_over_more_samples_than_one_chunk_is_the_engines(monkeypatch, loss):
    # Evaluation runs in chunks of EVAL_CHUNK samples: a mean loss weighs them by their share,
    # a summed loss (half_sse) adds them up.
    monkeypatch.setattr(batch_pass, "EVAL_CHUNK", 3)
    rng = np.random.default_rng(5)
    ds = Dataset("t", "t", rng.uniform(-1, 1, (8, 2)), rng.integers(0, 2, 8), ["a", "b"])
    net = Network.build([2, 3, 1], ["tanh", "sigmoid"], loss, seed=2)
    trainer = Trainer(net, ds, TrainingConfig(learning_rate=0.1))
    engine = net.loss(net.forward(ds.inputs), ds.targets(1))
    assert trainer.initial_loss == pytest.approx(engine, rel=1e-14)
    assert len(trainer._train_chunks) == 3
