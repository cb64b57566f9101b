"""Type sizes relative to the application's font, so the system's font size (a larger setting
on a classroom machine) and presentation mode's zoom reach every label drawn with a size of
its own: a size is written as it looks with Qt's usual 9 pt font and scaled from there."""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication

DESIGN_POINT_SIZE = 9.0     # the application font the sizes in the code were chosen with


def type_scale() -> float:
    """The application font's size over DESIGN_POINT_SIZE (1.0 for a pixel-sized font)."""
    size = QGuiApplication.font().pointSizeF()
    return size / DESIGN_POINT_SIZE if size > 0 else 1.0


def relative_font(point_size: float, bold: bool = False) -> QFont:
    """The application's font at `point_size` as it would be with a 9 pt application font."""
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(point_size * type_scale())
    font.setBold(bold)
    return font
