"""What a project file holds: the network, the dataset, training settings and history."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .dataset import Dataset
from .network import Network

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
        n = len(self.epoch)
        lo, hi = HEAD_RECORDS, n - TAIL_RECORDS
        if hi <= lo:
            return
        room = (MAX_RECORDS - HEAD_RECORDS - TAIL_RECORDS) // 2
        keep = spread_out(self.epoch, lo, hi, room)
        for key in SERIES:
            values = getattr(self, key)
            # In place: the trainer and the views hold these very lists.
            values[:] = values[:lo] + [values[i] for i in keep] + values[hi:]

    def copy(self) -> History:
        """An independent copy (the records are numbers, so copying the lists suffices)."""
        return History(*(list(getattr(self, key)) for key in SERIES))

    def prefix(self, n: int) -> History:
        """An independent copy of the first `n` records (going back to an earlier epoch)."""
        return History(*(list(getattr(self, key)[:n]) for key in SERIES))

    def compact(self) -> HistoryArrays:
        """The records as NumPy arrays, 40 bytes a record (see HistoryArrays)."""
        arrays = HistoryArrays()
        arrays.follow(self)
        arrays.detach()
        return arrays


class HistoryArrays:
    """A History's records as NumPy arrays: the compact form of the one history type.

    Two uses. An undo entry keeps a `History.compact()` copy: 40 bytes a record where the
    lists of a long run, once thinning has dropped their numbers from the live history,
    hold ~160 (a float object each), and `history()` gives the records back bit for bit.
    The loss plot keeps one that `follow`s the live history, frame after frame: only the
    records appended since are converted (converting 100,000 records from lists on every
    frame would cost more than drawing them)."""

    def __init__(self) -> None:
        self._source: History | None = None
        self._n = 0
        self.generation = 0    # counts the times the arrays started over
        self._data = {key: np.empty(0, dtype=np.int64 if key == "epoch" else np.float64)
                      for key in SERIES}

    def __len__(self) -> int:
        return self._n

    @property
    def nbytes(self) -> int:
        return sum(values.nbytes for values in self._data.values())

    def series(self) -> dict[str, np.ndarray]:
        """Each series by name ("epoch", "loss", …), as views of the arrays."""
        return {key: values[:self._n] for key, values in self._data.items()}

    def follow(self, history: History) -> dict[str, np.ndarray]:
        """Bring the arrays up to date with `history` (the one followed so far grown by some
        records, or another one, or the same cut short or thinned: then from scratch)."""
        n = len(history)
        if (history is not self._source or n < self._n
                or (self._n and history.epoch[self._n - 1] != self._data["epoch"][self._n - 1])):
            self._source, self._n = history, 0
            self.generation += 1
        capacity = len(self._data["epoch"])
        if n > capacity:
            size = max(n, 2 * capacity, 256)
            for key, old in self._data.items():
                grown = np.empty(size, dtype=old.dtype)
                grown[:self._n] = old[:self._n]
                self._data[key] = grown
        for key in SERIES:
            self._data[key][self._n:n] = getattr(history, key)[self._n:n]
        self._n = n
        return self.series()

    def detach(self) -> None:
        """Stop following: keep exactly the records held (no spare room), as a copy does."""
        self._source = None
        self._data = {key: values[:self._n].copy() for key, values in self._data.items()}

    def history(self) -> History:
        """A new History with the same records (Python ints and floats, bit for bit)."""
        return History(*(values[:self._n].tolist() for values in self._data.values()))


@dataclass
class Project:
    network: Network
    dataset: Dataset
    training: TrainingConfig = field(default_factory=TrainingConfig)
    history: History = field(default_factory=History)
    lesson: str | None = None
    selected_sample: int = 0
