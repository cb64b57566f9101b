"""Per-layer heatmaps of the weights or of the gradients ∂L/∂W and ∂L/∂b.

Row j is the neuron the weight leads to, column i the neuron it comes from, so cell (j, i)
is W⁽ˡ⁾[j, i] exactly as in z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾. Colours use the app's diverging map
with levels ±max|value| per layer, and every layer has a colour bar with numbers.
Items are built once per network shape and updated in place.
"""

from __future__ import annotations

import gc
import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QWidget

from ...engine.notation import sup
from ..common.colors import pg_colormap, symmetric_limit
from ..common.throttle import Throttle
from .page import PlotPage
from .style import (DIVERGING_RGBA, diverging_rgba, fmt, nice_ceiling, quiet_axes, set_title,
                    style_axis)

INDEXED_FROM = 4096       # cells: bigger matrices are drawn as indexed images
SCALE_REFRESH_MS = 250    # colour scales while training streams
ROW_HEIGHT = 150          # pixels per layer before the panel starts to scroll
EXPLICIT_TICKS_UP_TO = 16  # neurons; larger layers get pyqtgraph's automatic ticks

CAPTIONS = {
    "gradients": ("∂L/∂W, ∂L/∂b of the last step. Red: the loss grows with the weight (so "
                  "training lowers it) · blue: the opposite · white: no effect now."),
    "weights": ("Red: positive · blue: negative · white: near zero. Row: the neuron a weight "
                "leads to; column: the neuron it comes from."),
}
HELP = {
    "gradients": ("Each cell is ∂L/∂w for one weight: how much the loss changes when that "
                  "weight changes a little. Gradient descent moves every weight against its "
                  "gradient, W ← W − α·∂L/∂W, so red weights will shrink and blue ones grow."),
    "weights": ("Each cell is one weight w: cell (row j, column i) multiplies neuron i of the "
                "layer before and adds to neuron j, as in z = W·a + b."),
}


def layer_name(layer: int, n_layers: int) -> str:
    """"input", "hidden layer 2" or "output" for layer 0 … L."""
    if layer == 0:
        return "input"
    return "output" if layer == n_layers else f"hidden {layer}"


def matrix_ticks(n: int) -> list[list[tuple[float, str]]] | None:
    """Neuron numbers 1 … n under each cell, or None to let pyqtgraph choose."""
    if n > EXPLICIT_TICKS_UP_TO:
        return None
    step = 1 if n <= 8 else 2
    return [[(float(k), str(k)) for k in range(1, n + 1, step)], []]


def colour_limit(largest: float) -> float:
    """The colour scale's half-width: max|value| rounded up to a readable number (at most
    25 % more). A scale that changes only in such steps keeps its numbers still for many
    frames, which is both easier to read and far cheaper to draw."""
    return nice_ceiling(largest) if largest > 1e-12 else 1e-12


def show_values(image: pg.ImageItem, values: np.ndarray, limit: float) -> None:
    """Colour `values` on the diverging map ±limit (NaN clear).

    A big matrix goes to pyqtgraph as it is, with the map as the image's lookup table: it
    is drawn as an 8-bit indexed image, ~10x faster than an RGBA array made here (128 × 784
    on every training frame). A small one is faster as RGBA (less work in Python)."""
    if image.lut is not None:
        image.setImage(np.asarray(values, dtype=np.float64), autoLevels=False,
                       levels=(-limit, limit))
    else:
        image.setImage(diverging_rgba(values, limit), autoLevels=False)


def short_number(value: float) -> str:
    """A colour bar's end label, narrow enough for the bar: 0.15, 20, 8e−4, 1.5e−5."""
    if 1e-3 <= value < 1e4:
        return f"{value:.3g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}".replace("-", "−")


def bar_ticks(limit: float) -> list[list[tuple[float, str]]]:
    """−max, 0 and +max on a colour bar whose axis runs from −1 to 1 (the bar's colours
    are the same for every scale; only these labels change). The end ticks sit a hair
    inside the bar: pyqtgraph drops a tick that rounding puts just past the end of its axis."""
    end = 1.0 - 1e-9
    text = short_number(limit)
    return [[(-end, "−" + text), (0.0, "0"), (end, "+" + text)],
            [(-0.5, ""), (0.5, "")]]


