"""A marker shape per class (circle, triangle, square, diamond, …): with its colour, the class
is told by shape too, for a reader who cannot tell the colours apart."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainterPath, QPolygonF

SHAPES = ("circle", "triangle", "square", "diamond", "triangle_down", "pentagon", "hexagon",
          "star")


def _polygon(centre: QPointF, r: float, corners: int, turn: float = -90.0,
             inner: float | None = None) -> QPolygonF:
    points = []
    steps = corners * (2 if inner is not None else 1)
    for i in range(steps):
        radius = r if inner is None or i % 2 == 0 else r * inner
        angle = math.radians(turn + 360.0 * i / steps)
        points.append(centre + QPointF(radius * math.cos(angle), radius * math.sin(angle)))
    return QPolygonF(points)


def marker_path(label: int, centre: QPointF, r: float) -> QPainterPath:
    """The outline of class `label`'s marker around `centre`, about 2r across."""
    shape = SHAPES[label % len(SHAPES)]
    path = QPainterPath()
    if shape == "circle":
        path.addEllipse(centre, r, r)
        return path
    polygon = {
        "triangle": lambda: _polygon(centre + QPointF(0, r * 0.15), r * 1.2, 3),
        "square": lambda: _polygon(centre, r * 1.2, 4, 45.0),
        "diamond": lambda: _polygon(centre, r * 1.3, 4),
        "triangle_down": lambda: _polygon(centre - QPointF(0, r * 0.15), r * 1.2, 3, 90.0),
        "pentagon": lambda: _polygon(centre, r * 1.15, 5),
        "hexagon": lambda: _polygon(centre, r * 1.1, 6),
        "star": lambda: _polygon(centre, r * 1.4, 5, inner=0.45),
    }[shape]()
    path.addPolygon(polygon)
    path.closeSubpath()
    return path
