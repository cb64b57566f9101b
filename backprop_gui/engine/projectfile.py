"""Load, validate and save `.bpnet` project files (JSON, UTF-8).

The format, version 1
---------------------
A project file is one JSON object::

    {
      "format": "backprop-gui-project",      always this string
      "version": 1,                          an integer; files newer than FORMAT_VERSION are refused
      "network": {
        "sizes": [16, 6, 2],                 neurons per layer, input layer first; integers ≥ 1,
                                             at least two of them, within engine.limits
                                             (layers, inputs, neurons, parameters)
        "activations": ["relu", "softmax"],  one per layer after the input (len(sizes) - 1);
                                             softmax only on the output layer
        "loss": "cross_entropy",             "mse", "cross_entropy" (softmax output) or
                                             "binary_cross_entropy" (sigmoid output)
        "weights": [[[...], ...], ...],      weights[l] is W⁽ˡ⁺¹⁾: sizes[l+1] rows of sizes[l] numbers
        "biases": [[...], ...]               biases[l]: sizes[l+1] numbers
      },
      "dataset": {
        "name": "digits", "title": "4×4 digits", "description": "",   strings
        "kind": "image",                     "image", "points" or "table"
        "class_names": ["zero", "one"],      at least one string
        "inputs": [[...], ...],              one row of sizes[0] numbers per sample (may be [];
                                             at most MAX_SAMPLES rows)
        "labels": [0, 1, ...],               one integer 0 … len(class_names) - 1 per row
        "image_shape": [4, 4] | null,        rows × columns must equal sizes[0]
        "seed": 0,                           integer ≥ 0
        "test_inputs": [[...]] | null,       both null, or both given like inputs/labels
        "test_labels": [...] | null
      },
      "training": {                          every field of TrainingConfig, by name:
        "optimizer": "batch" | "minibatch" | "sgd",  "schedule": "constant" | "step",
        "init": "he" | "xavier" | "uniform" | "zeros", and the numbers learning_rate,
        batch_size, momentum, l1, l2, step_every, step_factor, seed, validation_fraction,
        max_epochs (or null), target_loss (or null), each within its range in
        engine.limits.TRAINING_BOUNDS (the ranges the Trainer and the widgets use too)
      },
      "history": {                           optional (absent or null: no history)
        "epoch": [1, 2, ...],                increasing integers ≥ 0 (past MAX_RECORDS the
                                             history is thinned on load, as in training)
        "loss": [...], "accuracy": [...], "val_loss": [...], "val_accuracy": [...]
      },                                     each as long as "epoch"
      "lesson": null | "xor-by-hand",        the lesson this project belongs to
      "selected_sample": 0                   index of the sample on show (0 when there are none)
    }

Every key above is required except "history". Rules that hold throughout:

- Numbers are JSON numbers; true/false are never numbers, and integers must be written
  without a fraction. Weights, biases, inputs and training settings must be finite: the
  non-standard literals NaN/Infinity, strings such as "NaN" and overflowing numbers such
  as 1e999 are refused.
- JSON has no NaN, so the history writes a missing value (NaN, e.g. the validation loss
  when there is no validation set) as null and an infinite one (a diverged loss) as the
  strings "Infinity"/"-Infinity"; loading turns them back into floats.
- Targets are not stored: they follow from the labels and the network's output size
  (`Dataset.targets`: one output → the label itself, 0 or 1; several → one-hot rows). The
  network must fit the dataset: sizes[0] numbers per input row, enough outputs for the classes.
- Floats are written with Python's repr, the shortest text that reads back as the same
  float64, so every number round-trips bit for bit (including -0.0 and subnormals).
- Unknown keys are ignored anywhere, so a file written by a later version 1 that adds
  fields still loads. `Dataset.extra` (how a generator made the samples) is not stored:
  it goes stale as soon as samples are edited.
- Only regular files are read (a named pipe, a device, a socket or a folder is refused at
  once, see regular_file); files larger than MAX_FILE_BYTES are refused before they are
  read; text must be UTF-8 (a leading byte-order mark is allowed).

Loading never executes anything (plain `json`, no pickle/eval) and every problem, even an
unforeseen one, raises ProjectFileError whose message names the field, e.g.
"network.weights[1]: expected 6 rows of 16 numbers, got 5 rows". Saving is atomic: a
temporary file in the same folder is written, flushed to disk, then renamed over the target.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import stat
import zlib
from dataclasses import fields
from typing import Any, NoReturn

import numpy as np

from .activations import ACTIVATIONS
from .dataset import KINDS, Dataset
from .losses import LOSSES
from .limits import MAX_FILE_BYTES, MAX_INPUTS, MAX_LAYERS, MAX_SAMPLES, TRAINING_BOUNDS, Bound
from .network import INITIALISERS, Network, check_architecture
from .project import MAX_RECORDS, OPTIMIZERS, SCHEDULES, History, Project, TrainingConfig
from .regular_file import FileTooLargeError, NotRegularFileError, read_regular_file

Array = np.ndarray

FORMAT_TAG = "backprop-gui-project"
FORMAT_VERSION = 1
FILE_EXTENSION = ".bpnet"
MAX_INT = 2**63 - 1          # larger integers would overflow NumPy's int64
HISTORY_SERIES = ("loss", "accuracy", "val_loss", "val_accuracy")

_MISSING = object()
_NUMBER_TYPES = {int, float}   # exactly: bool is an int subclass, and true is not a number


class ProjectFileError(Exception):
    """A project could not be loaded or saved; str() names the field and the problem."""

    def __init__(self, problem: str, field: str = "") -> None:
        super().__init__(f"{field}: {problem}" if field else problem)
        self.field = field
        self.problem = problem


class _Constant:
    """What the parser returns for the non-standard literals NaN, Infinity and -Infinity,
    so that validation can refuse them with the field's path."""

    def __init__(self, literal: str) -> None:
        self.literal = literal


