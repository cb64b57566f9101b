"""The look: Fusion style, a light or dark palette that follows the system, and crisp icons.

Icons are drawn here with QPainter rather than loaded from files so they match the palette
(dark mode included) and stay sharp on high-DPI screens: each size is rendered at 1× and 2×
device pixel ratio and QIcon picks the one the screen needs.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush, QColor, QGuiApplication, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap,
)
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")
THEME_LABELS = {"system": "Follow the system", "light": "Light", "dark": "Dark"}

ICON_SIZES = (16, 20, 24, 32, 48)
ICON_SCALES = (1.0, 2.0)


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)  # Qt 6.5+
    return scheme is not None and scheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    """A calm dark palette (grey, not black, so a projector still shows the panels apart)."""
    p = QPalette()
    window, base, text = QColor(45, 47, 51), QColor(32, 34, 37), QColor(226, 228, 232)
    disabled = QColor(128, 132, 138)
    highlight = QColor(64, 128, 214)
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor(40, 42, 46),
        QPalette.ColorRole.ToolTipBase: QColor(60, 63, 68),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: disabled,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor(55, 58, 63),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor(255, 110, 110),
        QPalette.ColorRole.Light: QColor(70, 73, 78),
        QPalette.ColorRole.Midlight: QColor(60, 63, 68),
        QPalette.ColorRole.Mid: QColor(40, 42, 46),
        QPalette.ColorRole.Dark: QColor(25, 26, 29),
        QPalette.ColorRole.Shadow: QColor(0, 0, 0),
        QPalette.ColorRole.Highlight: highlight,
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
        QPalette.ColorRole.Link: QColor(110, 170, 255),
        QPalette.ColorRole.LinkVisited: QColor(180, 140, 255),
    }
    for role, color in roles.items():
        p.setColor(role, color)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor(80, 84, 90))
    return p


class Theme(QObject):
    """Applies the chosen theme to the application and re-applies it when the system changes."""

    changed = Signal(bool)  # True when the palette is now dark

    def __init__(self, app: QApplication, preference: str = "system") -> None:
        super().__init__(app)
        self._app = app
        self.preference = preference if preference in THEMES else "system"
        self.dark = False
        app.setStyle("Fusion")
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._on_system_scheme_changed)
        self.apply()

    def set_preference(self, preference: str) -> None:
        if preference not in THEMES:
            raise ValueError(f"unknown theme {preference!r} (known: {', '.join(THEMES)})")
        self.preference = preference
        self.apply()

    def apply(self) -> None:
        dark = self.preference == "dark" or (self.preference == "system" and system_is_dark())
        palette = dark_palette() if dark else self._app.style().standardPalette()
        self._app.setPalette(palette)
        self.dark = dark
        self.changed.emit(dark)

    def _on_system_scheme_changed(self, _scheme: object) -> None:
        if self.preference == "system":
            self.apply()


# ----- icons ---------------------------------------------------------------------------------

def icon_color(palette: QPalette | None = None) -> QColor:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.WindowText)


def make_icon(name: str, color: QColor | None = None) -> QIcon:
    """The icon `name` (see ICON_NAMES) in `color`, rendered for 1× and 2× screens."""
    painter_fn = _ICONS[name]
    color = color or icon_color()
    icon = QIcon()
    for size in ICON_SIZES:
        for scale in ICON_SCALES:
            pixmap = QPixmap(round(size * scale), round(size * scale))
            pixmap.setDevicePixelRatio(scale)
            pixmap.fill(Qt.GlobalColor.transparent)
            p = QPainter(pixmap)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            # Draw on a 24×24 grid whatever the size, so the shapes are written once.
            p.scale(size / 24.0, size / 24.0)
            pen = QPen(color, 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                       Qt.PenJoinStyle.RoundJoin)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            painter_fn(p, color)
            p.end()
            icon.addPixmap(pixmap)
    return icon


def app_icon() -> QIcon:
    """The application's icon: the shipped SVG (the same as in the menus of the desktop),
    or a drawn stand-in if the resources folder is incomplete."""
    try:
        from ...resources import resource_path

        path = resource_path("icons", "backprop-gui.svg")
    except FileNotFoundError:
        path = None
    icon = QIcon(str(path)) if path is not None and path.is_file() else QIcon()
    return icon if not icon.isNull() else make_icon("app")


def _new(p: QPainter, _c: QColor) -> None:
    path = QPainterPath(QPointF(6, 3))
    path.lineTo(14, 3)
    path.lineTo(19, 8)
    path.lineTo(19, 21)
    path.lineTo(6, 21)
    path.closeSubpath()
    p.drawPath(path)
    p.drawPolyline([QPointF(14, 3), QPointF(14, 8), QPointF(19, 8)])


def _open(p: QPainter, _c: QColor) -> None:
    path = QPainterPath(QPointF(3, 19))
    path.lineTo(3, 5)
    path.lineTo(9, 5)
    path.lineTo(11, 7)
    path.lineTo(18, 7)
    path.lineTo(18, 10)
    p.drawPath(path)
    front = QPainterPath(QPointF(3, 19))
    front.lineTo(6.5, 10)
    front.lineTo(21.5, 10)
    front.lineTo(18, 19)
    front.closeSubpath()
    p.drawPath(front)


def _save(p: QPainter, c: QColor) -> None:
    path = QPainterPath(QPointF(4, 4))
    path.lineTo(17, 4)
    path.lineTo(20, 7)
    path.lineTo(20, 20)
    path.lineTo(4, 20)
    path.closeSubpath()
    p.drawPath(path)
    p.drawRect(QRectF(8, 4, 7, 5))
    p.drawRect(QRectF(7.5, 13, 9, 7))


def _arrow(p: QPainter, mirrored: bool) -> None:
    if mirrored:
        p.translate(24, 0)
        p.scale(-1, 1)
    path = QPainterPath(QPointF(8, 14))
    path.lineTo(4, 10)
    path.lineTo(8, 6)
    p.drawPath(path)
    curve = QPainterPath(QPointF(4, 10))
    curve.lineTo(14, 10)
    curve.cubicTo(QPointF(22, 10), QPointF(22, 20), QPointF(14, 20))
    curve.lineTo(10, 20)
    p.drawPath(curve)


def _undo(p: QPainter, _c: QColor) -> None:
    _arrow(p, False)


def _redo(p: QPainter, _c: QColor) -> None:
    _arrow(p, True)


def _fit(p: QPainter, _c: QColor) -> None:
    for x, y, dx, dy in ((3, 3, 1, 1), (21, 3, -1, 1), (3, 21, 1, -1), (21, 21, -1, -1)):
        p.drawPolyline([QPointF(x, y + 5 * dy), QPointF(x, y), QPointF(x + 5 * dx, y)])
    p.drawRect(QRectF(8, 8, 8, 8))


def _magnifier(p: QPainter, plus: bool) -> None:
    p.drawEllipse(QRectF(3, 3, 13, 13))
    p.drawLine(QPointF(14, 14), QPointF(21, 21))
    p.drawLine(QPointF(6.5, 9.5), QPointF(12.5, 9.5))
    if plus:
        p.drawLine(QPointF(9.5, 6.5), QPointF(9.5, 12.5))


def _zoom_in(p: QPainter, _c: QColor) -> None:
    _magnifier(p, True)


def _zoom_out(p: QPainter, _c: QColor) -> None:
    _magnifier(p, False)


def _network(p: QPainter, c: QColor, fill: bool = True) -> None:
    """Three layers of neurons joined by edges: the app's own symbol."""
    layers = [(5.0, (7.0, 17.0)), (12.0, (4.0, 12.0, 20.0)), (19.0, (8.0, 16.0))]
    edge_pen = QPen(c, 1.0)
    p.save()
    p.setPen(edge_pen)
    for (x0, ys0), (x1, ys1) in zip(layers, layers[1:]):
        for y0 in ys0:
            for y1 in ys1:
                p.drawLine(QPointF(x0, y0), QPointF(x1, y1))
    p.restore()
    p.setBrush(QBrush(c) if fill else Qt.BrushStyle.NoBrush)
    for x, ys in layers:
        for y in ys:
            p.drawEllipse(QPointF(x, y), 2.4, 2.4)


