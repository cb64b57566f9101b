"""Writing a Project as the text of a .bpnet file: plain JSON values, laid out for people.

Every list of plain values (a weight row, a label list) is one line, so a file reads like the
network it holds and diffs well. The text is produced in pieces, never joined into one
string on the way to the disk: autosave writes on a worker thread beside the window, and one
long step would hold the interpreter lock. DatasetText keeps the dataset's pieces between
saves while the dataset is unchanged.
"""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import fields
from typing import Any

import numpy as np

from .dataset import Dataset
from .project import History, Project, TrainingConfig
from .field_checks import Array, ProjectFileError, _fail
from .project_schema import FORMAT_TAG, FORMAT_VERSION, HISTORY_SERIES
from .runs import Run

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
        # Only a regression table has target values: other files stay as they were.
        **({} if ds.values is None else {"values": _finite_list(ds.values, "dataset.values")}),
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
        "training": _training_dict(project.training, "training"),
        "history": _history_dict(hist),
        "lesson": project.lesson,
        "selected_sample": int(project.selected_sample),
        # Runs kept side by side (Train ▸ Compare…); a project without any is written as
        # before runs existed.
        **({"runs": [_run_dict(run, f"runs[{i}]") for i, run in enumerate(project.runs)]}
           if project.runs else {}),
    }


def _training_dict(config: TrainingConfig, path: str) -> dict:
    return {f.name: _scalar(getattr(config, f.name), f"{path}.{f.name}")
            for f in fields(TrainingConfig)}


def _history_dict(hist: History) -> dict:
    return {"epoch": [int(e) for e in hist.epoch],
            **{key: [_history_encoded(x) for x in getattr(hist, key)] for key in HISTORY_SERIES}}


def _run_dict(run: Run, path: str) -> dict:
    return {"name": run.name, "training": _training_dict(run.training, f"{path}.training"),
            "updates_per_epoch": int(run.updates_per_epoch),
            "samples_per_epoch": int(run.samples_per_epoch),
            "color": int(run.color), "visible": bool(run.visible),
            "history": _history_dict(run.history)}


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
            array(ds.inputs), array(ds.labels), array(ds.test_inputs), array(ds.test_labels),
            array(ds.values))


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
