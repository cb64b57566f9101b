"""The colours of a dataset's classes: the points of 2-D datasets, their decision regions and
the class icons of the Dataset panel and the points editor; and each class's marker shape, so
that a point's class never rests on its colour alone (colour-blind students, projectors)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from ..common.colors import DIVERGING_LUT

# Two classes take the ends of the app's diverging map (blue, red); more classes take the
# Okabe–Ito palette, which stays distinguishable with the common colour-vision deficiencies.
_TWO_CLASSES = [tuple(int(c) for c in DIVERGING_LUT[30]), tuple(int(c) for c in DIVERGING_LUT[225])]
_MANY_CLASSES = [(0, 114, 178), (213, 94, 0), (0, 158, 115), (204, 121, 167), (230, 159, 0),
                 (86, 180, 233), (240, 228, 66), (0, 0, 0)]


def class_rgb(label: int, n_classes: int) -> tuple[int, int, int]:
    palette = _TWO_CLASSES if n_classes <= 2 else _MANY_CLASSES
    return palette[label % len(palette)]  # type: ignore[return-value]


def class_color(label: int, n_classes: int) -> QColor:
    return QColor(*class_rgb(label, n_classes))


# Class k's marker: MARKERS[k % len(MARKERS)], each with about the area of a circle of radius r.
MARKERS = ("circle", "square", "triangle", "diamond", "triangle down", "plus", "star", "hexagon")


def _polygon(points: list[tuple[float, float]], r: float) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(x * r, y * r) for x, y in points]))
    path.closeSubpath()
    return path


def _star(points: int, inner: float) -> list[tuple[float, float]]:
    out = []
    for k in range(2 * points):
        angle = math.pi * k / points - math.pi / 2
        radius = 1.25 if k % 2 == 0 else 1.25 * inner
        out.append((radius * math.cos(angle), radius * math.sin(angle)))
    return out


def marker_shape(label: int) -> str:
    return MARKERS[label % len(MARKERS)]


def marker_path(label: int, r: float) -> QPainterPath:
    """Class `label`'s marker centred on (0, 0), about as large as a circle of radius `r`."""
    shape = marker_shape(label)
    if shape == "circle":
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), r, r)
        return path
    if shape == "square":
        return _polygon([(-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9)], r)
    if shape == "triangle":
        return _polygon([(0, -1.35), (1.2, 0.75), (-1.2, 0.75)], r)
    if shape == "triangle down":
        return _polygon([(0, 1.35), (1.2, -0.75), (-1.2, -0.75)], r)
    if shape == "diamond":
        return _polygon([(0, -1.25), (1.25, 0), (0, 1.25), (-1.25, 0)], r)
    if shape == "plus":
        a, b = 1.2, 0.45
        return _polygon([(-b, -a), (b, -a), (b, -b), (a, -b), (a, b), (b, b), (b, a), (-b, a),
                         (-b, b), (-a, b), (-a, -b), (-b, -b)], r)
    if shape == "star":
        return _polygon(_star(5, 0.5), r)
    return _polygon([(math.cos(math.pi * k / 3), math.sin(math.pi * k / 3)) for k in range(6)], r * 1.05)


def class_icon(label: int, n_classes: int, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(255, 255, 255), 1))
    painter.setBrush(class_color(label, n_classes))
    # Scaled to fit the icon: the largest marker reaches 1.35 r from its centre.
    painter.drawPath(marker_path(label, (size - 1) / 2 / 1.35).translated(size / 2, size / 2))
    painter.end()
    icon = QIcon(pixmap)
    icon.addPixmap(pixmap, QIcon.Mode.Selected)  # keep the class colour on a selected row
    return icon