@dataclass
class _LayerItems:
    plot_w: pg.PlotItem
    plot_b: pg.PlotItem
    image_w: pg.ImageItem
    image_b: pg.ImageItem
    bar: pg.ColorBarItem
    limit: float = 0.0


class LayerHeatmaps(PlotPage):
    """All layers' W and b (kind "weights") or ∂L/∂W and ∂L/∂b (kind "gradients")."""

    def __init__(self, kind: str = "gradients", parent: QWidget | None = None) -> None:
        if kind not in CAPTIONS:
            raise ValueError(f"unknown heatmap kind {kind!r}")
        super().__init__(f"{kind}_heatmaps", CAPTIONS[kind], HELP[kind],
                         "Hover over a cell to read its value; right-click to export",
                         f"{kind}_readout", "The value under the mouse pointer",
                         scrolling=True, parent=parent)
        self.kind = kind
        self._sizes: list[int] = []
        self._layers: list[_LayerItems] = []
        self._values: tuple[list[np.ndarray], list[np.ndarray]] | None = None
        self._rescale = Throttle(SCALE_REFRESH_MS, parent=self)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)

    # ----- structure --------------------------------------------------------------------------

    @property
    def symbol(self) -> tuple[str, str]:
        return ("∂L/∂W", "∂L/∂b") if self.kind == "gradients" else ("W", "b")

    def set_shape(self, sizes: list[int]) -> None:
        """Build one row of items per layer (only when the layer sizes changed)."""
        sizes = list(sizes)
        if sizes == self._sizes:
            return
        self._sizes = sizes
        self.graphics.clear()
        self._layers = []
        # Finalise the removed plots now, not whenever the cyclic collector happens to run
        # next: PySide6 can crash if that is half-way through building the new ones.
        gc.collect()
        n_layers = len(sizes) - 1
        cmap = pg_colormap("diverging")
        for l in range(1, n_layers + 1):
            n_in, n_out = sizes[l - 1], sizes[l]
            self._layers.append(self._add_layer(l, n_layers, n_in, n_out, cmap))
        self.graphics.ci.layout.setColumnStretchFactor(0, 10)
        self.graphics.ci.layout.setColumnStretchFactor(1, 2)
        self.graphics.setMinimumHeight(ROW_HEIGHT * n_layers)
        # Never narrower than its rows: a panel too narrow for them scrolls sideways
        # rather than cutting off the colour bars' numbers at its right edge.
        frame = 2 * self.graphics.frameWidth()
        self.graphics.setMinimumWidth(math.ceil(self.graphics.ci.layout.minimumWidth()) + frame)
        self._values = None

    def _add_layer(self, l: int, n_layers: int, n_in: int, n_out: int,
                   cmap: pg.ColorMap) -> _LayerItems:
        """Row l − 1 of the layout: the matrix of layer l, its bias column and colour bar."""
        sym_w, sym_b = self.symbol
        row = l - 1
        plot_w = self.graphics.addPlot(row=row, col=0)
        plot_b = self.graphics.addPlot(row=row, col=1)
        # Short: a title sets the least width of its row, and where the row is wider than
        # the panel the colour bar's numbers are cut off. The axes name the layers.
        title = f"{sym_w}{sup(l)} ({n_out} × {n_in})"
        set_title(plot_w, title)
        set_title(plot_b, f"{sym_b}{sup(l)}")
        image_w = pg.ImageItem(axisOrder="row-major")
        image_b = pg.ImageItem(axisOrder="row-major")
        # Cell k spans k−½ … k+½, so neuron numbers (1-based) sit on the cell centres.
        # (setRect scales the current image: it needs one of the right shape first.)
        for image, shape in ((image_w, (n_out, n_in)), (image_b, (n_out, 1))):
            if shape[0] * shape[1] >= INDEXED_FROM:
                image.setLookupTable(DIVERGING_RGBA)
            show_values(image, np.zeros(shape), 1.0)
        image_w.setRect(QRectF(0.5, 0.5, n_in, n_out))
        image_b.setRect(QRectF(0.5, 0.5, 1, n_out))
        plot_w.addItem(image_w)
        plot_b.addItem(image_b)
        for plot, width in ((plot_w, n_in), (plot_b, 1)):
            vb = plot.getViewBox()
            vb.invertY(True)
            vb.setMouseEnabled(x=False, y=False)
            vb.setMenuEnabled(False)
            plot.hideButtons()
            plot.setRange(xRange=(0.5, width + 0.5), yRange=(0.5, n_out + 0.5), padding=0)
        style_axis(plot_w.getAxis("left"), f"to ({layer_name(l, n_layers)})")
        style_axis(plot_w.getAxis("bottom"), f"from ({layer_name(l - 1, n_layers)})")
        plot_w.getAxis("left").setTicks(matrix_ticks(n_out))
        plot_w.getAxis("bottom").setTicks(matrix_ticks(n_in))
        # An empty, invisible bottom axis keeps the bias column as tall as the matrix.
        style_axis(plot_b.getAxis("bottom"), " ")
        plot_b.getAxis("bottom").setTicks([[], []])
        plot_b.getAxis("bottom").setPen(pg.mkPen(None))
        plot_b.hideAxis("left")
        quiet_axes(plot_w)
        quiet_axes(plot_b)
        plot_b.setYLink(plot_w)
        bar = pg.ColorBarItem(values=(-1.0, 1.0), colorMap=cmap, interactive=False, width=12,
                              colorMapMenu=False)
        # Inside the bias plot's layout, the bar is exactly as tall as the matrix. The
        # images have their own lookup table and levels, so the bar only shows the scale.
        bar.setImageItem([], insert_in=plot_b)
        style_axis(bar.axis, "")
        bar.axis.setWidth(58)
        return _LayerItems(plot_w, plot_b, image_w, image_b, bar)

    # ----- values -----------------------------------------------------------------------------

    def set_values(self, weights: list[np.ndarray], biases: list[np.ndarray],
                   live: bool = False) -> None:
        """Show one matrix and one vector per layer (shapes as the network's parameters).

        `live`: training frames, coming 60 times a second. The colour scales then follow a
        few times a second: a new scale re-lays out and redraws its colour bar's numbers
        (most of a frame's cost for small layers), and a scale that changes on every frame
        cannot be read anyway."""
        self._values = (weights, biases)
        rescale = not live or self._rescale.ready()
        if rescale:
            self._rescale.ran()
        for items, W, b in zip(self._layers, weights, biases):
            limit = items.limit
            if rescale or not limit:
                limit = colour_limit(max(symmetric_limit(W), symmetric_limit(b)))
            show_values(items.image_w, W, limit)
            show_values(items.image_b, np.reshape(b, (-1, 1)), limit)
            if limit != items.limit:
                # Only the labels: new levels would re-lay out the whole panel and redraw
                # every axis in it (10-15 ms, several times a second while training).
                items.limit = limit
                items.bar.axis.setTicks(bar_ticks(limit))

    def shown_values(self) -> tuple[list[np.ndarray], list[np.ndarray]] | None:
        """The matrices and vectors on show (what the colours stand for)."""
        return self._values

    def limits(self) -> list[float]:
        """The colour scale's half-width of each layer (for tests and captions)."""
        return [items.limit for items in self._layers]

    # ----- hover readout ----------------------------------------------------------------------

    def _on_mouse_moved(self, pos: QPointF) -> None:
        self.readout.setText(self.describe_at(pos) or " ")

    def describe_at(self, scene_pos: QPointF) -> str | None:
        if self._values is None:
            return None
        weights, biases = self._values
        n_layers = len(self._layers)
        sym_w, sym_b = self.symbol
        for l, items in enumerate(self._layers, start=1):
            for plot, is_bias in ((items.plot_w, False), (items.plot_b, True)):
                vb = plot.getViewBox()
                if not vb.sceneBoundingRect().contains(scene_pos):
                    continue
                p = vb.mapSceneToView(scene_pos)
                j, i = int(round(p.y())), int(round(p.x()))
                n_out, n_in = weights[l - 1].shape
                if not 1 <= j <= n_out:
                    return None
                if is_bias:
                    value = biases[l - 1][j - 1]
                    return (f"{sym_b}{sup(l)}[{j}] (bias of neuron {j} of "
                            f"{layer_name(l, n_layers)}) = {fmt(float(value))}")
                if not 1 <= i <= n_in:
                    return None
                value = weights[l - 1][j - 1, i - 1]
                return (f"{sym_w}{sup(l)}[{j},{i}] (from neuron {i} of "
                        f"{layer_name(l - 1, n_layers)} to neuron {j} of "
                        f"{layer_name(l, n_layers)}) = {fmt(float(value))}")
        return None
