"""Named runs: their counts per epoch, and how a project file keeps them (round trip, old
files without runs, hostile values refused with a message naming the field)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from backprop_gui.engine import project
from backprop_gui.engine.datasets import load_builtin
from backprop_gui.engine.limits import MAX_RUN_NAME, MAX_RUNS
from backprop_gui.engine.network import Network
from backprop_gui.engine.project import History, Project, TrainingConfig, first_difference
from backprop_gui.engine.projectfile import (ProjectFileError, dumps_project, load_project,
                                             loads_project, project_to_dict, save_project)
from backprop_gui.engine.runs import Run, epoch_counts, free_color, unique_name
from backprop_gui.engine.training import Trainer


def make_run(name: str = "SGD", color: int = 2, visible: bool = True) -> Run:
    history = History()
    history.append(1, 0.75, 0.5)
    history.append(2, 0.5, 0.25, 0.625, 0.5)
    history.append(3, math.inf, 0.0)
    return Run(name, TrainingConfig(optimizer="sgd", learning_rate=0.3, momentum=0.5, seed=4),
               history, updates_per_epoch=4, samples_per_epoch=4, color=color, visible=visible)


def make_project() -> Project:
    dataset = load_builtin("xor")
    net = Network.build([2, 3, 1], ["tanh", "sigmoid"], "binary_cross_entropy", seed=1)
    return Project(net, dataset, runs=[make_run(), make_run("Batch GD", 0, visible=False)])


# ----- counts per epoch -----------------------------------------------------------------


@pytest.mark.parametrize("optimizer, batch_size, fraction, expected", [
    ("batch", 8, 0.0, (1, 20)), ("sgd", 8, 0.0, (20, 20)), ("minibatch", 8, 0.0, (3, 20)),
    ("minibatch", 50, 0.0, (1, 20)), ("minibatch", 3, 0.25, (5, 15)), ("sgd", 1, 0.25, (15, 15)),
])
def test_updates_and_samples_per_epoch_are_what_the_trainer_does(optimizer, batch_size, fraction,
                                                                 expected):
    dataset = load_builtin("blobs")
    dataset = type(dataset)(**{**dataset.__dict__, "inputs": dataset.inputs[:20],
                               "labels": dataset.labels[:20]})
    config = TrainingConfig(optimizer=optimizer, batch_size=batch_size,
                            validation_fraction=fraction)
    assert epoch_counts(20, config) == expected
    net = Network.build([dataset.n_inputs, 3, dataset.n_classes], ["relu", "softmax"],
                        "cross_entropy", seed=0)
    trainer = Trainer(net, dataset, config)
    trainer.train(epochs=2)
    assert (trainer.steps_per_epoch, trainer.n_samples) == expected
    assert trainer.steps == 2 * expected[0]


def test_x_values_count_epochs_updates_and_samples():
    run = make_run()
    run.updates_per_epoch, run.samples_per_epoch = 3, 20
    assert run.x_values("epochs").tolist() == [1, 2, 3]
    assert run.x_values("updates").tolist() == [3, 6, 9]
    assert run.x_values("samples").tolist() == [20, 40, 60]
    with pytest.raises(ValueError, match="unknown x axis 'steps'"):
        run.x_values("steps")


def test_new_runs_get_a_free_colour_and_a_name_of_their_own():
    runs = [make_run("SGD", 0), make_run("SGD (2)", 2)]
    assert free_color(runs) == 1
    assert unique_name("SGD", runs) == "SGD (3)"
    assert unique_name("Batch GD", runs) == "Batch GD"


# ----- the project file -----------------------------------------------------------------


def test_runs_round_trip_through_a_file_exactly(tmp_path):
    p = make_project()
    path = tmp_path / "runs.bpnet"
    save_project(p, path)
    q = load_project(path)
    assert first_difference(p, q) is None
    assert [r.name for r in q.runs] == ["SGD", "Batch GD"]
    assert [(r.color, r.visible) for r in q.runs] == [(2, True), (0, False)]
    for a, b in zip(p.runs, q.runs, strict=True):
        assert b.training == a.training
        assert (b.updates_per_epoch, b.samples_per_epoch) == (a.updates_per_epoch,
                                                                a.samples_per_epoch)
        assert b.history.epoch == a.history.epoch
        assert b.history.loss == a.history.loss           # ∞ comes back as ∞
        assert np.array_equal(b.history.val_loss, a.history.val_loss, equal_nan=True)


def test_a_run_changed_makes_the_project_differ_but_showing_or_hiding_it_does_not():
    p = make_project()
    for field, change in {
        "runs": lambda r: r.runs.pop(),
        "runs[0].name": lambda r: setattr(r.runs[0], "name", "other"),
        "runs[1].color": lambda r: setattr(r.runs[1], "color", 5),
        "runs[0].training": lambda r: setattr(r.runs[0].training, "learning_rate", 0.1),
        "runs[0].history.loss": lambda r: r.runs[0].history.loss.__setitem__(0, 0.5),
    }.items():
        q = p.copy()
        change(q)
        assert first_difference(p, q) == field
    q = p.copy()
    q.runs[0].visible = False
    assert first_difference(p, q) is None


def test_a_copy_shares_no_run():
    p = make_project()
    q = p.copy()
    q.runs[0].history.append(4, 0.1, 1.0)
    q.runs[0].training.learning_rate = 9.0
    assert len(p.runs[0].history) == 3 and p.runs[0].training.learning_rate == 0.3


def test_a_file_without_runs_still_opens_with_none():
    data = project_to_dict(make_project())
    del data["runs"]
    assert loads_project(json.dumps(data)).runs == []
    data["runs"] = None
    assert loads_project(json.dumps(data)).runs == []


def test_a_run_history_longer_than_training_keeps_is_thinned_on_load():
    p = make_project()
    n = project.MAX_RECORDS + 5_000
    p.runs[0].history = History(list(range(1, n + 1)), [1.0] * n, [0.5] * n, [math.nan] * n,
                                [math.nan] * n)
    q = loads_project(dumps_project(p))
    assert len(q.runs[0].history) <= project.MAX_RECORDS
    assert q.runs[0].history.epoch[-1] == n


def broken(mutate) -> str:
    data = project_to_dict(make_project())
    mutate(data)
    with pytest.raises(ProjectFileError) as error:
        loads_project(json.dumps(data))
    return str(error.value)


def put(path: str, value):
    def mutate(data):
        *head, last = path.split(".")
        for key in head:
            data = data[int(key)] if isinstance(data, list) else data[key]
        data[int(last) if isinstance(data, list) else last] = value
    return mutate


@pytest.mark.parametrize("mutate, message", [
    (put("runs", {"name": "x"}), "runs: expected a list, got an object"),
    (put("runs", ["SGD"]), "runs[0]: expected an object, got the string 'SGD'"),
    (put("runs.0.name", ""), "runs[0].name: a run needs a name"),
    (put("runs.0.name", 7), "runs[0].name: expected a string, got the number 7"),
    (put("runs.1.name", "a" * (MAX_RUN_NAME + 1)),
     f"runs[1].name: a run's name has at most {MAX_RUN_NAME} characters, got {MAX_RUN_NAME + 1}"),
    (put("runs.0.name", "two\nlines"),
     "runs[0].name: a run's name must not hold control characters (such as a line break)"),
    (put("runs.0.color", MAX_RUNS), f"runs[0].color: must lie in 0 … {MAX_RUNS - 1}, got {MAX_RUNS}"),
    (put("runs.0.color", 1.5), "runs[0].color: expected an integer, got the number 1.5"),
    (put("runs.0.visible", 1), "runs[0].visible: expected true or false, got the number 1"),
    (put("runs.0.updates_per_epoch", 0), "runs[0].updates_per_epoch: must lie in 1 … 10000, got 0"),
    (put("runs.0.samples_per_epoch", 10**9),
     "runs[0].samples_per_epoch: must lie in 1 … 10000, got 1000000000"),
    (put("runs.0.updates_per_epoch", 5),
     "runs[0].updates_per_epoch: an update uses at least one sample, so there are at most 4 "
     "(samples_per_epoch) updates per epoch, got 5"),
    (put("runs.0.training.learning_rate", -1),
     "runs[0].training.learning_rate: must be in 1e-06 … 1,000,000, got -1.0"),
    (put("runs.1.training.optimizer", "adam"),
     "runs[1].training.optimizer: unknown optimizer 'adam' (known: batch, minibatch, sgd)"),
    (put("runs.0.history.loss", [1, 2]),
     "runs[0].history.loss: expected 3 values (as many as runs[0].history.epoch), got 2"),
    (put("runs.0.history.epoch", [1, 1, 2]),
     "runs[0].history.epoch[1]: epochs must increase, but 1 follows 1"),
    (put("runs.0.history.loss", [1, "NaN", 2]),
     'runs[0].history.loss[1]: expected a number, null (no value), "Infinity" or "-Infinity", '
     "got the string 'NaN'"),
    (lambda d: d["runs"][0].pop("history"), "runs[0].history: missing"),
    (lambda d: d["runs"][1].pop("visible"), "runs[1].visible: missing"),
    (lambda d: d.__setitem__("runs", d["runs"] * (MAX_RUNS // 2 + 1)),
     f"runs: {MAX_RUNS + 2} runs; a project keeps at most {MAX_RUNS}"),
])
def test_hostile_runs_are_refused_naming_the_field(mutate, message):
    assert broken(mutate) == message
