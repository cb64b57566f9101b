"""What every plot shares: palette-following colours, pens, fonts and number formatting."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from ..colors import SEQUENTIAL_LUT

# Train solid, validation dashed, in two colours that stay apart for colour-blind readers
# (the blue and orange of the Okabe–Ito set).
TRAIN_COLOR = QColor(0, 114, 178)
VALIDATION_COLOR = QColor(230, 159, 0)
MARKER_COLOR = QColor(204, 121, 167)
HOVER_COLOR = QColor(128, 128, 128)

def palette_colors() -> tuple[QColor, QColor]:
    """(background, foreground) of the current palette, so plots follow light and dark themes."""
    palette = QGuiApplication.palette()
    return (palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text))


def is_dark() -> bool:
    return palette_colors()[0].lightness() < 128


def label_font(point_size: float = 9.0, bold: bool = False) -> QFont:
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def style_widget(widget: pg.GraphicsView) -> None:
    background, _ = palette_colors()
    widget.setBackground(background)


def style_axis(axis: pg.AxisItem, label: str, units: str | None = None) -> None:
    _, foreground = palette_colors()
    axis.setPen(pg.mkPen(foreground))
    axis.setTextPen(pg.mkPen(foreground))
    axis.setTickFont(label_font(8.5))
    axis.label.setFont(label_font(9.0))
    # Units as text, not pyqtgraph's SI prefixes ("epoch (k)" would puzzle a student).
    axis.enableAutoSIPrefix(False)
    axis.setLabel(label if not units else f"{label} ({units})", color=foreground.name())


def style_plot(plot: pg.PlotItem, bottom: str, left: str, left_units: str | None = None,
               bottom_units: str | None = None) -> None:
    """Axis labels, a light grid and no pyqtgraph context menu (the panel has its own)."""
    style_axis(plot.getAxis("bottom"), bottom, bottom_units)
    style_axis(plot.getAxis("left"), left, left_units)
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.setMenuEnabled(False)
    plot.hideButtons()


def title_html(text: str, size_pt: float = 9.5) -> str:
    _, foreground = palette_colors()
    return f'<span style="color:{foreground.name()}; font-size:{size_pt}pt">{text}</span>'


def layer_colors(n: int) -> list[QColor]:
    """One colour per layer from the app's sequential map (first layer dark, last light).

    The yellow end is skipped: it is unreadable as a thin line on a white background.
    """
    stops = np.linspace(0.0, 0.82, max(n, 1))
    colors = []
    for t in stops[:n]:
        r, g, b = SEQUENTIAL_LUT[int(round(t * (len(SEQUENTIAL_LUT) - 1)))]
        colors.append(QColor(int(r), int(g), int(b)))
    return colors


def fmt(value: float, digits: int = 4) -> str:
    """A number as a student reads it: 0.0421, 1.3e-05, 12.5, "NaN", "∞"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e5 or magnitude < 1e-3:
        text = f"{value:.{max(digits - 2, 1)}e}"
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent)}".replace("-", "−")
    return f"{value:.{digits}g}".replace("-", "−")


def finite_or_nan(values: list[float] | np.ndarray) -> np.ndarray:
    """A float array with ±∞ turned into NaN (a gap in the curve; autorange stays sane)."""
    arr = np.asarray(values, dtype=np.float64)
    return np.where(np.isfinite(arr), arr, np.nan)


def superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
