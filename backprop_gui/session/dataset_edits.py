"""The dataset edits a Session offers, each one undo command.

A mixin of Session (session.py), kept apart so the owner of the project stays readable:
these methods only build the new samples (the maths and the checks are
engine/dataset_edit.py's) and push the command; the command's redo() calls Session._set_*()
to change the project and tell the views. A paint stroke or a drag is one undo entry: the
commands merge by stroke id (`begin_stroke`, from the session's own counter).
"""

from __future__ import annotations


import numpy as np

from ..engine import dataset_edit, edit
from ..engine.dataset import Dataset
from ..engine.datasets import BUILTIN_DATASETS, default_network, load_builtin
from .commands import PaintCommand, SetDatasetCommand


class DatasetEdits:
    """Session's edits of the dataset: samples painted, typed, moved, added, deleted,
    relabelled, or a built-in dataset loaded (see session.Session)."""

    def begin_stroke(self) -> int:
        """A new paint stroke: pixels painted under one stroke id undo together."""
        return next(self._strokes)

    def paint(self, sample: int, pixel_values: dict[int, float], stroke: int) -> None:
        """Set the given pixels (flat index → value, clipped to 0 … 1) of one sample."""
        values = dataset_edit.painted(self.dataset, sample, pixel_values)
        if np.array_equal(values, self.dataset.inputs[sample]):
            return
        self.undo_stack.push(PaintCommand(self, sample, values, stroke))

    def set_inputs(self, sample: int, values: dict[int, float], stroke: int) -> None:
        """Set the given inputs (index → number) of one sample of a table, as typed (no
        clipping; ValueError outside engine.limits.TABLE_VALUE)."""
        values = dataset_edit.typed(self.dataset, sample, values)
        if np.array_equal(values, self.dataset.inputs[sample]):
            return
        command = PaintCommand(self, sample, values, stroke)
        command.setText(f"Edit sample {sample + 1}")
        self.undo_stack.push(command)

    def set_target_values(self, sample: int, values: dict[int, float]) -> None:
        """Set target values (index → number) of one sample of a regression table, as typed
        (ValueError outside engine.limits.TABLE_VALUE or for a dataset of classes)."""
        ds = dataset_edit.with_target_values(self.dataset, sample, values)
        if np.array_equal(ds.values, self.dataset.values):
            return
        self._push_dataset(f"Set the target of sample {sample + 1}", ds, sample)

    def move_sample(self, index: int, inputs: np.ndarray, stroke: int) -> None:
        """Set all inputs of a 2-D point (no clipping); one drag (stroke) is one undo entry."""
        values = dataset_edit.point_inputs(self.dataset, inputs)
        if np.array_equal(values, self.dataset.inputs[index]):
            return
        command = PaintCommand(self, index, values, stroke)
        command.setText(f"Move sample {index + 1}")
        self.undo_stack.push(command)

    def _push_dataset(self, text: str, dataset: Dataset, selected: int) -> None:
        self.undo_stack.push(SetDatasetCommand(self, text, dataset, selected))

    def add_sample(self, inputs: np.ndarray | None = None, label: int = 0) -> int:
        ds = dataset_edit.add_sample(self.dataset, inputs, label)
        index = ds.n_samples - 1
        self._push_dataset(f"Add sample {index + 1}", ds, index)
        return index

    def duplicate_sample(self, index: int) -> int:
        ds = dataset_edit.duplicate_sample(self.dataset, index)
        self._push_dataset(f"Duplicate sample {index + 1}", ds, index + 1)
        return index + 1

    def delete_sample(self, index: int) -> None:
        ds = dataset_edit.delete_sample(self.dataset, index)
        selected = min(self.selected_sample, ds.n_samples - 1)
        self._push_dataset(f"Delete sample {index + 1}", ds, selected)

    def relabel_sample(self, index: int, label: int) -> None:
        if label == self.dataset.labels[index]:
            return
        name = self.dataset.class_names[label]
        self._push_dataset(f"Label sample {index + 1} as “{name}”",
                           dataset_edit.relabel_sample(self.dataset, index, label),
                           self.selected_sample)

    def load_builtin_dataset(self, name: str, seed: int | None = None) -> None:
        """Swap in a built-in dataset; the network's input/output layers are resized to fit."""
        ds = load_builtin(name, seed=self.training.seed if seed is None else seed)
        if ds.kind == self.dataset.kind and ds.is_regression == self.dataset.is_regression:
            net = edit.fit_to_dataset(self.network, ds, self.training.seed, self.training.init)
        else:
            # Points and images, classes and numbers to predict want different networks;
            # start from the suggested one.
            net = default_network(ds, self.training.seed, self.training.init)
        self.undo_stack.push(SetDatasetCommand(
            self, f"Load dataset “{BUILTIN_DATASETS.get(name, name)}”", ds, 0, network=net))
