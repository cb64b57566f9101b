"""Named training runs kept side by side: what a run trained with and the loss it reached.

A Run is a finished piece of training kept for comparison (Train ▸ Compare… makes them):
its name, the settings it used, its History (the one history type, thinned like the main
one), a colour index and whether the Loss plot shows it. The x axes of the Loss plot need
more than the epoch: the weight updates and the samples seen up to each record. For one
run both grow by a fixed amount per epoch (a pass over the training set is ⌈N / batch⌉
updates and N samples, whatever the optimizer), so a run stores those two counts per
epoch and `x_values` multiplies; thinning the history then keeps every count right.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .limits import MAX_RUNS
from .project import SERIES, History, TrainingConfig

X_AXES = ("epochs", "updates", "samples")
X_AXIS_LABELS = {"epochs": "Epoch", "updates": "Weight updates", "samples": "Samples seen"}


def batch_length(config: TrainingConfig, n_train: int) -> int:
    """Samples per update: all of them (batch GD), one (SGD) or `batch_size` (mini-batch)."""
    if config.optimizer == "batch":
        return n_train
    if config.optimizer == "sgd":
        return 1
    return min(int(config.batch_size), n_train)


def epoch_counts(n_samples: int, config: TrainingConfig) -> tuple[int, int]:
    """(weight updates, samples seen) in one epoch on a dataset of `n_samples` samples, after
    the validation split the Trainer makes (Dataset.split keeps round(N·fraction) apart)."""
    n_train = n_samples - int(round(n_samples * config.validation_fraction))
    if n_train <= 0:
        return 0, 0
    return -(-n_train // batch_length(config, n_train)), n_train


@dataclass
class Run:
    """One kept run. `color` indexes the plots' run palette; `visible` is a view choice
    (saved, but like the selected sample not an edit of the project)."""

    name: str
    training: TrainingConfig
    history: History = field(default_factory=History)
    updates_per_epoch: int = 1
    samples_per_epoch: int = 1
    color: int = 0
    visible: bool = True

    def copy(self) -> Run:
        return replace(self, training=replace(self.training), history=self.history.copy())

    def x_values(self, axis: str, epochs: np.ndarray | None = None) -> np.ndarray:
        """The run's records (or `epochs`) counted in epochs, weight updates or samples seen."""
        e = np.asarray(self.history.epoch if epochs is None else epochs, dtype=np.float64)
        return e * per_epoch(axis, self.updates_per_epoch, self.samples_per_epoch)

    def difference(self, other: Run) -> str | None:
        """The first field (e.g. "history.loss") saved differently, ignoring `visible`."""
        for name in ("name", "updates_per_epoch", "samples_per_epoch", "color"):
            if getattr(self, name) != getattr(other, name):
                return name
        if self.training != other.training:
            return "training"
        for key in SERIES:
            a = np.asarray(getattr(self.history, key), dtype=np.float64)
            b = np.asarray(getattr(other.history, key), dtype=np.float64)
            if a.shape != b.shape or not np.array_equal(a, b, equal_nan=True):
                return f"history.{key}"
        return None


def per_epoch(axis: str, updates_per_epoch: int, samples_per_epoch: int) -> int:
    """How much one epoch counts on `axis` (one of X_AXES)."""
    if axis not in X_AXES:
        raise ValueError(f"unknown x axis {axis!r} (known: {', '.join(X_AXES)})")
    return {"epochs": 1, "updates": updates_per_epoch, "samples": samples_per_epoch}[axis]


def free_color(runs: list[Run]) -> int:
    """The lowest colour index no run uses (runs are at most MAX_RUNS, so one is free)."""
    used = {run.color for run in runs}
    return next((c for c in range(MAX_RUNS) if c not in used), len(runs) % MAX_RUNS)


def unique_name(name: str, runs: list[Run]) -> str:
    """`name`, or `name (2)`, `name (3)` … if a run already has it."""
    names = {run.name for run in runs}
    if name not in names:
        return name
    n = 2
    while f"{name} ({n})" in names:
        n += 1
    return f"{name} ({n})"
