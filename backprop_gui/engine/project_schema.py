"""Reading a parsed project file into a Project: every field checked, every problem named.

The format itself is described in projectfile.py. Each reader here takes a parsed JSON
value and the path of the field it came from and builds one part of the project (network,
dataset, training settings, history, runs) with the checkers of field_checks.py, so every
problem is a ProjectFileError naming that path ("network.weights[1]: expected 6 rows of 16
numbers, got 5 rows"); nothing else escapes `project_from_dict`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .activations import ACTIVATIONS
from .dataset import KINDS, Dataset
from .field_checks import (_MISSING, ProjectFileError, _boolean, _choice, _describe, _fail,
                           _get, _integer, _labels, _list, _matrix, _number, _numbers, _object,
                           _plural, _string, _to_float)
from .limits import (MAX_INPUTS, MAX_LAYERS, MAX_RUN_NAME, MAX_RUNS, MAX_SAMPLES,
                     TRAINING_BOUNDS, Bound)
from .losses import LOSSES
from .network import INITIALISERS, Network, check_architecture
from .project import MAX_RECORDS, OPTIMIZERS, SCHEDULES, History, Project, TrainingConfig, thinned
from .runs import Run

FORMAT_TAG = "backprop-gui-project"
FORMAT_VERSION = 1
FILE_EXTENSION = ".bpnet"
HISTORY_SERIES = ("loss", "accuracy", "val_loss", "val_accuracy")


def _network(d: Any, path: str = "network") -> Network:
    d = _object(d, path)
    raw_sizes = _list(_get(d, "sizes", path), f"{path}.sizes")
    if len(raw_sizes) < 2:
        _fail(f"{path}.sizes", f"a network needs at least an input and an output layer, "
                               f"got {_plural(len(raw_sizes), 'size')}")
    if len(raw_sizes) - 1 > MAX_LAYERS:
        _fail(f"{path}.sizes", f"the network has {len(raw_sizes) - 1} layers after the input; "
                               f"at most {MAX_LAYERS} are allowed")
    # Each size is checked before any list of that length is read; check_architecture then
    # holds the network to the app's limits (engine.limits) as a whole.
    sizes = [_integer(n, f"{path}.sizes[{i}]", 1, MAX_INPUTS) for i, n in enumerate(raw_sizes)]
    n_layers = len(sizes) - 1
    raw_acts = _list(_get(d, "activations", path), f"{path}.activations")
    if len(raw_acts) != n_layers:
        _fail(f"{path}.activations", f"expected {_plural(n_layers, 'activation')} (one per layer "
                                     f"after the input), got {len(raw_acts)}")
    acts = [_choice(a, f"{path}.activations[{i}]", ACTIVATIONS, "an activation")
            for i, a in enumerate(raw_acts)]
    for i, name in enumerate(acts[:-1]):
        if ACTIVATIONS[name].output_only:
            _fail(f"{path}.activations[{i}]",
                  f"{ACTIVATIONS[name].display} is only allowed on the output layer")
    loss = _choice(_get(d, "loss", path), f"{path}.loss", LOSSES, "a loss")
    try:
        check_architecture(sizes, acts, loss)
    except ValueError as e:
        _fail(path, str(e))
    params = []
    for key, what in (("weights", "weight matrices"), ("biases", "bias vectors")):
        raw = _list(_get(d, key, path), f"{path}.{key}")
        if len(raw) != n_layers:
            _fail(f"{path}.{key}", f"expected {n_layers} {what} (one per layer after the input), "
                                   f"got {len(raw)}")
        if key == "weights":
            params.append([_matrix(raw[l], f"{path}.{key}[{l}]", sizes[l + 1], sizes[l])
                           for l in range(n_layers)])
        else:
            params.append([_numbers(raw[l], f"{path}.{key}[{l}]", sizes[l + 1])
                           for l in range(n_layers)])
    return Network(sizes, acts, loss, params[0], params[1])


def _dataset(d: Any, n_inputs: int, path: str = "dataset") -> Dataset:
    d = _object(d, path)
    text = {key: _string(_get(d, key, path), f"{path}.{key}") for key in ("name", "title", "description")}
    kind = _choice(_get(d, "kind", path), f"{path}.kind", KINDS, "a dataset kind")
    raw_classes = _list(_get(d, "class_names", path), f"{path}.class_names")
    if not raw_classes:
        _fail(f"{path}.class_names", "a dataset needs at least one class")
    classes = [_string(c, f"{path}.class_names[{i}]") for i, c in enumerate(raw_classes)]
    note = f" (the network has {_plural(n_inputs, 'input')})"
    inputs = _matrix(_samples(_get(d, "inputs", path), f"{path}.inputs"), f"{path}.inputs",
                     None, n_inputs, note)
    labels = _labels(_get(d, "labels", path), f"{path}.labels", len(inputs), len(classes),
                     f"{path}.inputs")
    shape = _get(d, "image_shape", path)
    if shape is not None:
        if not isinstance(shape, list) or len(shape) != 2:
            _fail(f"{path}.image_shape", f"expected null or [rows, columns], got {_describe(shape)}")
        shape = tuple(_integer(n, f"{path}.image_shape[{i}]", 1, MAX_INPUTS)
                      for i, n in enumerate(shape))
        if shape[0] * shape[1] != n_inputs:
            _fail(f"{path}.image_shape", f"{shape[0]}×{shape[1]} = {shape[0] * shape[1]} pixels, "
                                         f"but each input has {_plural(n_inputs, 'number')}")
    seed = _integer(_get(d, "seed", path), f"{path}.seed")
    test_x, test_y = _get(d, "test_inputs", path), _get(d, "test_labels", path)
    if (test_x is None) != (test_y is None):
        _fail(f"{path}.test_labels" if test_y is None else f"{path}.test_inputs",
              "test_inputs and test_labels must both be null or both be given")
    if test_x is not None:
        test_x = _matrix(_samples(test_x, f"{path}.test_inputs"), f"{path}.test_inputs", None,
                         n_inputs, note)
        test_y = _labels(test_y, f"{path}.test_labels", len(test_x), len(classes),
                         f"{path}.test_inputs")
    # Optional (absent in files from before regression tables): null, or one row per sample.
    values = d.get("values")
    if values is not None:
        first = values[0] if isinstance(values, list) and values else None
        width = len(first) if isinstance(first, list) and first else 1   # rows as long as the first
        values = _matrix(_samples(values, f"{path}.values"), f"{path}.values", len(inputs), width)
    try:
        return Dataset(name=text["name"], title=text["title"], inputs=inputs, labels=labels,
                       class_names=classes, kind=kind, image_shape=shape,
                       description=text["description"], seed=seed,
                       test_inputs=test_x, test_labels=test_y, values=values)
    except ValueError as e:
        _fail(path, str(e))


def _samples(v: Any, path: str) -> Any:
    if isinstance(v, list) and len(v) > MAX_SAMPLES:
        _fail(path, f"{len(v)} samples; a dataset may hold at most {MAX_SAMPLES:,}")
    return v


def _bounded(v: Any, path: str, bound: Bound) -> int | float | None:
    """A numeric training setting within its range (engine.limits.TRAINING_BOUNDS)."""
    if v is None and bound.optional:
        return None
    if bound.integer:
        return _integer(v, path, int(bound.low), int(bound.high), f"{bound.rule()}, got {v!r}")
    return _number(v, path, bound.contains, bound.rule())


def _training(d: Any, path: str = "training") -> TrainingConfig:
    d = _object(d, path)

    def get(key: str) -> tuple[Any, str]:
        return _get(d, key, path), f"{path}.{key}"

    numbers = {key: _bounded(*get(key), bound) for key, bound in TRAINING_BOUNDS.items()}
    return TrainingConfig(
        optimizer=_choice(*get("optimizer"), OPTIMIZERS, "an optimizer"),
        schedule=_choice(*get("schedule"), SCHEDULES, "a schedule"),
        init=_choice(*get("init"), INITIALISERS, "an initialiser"),
        **numbers,
    )


def _history_value(v: Any, path: str) -> float:
    if v is None:
        return math.nan
    if isinstance(v, str) and v in ("Infinity", "-Infinity"):
        return float(v)
    if type(v) not in (int, float) or _to_float(v) is None:
        _fail(path, f'expected a number, null (no value), "Infinity" or "-Infinity", '
                    f"got {_describe(v)}")
    return float(v)


def _epochs(v: Any, path: str) -> list[int]:
    epochs = _list(v, path)
    # Whole arrays at a time when every value is a plain integer (a million records took
    # seconds one by one); the checks one by one otherwise, to name the bad value.
    arr = None
    if set(map(type, epochs)) <= {int}:
        try:
            arr = np.array(epochs, dtype=np.int64)
        except OverflowError:
            arr = None
    if arr is None or (arr.size and arr.min() < 0):
        arr = np.array([_integer(e, f"{path}[{i}]") for i, e in enumerate(epochs)], dtype=np.int64)
    steps = np.diff(arr)
    if steps.size and steps.min() <= 0:
        i = int(np.argmax(steps <= 0)) + 1
        _fail(f"{path}[{i}]", f"epochs must increase, but {epochs[i]} follows {epochs[i - 1]}")
    return arr.tolist()


def _series(series: list, path: str) -> list[float]:
    if set(map(type, series)) <= {int, float, type(None)}:
        values = np.array(series, dtype=object)
        values[np.equal(values, None)] = math.nan
        try:
            return values.astype(np.float64).tolist()
        except OverflowError:  # an integer beyond float64: named by the slow path
            pass
    return [_history_value(v, f"{path}[{i}]") for i, v in enumerate(series)]


def _history(d: Any, path: str = "history") -> History:
    d = _object(d, path)
    epochs = _epochs(_get(d, "epoch", path), f"{path}.epoch")
    # A history longer than training itself keeps is thinned the same way, so a file cannot
    # hold more in memory than a run of any length would; only the kept records are read on.
    keep = thinned(epochs) if len(epochs) > MAX_RECORDS else None
    history = History(epoch=epochs if keep is None else [epochs[i] for i in keep])
    for key in HISTORY_SERIES:
        series = _list(_get(d, key, path), f"{path}.{key}")
        if len(series) != len(epochs):
            _fail(f"{path}.{key}", f"expected {_plural(len(epochs), 'value')} (as many as "
                                   f"{path}.epoch), got {len(series)}")
        if keep is not None:
            # The dropped values must still be values: a file is valid or refused whole.
            if not set(map(type, series)) <= {int, float, type(None)}:
                _series(series, f"{path}.{key}")
            series = [series[i] for i in keep]
        setattr(history, key, _series(series, f"{path}.{key}"))
    return history


def run_name_problem(name: str) -> str | None:
    """Why `name` cannot name a run (empty, too long, a control character), or None."""
    if not name.strip():
        return "a run needs a name"
    if len(name) > MAX_RUN_NAME:
        return f"a run's name has at most {MAX_RUN_NAME} characters, got {len(name)}"
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):
        return "a run's name must not hold control characters (such as a line break)"
    return None




def _run(d: Any, path: str) -> Run:
    d = _object(d, path)
    name = _string(_get(d, "name", path), f"{path}.name")
    problem = run_name_problem(name)
    if problem:
        _fail(f"{path}.name", problem)
    counts = {key: _integer(_get(d, key, path), f"{path}.{key}", 1, MAX_SAMPLES)
              for key in ("updates_per_epoch", "samples_per_epoch")}
    if counts["updates_per_epoch"] > counts["samples_per_epoch"]:
        _fail(f"{path}.updates_per_epoch", "an update uses at least one sample, so there are "
              f"at most {counts['samples_per_epoch']} (samples_per_epoch) updates per epoch, "
              f"got {counts['updates_per_epoch']}")
    return Run(name=name, training=_training(_get(d, "training", path), f"{path}.training"),
               history=_history(_get(d, "history", path), f"{path}.history"),
               color=_integer(_get(d, "color", path), f"{path}.color", 0, MAX_RUNS - 1),
               visible=_boolean(_get(d, "visible", path), f"{path}.visible"), **counts)


def _runs(v: Any, path: str = "runs") -> list[Run]:
    if v is None:
        return []
    v = _list(v, path)
    if len(v) > MAX_RUNS:
        _fail(path, f"{_plural(len(v), 'run')}; a project keeps at most {MAX_RUNS}")
    return [_run(item, f"{path}[{i}]") for i, item in enumerate(v)]


def _project(data: Any) -> Project:
    if not isinstance(data, dict):
        _fail("", f"this is not a Backprop GUI project: the file holds {_describe(data)}, "
                  "not a JSON object")
    tag = data.get("format", _MISSING)
    if not (isinstance(tag, str) and tag == FORMAT_TAG):
        got = "it is missing" if tag is _MISSING else f"got {_describe(tag)}"
        _fail("format", f'this is not a Backprop GUI project (expected "{FORMAT_TAG}", {got})')
    version = _integer(_get(data, "version", ""), "version", 1)
    if version > FORMAT_VERSION:
        _fail("version", f"this file was made by a newer version of Backprop GUI (format version "
                         f"{version}; this version reads up to {FORMAT_VERSION}); please update")
    network = _network(_get(data, "network", ""))
    dataset = _dataset(_get(data, "dataset", ""), network.sizes[0])
    try:
        dataset.targets(network.sizes[-1], slice(0, 0))
    except ValueError as e:
        _fail("dataset.values" if dataset.is_regression else "dataset.class_names",
              f"does not fit the network's output layer: {e}")
    training = _training(_get(data, "training", ""))
    raw_history = data.get("history")
    history = History() if raw_history is None else _history(raw_history)
    lesson = _string(_get(data, "lesson", ""), "lesson", nullable=True)
    last = max(dataset.n_samples - 1, 0)
    selected = _integer(_get(data, "selected_sample", ""), "selected_sample", 0, last,
                        f"must lie in 0 … {last} ({_plural(dataset.n_samples, 'sample')})")
    runs = _runs(data.get("runs"))
    return Project(network, dataset, training, history, lesson, selected, runs)


def project_from_dict(data: Any) -> Project:
    """The Project a parsed file holds, validated; ProjectFileError naming the field otherwise."""
    try:
        return _project(data)
    except ProjectFileError:
        raise
    except Exception as e:  # a case no check foresaw: still the one documented error
        raise ProjectFileError(f"could not read the project ({type(e).__name__}: {e})") from e
