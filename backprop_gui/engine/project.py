"""What a project file holds: the network, the dataset, training settings and history."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .dataset import Dataset
from .limits import TRAINING_BOUNDS, training_problem
from .network import INITIALISERS, Network

OPTIMIZERS = ("batch", "minibatch", "sgd")
SCHEDULES = ("constant", "step")


@dataclass
class TrainingConfig:
    """How to train. `optimizer`: "batch" (all samples per step), "minibatch"
    (`batch_size` samples, reshuffled each epoch from `seed`) or "sgd" (one sample)."""

    optimizer: str = "batch"
    learning_rate: float = 0.1
    batch_size: int = 8
    momentum: float = 0.0
    l1: float = 0.0
    l2: float = 0.0
    schedule: str = "constant"
    step_every: int = 100          # step decay: multiply the rate by step_factor every N epochs
    step_factor: float = 0.5
    seed: int = 0
    init: str = "he"
    validation_fraction: float = 0.0
    max_epochs: int | None = None
    target_loss: float | None = None

    def validate(self) -> None:
        """Raise ValueError naming the first setting outside its choices or its range (the
        ranges are engine.limits.TRAINING_BOUNDS, which the loader and the widgets use too)."""
        for field_name, value, known in (("optimizer", self.optimizer, OPTIMIZERS),
                                         ("schedule", self.schedule, SCHEDULES),
                                         ("initialiser", self.init, INITIALISERS)):
            if value not in known:
                raise ValueError(f"unknown {field_name} {value!r} (known: {', '.join(known)})")
        for name in TRAINING_BOUNDS:
            problem = training_problem(name, getattr(self, name))
            if problem:
                raise ValueError(problem)


# A small network trains 20,000 epochs a second: an hour of it would be 72 million records
# (11 GB as Python lists), and every autosave, undo entry and redraw would grow with them.
# Past MAX_RECORDS the history thins out: the first HEAD_RECORDS and the last TAIL_RECORDS
# epochs stay, and between them one record per span of a power of two epochs (as short as
# leaves half the room free), so the middle stays evenly spaced however long the run. Drawn a few hundred pixels across, the loss curve looks the same.
MAX_RECORDS = 100_000
HEAD_RECORDS = 1_000
TAIL_RECORDS = 20_000
SERIES = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy")


def spread_out(epochs: list[int], lo: int, hi: int, room: int) -> list[int]:
    """Indices in [lo, hi) of increasing `epochs` to keep: the first in each span of
    `stride` epochs (aligned to multiples of it), with `stride` the smallest power of two
    that keeps at most `room`. Evenly spaced however irregular the epochs were, and
    thinning again with a larger stride keeps a subset of the same records."""
    if hi <= lo:
        return []
    first, last = epochs[lo], epochs[hi - 1]
    stride = 1
    while last // stride - first // stride + 1 > room:
        stride *= 2
    spans = np.array(epochs[lo:hi], dtype=np.int64) // stride
    starts = np.ones(len(spans), dtype=bool)
    starts[1:] = spans[1:] != spans[:-1]
    return (np.flatnonzero(starts) + lo).tolist()


def thinned(epochs: list[int]) -> list[int] | None:
    """The indices History.thin keeps of these increasing epochs (None: it keeps them all)."""
    n = len(epochs)
    lo, hi = HEAD_RECORDS, n - TAIL_RECORDS
    if hi <= lo:
        return None
    room = (MAX_RECORDS - HEAD_RECORDS - TAIL_RECORDS) // 2
    return [*range(lo), *spread_out(epochs, lo, hi, room), *range(hi, n)]


@dataclass
class History:
    """Per-epoch records; validation lists hold NaN where there is no validation set.

    Bounded: appending past MAX_RECORDS thins the middle of the history (see above), so
    `epoch` is increasing but not every epoch need have a record."""

    epoch: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.epoch)

    def append(self, epoch: int, loss: float, accuracy: float,
               val_loss: float = float("nan"), val_accuracy: float = float("nan")) -> None:
        self.epoch.append(epoch)
        self.loss.append(loss)
        self.accuracy.append(accuracy)
        self.val_loss.append(val_loss)
        self.val_accuracy.append(val_accuracy)
        if len(self.epoch) > MAX_RECORDS:
            self.thin()

    def thin(self) -> None:
        """Keep the first HEAD_RECORDS and last TAIL_RECORDS records, and between them one
        record per span of epochs as short as leaves half the room free."""
        keep = thinned(self.epoch)
        if keep is None:
            return
        for key in SERIES:
            values = getattr(self, key)
            # In place: the trainer and the views hold these very lists.
            values[:] = [values[i] for i in keep]

    def copy(self) -> History:
        """An independent copy (the records are numbers, so copying the lists suffices)."""
        return History(*(list(getattr(self, key)) for key in SERIES))


@dataclass
class Project:
    network: Network
    dataset: Dataset
    training: TrainingConfig = field(default_factory=TrainingConfig)
    history: History = field(default_factory=History)
    lesson: str | None = None
    selected_sample: int = 0