def _weights(p: QPainter, c: QColor) -> None:
    # Edges in the diverging map's two ends: the diagram coloured by weight sign.
    blue, red = QColor(33, 102, 172), QColor(178, 24, 43)
    for y0, y1, col in ((6, 6, red), (6, 18, blue), (18, 6, blue), (18, 18, red)):
        p.setPen(QPen(col, 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(QPointF(5, y0), QPointF(19, y1))
    p.setPen(QPen(c, 1.6))
    p.setBrush(QBrush(c))
    for x in (5, 19):
        for y in (6, 18):
            p.drawEllipse(QPointF(x, y), 2.4, 2.4)


def _gradients(p: QPainter, c: QColor) -> None:
    # ∇: the gradient symbol, drawn as a triangle pointing down.
    path = QPainterPath(QPointF(4, 5))
    path.lineTo(20, 5)
    path.lineTo(12, 20)
    path.closeSubpath()
    p.drawPath(path)
    p.drawLine(QPointF(7.5, 8), QPointF(12, 16.5))


def _app(p: QPainter, _c: QColor) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(33, 102, 172))
    p.drawRoundedRect(QRectF(0.5, 0.5, 23, 23), 5, 5)
    p.setPen(QPen(QColor(255, 255, 255), 1.2))
    _network(p, QColor(255, 255, 255))


_ICONS = {
    "new": _new, "open": _open, "save": _save, "undo": _undo, "redo": _redo,
    "fit": _fit, "zoom_in": _zoom_in, "zoom_out": _zoom_out,
    "weights": _weights, "gradients": _gradients, "network": _network, "app": _app,
}
ICON_NAMES = tuple(_ICONS)
