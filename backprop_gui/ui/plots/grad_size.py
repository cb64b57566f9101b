"""How large each layer's gradient is over time: RMS of ∂L/∂W per layer, on a log axis.

When the early layers' curves sit far below the later ones, their gradients are vanishing
(those layers barely learn); curves shooting up mean exploding gradients.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QWidget

from ...engine.notation import sup
from .epoch_axis import log_ticks
from .page import PlotPage
from .style import (RangeFollower, epoch_axis_end, finite_or_nan, fmt, label_font, layer_colors,
                    log_span, palette_colors, style_plot)

CAPTION = ("Typical size (RMS) of each layer's ∂L/∂W. Far below the others: vanishing, that "
           "layer barely learns · shooting up: exploding.")
HELP = ("The root mean square of every weight gradient in a layer, recorded while training. "
        "In deep sigmoid or tanh networks the first layers' gradients often shrink by a factor "
        "at each layer back (vanishing gradients); a too-large learning rate makes them grow "
        "without bound (exploding gradients).")
EMPTY_TEXT = "Train to see how large each layer's gradient is."


class GradientSizePlot(PlotPage):
    """One curve per layer: RMS(∂L/∂W⁽ˡ⁾) against the epoch, log-scaled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("gradient_size_plot", CAPTION, HELP,
                         "Hover to read the values; right-click to export",
                         "gradient_size_readout",
                         "Each layer's gradient size at the epoch under the mouse pointer",
                         parent=parent)
        self.readout.setWordWrap(True)
        self.plot: pg.PlotItem = self.graphics.addPlot()
        style_plot(self.plot, "Epoch", "RMS of ∂L/∂W (log scale)")
        self.plot.setLogMode(y=True)
        self.plot.getAxis("left").setWidth(58)
        self.plot.getViewBox().setLimits(xMin=-1)
        background, foreground = palette_colors()
        self.legend = self.plot.addLegend(offset=(-8, 8), labelTextColor=foreground,
                                          brush=pg.mkBrush(background))
        self.empty_text = pg.TextItem(EMPTY_TEXT, color=foreground, anchor=(0.5, 0.5))
        self.empty_text.setFont(label_font(10))
        self.plot.addItem(self.empty_text, ignoreBounds=True)
        self.curves: list[pg.PlotDataItem] = []
        self._sizes: list[int] = []
        self._epochs = np.zeros(0)
        self._rms = np.zeros((0, 0))
        self.follower = RangeFollower(self.plot)
        self.plot.getViewBox().sigYRangeChanged.connect(lambda *_: self._update_ticks())
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def set_shape(self, sizes: list[int]) -> None:
        """One curve per weight layer, coloured from the first (dark) to the last (light)."""
        sizes = list(sizes)
        if sizes == self._sizes:
            return
        self._sizes = sizes
        for curve in self.curves:
            self.legend.removeItem(curve)
            self.plot.removeItem(curve)
        n = len(sizes) - 1
        self.curves = []
        for l, color in enumerate(layer_colors(n), start=1):
            name = f"W{sup(l)} ({sizes[l - 1]}→{sizes[l]})"
            self.curves.append(self.plot.plot(pen=pg.mkPen(color, width=2), name=name,
                                              antialias=True))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            # The layers' colours skip the end of the map that vanishes on the background.
            for curve, color in zip(self.curves, layer_colors(len(self.curves))):
                curve.setPen(pg.mkPen(color, width=2))

    def set_series(self, epochs: np.ndarray | list[int], rms: np.ndarray) -> None:
        """`rms` is (n_epochs, n_layers): the RMS of ∂L/∂W of each layer at each epoch."""
        self._epochs = np.asarray(epochs, dtype=np.float64)
        rms = np.asarray(rms, dtype=np.float64)
        # Before the first epoch there is nothing to plot (and no row width to infer).
        self._rms = rms.reshape(len(self._epochs), -1) if rms.size else np.empty((0, len(self.curves)))
        for l, curve in enumerate(self.curves):
            if l < self._rms.shape[1]:
                y = finite_or_nan(self._rms[:, l])
                curve.setData(self._epochs, np.where(y > 0, y, np.nan), connect="finite")
            else:
                curve.setData([], [])
        empty = len(self._epochs) == 0
        self.empty_text.setVisible(empty)
        if empty:
            self.follower.follow()
            self.follower.show(10, -3, 0)
            self.empty_text.setPos(5, -1.5)
        else:
            self.follower.show(epoch_axis_end(self._epochs[-1]), *log_span(self._rms))

    def _update_ticks(self) -> None:
        low, high = self.plot.getViewBox().viewRange()[1]
        self.plot.getAxis("left").setTicks(log_ticks(low, high))

    def _on_mouse_moved(self, pos) -> None:
        if not len(self._epochs) or not self.plot.sceneBoundingRect().contains(pos):
            return
        x = self.plot.getViewBox().mapSceneToView(pos).x()
        i = int(np.clip(np.searchsorted(self._epochs, x), 0, len(self._epochs) - 1))
        values = ", ".join(f"W{sup(l + 1)} {fmt(float(v), 3)}" for l, v in enumerate(self._rms[i]))
        self.readout.setText(f"Epoch {int(self._epochs[i])}: {values}")
