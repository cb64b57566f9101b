"""The colours of a dataset's classes: the points of 2-D datasets, their decision regions and
the class icons of the Dataset panel and the points editor."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

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


def class_icon(label: int, n_classes: int, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(255, 255, 255), 1))
    painter.setBrush(class_color(label, n_classes))
    painter.drawEllipse(QRectF(0.5, 0.5, size - 1, size - 1))
    painter.end()
    icon = QIcon(pixmap)
    icon.addPixmap(pixmap, QIcon.Mode.Selected)  # keep the class colour on a selected row
    return icon
