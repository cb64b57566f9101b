"""A landscape seen from above: the surface as colours with contour lines and a colour bar,
axis labels, and what moves on it (a path, its start, the current point, arrows); or, with
`set_3d(True)`, as a 3-D surface (surface3d.py) with the path and the point on it.

The toy functions and the network's loss slice both draw here. A left click on the plot
says where (`clicked`); the mouse's position is read out through `hovered`.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from ..common.colors import pg_colormap
from ..plots.style import label_font, palette_colors, style_plot, style_widget
from .contours import contour_lines, nice_levels
from .surface3d import SurfaceView

PATH_COLOR = QColor(230, 159, 0)        # Okabe–Ito orange: stands out on viridis
POINT_COLOR = QColor(213, 94, 0)        # vermillion
ARROW_COLOR = QColor(255, 255, 255)
START_COLOR = QColor(255, 255, 255)
HEAD_ANGLE = np.radians(25.0)
HEAD_LENGTH = 0.3                       # of the arrow's length
SHAPE = 0.82                            # height / width the plot asks for


def arrow_segments(x: np.ndarray, y: np.ndarray, dx: np.ndarray,
                   dy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Line pairs (for connect="pairs") drawing arrows from (x, y) by (dx, dy): a shaft and
    two strokes of the head each."""
    x, y, dx, dy = (np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in (x, y, dx, dy))
    tip_x, tip_y = x + dx, y + dy
    xs, ys = [x, tip_x], [y, tip_y]
    for side in (-1.0, 1.0):
        c, s = np.cos(side * HEAD_ANGLE), np.sin(side * HEAD_ANGLE)
        hx = -(c * dx - s * dy) * HEAD_LENGTH
        hy = -(s * dx + c * dy) * HEAD_LENGTH
        xs += [tip_x, tip_x + hx]
        ys += [tip_y, tip_y + hy]
    # Interleave: start, end of each line in turn.
    X = np.stack(xs, axis=1).reshape(-1)
    Y = np.stack(ys, axis=1).reshape(-1)
    return X, Y


