"""The landscape as a 3-D surface, drawn with QPainter: no OpenGL (pyqtgraph.opengl needs
PyOpenGL, which the app does not depend on, and many school computers lack a working GL).

An orthographic view of a coarse grid of shaded quadrilaterals, painted from the back to the
front; the path and the current point on top. Dragging turns it (left-right) and tilts it
(up-down).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..common.colors import SEQUENTIAL_LUT

MAX_CELLS = 32               # quadrilaterals per side at most (painted one by one)
MARGIN = 8                   # pixels around the box the surface turns in
HEIGHT = 0.9                 # the surface's height, as a share of its width
LIGHT = np.array([-0.4, -0.5, 0.77])   # towards the light (x, y, up), roughly unit
DEGREES_PER_PIXEL = 0.5
PATH_COLOR = QColor(230, 159, 0)
POINT_COLOR = QColor(213, 94, 0)


def coarse(Z: np.ndarray, most: int = MAX_CELLS + 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every k-th row and column of Z (the last ones kept) so that no side exceeds `most`;
    with the kept row and column indices."""
    rows = np.unique(np.linspace(0, Z.shape[0] - 1, min(most, Z.shape[0])).round().astype(int))
    cols = np.unique(np.linspace(0, Z.shape[1] - 1, min(most, Z.shape[1])).round().astype(int))
    return Z[np.ix_(rows, cols)], rows, cols


