"""The Input panel's Try it input: a scratch input the network predicts, outside the project.

A student paints a digit, places a point or types values to see what the network makes of
them, without changing the training set: the values live here, not in the dataset, so they
are neither saved nor undone and leave the project unmodified. The label is the class the
student means (the target the views compare the prediction with); "Add to dataset as …"
makes a sample of both through the session, as one undo step. A regression table's y is a
number nobody chose for a scratch input: there the input has no target (`has_target`), and
the views show no target, loss or verdict for it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..engine.dataset import Dataset


class TryInput:
    """The scratch values and label, and whether they (not a sample) drive the views."""

    def __init__(self) -> None:
        self.active = False
        self.values = np.zeros(0)
        self.label = 0

    def fit(self, dataset: Dataset) -> None:
        """Keep the values while they fit `dataset`; blank ones (all zero) when they do not."""
        if self.values.shape != (dataset.n_inputs,):
            self.values = np.zeros(dataset.n_inputs)
        self.label = min(self.label, max(dataset.n_classes - 1, 0))

    @staticmethod
    def has_target(dataset: Dataset) -> bool:
        """Whether a Try it input of `dataset` has a target: the class chosen for it, in a
        classification dataset; a regression table's y is unknown for it."""
        return not dataset.is_regression

    def changed(self, dataset: Dataset, values: Mapping[int, float]) -> np.ndarray | None:
        """New values with the given entries (index → value) set, or None if nothing changes.

        The same rules as a sample's edits: pixels and table values are clipped to 0 … 1
        (paper … ink), a 2-D point takes any coordinates; each must be finite (ValueError)."""
        new = self.values.copy()
        for index, value in values.items():
            if not 0 <= index < new.size:
                raise ValueError(f"the input has no entry {index + 1}")
            value = float(value)
            if not np.isfinite(value):
                raise ValueError("an input must be a finite number")
            new[index] = value if dataset.kind == "points" else float(np.clip(value, 0.0, 1.0))
        return None if np.array_equal(new, self.values) else new
