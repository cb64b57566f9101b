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


def log_peaks(x: np.ndarray, y: np.ndarray, transform: Transform | None = None,
              limit: int = 1_000) -> tuple[np.ndarray, np.ndarray]:
    """(log10 x, transform(y)) to draw on a log x axis: at most `limit` bins of equal width
    in log10 x, each drawn as its lowest and highest y (a bin of one point as that point).
    `transform` must keep the order of the values (it is applied to the peaks only).

    PeakSeries' equal blocks of epochs would lump the first hundred epochs of a long run
    into one block, and on a log axis they fill a good part of the width. x must be
    positive and increasing; the cost grows with len(x) (a history holds at most 100,000).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    transform = transform or (lambda values: values)
    if len(x) <= limit:
        return np.log10(x), transform(y)
    # Bin edges found in x itself: log10 of only the bins' first points (of all 100,000
    # it would cost ~2 ms a frame).
    edges = np.logspace(np.log10(x[0]), np.log10(x[-1]), limit + 1)[:-1]
    starts = np.searchsorted(x, edges * (1 - 1e-12), side="left")
    starts = starts[np.r_[True, np.diff(starts) > 0]]      # sorted already: no np.unique
    lx = np.log10(x[starts])
    lo = transform(np.fmin.reduceat(y, starts))
    hi = transform(np.fmax.reduceat(y, starts))
    single = np.diff(np.append(starts, len(x))) == 1
    out_x = np.repeat(lx, np.where(single, 1, 2))
    out_y = np.empty_like(out_x)
    at = np.cumsum(np.where(single, 1, 2)) - np.where(single, 1, 2)
    out_y[at] = lo
    out_y[at[~single] + 1] = hi[~single]
    return out_x, out_y