class SurfaceView(QWidget):
    """A rotatable 3-D picture of Z[row, col] over x_range × y_range."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("landscape_surface3d")
        self.setMinimumSize(220, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("Drag to turn and tilt the surface")
        self.azimuth = -50.0      # degrees, about the vertical axis
        self.elevation = 35.0     # degrees above the horizon
        self._Z: np.ndarray | None = None
        self._x = np.zeros(0)
        self._y = np.zeros(0)
        self._levels = (0.0, 1.0)
        self._path = np.zeros((0, 3))
        self._point: tuple[float, float, float] | None = None
        self._drag: QPointF | None = None

    # ----- what is shown --------------------------------------------------------------------

    def set_surface(self, Z: np.ndarray, x_range: tuple[float, float],
                    y_range: tuple[float, float], levels: tuple[float, float]) -> None:
        small, rows, cols = coarse(np.asarray(Z, dtype=np.float64))
        full_x = np.linspace(x_range[0], x_range[1], Z.shape[1])
        full_y = np.linspace(y_range[0], y_range[1], Z.shape[0])
        self._Z, self._x, self._y = small, full_x[cols], full_y[rows]
        self._levels = levels
        self.update()

    def set_path(self, points: np.ndarray) -> None:
        """(k, 3) points (x, y, f) on the surface."""
        self._path = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        self.update()

    def set_point(self, point: tuple[float, float, float] | None) -> None:
        self._point = point
        self.update()

    # ----- the projection ----------------------------------------------------------------

    def _normalised(self, x, y, z) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """x, y to −1 … 1 and z to 0 … HEIGHT·2 (clipped to the colour levels)."""
        x0, x1 = self._x[0], self._x[-1]
        y0, y1 = self._y[0], self._y[-1]
        low, high = self._levels
        u = (np.asarray(x, dtype=np.float64) - x0) / ((x1 - x0) or 1.0) * 2.0 - 1.0
        v = (np.asarray(y, dtype=np.float64) - y0) / ((y1 - y0) or 1.0) * 2.0 - 1.0
        with np.errstate(invalid="ignore"):
            w = (np.clip(np.asarray(z, dtype=np.float64), low, high) - low) / ((high - low) or 1.0)
        return u, v, (w - 0.5) * 2.0 * HEIGHT

    def _project(self, u, v, w) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Screen x, y (in units of the half-width) and depth (larger: nearer) of points."""
        az, el = math.radians(self.azimuth), math.radians(self.elevation)
        across = u * math.cos(az) - v * math.sin(az)
        into = u * math.sin(az) + v * math.cos(az)
        up = w * math.cos(el) + into * math.sin(el)
        depth = -into * math.cos(el) + w * math.sin(el)
        return across, -up, depth

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(self.backgroundRole()))
        if self._Z is None or self._Z.size == 0:
            return
        X, Y = np.meshgrid(self._x, self._y)
        u, v, w = self._normalised(X, Y, self._Z)
        sx, sy, depth = self._project(u, v, w)
        scale, cx, cy = self._fit()
        px, py = cx + scale * sx, cy + scale * sy
        quads = self._quads(u, v, w, depth)
        edge = QPen(QColor(0, 0, 0, 60), 0.6)
        painter.setPen(edge)
        for i, j, color in quads:
            corners = ((i, j), (i, j + 1), (i + 1, j + 1), (i + 1, j))
            painter.setBrush(QBrush(color))
            painter.drawPolygon(QPolygonF([QPointF(px[r, c], py[r, c]) for r, c in corners]))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._draw_marks(painter, scale, cx, cy)

    def _fit(self) -> tuple[float, float, float]:
        """Scale and centre that fit the box the surface lies in, seen at this angle."""
        corners = np.array([(u, v, w) for u in (-1.0, 1.0) for v in (-1.0, 1.0)
                            for w in (-HEIGHT, HEIGHT)])
        sx, sy, _ = self._project(corners[:, 0], corners[:, 1], corners[:, 2])
        width, height = self.width() - 2 * MARGIN, self.height() - 2 * MARGIN
        scale = min(width / (sx.max() - sx.min()), height / (sy.max() - sy.min()))
        cx = MARGIN + width / 2.0 - scale * (sx.max() + sx.min()) / 2.0
        cy = MARGIN + height / 2.0 - scale * (sy.max() + sy.min()) / 2.0
        return scale, cx, cy

    def _quads(self, u, v, w, depth) -> list[tuple[int, int, QColor]]:
        """Every finite cell, back to front, with its shaded colour."""
        low, high = self._levels
        # Two edge vectors per cell; their cross product is the cell's normal.
        du = np.stack([u[:-1, 1:] - u[:-1, :-1], v[:-1, 1:] - v[:-1, :-1], w[:-1, 1:] - w[:-1, :-1]], -1)
        dv = np.stack([u[1:, :-1] - u[:-1, :-1], v[1:, :-1] - v[:-1, :-1], w[1:, :-1] - w[:-1, :-1]], -1)
        normal = np.cross(du, dv)
        with np.errstate(invalid="ignore", divide="ignore"):
            normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
            light = np.clip(np.abs(normal @ (LIGHT / np.linalg.norm(LIGHT))), 0.0, 1.0)
            mean_z = (self._Z[:-1, :-1] + self._Z[1:, 1:] + self._Z[:-1, 1:] + self._Z[1:, :-1]) / 4
            t = (np.clip(mean_z, low, high) - low) / ((high - low) or 1.0)
        cell_depth = (depth[:-1, :-1] + depth[1:, 1:]) / 2.0
        finite = np.isfinite(mean_z) & np.isfinite(light)
        order = np.argsort(cell_depth[finite], kind="stable")
        rows, cols = np.nonzero(finite)
        lut = SEQUENTIAL_LUT[np.clip((t[finite] * (len(SEQUENTIAL_LUT) - 1)).round(), 0,
                                     len(SEQUENTIAL_LUT) - 1).astype(int)]
        shade = 0.45 + 0.55 * light[finite]
        out = []
        for k in order:
            r, g, b = (lut[k] * shade[k]).astype(int)
            out.append((int(rows[k]), int(cols[k]), QColor(int(r), int(g), int(b))))
        return out

    def _draw_marks(self, painter: QPainter, scale: float, cx: float, cy: float) -> None:
        if len(self._path):
            u, v, w = self._normalised(self._path[:, 0], self._path[:, 1], self._path[:, 2])
            sx, sy, _ = self._project(u, v, w)
            keep = np.isfinite(sx) & np.isfinite(sy) & (np.abs(u) <= 1.5) & (np.abs(v) <= 1.5)
            line = QPainterPath()
            first = True
            for x, y in zip(cx + scale * sx[keep], cy + scale * sy[keep]):
                if first:
                    line.moveTo(x, y)
                    first = False
                else:
                    line.lineTo(x, y)
            painter.setPen(QPen(PATH_COLOR, 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(line)
        if self._point is not None:
            u, v, w = self._normalised(*self._point)
            sx, sy, _ = self._project(u, v, w)
            if np.isfinite(sx) and np.isfinite(sy):
                painter.setPen(QPen(QColor(0, 0, 0), 1.0))
                painter.setBrush(QBrush(POINT_COLOR))
                painter.drawEllipse(QPointF(cx + scale * float(sx), cy + scale * float(sy)), 5.5, 5.5)

    # ----- turning it ---------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag = event.position()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        delta = event.position() - self._drag
        self._drag = event.position()
        self.turn(delta.x() * DEGREES_PER_PIXEL, delta.y() * DEGREES_PER_PIXEL)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag = None

    def turn(self, degrees_around: float, degrees_up: float) -> None:
        """Turn about the vertical axis and tilt (the elevation stays within 5° … 89°)."""
        self.azimuth = (self.azimuth + degrees_around + 180.0) % 360.0 - 180.0
        self.elevation = min(89.0, max(5.0, self.elevation + degrees_up))
        self.update()
