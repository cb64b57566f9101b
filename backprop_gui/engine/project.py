"""What a project file holds: the network, the dataset, training settings and history."""

from __future__ import annotations

from dataclasses import astuple, dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from .dataset import Dataset
from .limits import TRAINING_BOUNDS, training_problem
from .network import INITIALISERS, Network

if TYPE_CHECKING:
    from .runs import Run

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
    """Everything a project file holds.

    `selected_sample` is saved so a project opens on the sample it was left on, but it is a
    selection, not an edit: choosing a sample is not undoable and does not make the project
    "modified" (see `first_difference`); so is whether each run (engine.runs) is shown."""

    network: Network
    dataset: Dataset
    training: TrainingConfig = field(default_factory=TrainingConfig)
    history: History = field(default_factory=History)
    lesson: str | None = None
    selected_sample: int = 0
    runs: list[Run] = field(default_factory=list)

    def copy(self) -> Project:
        """An independent copy (views and undo commands change arrays in place)."""
        return Project(self.network.copy(), self.dataset.copy(), replace(self.training),
                       self.history.copy(), self.lesson, self.selected_sample,
                       [run.copy() for run in self.runs])


def first_difference(a: Project, b: Project) -> str | None:
    """The first field in which `a` and `b` would be saved differently (e.g. "network.weights[1]"),
    or None when they would be saved alike apart from `selected_sample`.

    Numbers are compared bit for bit (−0.0 is not 0.0), except that any NaN equals any NaN
    in the history (saved as null). Small fields come first, so two projects that differ (a
    training run, a new setting) are told apart without comparing the dataset's arrays."""
    if a.lesson != b.lesson:
        return "lesson"
    for name, x, y in zip(TrainingConfig.__dataclass_fields__, astuple(a.training),
                          astuple(b.training)):
        if type(x) is not type(y) or x != y:
            return f"training.{name}"
    na, nb = a.network, b.network
    for name in ("sizes", "activation_names", "loss_name"):
        if getattr(na, name) != getattr(nb, name):
            return f"network.{name}"
    if len(a.history) != len(b.history):
        return "history"
    if len(a.runs) != len(b.runs):
        return "runs"
    for i, (x, y) in enumerate(zip(a.runs, b.runs)):
        problem = x.difference(y)
        if problem:
            return f"runs[{i}].{problem}"
    for name in ("weights", "biases"):
        for l, (x, y) in enumerate(zip(getattr(na, name), getattr(nb, name))):
            if not _same_bits(x, y):
                return f"network.{name}[{l}]"
    da, db = a.dataset, b.dataset
    for name in ("name", "title", "kind", "class_names", "image_shape", "description", "seed"):
        if getattr(da, name) != getattr(db, name):
            return f"dataset.{name}"
    for name in ("labels", "inputs", "values", "test_labels", "test_inputs"):
        if not _same_bits(getattr(da, name), getattr(db, name)):
            return f"dataset.{name}"
    if a.history.epoch != b.history.epoch:
        return "history.epoch"
    for name in SERIES[1:]:
        x = np.asarray(getattr(a.history, name), dtype=np.float64)
        y = np.asarray(getattr(b.history, name), dtype=np.float64)
        nan = np.isnan(x)
        if not np.array_equal(nan, np.isnan(y)) or not _same_bits(x[~nan], y[~nan]):
            return f"history.{name}"
    return None


def _same_bits(a: np.ndarray | list | None, b: np.ndarray | list | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    # Viewed as unsigned integers of the same width: bit for bit, without copying the arrays.
    bits = np.dtype(f"u{a.dtype.itemsize}") if a.dtype.itemsize in (1, 2, 4, 8) else np.uint8
    return bool(np.array_equal(np.ascontiguousarray(a).view(bits), np.ascontiguousarray(b).view(bits)))
