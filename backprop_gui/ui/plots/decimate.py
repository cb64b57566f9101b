"""PeakSeries: a growing curve (one point per epoch) thinned for drawing, in time that does
not grow with the length of the history.

A network that trains at 10,000 epochs a second has a million-point loss curve after two
minutes. Handing pyqtgraph the whole of it on every frame (it finds the bounds and thins
the points itself) costs time in proportion to the history: the window would slow down the
longer a class lets it run. Here each block of `ds` epochs is reduced once, when it is
complete, to its lowest and highest value; the curve drawn is those pairs plus the newest
raw points. With `ds` a power of two chosen so that at most `limit` blocks exist, the
picture is the same (every peak is kept, and so are the minimum and maximum that set the
axis range) and each frame only touches the epochs that are new.

On a log epoch axis the blocks are bins of equal width in log10 x instead (log_peaks, and
LogPeakSeries, which gives the same a frame at a time).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

Transform = Callable[[np.ndarray], np.ndarray]


class PeakSeries:
    """Feed it the whole (x, y) history on every frame; get back what to draw."""

    def __init__(self, limit: int = 2_000, transform: Transform | None = None) -> None:
        self.limit = limit
        self.transform = transform    # applied to y slices as they are read (e.g. ±∞ → NaN)
        self.reset()

    def reset(self) -> None:
        """Forget everything (another history, or the same one cut short)."""
        self.ds = 1
        self._done = 0                # raw points already reduced into blocks
        self._x = np.empty(0)         # per block: its first x
        self._lo = np.empty(0)        # per block: min y (NaN when the block has no number)
        self._hi = np.empty(0)
        self._blocks = 0

    def _y(self, y: np.ndarray) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64)
        return self.transform(y) if self.transform is not None else y

    def block_size(self, n: int) -> int:
        """The smallest power of two that leaves at most `limit` blocks of n points."""
        ds = 1
        while n > ds * self.limit:
            ds *= 2
        return ds

    def update(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) to draw for the series so far (x and y: all of it, same length)."""
        n = len(x)
        if n < self._done:
            self.reset()
        ds = self.block_size(n)
        if ds == 1:
            self.reset()
            return np.asarray(x, dtype=np.float64), self._y(y)
        if ds != self.ds:
            # Twice as long a block: rebuilt once from the raw points (after a doubling of
            # the history, so on average a constant cost per new point).
            self.reset()
            self.ds = ds
        complete = (n // ds) * ds
        if complete > self._done:
            ys = self._y(y[self._done:complete]).reshape(-1, ds)
            self._append(np.asarray(x[self._done:complete:ds], dtype=np.float64),
                         np.fmin.reduce(ys, axis=1), np.fmax.reduce(ys, axis=1))
            self._done = complete
        b = self._blocks
        out_x = np.empty(2 * b + (n - complete))
        out_y = np.empty_like(out_x)
        out_x[0:2 * b:2] = out_x[1:2 * b:2] = self._x[:b]
        out_y[0:2 * b:2] = self._lo[:b]
        out_y[1:2 * b:2] = self._hi[:b]
        out_x[2 * b:] = x[complete:n]
        out_y[2 * b:] = self._y(y[complete:n])
        return out_x, out_y

    def _append(self, x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        b, k = self._blocks, len(x)
        if b + k > len(self._x):
            size = max(b + k, 2 * len(self._x), 64)
            for name in ("_x", "_lo", "_hi"):
                old = getattr(self, name)
                grown = np.empty(size)
                grown[:b] = old[:b]
                setattr(self, name, grown)
        self._x[b:b + k], self._lo[b:b + k], self._hi[b:b + k] = x, lo, hi
        self._blocks = b + k


# The bins of a log x axis are unions of fine bins of log10 x, LOG_QUANTUM wide and fixed in
# place (fine bin j holds floor(log10(x) / LOG_QUANTUM) = j); the bins drawn are 2**k fine bins
# each, k the smallest that leaves at most `limit` of them. A bin of epochs already seen thus
# never moves as the history grows (it only merges with its neighbour when k grows), so a
# growing history can be binned a frame at a time (LogPeakSeries) with the same result as
# binning it whole (log_peaks).
LOG_QUANTUM = 2.0 ** -16


def _fine_bins(x: np.ndarray) -> np.ndarray:
    return np.floor(np.log10(x) / LOG_QUANTUM).astype(np.int64)


def _level(first: int, last: int, limit: int) -> int:
    """The smallest k that leaves at most `limit` bins of 2**k fine bins from `first` to `last`."""
    k = 0
    while (last >> k) - (first >> k) + 1 > limit:
        k += 1
    return k


def _runs(bins: np.ndarray) -> np.ndarray:
    """Where each run of equal values of the sorted `bins` starts."""
    return np.flatnonzero(np.r_[True, bins[1:] != bins[:-1]])


def _peaks_drawn(lx: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                 count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each bin at its first point's x, as its lowest and highest y (a bin of one point as
    that point)."""
    single = count == 1
    reps = np.where(single, 1, 2)
    out_x = np.repeat(lx, reps)
    out_y = np.empty_like(out_x)
    at = np.cumsum(reps) - reps
    out_y[at] = lo
    out_y[at[~single] + 1] = hi[~single]
    return out_x, out_y


def _identity(values: np.ndarray) -> np.ndarray:
    return values


def log_peaks(x: np.ndarray, y: np.ndarray, transform: Transform | None = None,
              limit: int = 1_000) -> tuple[np.ndarray, np.ndarray]:
    """(log10 x, transform(y)) to draw on a log x axis, the whole history at once: up to
    `limit` points as they are, more in at most `limit` bins of equal width in log10 x
    (see LOG_QUANTUM), each drawn as its lowest and highest y. x must be positive and
    increasing. LogPeakSeries gives the same, a frame at a time.

    PeakSeries' equal blocks of epochs would lump the first hundred epochs of a long run
    into one block, and on a log axis they fill a good part of the width.
    """
    x = np.asarray(x, dtype=np.float64)
    y = (transform or _identity)(np.asarray(y, dtype=np.float64))
    if len(x) <= limit:
        return np.log10(x), y
    fine = _fine_bins(x)
    starts = _runs(fine >> _level(int(fine[0]), int(fine[-1]), limit))
    return _peaks_drawn(np.log10(x[starts]), np.fmin.reduceat(y, starts),
                        np.fmax.reduceat(y, starts), np.diff(np.append(starts, len(x))))


class LogPeakSeries:
    """log_peaks of a growing history, fed the whole (x, y) on every frame: only the points
    new since the last call are read (binning all of a 100,000-epoch history cost ~2 ms a
    curve, every frame). A shorter history starts over."""

    def __init__(self, limit: int = 1_000, transform: Transform | None = None) -> None:
        self.limit = limit
        self.transform = transform or _identity
        self.reset()

    def reset(self) -> None:
        self._n = 0              # points read
        self._level = 0          # the bins are 2**level fine bins
        self._first = 0          # the fine bin of the first point
        self._size = 0           # bins held; per bin:
        self._bin = np.empty(0, dtype=np.int64)    # its index (fine bin >> level)
        self._lx = np.empty(0)                     # log10 of its first x
        self._lo = np.empty(0)                     # its lowest and highest transformed y
        self._hi = np.empty(0)
        self._count = np.empty(0, dtype=np.int64)  # its number of points

    def update(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What log_peaks(x, y) gives, for x and y grown since the last call (or not)."""
        n = len(x)
        if n < self._n:
            self.reset()
        if n > self._n:
            self._add(np.asarray(x[self._n:n], dtype=np.float64),
                      self.transform(np.asarray(y[self._n:n], dtype=np.float64)))
            self._n = n
        if n <= self.limit:
            return np.log10(np.asarray(x, dtype=np.float64)), self.transform(
                np.asarray(y, dtype=np.float64))
        b = self._size
        return _peaks_drawn(self._lx[:b], self._lo[:b], self._hi[:b], self._count[:b])

    def _add(self, x: np.ndarray, y: np.ndarray) -> None:
        fine = _fine_bins(x)
        if self._size == 0:
            self._first = int(fine[0])
        level = _level(self._first, int(fine[-1]), self.limit)
        if level != self._level:
            self._merge(level)
        bins = fine >> level
        starts = _runs(bins)
        new = (bins[starts], np.log10(x[starts]), np.fmin.reduceat(y, starts),
               np.fmax.reduceat(y, starts), np.diff(np.append(starts, len(x))))
        last = self._size - 1
        if last >= 0 and new[0][0] == self._bin[last]:
            # The first new points fall into the last bin held: fold them in.
            self._lo[last] = np.fmin(self._lo[last], new[2][0])
            self._hi[last] = np.fmax(self._hi[last], new[3][0])
            self._count[last] += new[4][0]
            new = tuple(values[1:] for values in new)
        self._append(*new)

    def _merge(self, level: int) -> None:
        """Coarser bins: each the union of the 2**(level - self._level) bins it covers."""
        b = self._size
        if b == 0:
            self._level = level
            return
        bins = self._bin[:b] >> (level - self._level)
        starts = _runs(bins)
        merged = (bins[starts], self._lx[:b][starts], np.fmin.reduceat(self._lo[:b], starts),
                  np.fmax.reduceat(self._hi[:b], starts), np.add.reduceat(self._count[:b], starts))
        self._level, self._size = level, 0
        self._append(*merged)

    def _append(self, *columns: np.ndarray) -> None:
        b, k = self._size, len(columns[0])
        names = ("_bin", "_lx", "_lo", "_hi", "_count")
        if b + k > len(self._bin):
            size = max(b + k, 2 * len(self._bin), 64)
            for name in names:
                old = getattr(self, name)
                grown = np.empty(size, dtype=old.dtype)
                grown[:b] = old[:b]
                setattr(self, name, grown)
        for name, values in zip(names, columns):
            getattr(self, name)[b:b + k] = values
        self._size = b + k