def _fail(path: str, problem: str) -> NoReturn:
    raise ProjectFileError(problem, path)


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def _short(s: str, limit: int = 40) -> str:
    return repr(s if len(s) <= limit else s[:limit] + "…")


def _describe(v: Any) -> str:
    """How a parsed JSON value reads in an error message."""
    if v is None or isinstance(v, bool):
        return json.dumps(v)
    if isinstance(v, _Constant):
        return f"the literal {v.literal}"
    if isinstance(v, (int, float)):
        return f"the number {v!r}" if abs(v) < 1e30 else "a huge number"
    if isinstance(v, str):
        return f"the string {_short(v)}"
    if isinstance(v, list):
        return f"a list of {_plural(len(v), 'item')}"
    if isinstance(v, dict):
        return "an object"
    return type(v).__name__


# ----- reading: one small checker per kind of value -------------------------------------


def _get(obj: dict, key: str, path: str) -> Any:
    value = obj.get(key, _MISSING)
    if value is _MISSING:
        _fail(f"{path}.{key}" if path else key, "missing")
    return value


def _object(v: Any, path: str) -> dict:
    if not isinstance(v, dict):
        _fail(path, f"expected an object, got {_describe(v)}")
    return v


def _list(v: Any, path: str) -> list:
    if not isinstance(v, list):
        _fail(path, f"expected a list, got {_describe(v)}")
    return v


def _string(v: Any, path: str, nullable: bool = False) -> str | None:
    if v is None and nullable:
        return None
    if not isinstance(v, str):
        _fail(path, f"expected {'null or ' if nullable else ''}a string, got {_describe(v)}")
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:
        _fail(path, "the string holds an unpaired surrogate (\\ud800 … \\udfff)")
    return v


def _integer(v: Any, path: str, lo: int = 0, hi: int = MAX_INT, rule: str = "") -> int:
    # bool is a subclass of int in Python, but true is not a number in a project file.
    if type(v) is not int:
        _fail(path, f"expected an integer, got {_describe(v)}")
    if not lo <= v <= hi:
        _fail(path, rule or (f"must be at least {lo}, got {v}" if hi == MAX_INT
                             else f"must lie in {lo} … {hi}, got {v}"))
    return v


def _number(v: Any, path: str, ok=lambda x: True, rule: str = "") -> float:
    if type(v) not in (int, float):
        _fail(path, f"expected a number, got {_describe(v)}")
    x = _to_float(v)
    if x is None or not math.isfinite(x):
        _fail(path, f"expected a finite number, got {_describe(v)}")
    if not ok(x):
        _fail(path, f"{rule}, got {x!r}")
    return x


