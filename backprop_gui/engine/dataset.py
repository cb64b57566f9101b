"""The Dataset record: inputs, integer labels, class names and how to draw a sample; a
regression table also holds its target values."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

Array = np.ndarray

KINDS = ("image", "points", "table")


@dataclass
class Dataset:
    """Samples as rows of `inputs` (N, n_in) with integer `labels` (N,) into `class_names`.

    `kind` says how a sample is drawn: "image" (reshape to `image_shape`, values 0…1),
    "points" (2-D coordinates, shown in a scatter plot) or "table" (a plain vector, e.g. XOR).
    `values` (N, K), for regression: the target of each sample is that row of numbers instead
    of its label (which is then 0, of the one class named after the target, e.g. "y").
    """

    name: str
    title: str
    inputs: Array
    labels: Array
    class_names: list[str]
    kind: str = "table"
    image_shape: tuple[int, int] | None = None
    description: str = ""
    seed: int = 0
    test_inputs: Array | None = None
    test_labels: Array | None = None
    extra: dict = field(default_factory=dict)
    values: Array | None = None

    def __post_init__(self) -> None:
        self.inputs = np.array(self.inputs, dtype=np.float64, ndmin=2)
        self.labels = np.array(self.labels, dtype=np.int64).reshape(-1)
        if self.inputs.shape[0] != self.labels.shape[0]:
            raise ValueError(f"{self.inputs.shape[0]} inputs but {self.labels.shape[0]} labels")
        if self.kind not in KINDS:
            raise ValueError(f"unknown dataset kind {self.kind!r} (known: {', '.join(KINDS)})")
        if self.labels.size and (self.labels.min() < 0 or self.labels.max() >= len(self.class_names)):
            raise ValueError(f"labels must lie in 0 … {len(self.class_names) - 1}")
        if self.values is not None:
            self.values = np.array(self.values, dtype=np.float64, ndmin=2)
            if self.values.shape[0] != self.inputs.shape[0] or self.values.shape[1] < 1:
                raise ValueError(f"{self.inputs.shape[0]} inputs but target values of shape "
                                 f"{self.values.shape}")
            if not np.all(np.isfinite(self.values)):
                raise ValueError("target values must be finite numbers")
        if self.image_shape is not None:
            self.image_shape = tuple(int(n) for n in self.image_shape)  # type: ignore[assignment]
            if int(np.prod(self.image_shape)) != self.n_inputs:
                raise ValueError(f"image shape {self.image_shape} does not hold {self.n_inputs} inputs")

    @property
    def n_samples(self) -> int:
        return int(self.inputs.shape[0])

    @property
    def n_inputs(self) -> int:
        return int(self.inputs.shape[1])

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def is_regression(self) -> bool:
        """Targets are numbers (`values`), not classes: there is no accuracy to count."""
        return self.values is not None

    @property
    def n_targets(self) -> int:
        """Numbers in a target row of a regression dataset (0 for classes)."""
        return 0 if self.values is None else int(self.values.shape[1])

    def target_text(self, i: int) -> str:
        """Sample i's target as the views write it: “y = −0.5” for a regression table (its
        values, 4 significant digits), its class name in quotes (“1”) otherwise."""
        if self.values is None:
            return f"“{self.class_names[self.labels[i]]}”"
        names = ["y"] if self.n_targets == 1 else [f"y{k + 1}" for k in range(self.n_targets)]
        return ", ".join(f"{n} = {v:.4g}".replace("-", "−") for n, v in zip(names, self.values[i]))

    def label_target(self, n_outputs: int, label: int) -> Array:
        """The target row of an input of class `label` that is not in the dataset (a Try it
        input), as `targets` gives it for a sample of that class."""
        if n_outputs == 1:
            return np.array([float(label)])
        row = np.zeros(n_outputs)
        row[label] = 1.0
        return row

    def targets(self, n_outputs: int, rows: slice | None = None) -> Array:
        """Target rows (of the samples in `rows`; all by default) for a network with
        `n_outputs` outputs.

        Regression: the `values` rows, which need as many outputs. Classes, one output: the
        label itself (0 or 1, for a sigmoid unit). Several: one-hot rows.
        """
        if self.values is not None:
            if n_outputs != self.n_targets:
                raise ValueError(f"each sample has {self.n_targets} target value"
                                 f"{'s' if self.n_targets != 1 else ''}, so the network needs "
                                 f"{self.n_targets} output{'s' if self.n_targets != 1 else ''}, "
                                 f"not {n_outputs}")
            return self.values if rows is None else self.values[rows]
        labels = self.labels if rows is None else self.labels[rows]
        if n_outputs == 1:
            if self.n_classes > 2:
                raise ValueError(f"{self.n_classes} classes need at least {self.n_classes} outputs")
            return labels.astype(np.float64).reshape(-1, 1)
        if n_outputs < self.n_classes:
            raise ValueError(f"{self.n_classes} classes need at least {self.n_classes} outputs, "
                             f"the network has {n_outputs}")
        return np.eye(n_outputs)[labels]

    def image(self, i: int) -> Array:
        """Sample i as a 2-D array in `image_shape` (row-major)."""
        if self.image_shape is None:
            raise ValueError(f"dataset {self.name!r} has no image shape")
        return self.inputs[i].reshape(self.image_shape)

    def copy(self) -> Dataset:
        # `inputs` and `labels` are copied by __post_init__ (np.array copies); copying them
        # here too made each copy (an undo entry, an autosave snapshot) cost twice.
        return replace(
            self, class_names=list(self.class_names),
            test_inputs=None if self.test_inputs is None else self.test_inputs.copy(),
            test_labels=None if self.test_labels is None else self.test_labels.copy(),
            extra=dict(self.extra))   # values: copied by __post_init__ too

    def split(self, validation_fraction: float, seed: int) -> tuple[Dataset, Dataset | None]:
        """(train, validation) by a seeded shuffle; no validation set for fraction 0."""
        if not 0.0 <= validation_fraction < 1.0:
            raise ValueError("validation fraction must lie in [0, 1)")
        n_val = int(round(self.n_samples * validation_fraction))
        if n_val == 0:
            return self, None
        order = np.random.default_rng(seed).permutation(self.n_samples)
        val_idx, train_idx = np.sort(order[:n_val]), np.sort(order[n_val:])
        train, val = (replace(self, inputs=self.inputs[idx], labels=self.labels[idx],
                              values=None if self.values is None else self.values[idx])
                      for idx in (train_idx, val_idx))
        return train, val
