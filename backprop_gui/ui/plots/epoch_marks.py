"""The marks over the Loss plot's curves: the epoch the history slider points at and the one
under the mouse.

The slider's epoch is a line through both plots and a dot on the loss curve; the hovered
epoch a dotted line. Both are placed through the plot's EpochAxis, so they sit where the
curves put that epoch whatever the x axis counts and however it is scaled. Kept apart from
LossPlot because they follow the slider and the mouse, not the history.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from .epoch_axis import EpochAxis
from .style import HOVER_COLOR, MARKER_COLOR


def nearest_index(epochs: np.ndarray, epoch: float | None) -> int | None:
    """The index of the recorded epoch (`epochs`, increasing) nearest to `epoch`."""
    if epoch is None or len(epochs) == 0:
        return None
    i = int(np.searchsorted(epochs, epoch))
    if i >= len(epochs):
        return len(epochs) - 1
    if i > 0 and abs(epochs[i - 1] - epoch) <= abs(epochs[i] - epoch):
        return i - 1
    return i


class EpochMarks:
    """The marker (lines and dot) and the hover lines of the two plots."""

    def __init__(self, loss_plot: pg.PlotItem, accuracy_plot: pg.PlotItem,
                 axis: EpochAxis) -> None:
        self._axis = axis
        self._shown: tuple | None = None      # the dot as drawn: (x, y, log y, log x)
        marker_pen = pg.mkPen(MARKER_COLOR, width=2)
        self.marker_lines = [pg.InfiniteLine(angle=90, movable=False, pen=marker_pen)
                             for _ in range(2)]
        hover_pen = pg.mkPen(HOVER_COLOR, width=1, style=Qt.PenStyle.DotLine)
        self.hover_lines = [pg.InfiniteLine(angle=90, movable=False, pen=hover_pen)
                            for _ in range(2)]
        for plot, marker, hover in zip((loss_plot, accuracy_plot), self.marker_lines,
                                       self.hover_lines):
            plot.addItem(marker, ignoreBounds=True)
            plot.addItem(hover, ignoreBounds=True)
            marker.hide()
            hover.hide()
        self.marker_point = loss_plot.plot(pen=None, symbol="o", symbolSize=9,
                                           symbolBrush=MARKER_COLOR, symbolPen=None)

    def show_marker(self, epoch: int | None, epochs: np.ndarray, loss: list[float],
                    log_loss: bool) -> None:
        """Mark `epoch` (or nothing); the dot sits on the recorded loss nearest to it
        (`epochs` and `loss` of the history), when that loss can be drawn."""
        for line in self.marker_lines:
            line.setVisible(epoch is not None)
            if epoch is not None:
                line.setValue(self._axis.to_x(epoch))
        index = nearest_index(epochs, epoch)
        point = None
        if index is not None:
            y = loss[index]
            if np.isfinite(y) and (y > 0 or not log_loss):
                # A PlotDataItem: the plot's log mode takes log10 of its x itself.
                point = (float(epochs[index]) * self._axis.scale, float(y), log_loss,
                         self._axis.log)
        if point != self._shown:     # a new point costs a pyqtgraph setData
            self._shown = point
            self.marker_point.setData(*(([point[0]], [point[1]]) if point else ([], [])))

    def show_hover(self, epoch: float | None) -> None:
        """The dotted lines at `epoch`, or none."""
        for line in self.hover_lines:
            line.setVisible(epoch is not None)
            if epoch is not None:
                line.setValue(self._axis.to_x(epoch))