def _to_float(v: int | float) -> float | None:
    try:
        return float(v)
    except OverflowError:    # an integer beyond float64's range
        return None


def _choice(v: Any, path: str, known, what: str) -> str:
    if not isinstance(v, str):
        _fail(path, f"expected the name of {what}, got {_describe(v)}")
    if v not in known:
        _fail(path, f"unknown {what.split(' ', 1)[1]} {_short(v)} (known: {', '.join(known)})")
    return v


def _numbers(v: Any, path: str, n: int | None) -> Array:
    """A list of `n` finite numbers as float64 (n=None: any length)."""
    if not isinstance(v, list):
        _fail(path, f"expected a list of numbers, got {_describe(v)}")
    if n is not None and len(v) != n:
        _fail(path, f"expected {_plural(n, 'number')}, got {len(v)}")
    # map(type) and set() run in C: a Python loop over every number was most of the time
    # spent opening a project of 2,000 images.
    if not set(map(type, v)) <= _NUMBER_TYPES:
        for j, x in enumerate(v):
            if type(x) not in (int, float):
                _fail(f"{path}[{j}]", f"expected a number, got {_describe(x)}")
    try:
        arr = np.array(v, dtype=np.float64)
    except OverflowError:  # an integer beyond float64's range: mark it as not finite
        arr = np.array([np.inf if _to_float(x) is None else x for x in v], dtype=np.float64)
    if not np.isfinite(arr).all():
        j = int(np.flatnonzero(~np.isfinite(arr))[0])
        _fail(f"{path}[{j}]", f"expected a finite number, got {_describe(v[j])}")
    return arr


def _matrix(v: Any, path: str, rows: int | None, cols: int, note: str = "") -> Array:
    """`rows` rows of `cols` finite numbers as a float64 (rows, cols) array."""
    shape = f"{_plural(rows, 'row') if rows is not None else 'rows'} of {_plural(cols, 'number')}"
    if not isinstance(v, list):
        _fail(path, f"expected a list of {shape}, got {_describe(v)}")
    if rows is not None and len(v) != rows:
        _fail(path, f"expected {shape}, got {_plural(len(v), 'row')}")
    for i, row in enumerate(v):
        if not isinstance(row, list):
            _fail(f"{path}[{i}]", f"expected a list of {_plural(cols, 'number')}, got {_describe(row)}")
        if len(row) != cols:
            _fail(f"{path}[{i}]", f"expected {_plural(cols, 'number')}{note}, got {len(row)}")
    out = np.empty((len(v), cols))
    for i, row in enumerate(v):
        out[i] = _numbers(row, f"{path}[{i}]", cols)
    return out


def _labels(v: Any, path: str, n: int, n_classes: int, rows_path: str) -> Array:
    v = _list(v, path)
    if len(v) != n:
        _fail(path, f"expected {_plural(n, 'label')} (one per row of {rows_path}), got {len(v)}")
    rule = f"out of range: there {'is' if n_classes == 1 else 'are'} {_plural(n_classes, 'class', 'classes')}"
    for i, label in enumerate(v):
        if type(label) is not int or not 0 <= label < n_classes:
            _integer(label, f"{path}[{i}]", 0, n_classes - 1,
                     f"label {label} is {rule}, so labels lie in 0 … {n_classes - 1}")
    return np.array(v, dtype=np.int64).reshape(-1)


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
    try:
        return Dataset(name=text["name"], title=text["title"], inputs=inputs, labels=labels,
                       class_names=classes, kind=kind, image_shape=shape,
                       description=text["description"], seed=seed,
                       test_inputs=test_x, test_labels=test_y)
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


