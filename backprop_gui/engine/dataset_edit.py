"""Edits of a dataset's samples that return a new Dataset (or new inputs) and leave the old
one intact, as engine.edit does for networks; the session pushes each as one undo step."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .dataset import Dataset
from .limits import MAX_SAMPLES, TABLE_VALUE
from .notation import input_name


def _check_room(dataset: Dataset) -> None:
    if dataset.n_samples >= MAX_SAMPLES:
        raise ValueError(f"a dataset may hold at most {MAX_SAMPLES:,} samples")


def add_sample(dataset: Dataset, inputs: np.ndarray | None = None, label: int = 0) -> Dataset:
    """`dataset` with one more sample at the end (all-zero inputs when `inputs` is None)."""
    _check_room(dataset)
    ds = dataset.copy()
    row = np.zeros(ds.n_inputs) if inputs is None else np.asarray(inputs, dtype=np.float64)
    ds.inputs = np.vstack([ds.inputs, row])
    ds.labels = np.append(ds.labels, label)
    if ds.values is not None:       # a new regression sample's target starts at 0
        ds.values = np.vstack([ds.values, np.zeros(ds.n_targets)])
    return ds


def duplicate_sample(dataset: Dataset, index: int) -> Dataset:
    """`dataset` with a copy of sample `index` right after it (at index + 1)."""
    _check_room(dataset)
    ds = dataset.copy()
    ds.inputs = np.insert(ds.inputs, index + 1, ds.inputs[index], axis=0)
    ds.labels = np.insert(ds.labels, index + 1, ds.labels[index])
    if ds.values is not None:
        ds.values = np.insert(ds.values, index + 1, ds.values[index], axis=0)
    return ds


def delete_sample(dataset: Dataset, index: int) -> Dataset:
    """`dataset` without sample `index`; ValueError for its last sample."""
    if dataset.n_samples <= 1:
        raise ValueError("a dataset needs at least one sample")
    ds = dataset.copy()
    ds.inputs = np.delete(ds.inputs, index, axis=0)
    ds.labels = np.delete(ds.labels, index)
    if ds.values is not None:
        ds.values = np.delete(ds.values, index, axis=0)
    return ds


def relabel_sample(dataset: Dataset, index: int, label: int) -> Dataset:
    """`dataset` with sample `index` labelled `label`."""
    ds = dataset.copy()
    ds.labels[index] = label
    return ds


def painted(dataset: Dataset, sample: int, pixel_values: Mapping[int, float]) -> np.ndarray:
    """New inputs for `sample`: its own, with the given pixels (flat index → value) set to
    their values clipped to 0 … 1 (paper … ink)."""
    values = dataset.inputs[sample].copy()
    for index, value in pixel_values.items():
        values[index] = float(np.clip(value, 0.0, 1.0))
    return values


def typed(dataset: Dataset, sample: int, values: Mapping[int, float]) -> np.ndarray:
    """New inputs for `sample` of a table: its own, with the given inputs (index → number)
    set exactly as typed (a table's numbers are not ink: no clipping to 0 … 1); ValueError
    naming the input for a number outside limits.TABLE_VALUE (or not finite)."""
    new = dataset.inputs[sample].copy()
    for index, value in values.items():
        if not TABLE_VALUE.contains(value):
            raise ValueError(f"input {input_name(index)} {TABLE_VALUE.rule()}, got {value:g}")
        new[index] = float(value)
    return new


def with_target_values(dataset: Dataset, sample: int, values: Mapping[int, float]) -> Dataset:
    """`dataset` (a regression table) with the given target values (index → number) of
    `sample` set as typed; ValueError outside limits.TABLE_VALUE or for a dataset of classes."""
    if dataset.values is None:
        raise ValueError("this dataset's targets are classes, not numbers")
    for index, value in values.items():
        if not TABLE_VALUE.contains(value):
            name = "y" if dataset.n_targets == 1 else f"y{index + 1}"
            raise ValueError(f"target {name} {TABLE_VALUE.rule()}, got {value:g}")
    ds = dataset.copy()
    for index, value in values.items():
        ds.values[sample, index] = float(value)
    return ds


def point_inputs(dataset: Dataset, inputs: np.ndarray) -> np.ndarray:
    """`inputs` as new inputs of one of `dataset`'s samples (a 2-D point moved; no clipping):
    ValueError unless they are `n_inputs` finite numbers."""
    values = np.asarray(inputs, dtype=np.float64)
    if values.shape != (dataset.n_inputs,) or not np.all(np.isfinite(values)):
        raise ValueError(f"a sample needs {dataset.n_inputs} finite numbers")
    return values
