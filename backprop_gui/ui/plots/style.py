"""What every plot shares: palette-following colours, pens, fonts and number formatting."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QGraphicsItem

from ...engine.overflow import non_finite_text
from ..common.colors import DIVERGING_LUT, SEQUENTIAL_LUT, diverging_indices
from ..common.fonts import relative_font

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
    """`point_size` relative to the application's font (ui/common/fonts.py)."""
    return relative_font(point_size, bold)


def style_widget(widget: pg.GraphicsView) -> None:
    """The plot area's background, and from now on every colour of the plots in it follows
    the palette: a theme change restyles them at once (`restyle`)."""
    background, _ = palette_colors()
    widget.setBackground(background)
    if not widget.property("follows_palette"):
        widget.setProperty("follows_palette", True)
        widget.installEventFilter(_PaletteFollower(widget))


class _PaletteFollower(QObject):
    """Restyles its pyqtgraph widget when the palette changes (Preferences ▸ Theme, or the
    system's light/dark switch): pyqtgraph draws with the colours it was given, not the
    palette's, so without this the plots kept a light background in a dark window."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.PaletteChange and isinstance(watched, pg.GraphicsView):
            restyle(watched)
        return False


def restyle(widget: pg.GraphicsView) -> None:
    """Give every plot in `widget` the current palette's colours: the background, the axes'
    lines, numbers and labels, titles, legends and text items. (Curves keep their colours;
    an axis hidden with an empty pen stays hidden.)"""
    background, foreground = palette_colors()
    widget.setBackground(background)
    for item in widget.scene().items():
        if isinstance(item, pg.AxisItem):
            if item.pen().style() != Qt.PenStyle.NoPen:
                item.setPen(pg.mkPen(foreground))
            item.setTextPen(pg.mkPen(foreground))
            item.labelStyle = {**item.labelStyle, "color": foreground.name()}
            item._updateLabel()     # pyqtgraph's own: re-renders the label with its style
            item.picture = None     # the numbers and ticks are drawn again, in the new pen
            item.update()
        elif isinstance(item, pg.LegendItem):
            item.setBrush(pg.mkBrush(background))
            item.setLabelTextColor(foreground)
        elif isinstance(item, pg.LabelItem):
            item.setText(item.text, color=foreground.name())
        elif isinstance(item, pg.TextItem):
            item.setColor(foreground)


def style_axis(axis: pg.AxisItem, label: str, units: str | None = None) -> None:
    _, foreground = palette_colors()
    axis.setPen(pg.mkPen(foreground))
    axis.setTextPen(pg.mkPen(foreground))
    axis.setTickFont(label_font(8.5))
    axis.label.setFont(label_font(9.0))
    # Units as text, not pyqtgraph's SI prefixes ("epoch (k)" would puzzle a student).
    axis.enableAutoSIPrefix(False)
    axis.setLabel(label if not units else f"{label} ({units})", color=foreground.name())
    # Axes are text, slow to draw; as cached pixmaps they repaint only when their ticks
    # change, not every time the curve or image next to them does.
    axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def quiet_axes(plot: pg.PlotItem) -> None:
    """No SI prefixes on any axis, hidden ones included: with them on, every change of
    range (each frame while training) re-renders the axis label's HTML."""
    for name in ("left", "bottom", "right", "top"):
        plot.getAxis(name).enableAutoSIPrefix(False)


def style_plot(plot: pg.PlotItem, bottom: str, left: str, left_units: str | None = None,
               bottom_units: str | None = None) -> None:
    """Axis labels, a light grid and no pyqtgraph context menu (the panel has its own)."""
    style_axis(plot.getAxis("bottom"), bottom, bottom_units)
    style_axis(plot.getAxis("left"), left, left_units)
    quiet_axes(plot)
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.setMenuEnabled(False)
    plot.hideButtons()


def set_title(plot: pg.PlotItem, text: str, size_pt: float = 9.5) -> None:
    """A plot's title in the palette's text colour (`restyle` changes it with the theme)."""
    _, foreground = palette_colors()
    plot.setTitle(text, color=foreground.name(), size=f"{size_pt}pt")