def _history(d: Any, path: str = "history") -> History:
    d = _object(d, path)
    epochs = _list(_get(d, "epoch", path), f"{path}.epoch")
    history = History(epoch=[_integer(e, f"{path}.epoch[{i}]") for i, e in enumerate(epochs)])
    for i in range(1, len(history.epoch)):
        if history.epoch[i] <= history.epoch[i - 1]:
            _fail(f"{path}.epoch[{i}]", f"epochs must increase, but {history.epoch[i]} follows "
                                        f"{history.epoch[i - 1]}")
    for key in HISTORY_SERIES:
        series = _list(_get(d, key, path), f"{path}.{key}")
        if len(series) != len(epochs):
            _fail(f"{path}.{key}", f"expected {_plural(len(epochs), 'value')} (as many as "
                                   f"{path}.epoch), got {len(series)}")
        setattr(history, key, [_history_value(v, f"{path}.{key}[{i}]") for i, v in enumerate(series)])
    # A history longer than training itself keeps is thinned the same way, so a file cannot
    # hold more in memory than a run of any length would.
    if len(history) > MAX_RECORDS:
        history.thin()
    return history


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
        dataset.targets(network.sizes[-1], dataset.labels[:0])
    except ValueError as e:
        _fail("dataset.class_names", f"does not fit the network's output layer: {e}")
    training = _training(_get(data, "training", ""))
    raw_history = data.get("history")
    history = History() if raw_history is None else _history(raw_history)
    lesson = _string(_get(data, "lesson", ""), "lesson", nullable=True)
    last = max(dataset.n_samples - 1, 0)
    selected = _integer(_get(data, "selected_sample", ""), "selected_sample", 0, last,
                        f"must lie in 0 … {last} ({_plural(dataset.n_samples, 'sample')})")
    return Project(network, dataset, training, history, lesson, selected)


def project_from_dict(data: Any) -> Project:
    """The Project a parsed file holds, validated; ProjectFileError naming the field otherwise."""
    try:
        return _project(data)
    except ProjectFileError:
        raise
    except Exception as e:  # a case no check foresaw: still the one documented error
        raise ProjectFileError(f"could not read the project ({type(e).__name__}: {e})") from e


def _parse(data: str | bytes | bytearray | memoryview) -> Any:
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > MAX_FILE_BYTES:
            _fail("", _too_big(len(data)))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            _fail("", f"the file is not UTF-8 text (byte 0x{data[e.start]:02x} at offset "
                      f"{e.start} cannot be decoded)")
    elif isinstance(data, str):
        if len(data) > MAX_FILE_BYTES:
            _fail("", _too_big(len(data)))
        text = data.removeprefix("\ufeff")
    else:
        _fail("", f"expected the file's text or bytes, got {type(data).__name__}")
    try:
        # json reads NaN/Infinity by default; the sentinel lets validation refuse them by path.
        return json.loads(text, parse_constant=_Constant)
    except json.JSONDecodeError as e:
        _fail("", f"not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}")
    except RecursionError:
        _fail("", "not a project: the JSON is nested too deeply")
    except ValueError as e:  # e.g. an integer written with thousands of digits
        _fail("", f"not valid JSON: {e}")


def _too_big(size: int) -> str:
    return (f"the file is {size / 2**20:.1f} MB ({size} bytes); a project file may be at most "
            f"{MAX_FILE_BYTES // 2**20} MB")


def loads_project(data: str | bytes | bytearray) -> Project:
    """The Project in a file's text or bytes; ProjectFileError for anything wrong with it."""
    try:
        return project_from_dict(_parse(data))
    except ProjectFileError:
        raise
    except Exception as e:
        raise ProjectFileError(f"could not read the project ({type(e).__name__}: {e})") from e


def load_project(path: str | os.PathLike) -> Project:
    """Read and validate a project file; ProjectFileError for a missing, huge or invalid file,
    and for anything that is not a regular file (a named pipe would block a plain open)."""
    path = os.fspath(path)
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileTooLargeError as e:
        raise ProjectFileError(_too_big(e.size)) from e
    except NotRegularFileError as e:
        raise ProjectFileError(str(e)) from e
    except OSError as e:
        raise ProjectFileError(f"could not open {path}: {e.strerror or e}") from e
    return loads_project(data)


# ----- writing ---------------------------------------------------------------------------


