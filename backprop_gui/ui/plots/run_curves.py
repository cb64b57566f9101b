"""The kept runs (engine.runs) drawn over the Loss plot: one loss curve and one accuracy curve
per visible run, each in its run's colour, named in the loss plot's legend.

Colours: the Okabe–Ito vermillion, bluish green, reddish purple and sky blue, which stay
apart for colour-blind readers and differ from the live curves' blue and orange; runs 5–8
repeat them dashed, so no two runs look alike even without colour.
"""

from __future__ import annotations

from html import escape
from typing import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ...engine.runs import Run
from .decimate import PeakSeries

RUN_COLORS = (QColor(213, 94, 0), QColor(0, 158, 115), QColor(204, 121, 167),
              QColor(86, 180, 233))
DOWNSAMPLE_TO = 1_000


def run_color(index: int) -> QColor:
    return RUN_COLORS[index % len(RUN_COLORS)]


def run_pen(index: int, width: float = 2) -> pg.QtGui.QPen:
    dashed = (index // len(RUN_COLORS)) % 2 == 1
    return pg.mkPen(run_color(index), width=width,
                    style=Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)


class RunCurves:
    """The run curves of a loss plot and an accuracy plot, and their legend entries."""

    def __init__(self, loss_plot: pg.PlotItem, accuracy_plot: pg.PlotItem,
                 legend: pg.LegendItem) -> None:
        self.loss_plot, self.accuracy_plot, self.legend = loss_plot, accuracy_plot, legend
        self.loss_curves: list[pg.PlotCurveItem] = []
        self.accuracy_curves: list[pg.PlotCurveItem] = []
        self.runs: list[Run] = []
        self.x_max = 0.0
        self.drawn_loss = np.empty(0)    # every loss value drawn (for the y range)

    def draw(self, runs: list[Run], axis: str, loss_values: Callable[[np.ndarray], np.ndarray],
             accuracy_values: Callable[[np.ndarray], np.ndarray],
             to_view: Callable[[np.ndarray], np.ndarray] = lambda x: x) -> None:
        """Show the visible `runs` against `axis` ("epochs", "updates" or "samples");
        `loss_values` turns a loss series into what the plot draws (gaps, log10), `to_view`
        the x values into the view's coordinates (log10 on a log axis)."""
        self.clear()
        self.runs = [run for run in runs if run.visible]
        losses, x_max = [], 0.0
        for run in self.runs:
            x = run.x_values(axis)
            pen = run_pen(run.color)
            loss_x, loss_y = PeakSeries(DOWNSAMPLE_TO, loss_values).update(x, run.history.loss)
            acc_x, acc_y = PeakSeries(DOWNSAMPLE_TO, accuracy_values).update(
                x, run.history.accuracy)
            loss_x, acc_x = to_view(loss_x), to_view(acc_x)
            loss_curve = pg.PlotCurveItem(loss_x, loss_y, pen=pen, antialias=True,
                                          connect="finite")
            accuracy_curve = pg.PlotCurveItem(acc_x, acc_y, pen=pen, antialias=True,
                                              connect="finite")
            self.loss_plot.addItem(loss_curve)
            self.accuracy_plot.addItem(accuracy_curve)
            # LegendItem writes its labels as HTML: a name is text, so it is escaped.
            self.legend.addItem(loss_curve, escape(run.name))
            self.loss_curves.append(loss_curve)
            self.accuracy_curves.append(accuracy_curve)
            losses.append(loss_y)
            if len(x):
                x_max = max(x_max, float(x[-1]))
        self.x_max = x_max
        self.drawn_loss = np.concatenate(losses) if losses else np.empty(0)

    def clear(self) -> None:
        for curve in self.loss_curves:
            self.legend.removeItem(curve)
            self.loss_plot.removeItem(curve)
        for curve in self.accuracy_curves:
            self.accuracy_plot.removeItem(curve)
        self.loss_curves, self.accuracy_curves, self.runs = [], [], []
        self.x_max, self.drawn_loss = 0.0, np.empty(0)

    def legend_names(self) -> list[str]:
        """The legend's run entries as a person reads them (plain text)."""
        curves = set(map(id, self.loss_curves))
        return [label.item.toPlainText() for sample, label in self.legend.items
                if id(sample.item) in curves]
