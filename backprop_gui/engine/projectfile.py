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
        "loss": "cross_entropy",             "mse", "half_sse", "cross_entropy" (softmax
                                             output) or "binary_cross_entropy" (sigmoid output)
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
      "selected_sample": 0,                  index of the sample on show (0 when there are none)
      "runs": [                              optional (absent or null: none); at most MAX_RUNS
        {                                    runs kept side by side (engine.runs)
          "name": "SGD",                     1 … MAX_RUN_NAME characters, no control characters
          "training": {...},                 the settings it trained with, as "training" above
          "updates_per_epoch": 4,            weight updates in one epoch, 1 … samples_per_epoch
          "samples_per_epoch": 4,            training samples seen in one epoch, 1 … MAX_SAMPLES
          "color": 0,                        the plots' run colour, 0 … MAX_RUNS − 1
          "visible": true,                   shown in the Loss plot (true or false)
          "history": {...}                   as "history" above (thinned the same way)
        }
      ]
    }

Every key above is required except "history" and "runs"; within a run every key is required. Rules that hold throughout:

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
import os
from typing import Any

from .limits import MAX_FILE_BYTES
from .project import Project
from .field_checks import ProjectFileError, _Constant, _fail
from .project_schema import FILE_EXTENSION, FORMAT_TAG, FORMAT_VERSION, project_from_dict
from .project_writer import DatasetText, _pieces, dumps_project, project_to_dict
from .atomic_write import write_atomically
from .regular_file import FileTooLargeError, NotRegularFileError, read_regular_file

__all__ = ["FILE_EXTENSION", "FORMAT_TAG", "FORMAT_VERSION", "MAX_FILE_BYTES", "DatasetText",
           "ProjectFileError", "dumps_project", "load_project", "loads_project",
           "project_from_dict", "project_to_dict", "save_project"]


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
    try:
        write_atomically(path, payload)
    except OSError as e:
        raise ProjectFileError(f"could not save {os.fspath(path)}: {e.strerror or e}") from e