def layer_colors(n: int) -> list[QColor]:
    """One colour per layer from the app's sequential map (first layer dark, last light).

    The yellow end is skipped on a light background (unreadable as a thin line on white),
    the dark purple end on a dark one.
    """
    stops = np.linspace(0.3, 1.0, max(n, 1)) if is_dark() else np.linspace(0.0, 0.82, max(n, 1))
    colors = []
    for t in stops[:n]:
        r, g, b = SEQUENTIAL_LUT[int(round(t * (len(SEQUENTIAL_LUT) - 1)))]
        colors.append(QColor(int(r), int(g), int(b)))
    return colors


def fmt(value: float, digits: int = 4) -> str:
    """A number as a student reads it: 0.0421, 1.3e-05, 12.5, "∞ (overflow)"."""
    if not math.isfinite(value):
        return non_finite_text(value)
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


NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float, steps: tuple[float, ...] = NICE_STEPS) -> float:
    """The smallest m·10^k ≥ value with m from `steps` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    decade = 10.0 ** math.floor(math.log10(value))
    for m in steps:
        if m * decade >= value * (1 - 1e-12):
            return m * decade
    return 10.0 * decade


class RangeFollower:
    """Keeps a plot's view on its data in coarse steps rather than on every new point.

    Autorange moves the axes with every epoch, and pyqtgraph re-lays out and redraws an
    axis (its text, its grid) each time its range changes: the most expensive part of a
    frame. Rounding the range up to 1-2-5 steps lets the axes stay put for many frames.
    Panning or zooming by hand stops the following until `follow()` is called.
    """

    def __init__(self, plot: pg.PlotItem) -> None:
        self.plot = plot
        self.following = True
        self._range: tuple | None = None
        plot.getViewBox().disableAutoRange()
        plot.getViewBox().sigRangeChangedManually.connect(self._on_manual)

    def _on_manual(self, *_args) -> None:
        self.following = False

    def follow(self) -> None:
        self.following = True
        self._range = None

    def show(self, x_max: float, y_low: float, y_high: float, x_min: float = 0.0) -> None:
        if not self.following:
            return
        wanted = (float(x_min), float(x_max), float(y_low), float(y_high))
        if wanted != self._range:
            self._range = wanted
            self.plot.setRange(xRange=wanted[:2], yRange=wanted[2:], padding=0.02)


def epoch_axis_end(last_epoch: float) -> float:
    """Where the epoch axis ends: at least 10, and the next nice number (NICE_STEPS) past
    the last epoch, so the axis follows the run (the curve fills at least 80 % of the width;
    1-2-5 steps left up to 60 % of it empty) yet changes only now and then."""
    return nice_ceiling(max(10.0, float(last_epoch)))


def linear_span(values: np.ndarray) -> tuple[float, float]:
    """(0 or the minimum, a nice ceiling of the maximum) of the finite values."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return 0.0, 1.0
    low = min(0.0, float(finite.min()))
    return (-nice_ceiling(-low) if low < 0 else 0.0), nice_ceiling(float(finite.max()))


def log_span(values: np.ndarray) -> tuple[float, float]:
    """Whole decades (log10) around the positive finite values."""
    positive = values[np.isfinite(values) & (values > 0)]
    if not positive.size:
        return -3.0, 0.0
    low = math.floor(math.log10(float(positive.min())))
    high = math.ceil(math.log10(float(positive.max())))
    return float(low), float(max(high, low + 1))


DIVERGING_RGBA = np.concatenate([DIVERGING_LUT, np.full((len(DIVERGING_LUT), 1), 255, np.uint8)],
                                 axis=1)


def diverging_rgba(values: np.ndarray, limit: float) -> np.ndarray:
    """(…, 4) uint8 colours of the app's diverging map on ±limit; NaN is transparent.

    Colouring here, with one NumPy lookup, spares pyqtgraph building a colour table in
    Python for every image on every frame."""
    values = np.asarray(values, dtype=np.float64)
    rgba = DIVERGING_RGBA[diverging_indices(values, limit)]
    missing = ~np.isfinite(values)
    if missing.any():
        rgba[missing] = 0
    return rgba