def _finite_list(arr: Array, path: str) -> list:
    arr = np.asarray(arr, dtype=np.float64)
    bad = np.argwhere(~np.isfinite(arr))
    if bad.size:
        index = tuple(int(i) for i in bad[0])
        _fail(path + "".join(f"[{i}]" for i in index),
              f"cannot save {float(arr[index])!r}: only finite numbers can be saved")
    # Row by row: autosave writes on a worker thread, and one tolist() of a 1000x784 dataset
    # would hold the interpreter lock, and so the window, for ~30 ms.
    return [row.tolist() for row in arr] if arr.ndim == 2 else arr.tolist()


def _scalar(value: Any, path: str) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        _fail(path, f"cannot save {value!r}: only finite numbers can be saved")
    return value


def _history_encoded(x: float) -> float | str | None:
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def _dataset_dict(ds: Dataset) -> dict:
    return {
        "name": ds.name,
        "title": ds.title,
        "kind": ds.kind,
        "class_names": list(ds.class_names),
        "inputs": _finite_list(ds.inputs, "dataset.inputs"),
        "labels": [int(y) for y in ds.labels],
        "image_shape": None if ds.image_shape is None else [int(n) for n in ds.image_shape],
        "description": ds.description,
        "seed": int(ds.seed),
        "test_inputs": (None if ds.test_inputs is None
                        else _finite_list(ds.test_inputs, "dataset.test_inputs")),
        "test_labels": None if ds.test_labels is None else [int(y) for y in ds.test_labels],
    }


def project_to_dict(project: Project, dataset: Any = None) -> dict:
    """The project as plain JSON values (json.dumps(..., allow_nan=False) accepts it).

    `dataset`, when given, stands in for the dataset's section (DatasetText's cached text)."""
    net, ds, hist = project.network, project.dataset, project.history
    return {
        "format": FORMAT_TAG,
        "version": FORMAT_VERSION,
        "network": {
            "sizes": [int(n) for n in net.sizes],
            "activations": list(net.activation_names),
            "loss": net.loss_name,
            "weights": [_finite_list(W, f"network.weights[{l}]") for l, W in enumerate(net.weights)],
            "biases": [_finite_list(b, f"network.biases[{l}]") for l, b in enumerate(net.biases)],
        },
        "dataset": _dataset_dict(ds) if dataset is None else dataset,
        "training": {f.name: _scalar(getattr(project.training, f.name), f"training.{f.name}")
                     for f in fields(TrainingConfig)},
        "history": {"epoch": [int(e) for e in hist.epoch],
                    **{key: [_history_encoded(x) for x in getattr(hist, key)]
                       for key in HISTORY_SERIES}},
        "lesson": project.lesson,
        "selected_sample": int(project.selected_sample),
    }


class _Written:
    """JSON text already written by _write (at the nesting level it is used at), in pieces."""

    __slots__ = ("pieces",)

    def __init__(self, pieces: list[str]) -> None:
        self.pieces = tuple(pieces)


def _write(value: Any, level: int, out: list[str]) -> None:
    """Indented JSON of `value` appended to `out` in pieces; every list of plain values (a
    weight row, a label list) is one line."""
    # Appends pieces, joined once if at all: a dataset's section can be tens of megabytes,
    # and concatenating it into each enclosing level would copy it again at every level.
    if isinstance(value, _Written):
        out.extend(value.pieces)
        return
    pad, end = "  " * (level + 1), "  " * level
    if isinstance(value, dict) and value:
        out.append("{\n")
        for i, (k, v) in enumerate(value.items()):
            out.append(f",\n{pad}" if i else pad)
            out.append(f"{json.dumps(k, ensure_ascii=False)}: ")
            _write(v, level + 1, out)
        out.append("\n" + end + "}")
        return
    # The format's lists hold one kind of value each: the first tells if they nest.
    if isinstance(value, list) and value and isinstance(value[0], (list, dict)):
        out.append("[\n")
        for i, v in enumerate(value):
            out.append(f",\n{pad}" if i else pad)
            _write(v, level + 1, out)
        out.append("\n" + end + "]")
        return
    if isinstance(value, list) and len(value) > _PIECE:
        # In pieces, for the same reason as _finite_list's rows: one json.dumps of a
        # 100,000-record history series holds the interpreter lock for ~20 ms.
        out.append("[")
        for i in range(0, len(value), _PIECE):
            out.append(", " if i else "")
            out.append(json.dumps(value[i:i + _PIECE], ensure_ascii=False, allow_nan=False)[1:-1])
        out.append("]")
        return
    out.append(json.dumps(value, ensure_ascii=False, allow_nan=False))


