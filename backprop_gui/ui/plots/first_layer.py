"""Each first-layer neuron's incoming weights drawn as an image of the input's shape.

For image datasets a neuron's weights W⁽¹⁾[j, :] line up with the pixels, so drawing them
as a picture shows which pattern the neuron responds to (red pixels excite it, blue ones
inhibit it). All tiles are one mosaic image with one colour bar: one item, one repaint.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QWidget

from ...engine.notation import entry
from ..common.colors import pg_colormap, symmetric_limit
from .heatmaps import bar_ticks, colour_limit
from .page import PlotPage
from .style import diverging_rgba, fmt, label_font, palette_colors, style_axis

GAP = 1  # empty pixels between tiles (NaN: drawn transparent)
CAPTION = ("Each tile: one first-layer neuron's weights laid on the input pixels. Red pixels "
           "excite it, blue ones inhibit it.")
HELP = ("A neuron of the first hidden layer computes z = Σ wᵢ·xᵢ + b over the pixels xᵢ, so its "
        "weights have one value per pixel. Drawn as a picture, they show the pattern the neuron "
        "responds to most strongly.")
UNAVAILABLE = "Only for image datasets: these inputs are not pixels of a picture."


def grid_shape(n: int, tile_h: int, tile_w: int) -> tuple[int, int]:
    """(rows, columns) for n tiles, close to a square mosaic."""
    cols = max(1, int(math.ceil(math.sqrt(n * tile_h / max(tile_w, 1)))))
    rows = int(math.ceil(n / cols))
    return rows, cols


def mosaic(W: np.ndarray, image_shape: tuple[int, int], grid: tuple[int, int]) -> np.ndarray:
    """The rows of W (one per neuron) as tiles of `image_shape` in a (rows × cols) grid."""
    h, w = image_shape
    rows, cols = grid
    out = np.full((rows * (h + GAP) - GAP, cols * (w + GAP) - GAP), np.nan)
    for j in range(W.shape[0]):
        r, c = divmod(j, cols)
        out[r * (h + GAP):r * (h + GAP) + h, c * (w + GAP):c * (w + GAP) + w] = W[j].reshape(h, w)
    return out


class FirstLayerImages(PlotPage):
    """A mosaic of the first layer's incoming weights with a colour bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("first_layer_images", CAPTION, HELP,
                         "Hover over a pixel to read its weight; right-click to export",
                         "first_layer_readout", "The weight under the mouse pointer",
                         parent=parent)
        self.plot: pg.PlotItem = self.graphics.addPlot()
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        vb = self.plot.getViewBox()
        vb.invertY(True)
        vb.setAspectLocked(True)
        vb.setMouseEnabled(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.bar = pg.ColorBarItem(values=(-1.0, 1.0), colorMap=pg_colormap("diverging"),
                                   interactive=False, width=12, colorMapMenu=False)
        self.bar.setImageItem([], insert_in=self.plot)  # the tiles are coloured here
        style_axis(self.bar.axis, "")
        self.bar.axis.setWidth(58)
        self._labels: list[pg.TextItem] = []
        self._key: tuple | None = None
        self._grid = (1, 1)
        self._image_shape: tuple[int, int] | None = None
        self._W: np.ndarray | None = None
        self.tiles: np.ndarray | None = None   # the mosaic's values (NaN between tiles)
        self.limit = 0.0
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)

    @property
    def available(self) -> bool:
        return self._image_shape is not None

    def set_shape(self, n_neurons: int, image_shape: tuple[int, int] | None) -> None:
        """Lay out tiles for `n_neurons` neurons of `image_shape` (None: not an image dataset)."""
        key = (n_neurons, image_shape)
        if key == self._key:
            return
        self._key = key
        self._image_shape = tuple(image_shape) if image_shape else None
        for label in self._labels:
            self.plot.removeItem(label)
        self._labels = []
        if self._image_shape is None:
            self.image.clear()
            self.caption.setText(UNAVAILABLE)
            return
        self.caption.setText(CAPTION)
        h, w = self._image_shape
        self._grid = grid_shape(n_neurons, h, w)
        blank = mosaic(np.zeros((n_neurons, h * w)), self._image_shape, self._grid)
        self.image.setImage(diverging_rgba(blank, 1.0), autoLevels=False)
        self.image.setRect(QRectF(0, 0, blank.shape[1], blank.shape[0]))
        # Neuron numbers above the tiles, while they are few enough to read.
        _, foreground = palette_colors()
        if n_neurons <= 64:
            cols = self._grid[1]
            for j in range(n_neurons):
                r, c = divmod(j, cols)
                label = pg.TextItem(str(j + 1), color=foreground, anchor=(0.5, 1.0))
                label.setFont(label_font(7.5))
                label.setPos(c * (w + GAP) + w / 2, r * (h + GAP))
                self.plot.addItem(label)
                self._labels.append(label)
        self.plot.setRange(xRange=(0, blank.shape[1]), yRange=(-1.2, blank.shape[0]), padding=0.02)

    def set_weights(self, W: np.ndarray) -> None:
        """W⁽¹⁾ (n_neurons × n_pixels)."""
        if self._image_shape is None:
            return
        self._W = W
        limit = colour_limit(symmetric_limit(W))
        self.tiles = mosaic(W, self._image_shape, self._grid)
        self.image.setImage(diverging_rgba(self.tiles, limit), autoLevels=False)
        if limit != self.limit:
            self.limit = limit
            self.bar.axis.setTicks(bar_ticks(limit))   # the bar runs from −1 to 1: labels only

    def _on_mouse_moved(self, pos: QPointF) -> None:
        self.readout.setText(self.describe_at(pos) or " ")

    def describe_at(self, scene_pos: QPointF) -> str | None:
        if self._W is None or self._image_shape is None:
            return None
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = vb.mapSceneToView(scene_pos)
        h, w = self._image_shape
        x, y = int(math.floor(p.x())), int(math.floor(p.y()))
        if x < 0 or y < 0:
            return None
        c, px = divmod(x, w + GAP)
        r, py = divmod(y, h + GAP)
        j = r * self._grid[1] + c
        if px >= w or py >= h or c >= self._grid[1] or j >= self._W.shape[0]:
            return None
        i = py * w + px
        return (f"Neuron {j + 1}, pixel (row {py + 1}, column {px + 1}): "
                f"{entry('W', 1, j, i)} = {fmt(float(self._W[j, i]))}")
