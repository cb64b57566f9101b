"""The loader, the Trainer and the Network agree on every limit: a value one accepts, the
others accept; one just beyond a bound, all refuse (engine.limits is their one home)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_gui.engine import limits
from backprop_gui.engine.datasets import load_builtin
from backprop_gui.engine.limits import TRAINING_BOUNDS, Bound
from backprop_gui.engine.network import Network
from backprop_gui.engine.project import MAX_RECORDS, History, Project, TrainingConfig
from backprop_gui.engine.projectfile import (
    ProjectFileError, loads_project, project_from_dict, project_to_dict)
from backprop_gui.engine.training import Trainer


def xor_project() -> Project:
    # 40 samples: a validation split of 90 % still leaves training samples.
    ds = load_builtin("blobs")
    assert ds.n_samples >= 20
    return Project(Network.build([2, 3, 1], ["tanh", "sigmoid"], "mse", seed=0), ds)


def edges(bound: Bound) -> tuple[list, list]:
    """(values at the bounds, values just beyond them)."""
    if bound.integer:
        inside = [int(bound.low), int(bound.high)]
        outside = [int(bound.low) - 1, int(bound.high) + 1]
    else:
        inside = [bound.high] + ([] if bound.open_low else [bound.low])
        outside = [float(np.nextafter(bound.low, -math.inf)), float(np.nextafter(bound.high, math.inf))]
        if bound.open_low:
            outside.append(bound.low)
        else:
            inside.append(float(np.nextafter(bound.low, math.inf)))
    if bound.optional:
        inside.append(None)
    return inside, outside


def loader_accepts(field: str, value) -> bool:
    data = project_to_dict(xor_project())
    data["training"][field] = value
    try:
        project = loads_project(json.dumps(data))
    except ProjectFileError as e:
        assert f"training.{field}: " in str(e)
        return False
    assert getattr(project.training, field) == value
    return True


def trainer_accepts(field: str, value) -> bool:
    project = xor_project()
    try:
        Trainer(project.network, project.dataset, TrainingConfig(**{field: value}))
    except ValueError as e:
        assert field.replace("_", " ") in str(e)
        return False
    return True


CASES = [(field, value, True) for field, b in TRAINING_BOUNDS.items() for value in edges(b)[0]] + \
        [(field, value, False) for field, b in TRAINING_BOUNDS.items() for value in edges(b)[1]]


@pytest.mark.parametrize("field, value, allowed", CASES)
def test_loader_and_trainer_agree_at_and_just_beyond_every_bound(field, value, allowed):
    assert loader_accepts(field, value) is allowed
    assert trainer_accepts(field, value) is allowed


def test_every_numeric_training_setting_has_a_bound():
    numeric = {f for f, v in vars(TrainingConfig()).items()
               if f not in ("optimizer", "schedule", "init")}
    assert numeric == set(TRAINING_BOUNDS)


@settings(max_examples=200, deadline=None)
@given(field=st.sampled_from(sorted(TRAINING_BOUNDS)),
       value=st.one_of(st.integers(-2**40, 2**40), st.floats(-1e7, 1e7, allow_nan=False)))
def test_any_value_the_loader_accepts_the_trainer_accepts(field, value):
    if TRAINING_BOUNDS[field].integer and isinstance(value, float):
        value = int(value)
    assert loader_accepts(field, value) == trainer_accepts(field, value)


@pytest.mark.parametrize("change, message", [
    ({"optimizer": "adam"}, "unknown optimizer 'adam' (known: batch, minibatch, sgd)"),
    ({"schedule": "cosine"}, "unknown schedule 'cosine' (known: constant, step)"),
    ({"init": "orthogonal"}, "unknown initialiser 'orthogonal' (known: he, xavier, uniform, zeros)"),
    ({"learning_rate": 0.0}, "learning rate must be in 1e-06 … 1,000,000, got 0.0"),
    ({"max_epochs": 0}, "max epochs must be a whole number in 1 … 1,000,000,000, got 0"),
    # Several bad settings: the first is named, choices before numbers, numbers in field order.
    ({"l2": -1.0, "momentum": 1.0}, "momentum must be in 0 … 0.999, got 1.0"),
    ({"l2": -1.0, "optimizer": "adam"}, "unknown optimizer 'adam' (known: batch, minibatch, sgd)"),
])
def test_validate_names_the_first_bad_setting(change, message):
    with pytest.raises(ValueError) as caught:
        TrainingConfig(**change).validate()
    assert str(caught.value) == message


def test_default_settings_and_every_value_at_a_bound_are_valid():
    TrainingConfig().validate()
    for field, value, allowed in CASES:
        if allowed:
            TrainingConfig(**{field: value}).validate()


def test_validation_fraction_one_is_refused_by_both():
    # The planted bug of issue 17: a loader accepting 1.0 made the Trainer refuse the project.
    assert not loader_accepts("validation_fraction", 1.0)
    assert not trainer_accepts("validation_fraction", 1.0)


# ----- the size of a network and a dataset -----------------------------------------------

def sizes_text(sizes):
    data = project_to_dict(xor_project())
    data["network"]["sizes"] = sizes
    return data


@pytest.mark.parametrize("sizes, problem", [
    ([2] + [1] * limits.MAX_LAYERS, None),
    ([2] + [1] * (limits.MAX_LAYERS + 1),
     f"the network has {limits.MAX_LAYERS + 1} layers after the input; at most "
     f"{limits.MAX_LAYERS} are allowed"),
    ([limits.MAX_INPUTS, 2], None),
    ([limits.MAX_INPUTS + 1, 2], f"the input layer has {limits.MAX_INPUTS + 1} neurons; at most "
                                 f"{limits.MAX_INPUTS} are allowed"),
    ([2, limits.MAX_NEURONS, 2], None),
    ([2, limits.MAX_NEURONS + 1, 2],
     f"layer 1 has {limits.MAX_NEURONS + 1} neurons; at most {limits.MAX_NEURONS} are allowed"),
    ([784, 300, 100, 10], None),   # LeNet-300-100: 266,610 parameters
    ([1000, 299, 2], None),        # 299,000 + 299 + 598 + 2 = 299,899
    ([1000, 300, 2], "the network has 300,902 weights and biases; at most 300,000 are allowed"),
])
def test_architecture_limits(sizes, problem):
    assert limits.architecture_problem(sizes) == problem
    acts = ["tanh"] * (len(sizes) - 2) + ["sigmoid"]
    if problem is None:
        Network.build(sizes, acts, "mse")
    else:
        with pytest.raises(ValueError, match="at most"):
            Network.build(sizes, acts, "mse")


def test_a_thousand_hidden_layers_are_refused_before_anything_is_read():
    data = project_to_dict(xor_project())
    data["network"]["sizes"] = [2] + [3] * 1000 + [1]
    with pytest.raises(ProjectFileError) as e:
        loads_project(json.dumps(data))
    assert str(e.value) == ("network.sizes: the network has 1001 layers after the input; "
                            f"at most {limits.MAX_LAYERS} are allowed")


@pytest.mark.parametrize("key", ["inputs", "test_inputs"])
def test_too_many_samples_are_refused_naming_the_limit(key):
    data = project_to_dict(xor_project())
    n = limits.MAX_SAMPLES + 1
    data["dataset"][key] = [[0, 0]] * n
    data["dataset"]["test_labels" if key == "test_inputs" else "labels"] = [0] * n
    if key == "test_inputs":
        data["dataset"].setdefault("test_labels", [0] * n)
    with pytest.raises(ProjectFileError) as e:
        loads_project(json.dumps(data))
    assert str(e.value) == f"dataset.{key}: {n} samples; a dataset may hold at most 10,000"


def test_a_million_record_history_is_thinned_on_load_as_training_thins_it():
    project = xor_project()
    n = 1_000_000
    history = History(epoch=list(range(1, n + 1)), loss=[1.0] * n, accuracy=[0.5] * n,
                      val_loss=[math.nan] * n, val_accuracy=[math.nan] * n)
    project.history = history
    loaded = project_from_dict(project_to_dict(project)).history
    expected = History(*(list(getattr(history, k)) for k in ("epoch", "loss", "accuracy",
                                                              "val_loss", "val_accuracy")))
    expected.thin()
    assert len(loaded) <= MAX_RECORDS
    assert loaded.epoch == expected.epoch
    assert loaded.epoch[:3] == [1, 2, 3] and loaded.epoch[-1] == n


def test_history_epochs_must_increase():
    data = project_to_dict(xor_project())
    data["history"] = {"epoch": [1, 3, 3], "loss": [1, 1, 1], "accuracy": [0, 0, 0],
                       "val_loss": [None] * 3, "val_accuracy": [None] * 3}
    with pytest.raises(ProjectFileError) as e:
        loads_project(json.dumps(data))
    assert str(e.value) == "history.epoch[2]: epochs must increase, but 3 follows 3"


def test_a_bad_value_among_records_thinned_away_is_still_refused():
    project = xor_project()
    n = MAX_RECORDS + 50_000
    project.history = History(epoch=list(range(1, n + 1)), loss=[1.0] * n, accuracy=[0.5] * n,
                              val_loss=[math.nan] * n, val_accuracy=[math.nan] * n)
    data = project_to_dict(project)
    data["history"]["loss"][5001] = "oops"     # in the middle, which thinning drops
    with pytest.raises(ProjectFileError) as e:
        project_from_dict(data)
    assert str(e.value).startswith("history.loss[5001]: expected a number, null")