_PIECE = 2048  # numbers json.dumps writes at a time (about a millisecond's work)


class DatasetText:
    """The dataset's section of a project file, written again only when the dataset changed.

    Autosave writes the project every minute while training changes it, and a dataset of
    2,000 28x28 images is 1.6 million numbers: 1.2 s of writing each time, a frozen window,
    for the same text. The dataset is recognised by its fields and a CRC-32 of its arrays
    (~10 ms for those 12 MB), so an edit in place is seen as well as a new dataset."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._text: _Written | None = None

    def text(self, ds: Dataset) -> _Written:
        key = _fingerprint(ds)
        if key != self._key or self._text is None:
            pieces: list[str] = []
            _write(_dataset_dict(ds), 1, pieces)
            self._text = _Written(pieces)
            self._key = key
        return self._text


def _fingerprint(ds: Dataset) -> tuple:
    def array(a: Array | None) -> tuple | None:
        if a is None:
            return None
        a = np.ascontiguousarray(a)
        return a.shape, a.dtype.str, zlib.crc32(memoryview(a).cast("B"))

    return (ds.name, ds.title, ds.kind, tuple(ds.class_names), ds.description, int(ds.seed),
            None if ds.image_shape is None else tuple(int(n) for n in ds.image_shape),
            array(ds.inputs), array(ds.labels), array(ds.test_inputs), array(ds.test_labels))


def _pieces(project: Project, dataset_text: DatasetText | None) -> list[str]:
    """The text of a .bpnet file in pieces, in order (joined, they are the file)."""
    try:
        dataset = None if dataset_text is None else dataset_text.text(project.dataset)
        out: list[str] = []
        _write(project_to_dict(project, dataset), 0, out)
    except (TypeError, ValueError) as e:
        raise ProjectFileError(f"cannot save the project: {e}") from e
    out.append("\n")
    return out


def dumps_project(project: Project, dataset_text: DatasetText | None = None) -> str:
    """The project as the text of a .bpnet file (`dataset_text`: a cache for repeated saves)."""
    return "".join(_pieces(project, dataset_text))


def save_project(project: Project, path: str | os.PathLike,
                 dataset_text: DatasetText | None = None) -> None:
    """Write the project to `path` atomically: the old file stays intact if anything fails.
    A replaced file keeps its permissions, plus write permission for its owner."""
    try:
        # Written piece by piece, never joined: joining tens of megabytes is one long step
        # that holds the interpreter lock (autosave writes on a worker thread beside the window).
        payload = [piece.encode("utf-8") for piece in _pieces(project, dataset_text)]
    except UnicodeEncodeError as e:
        raise ProjectFileError(f"cannot save the project: a text holds invalid Unicode ({e})") from e
    # Through a symbolic link, replace the file it points to, not the link.
    target = os.path.realpath(os.fspath(path))
    folder, name = os.path.split(target)
    tmp = None
    try:
        fd, tmp = _create_temp(folder, name)
        with os.fdopen(fd, "wb") as f:
            f.writelines(payload)
            f.flush()
            os.fsync(f.fileno())
        _copy_mode(target, tmp)
        os.replace(tmp, target)
        tmp = None
        _fsync_folder(folder)
    except OSError as e:
        raise ProjectFileError(f"could not save {os.fspath(path)}: {e.strerror or e}") from e
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _create_temp(folder: str, name: str) -> tuple[int, str]:
    # os.open with mode 0o666 lets the umask decide permissions, as for any new file.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def _copy_mode(source: str, dest: str) -> None:
    # The old file's permissions, and write permission for its owner: saving over a file
    # makes it the user's to edit (the window asks first when the file is read-only). A new
    # file gets the umask's mode, as any new file does.
    try:
        os.chmod(dest, stat.S_IMODE(os.stat(source).st_mode) | stat.S_IWUSR)
    except OSError:  # no old file, or a file system without permissions
        pass


def _fsync_folder(folder: str) -> None:
    # Makes the rename itself durable on POSIX; folders cannot be opened on Windows.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
