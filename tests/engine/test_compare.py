"""Compare: every variant's run is exactly what the engine's Trainer gives for its setting
from the same weights, however the work is sliced."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from backprop_gui.engine.compare import CompareJob, Variant, preset_variants
from backprop_gui.engine.datasets import load_builtin
from backprop_gui.engine.network import Network
from backprop_gui.engine.project import TrainingConfig
from backprop_gui.engine.training import Trainer

BASE = TrainingConfig(optimizer="minibatch", learning_rate=0.3, batch_size=3, momentum=0.5,
                      seed=5)


def problem():
    dataset = load_builtin("blobs")
    net = Network.build([dataset.n_inputs, 5, dataset.n_classes], ["tanh", "softmax"],
                        "cross_entropy", seed=3)
    return net, dataset


def every_n_calls(n: int):
    calls = itertools.count(1)
    return lambda: next(calls) % n == 0


@pytest.mark.parametrize("preset", ["optimizers", "learning_rates", "momentum"])
def test_each_run_is_what_the_trainer_gives_for_its_setting_from_the_same_weights(preset):
    net, dataset = problem()
    before = [W.copy() for W in net.weights]
    variants = preset_variants(preset, BASE)
    job = CompareJob(net, dataset, BASE, variants, epochs=6)
    slices = 1
    while not job.advance(every_n_calls(7)):       # stopped every 7 updates, resumed
        slices += 1
    assert slices > 3
    assert [run.name for run in job.runs] == [v.name for v in variants]
    for variant, run in zip(variants, job.runs, strict=True):
        config = replace(BASE, **variant.changes)
        trainer = Trainer(net.copy(), dataset, config)
        trainer.train(epochs=6)
        assert run.history.epoch == [1, 2, 3, 4, 5, 6]
        assert run.history.loss == trainer.history.loss          # exactly, not approximately
        assert run.history.accuracy == trainer.history.accuracy
        assert run.training == config
        assert (run.updates_per_epoch, run.samples_per_epoch) == (trainer.steps_per_epoch,
                                                                  trainer.n_samples)
    # The network the copies came from is untouched.
    assert all((W == V).all() for W, V in zip(net.weights, before))
    assert job.steps_done == job.total_steps


def test_presets_name_what_they_change():
    names = [v.name for v in preset_variants("optimizers", BASE)]
    assert names == ["Batch GD, α = 0.3, momentum 0.5", "Mini-batch of 3, α = 0.3, momentum 0.5",
                     "SGD, α = 0.3, momentum 0.5"]
    assert [v.name for v in preset_variants("learning_rates", BASE)] == [
        "Mini-batch of 3, α = 0.3, momentum 0.5", "Mini-batch of 3, α = 0.03, momentum 0.5"]
    assert [v.name for v in preset_variants("momentum", BASE)] == [
        "Mini-batch of 3, α = 0.3", "Mini-batch of 3, α = 0.3, momentum 0.9"]


def test_the_epoch_count_and_the_number_of_variants_are_checked():
    net, dataset = problem()
    two = preset_variants("momentum", BASE)
    with pytest.raises(ValueError, match="compare 2 to 4 settings, got 1"):
        CompareJob(net, dataset, BASE, two[:1], 5)
    with pytest.raises(ValueError, match="compare 2 to 4 settings, got 5"):
        CompareJob(net, dataset, BASE, two * 2 + two[:1], 5)
    with pytest.raises(ValueError, match="epochs must be a whole number"):
        CompareJob(net, dataset, BASE, two, 0)
    with pytest.raises(ValueError, match="learning rate must be in"):
        CompareJob(net, dataset, BASE, [Variant("x", {"learning_rate": -1.0}), two[0]], 5)
    with pytest.raises(ValueError, match="a variant cannot change seed"):
        CompareJob(net, dataset, BASE, [Variant("x", {"seed": 1}), two[0]], 5)


def test_a_diverging_variant_ends_early_and_the_others_run_on():
    net, dataset = problem()
    variants = [Variant("huge", {"learning_rate": 1e5, "optimizer": "sgd"}), Variant("fine")]
    job = CompareJob(net, dataset, BASE, variants, epochs=5)
    assert job.advance()
    assert job.stops[0] is not None and job.stops[0].code == "diverged"
    assert len(job.runs[0].history) < 5 and len(job.runs[1].history) == 5
    assert job.stops[1] is None
