"""The Loss plot's x axis: what it counts, how an epoch maps onto it, and its log ticks.

The x axis counts epochs, weight updates or samples seen (engine.runs.X_AXES), linearly or
logarithmically. pyqtgraph's log mode expects the data already as log10 and shows the
view's x as log10 of the value, so every conversion between an epoch of the live history
and a view coordinate goes through one `EpochAxis`: the curves, the marks, the hover and
the runs all agree on where an epoch is. `log_ticks` labels any log axis (the Loss plot's
two, the gradient sizes plot's) 1-2-5 instead of pyqtgraph's overlapping minor labels.
"""

from __future__ import annotations

import numpy as np

from .style import epoch_axis_end


def tick_label(mantissa: int, decade: int) -> str:
    """m·10^d as 0.05, 200 or 5e−6 (plain numbers while they stay short)."""
    if -3 <= decade <= 4:
        return f"{mantissa * 10.0 ** decade:.{max(0, -decade)}f}"
    return f"{mantissa}e{decade}".replace("-", "−")


def log_ticks(low: float, high: float) -> list[list[tuple[float, str]]]:
    """Ticks for a log axis whose view spans 10^low … 10^high: decades labelled, and 2 and 5
    labelled too when fewer than three decades are in view."""
    major, minor = [], []
    if not (np.isfinite(low) and np.isfinite(high)) or high <= low:
        return [major, minor]
    few = high - low < 3
    for decade in range(int(np.floor(low)), int(np.ceil(high)) + 1):
        for m in (1, 2, 3, 4, 5, 6, 7, 8, 9):
            v = np.log10(m) + decade
            if not low <= v <= high:
                continue
            if m == 1 or (few and m in (2, 5)):
                major.append((v, tick_label(m, decade)))
            else:
                minor.append((v, ""))
    return [major, minor]


class EpochAxis:
    """Which count the x axis shows (`name`), how many of it an epoch of the live history
    is (`scale`: updates or samples per epoch under the current settings) and whether the
    axis is logarithmic (`log`); converts epochs to view coordinates and back."""

    def __init__(self) -> None:
        self.name = "epochs"
        self.scale = 1.0
        self.log = False

    def to_x(self, epoch: float) -> float:
        """An epoch of the live history as an x coordinate of the view: on the axis shown
        (epochs, updates or samples), log10 of it on a log axis (0, the start, at 1)."""
        value = float(epoch) * self.scale
        return float(np.log10(max(value, 1.0))) if self.log else value

    def to_x_array(self, values: np.ndarray) -> np.ndarray:
        """Values on the axis shown as x coordinates of the view (a run's x values)."""
        return np.log10(np.maximum(values, 1.0)) if self.log else values

    def from_x(self, x: float) -> float:
        """The live history's epoch at view coordinate `x` (the inverse of `to_x`)."""
        value = 10.0 ** x if self.log else x
        return value / self.scale if self.scale else value

    def place(self, xs: np.ndarray, log_binned: bool) -> np.ndarray:
        """Epochs of the live history's thinned curves onto the axis shown (× updates or
        samples per epoch); `log_binned`: they are log10 already (decimate.log_peaks)."""
        return xs + np.log10(self.scale) if log_binned else xs * self.scale

    def span(self, last: float) -> tuple[float, float]:
        """The x axis in view coordinates: from 0 (or 1 on a log axis) to just past `last`
        (in the axis' units: epochs, weight updates or samples), so the curves fill most of
        the width."""
        end = epoch_axis_end(last)
        return (0.0, float(np.log10(end))) if self.log else (0.0, end)

    def ticks(self, view_low: float, view_high: float) -> list | None:
        """The ticks for the view's x range: 1-2-5 labels on a log axis, pyqtgraph's own
        (None) on a linear one."""
        return log_ticks(max(view_low, 0.0), view_high) if self.log else None
