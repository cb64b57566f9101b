"""Loss and accuracy per epoch, for the training set and (when there is one) the validation set,
with the kept runs (engine.runs) drawn over them (plots/run_curves.py).

Curves are created once and updated with setData. Hovering shows the numbers of the epoch
under the mouse; a marker shows the epoch the history slider points at. The x axis counts
epochs, weight updates or samples seen (`set_runs`): for the live history an epoch is as
many updates and samples as the current settings make of it (plots/epoch_axis.py converts;
plots/epoch_marks.py draws the marker and the hover lines, plots/loss_readout.py the numbers).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from ...engine.project import History, HistoryArrays
from ...engine.runs import X_AXES, X_AXIS_LABELS, Run
from .decimate import LogPeakSeries, PeakSeries
from .epoch_axis import EpochAxis, log_ticks
from .epoch_marks import EpochMarks, nearest_index
from .loss_readout import LossReadout, epoch_text
from .run_curves import RunCurves
from .style import (TRAIN_COLOR, VALIDATION_COLOR, RangeFollower, finite_or_nan, label_font,
                    linear_span, log_span, palette_colors, style_axis, style_plot, style_widget)

EMPTY_TEXT = "Press Play (Space) to train.\nThe loss appears here, one point per epoch."
THIN_LINES_FROM = 400   # points
DOWNSAMPLE_TO = 1_000     # blocks of epochs drawn at most per curve (each its lowest and highest value)


ACCURACY_TICKS = [[(v, f"{v}") for v in (0, 50, 100)], [(v, "") for v in (25, 75)]]


def percent(fraction: np.ndarray) -> np.ndarray:
    return 100.0 * finite_or_nan(fraction)


class LossPlot(QWidget):
    """Two linked plots: loss (top, optionally log-scaled) and accuracy in % (bottom),
    under a line of numbers for the epoch under the mouse (or the latest one)."""

    hovered = Signal(int)  # the epoch under the mouse (-1 when the mouse left)
    x_axis_chosen = Signal(str)  # "epochs", "updates" or "samples", chosen by a person

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loss_plot")
        self.readout = LossReadout()
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setToolTip("Loss and accuracy after each epoch. Drag to pan, scroll to "
                                 "zoom, right-click to export.")
        style_widget(self.graphics)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 0)
        layout.setSpacing(2)
        # The readout gets the full width (beside two check boxes it lost its last numbers
        # at 1024×600); the axis choices sit on their own row.
        layout.addWidget(self.readout)
        layout.addLayout(self._axis_controls())
        layout.addWidget(self.graphics, 1)
        self._epochs = np.zeros(0)
        self._history = History()
        self._arrays = HistoryArrays()
        self._generation = self._arrays.generation
        self._marker_epoch: int | None = None
        self._drawn: tuple | None = None    # what the curves show: (generation, epochs, log)
        self._log = False
        self._axis = EpochAxis()     # what the x axis counts, and whether it is logarithmic
        self._series = {
            "loss": PeakSeries(DOWNSAMPLE_TO, self._loss_values),
            "val_loss": PeakSeries(DOWNSAMPLE_TO, self._loss_values),
            "accuracy": PeakSeries(DOWNSAMPLE_TO, percent),
            "val_accuracy": PeakSeries(DOWNSAMPLE_TO, percent),
        }
        # The same series binned for the log epoch axis.
        self._log_series = {key: LogPeakSeries(DOWNSAMPLE_TO, series.transform)
                            for key, series in self._series.items()}
        self._loss_name = "Loss"
        self._runs: list[Run] = []
        self._runs_key: tuple | None = None
        self._runs_version = 0
        self._runs_drawn: tuple | None = None

        self._add_plots()
        self.marks = EpochMarks(self.loss_plot, self.accuracy_plot, self._axis)
        _, foreground = palette_colors()
        self.empty_text = pg.TextItem(EMPTY_TEXT, color=foreground, anchor=(0.5, 0.5))
        self.empty_text.setFont(label_font(10))
        self.loss_plot.addItem(self.empty_text, ignoreBounds=True)
        self.follower = RangeFollower(self.loss_plot)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.loss_plot.getViewBox().sigYRangeChanged.connect(lambda *_: self._update_log_ticks())
        self.loss_plot.getViewBox().sigXRangeChanged.connect(lambda *_: self._update_epoch_ticks())
        self._update_readout(None)
        # On by default: a run of any length shows its first epochs (where the loss falls
        # and the accuracy climbs) as well as its last, instead of a spike at x = 0 and a
        # flat line at 100 %.
        self.set_log_epochs(True)

    def _axis_controls(self) -> QHBoxLayout:
        """The x axis' count (epochs, updates, samples) and the two log-scale check boxes."""
        self.log_check = QCheckBox("Log scale")
        self.log_check.setObjectName("log_scale_check")
        self.log_check.setToolTip("Show the loss on a logarithmic axis: equal steps are equal "
                                  "factors, so slow progress late in training stays visible")
        self.log_check.toggled.connect(self.set_log_scale)
        self.x_axis_combo = QComboBox()
        self.x_axis_combo.setObjectName("x_axis_combo")
        for axis in X_AXES:
            self.x_axis_combo.addItem(X_AXIS_LABELS[axis].replace("Epoch", "Epochs"), axis)
        self.x_axis_combo.setToolTip(
            "Count the x axis in epochs (passes over the data), weight updates (SGD makes N "
            "per epoch, batch gradient descent one) or samples seen")
        self.x_axis_combo.currentIndexChanged.connect(self._on_x_axis_chosen)
        self.log_epochs_check = QCheckBox("Log epochs")
        self.log_epochs_check.setObjectName("log_epochs_check")
        self.log_epochs_check.setToolTip(
            "Show the epochs on a logarithmic axis: epochs 1–10 take as much room as 10–100 "
            "and 100–1000, so the first fall of the loss and a long run both stay visible")
        self.log_epochs_check.toggled.connect(self.set_log_epochs)
        axes = QHBoxLayout()
        axes.addWidget(self.x_axis_combo)
        axes.addStretch(1)
        axes.addWidget(self.log_check)
        axes.addWidget(self.log_epochs_check)
        return axes

    def _add_plots(self) -> None:
        """The loss plot above the accuracy plot, sharing the epoch axis, with their curves."""
        self.loss_plot: pg.PlotItem = self.graphics.addPlot(row=0, col=0)
        self.accuracy_plot: pg.PlotItem = self.graphics.addPlot(row=1, col=0)
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        self.accuracy_plot.setXLink(self.loss_plot)
        self._style_loss_axes()
        style_plot(self.accuracy_plot, "Epoch", "Accuracy", "%")
        self.accuracy_plot.getAxis("left").setTicks(ACCURACY_TICKS)
        self.accuracy_plot.setYRange(-8, 108, padding=0)
        self.accuracy_plot.getViewBox().setLimits(yMin=-8, yMax=108)
        # Same width for both left axes, so the two plots' epochs line up.
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.getAxis("left").setWidth(58)
        self.accuracy_plot.getViewBox().setMouseEnabled(y=False)
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.getViewBox().setLimits(xMin=-1)

        background, foreground = palette_colors()
        # See-through: with the runs' names the legend is large, and a curve behind it
        # must still show. (It can be dragged aside, too.)
        background.setAlpha(150)
        self._legend = self.loss_plot.addLegend(offset=(-8, 8), labelTextColor=foreground,
                                                brush=pg.mkBrush(background))
        self._pen_width = 2
        train_pen, val_pen = self._pens(2)
        # PlotCurveItem, not PlotDataItem: the curves are already thinned (PeakSeries) and,
        # on a log axis, already log10; PlotDataItem would redo that work on every frame
        # (setData ~70 µs instead of ~10).
        self.train_loss = self._curve(self.loss_plot, train_pen, "training")
        self.val_loss = self._curve(self.loss_plot, val_pen, "validation")
        self.train_acc = self._curve(self.accuracy_plot, train_pen)
        self.val_acc = self._curve(self.accuracy_plot, val_pen)
        self.run_curves = RunCurves(self.loss_plot, self.accuracy_plot, self._legend)

    # ----- data ---------------------------------------------------------------------------------

    def _style_loss_axes(self) -> None:
        style_plot(self.loss_plot, "Epoch", self._loss_name)
        # The two plots share the epoch axis: its numbers twice, its name once.
        self.loss_plot.getAxis("bottom").showLabel(False)
        self._update_log_ticks()

    def _update_log_ticks(self) -> None:
        # pyqtgraph labels every minor tick of a log axis and they overlap; label 1-2-5 instead.
        axis = self.loss_plot.getAxis("left")
        if not self._log:
            axis.setTicks(None)
            return
        low, high = self.loss_plot.getViewBox().viewRange()[1]
        axis.setTicks(log_ticks(low, high))

    def set_loss_name(self, name: str) -> None:
        """Label the loss axis with the loss in use, e.g. "Cross-entropy loss"."""
        if name != self._loss_name:
            self._loss_name = name
            self._style_loss_axes()

    def set_history(self, history: History) -> None:
        """Show `history` (call at most once per frame; converts only the new epochs)."""
        self._history = history
        data = self._arrays.follow(history)
        if self._arrays.generation != self._generation:
            self._generation = self._arrays.generation
            self._reset_series()
        epochs = data["epoch"]
        self._epochs = epochs
        drawn = (self._generation, len(epochs), self._log, self._runs_version, self._axis.scale,
                 self._axis.log)
        if drawn == self._drawn:
            # No epoch finished since the last frame (a big network trains a few epochs a
            # second): the curves stand as they are, no setData, no repaint.
            self._update_marker()
            self._update_readout(None)
            return
        self._drawn = drawn
        # Far more points than pixels: the peaks of every few epochs (the same picture),
        # worked out for the new epochs only.
        binned = self._axis.log and len(epochs) > 0
        series = self._log_series if binned else self._series
        shown = {key: series[key].update(epochs, data[key]) for key in series}
        self._update_pen_width(len(epochs))
        self._set_curves(shown, binned)
        self._draw_runs()
        self._fit_view(epochs, shown["loss"][1], shown["val_loss"][1])
        self._update_marker()
        self._update_readout(None)

    def _reset_series(self) -> None:
        """Thin the whole history afresh with the next frame (another history, another axis)."""
        for series in (*self._series.values(), *self._log_series.values()):
            series.reset()

    def _set_curves(self, shown: dict[str, tuple[np.ndarray, np.ndarray]], binned: bool) -> None:
        """The live history's thinned curves (x in epochs, log10 of them when `binned`) onto
        the axis shown; the validation curves only when there are validation values."""
        def place(xs: np.ndarray) -> np.ndarray:
            return self._axis.place(xs, binned)

        (x, loss), (val_x, val_loss) = shown["loss"], shown["val_loss"]
        has_val = bool(np.isfinite(val_loss).any())
        self.train_loss.setData(place(x), loss, connect="finite")
        acc_x, acc_y = shown["accuracy"]
        self.train_acc.setData(place(acc_x), acc_y, connect="finite")
        if has_val:
            self.val_loss.setData(place(val_x), val_loss, connect="finite")
            val_acc_x, val_acc_y = shown["val_accuracy"]
            self.val_acc.setData(place(val_acc_x), val_acc_y, connect="finite")
        elif self.val_loss.xData is not None and len(self.val_loss.xData):
            self.val_loss.setData([], [])
            self.val_acc.setData([], [])
        self._show_validation_in_legend(has_val)

    def _fit_view(self, epochs: np.ndarray, loss: np.ndarray, val_loss: np.ndarray) -> None:
        """Follow the curves and the runs (unless the person moved the view), or show the
        empty plot's hint when there is nothing to draw."""
        runs = self.run_curves
        self.empty_text.setVisible(len(epochs) == 0 and not runs.runs)
        if len(epochs) == 0 and not runs.runs:
            self.follower.follow()
            x_low, x_high = self._axis.span(10)
            self.follower.show(x_high, 0, 1, x_low)
            self.empty_text.setPos((x_low + x_high) / 2, 0.5)
            return
        both = np.concatenate([loss, val_loss, runs.drawn_loss])
        # On a log axis the curves hold log10 values already: 10 ** them for log_span.
        low, high = log_span(10.0 ** both) if self._log else linear_span(both)
        x_end = max(float(epochs[-1]) * self._axis.scale if len(epochs) else 0.0, runs.x_max)
        x_low, x_high = self._axis.span(x_end)
        self.follower.show(x_high, low, high, x_low)

    # ----- runs and the x axis ------------------------------------------------------------------

    def set_runs(self, runs: list[Run], axis: str = "epochs", live_per_epoch: float = 1) -> None:
        """Draw the visible `runs` too, everything against `axis` (one of engine.runs.X_AXES);
        an epoch of the live history counts `live_per_epoch` on it. Takes effect with the
        next `set_history` (call this first; the curves are redrawn only if anything changed)."""
        key = (axis, tuple((id(r), r.name, r.color, r.visible, len(r.history), r.updates_per_epoch,
                            r.samples_per_epoch) for r in runs))
        if key != self._runs_key:
            self._runs_key = key
            self._runs = list(runs)
            self._runs_version += 1
        if axis != self._axis.name:
            self._axis.name = axis
            style_axis(self.accuracy_plot.getAxis("bottom"), X_AXIS_LABELS[axis])
            self.x_axis_combo.blockSignals(True)
            self.x_axis_combo.setCurrentIndex(X_AXES.index(axis))
            self.x_axis_combo.blockSignals(False)
            self.follower.follow()
        self._axis.scale = float(live_per_epoch)

    def _on_x_axis_chosen(self, index: int) -> None:
        self.x_axis_chosen.emit(self.x_axis_combo.itemData(index))

    @property
    def x_axis(self) -> str:
        return self._axis.name

    def _draw_runs(self) -> None:
        drawn = (self._runs_version, self._log, self._axis.name, self._axis.log)
        if drawn != self._runs_drawn:
            self._runs_drawn = drawn
            self.run_curves.draw(self._runs, self._axis.name, self._loss_values, percent,
                                 self._axis.to_x_array)

    @staticmethod
    def _curve(plot: pg.PlotItem, pen, name: str | None = None) -> pg.PlotCurveItem:
        curve = pg.PlotCurveItem(pen=pen, antialias=True, connect="finite", name=name)
        plot.addItem(curve)
        return curve

    def _loss_values(self, loss: np.ndarray) -> np.ndarray:
        """The loss as drawn: ±∞ as gaps, and on a log axis log10 of it (no place for ≤ 0)."""
        loss = finite_or_nan(loss)
        if not self._log:
            return loss
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(loss > 0, np.log10(loss), np.nan)

    @staticmethod
    def _pens(width: int) -> tuple:
        return (pg.mkPen(TRAIN_COLOR, width=width),
                pg.mkPen(VALIDATION_COLOR, width=width, style=Qt.PenStyle.DashLine))

    def _update_pen_width(self, n_points: int) -> None:
        # Two-pixel lines read better on a projector, but antialiased wide lines cost ~5x
        # as much to draw; once the curve is dense, thin lines look the same.
        width = 2 if n_points < THIN_LINES_FROM else 1
        if width == self._pen_width:
            return
        self._pen_width = width
        train_pen, val_pen = self._pens(width)
        for curve, pen in ((self.train_loss, train_pen), (self.val_loss, val_pen),
                           (self.train_acc, train_pen), (self.val_acc, val_pen)):
            curve.setPen(pen)

    def _show_validation_in_legend(self, shown: bool) -> None:
        for legend, curve in ((self._legend, self.val_loss),):
            present = any(sample.item is curve for sample, _ in legend.items)
            if shown and not present:
                legend.addItem(curve, "validation")
            elif not shown and present:
                legend.removeItem(curve)

    def set_log_scale(self, on: bool) -> None:
        if on == self._log:
            return
        self._log = on
        self._reset_series()      # values ≤ 0 have no place on a log axis
        if self.log_check.isChecked() != on:
            self.log_check.setChecked(on)
        self.loss_plot.setLogMode(y=on)
        self._style_loss_axes()
        self.follower.follow()
        self.set_history(self._history)

    @property
    def log_scale(self) -> bool:
        return self._log

    def set_log_epochs(self, on: bool) -> None:
        """Show the epochs on a logarithmic axis (or a linear one)."""
        if on == self._axis.log:
            return
        self._axis.log = on
        self._reset_series()
        if self.log_epochs_check.isChecked() != on:
            self.log_epochs_check.setChecked(on)
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.setLogMode(x=on)
        # setLogMode turns autorange back on: the accuracy keeps its fixed 0 … 100 % view.
        self.accuracy_plot.getViewBox().disableAutoRange()
        self.accuracy_plot.setYRange(-8, 108, padding=0)
        self._update_epoch_ticks()
        self.follower.follow()
        self.set_history(self._history)

    @property
    def log_epochs(self) -> bool:
        return self._axis.log

    def _update_epoch_ticks(self) -> None:
        # As on the log loss axis: 1-2-5 labels rather than pyqtgraph's overlapping ones.
        ticks = self._axis.ticks(*self.loss_plot.getViewBox().viewRange()[0])
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.getAxis("bottom").setTicks(ticks)

    def set_marker(self, epoch: int | None) -> None:
        """Mark `epoch` (the history slider's position) or nothing."""
        self._marker_epoch = epoch
        self._update_marker()

    def _update_marker(self) -> None:
        self.marks.show_marker(self._marker_epoch, self._epochs, self._history.loss, self._log)

    # ----- hover readout ------------------------------------------------------------------------

    def _on_mouse_moved(self, pos: QPointF) -> None:
        index = None
        for plot in (self.loss_plot, self.accuracy_plot):
            if plot.sceneBoundingRect().contains(pos) and len(self._epochs):
                x = plot.getViewBox().mapSceneToView(pos).x()
                index = nearest_index(self._epochs, self._axis.from_x(x))
        self.marks.show_hover(None if index is None else self._epochs[index])
        self._update_readout(index)
        self.hovered.emit(-1 if index is None else int(self._epochs[index]))

    def leaveEvent(self, event) -> None:
        self.marks.show_hover(None)
        self._update_readout(None)
        super().leaveEvent(event)

    def readout_text(self, index: int | None = None) -> str:
        """The numbers of one epoch (the last one when `index` is None)."""
        return epoch_text(self._history, index)

    def _update_readout(self, index: int | None) -> None:
        self.readout.show_epoch(self._history, index)