class ContourPlot(QWidget):
    """The plot; `set_surface` shows Z on a grid, the `set_*` methods what moves on it."""

    clicked = Signal(float, float)
    hovered = Signal(float, float)      # in data coordinates
    left = Signal()                     # the mouse left the plot

    def __init__(self, value_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setMinimumSize(220, 180)
        self.plot: pg.PlotItem = self.graphics.addPlot(row=0, col=0)
        self.plot.setAspectLocked(True)
        self.plot.getViewBox().setMouseEnabled(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.bar = pg.ColorBarItem(colorMap=pg_colormap("sequential"), interactive=False,
                                   width=14)
        self.bar.setImageItem(self.image, insert_in=self.plot)
        self.bar.axis.setTickFont(label_font(8.5))
        self.bar.axis.label.setFont(label_font(9.0))
        self.bar.axis.enableAutoSIPrefix(False)
        self._labels = ("x", "y", value_label)
        self._style()
        line = QColor(255, 255, 255, 110)
        self.contours = pg.PlotDataItem(pen=pg.mkPen(line, width=1), connect="pairs")
        self.field = pg.PlotDataItem(pen=pg.mkPen(QColor(255, 255, 255, 150), width=1),
                                     connect="pairs")
        self.path = pg.PlotDataItem(pen=pg.mkPen(PATH_COLOR, width=2), symbol="o",
                                    symbolSize=4, symbolPen=None, symbolBrush=PATH_COLOR)
        self.arrow = pg.PlotDataItem(pen=pg.mkPen(ARROW_COLOR, width=2.5), connect="pairs")
        self.start = pg.ScatterPlotItem(size=11, pen=pg.mkPen(START_COLOR, width=2),
                                        brush=None, symbol="o")
        self.point = pg.ScatterPlotItem(size=11, pen=pg.mkPen("k", width=1),
                                        brush=pg.mkBrush(POINT_COLOR), symbol="o")
        for item in (self.contours, self.field, self.path, self.arrow, self.start, self.point):
            self.plot.addItem(item)
        self._rect = QRectF(0, 0, 1, 1)
        self.graphics.scene().sigMouseClicked.connect(self._on_click)
        self.graphics.scene().sigMouseMoved.connect(self._on_move)
        self.surface3d = SurfaceView()
        self._grid: tuple[np.ndarray, tuple[float, float], tuple[float, float]] | None = None
        self._path_xy = (np.zeros(0), np.zeros(0))
        self._point_xy: tuple[float, float] | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self.graphics)
        self.stack.addWidget(self.surface3d)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def fit_height_to(self, width: int) -> None:
        """At most about square (the colour bar takes some width): a plot with locked aspect
        taller than wide only adds empty margins, and the room below is for the numbers.
        (Qt's heightForWidth does not reach through the dock's scroll area.)"""
        self.setMaximumHeight(max(self.graphics.minimumHeight(), int(width * SHAPE)))

    # ----- what is shown ------------------------------------------------------------------

    def set_axes(self, x_label: str, y_label: str) -> None:
        self._labels = (x_label, y_label, self._labels[2])
        self._style()

    def _style(self) -> None:
        """Axes, labels and background in the palette's colours (again when it changes)."""
        x_label, y_label, value_label = self._labels
        style_widget(self.graphics)
        style_plot(self.plot, html.escape(x_label), html.escape(y_label))
        self.plot.showGrid(x=False, y=False)
        _, foreground = palette_colors()
        self.bar.axis.setPen(pg.mkPen(foreground))
        self.bar.axis.setTextPen(pg.mkPen(foreground))
        self.bar.axis.setLabel(html.escape(value_label), color=foreground.name())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:     # light ↔ dark theme
            self._style()

    def set_surface(self, Z: np.ndarray, x_range: tuple[float, float],
                    y_range: tuple[float, float], contours: bool = True,
                    clip_quantile: float = 1.0) -> None:
        """Z[row, col] with rows along y and columns along x, spanning the given ranges.
        Colours run from the lowest finite value to the highest (or to the `clip_quantile`
        quantile, so a few huge values do not wash out the rest); NaN/∞ stay transparent."""
        Z = np.asarray(Z, dtype=np.float64)
        shown = np.where(np.isfinite(Z), Z, np.nan)
        finite = shown[np.isfinite(shown)]
        low, high = (float(finite.min()), float(np.quantile(finite, clip_quantile))) \
            if finite.size else (0.0, 1.0)
        if high <= low:
            high = low + 1.0
        (x0, x1), (y0, y1) = x_range, y_range
        dx, dy = (x1 - x0) / (Z.shape[1] - 1), (y1 - y0) / (Z.shape[0] - 1)
        self._rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        self.image.setImage(shown, levels=(low, high), autoLevels=False)
        # Each pixel's centre on its grid point: the image reaches half a cell past the grid.
        self.image.setRect(QRectF(x0 - dx / 2, y0 - dy / 2, x1 - x0 + dx, y1 - y0 + dy))
        self.bar.setLevels((low, high))
        if contours:
            xs, ys = contour_lines(np.minimum(shown, high), nice_levels(np.minimum(finite, high)),
                                   x0, y0, dx, dy)
            self.contours.setData(xs, ys)
        else:
            self.contours.setData([], [])
        self.plot.setRange(xRange=x_range, yRange=y_range, padding=0.0)
        self._grid = (Z, x_range, y_range)
        self.surface3d.set_surface(Z, x_range, y_range, (low, high))
        self._lift_marks()

    def set_3d(self, on: bool) -> None:
        """Show the 3-D surface instead of the view from above (or back)."""
        self.stack.setCurrentWidget(self.surface3d if on else self.graphics)
        if on:
            self._lift_marks()

    @property
    def is_3d(self) -> bool:
        return self.stack.currentWidget() is self.surface3d

    def height_at(self, xs, ys) -> np.ndarray:
        """The surface's value at points (x, y), interpolated between grid points (NaN off it)."""
        xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
        if self._grid is None:
            return np.full(xs.shape, np.nan)
        Z, (x0, x1), (y0, y1) = self._grid
        with np.errstate(invalid="ignore"):
            c = (xs - x0) / (x1 - x0) * (Z.shape[1] - 1)
            r = (ys - y0) / (y1 - y0) * (Z.shape[0] - 1)
            inside = (c >= 0) & (c <= Z.shape[1] - 1) & (r >= 0) & (r <= Z.shape[0] - 1)
        c0 = np.clip(np.floor(np.where(inside, c, 0)).astype(int), 0, Z.shape[1] - 2)
        r0 = np.clip(np.floor(np.where(inside, r, 0)).astype(int), 0, Z.shape[0] - 2)
        fc, fr = np.where(inside, c, 0) - c0, np.where(inside, r, 0) - r0
        top = Z[r0, c0] * (1 - fc) + Z[r0, c0 + 1] * fc
        bottom = Z[r0 + 1, c0] * (1 - fc) + Z[r0 + 1, c0 + 1] * fc
        return np.where(inside, top * (1 - fr) + bottom * fr, np.nan)

    def _lift_marks(self) -> None:
        """The path and the point on the 3-D surface, at the surface's height."""
        xs, ys = self._path_xy
        self.surface3d.set_path(np.column_stack([xs, ys, self.height_at(xs, ys)]))
        if self._point_xy is None:
            self.surface3d.set_point(None)
        else:
            x, y = self._point_xy
            self.surface3d.set_point((x, y, float(self.height_at([x], [y])[0])))

    def set_path(self, xs, ys) -> None:
        self._path_xy = (np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64))
        self.path.setData(*self._path_xy)
        if self.is_3d:
            self._lift_marks()

    def set_start(self, x: float | None, y: float | None = None) -> None:
        self.start.setData([] if x is None else [x], [] if y is None else [y])

    def set_point(self, x: float | None, y: float | None = None) -> None:
        self.point.setData([] if x is None else [x], [] if y is None else [y])
        self._point_xy = None if x is None or y is None else (x, y)
        if self.is_3d:
            self._lift_marks()

    def set_arrow(self, x: float, y: float, dx: float, dy: float) -> None:
        self.arrow.setData(*arrow_segments(x, y, dx, dy))

    def clear_arrow(self) -> None:
        self.arrow.setData([], [])

    def set_field(self, x, y, dx, dy) -> None:
        self.field.setData(*arrow_segments(x, y, dx, dy))

    def clear_field(self) -> None:
        self.field.setData([], [])

    def surface_rect(self) -> QRectF:
        return QRectF(self._rect)

    # ----- the mouse ----------------------------------------------------------------------

    def map_to_view(self, scene_pos: QPointF) -> tuple[float, float] | None:
        box = self.plot.getViewBox()
        if not box.sceneBoundingRect().contains(scene_pos):
            return None
        p = box.mapSceneToView(scene_pos)
        return p.x(), p.y()

    def view_to_widget(self, x: float, y: float):
        """Where the data point (x, y) is on the graphics widget (for tests and hints)."""
        scene = self.plot.getViewBox().mapViewToScene(QPointF(x, y))
        return self.graphics.mapFromScene(scene)

    def _on_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        where = self.map_to_view(event.scenePos())
        if where is not None:
            event.accept()
            self.clicked.emit(*where)

    def _on_move(self, pos) -> None:
        where = self.map_to_view(pos)
        if where is None:
            self.left.emit()
        else:
            self.hovered.emit(*where)
