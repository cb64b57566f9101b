"""What the network view draws over the scene, in viewport pixels: the legend
(`LegendOverlay`), a notice when the network does not fit the dataset (`paint_notice`), and a
frame while the view has keyboard focus that came by the keyboard (`FocusFrame`)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QAbstractScrollArea

from .legend import LegendSpec, legend_size, paint_legend
from .style import DiagramColors

LEGEND_INSET = 16             # the legend's width is the viewport's less this
LEGEND_MARGIN = 7.0           # from the viewport's bottom-left corner

_KEYBOARD_FOCUS = (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                   Qt.FocusReason.ShortcutFocusReason)
# Focus that leaves and comes back with the window, a menu or a popup keeps its frame.
_PASSING_FOCUS = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason,
                  Qt.FocusReason.MenuBarFocusReason)


class LegendOverlay:
    """The legend in the view's bottom-left corner, painted from a cached pixmap."""

    def __init__(self) -> None:
        self.spec = LegendSpec()
        self.collapsed = False        # folded away (legend_toggle.py): only its button shows
        self.toggle_height = 0        # that button's height
        self._pixmap = QPixmap()
        self._key: tuple | None = None

    def show(self, spec: LegendSpec, numbers_due: bool) -> None:
        """Show a recolour's legend. While training streams its numbers follow a few times
        a second (`numbers_due`); a legend with other entries shows at once."""
        if numbers_due or spec.titles() != self.spec.titles():
            self.spec = spec

    def room(self, viewport_width: float) -> float:
        """The height the legend takes from a viewport of this width, with its margin."""
        if self.collapsed:
            return self.toggle_height + 2 * LEGEND_MARGIN
        return legend_size(self.spec, viewport_width - LEGEND_INSET).height() + 12

    def paint(self, painter: QPainter, viewport: QRect, dpr: float, theme: DiagramColors) -> None:
        """Draw it (the painter in viewport pixels)."""
        if self.collapsed:
            return
        key = (id(self.spec), viewport.width(), dpr, theme.background.rgb())
        if key != self._key:
            # The legend changes only on a recolour; every other repaint blits this pixmap.
            width = viewport.width() - LEGEND_INSET
            size = legend_size(self.spec, width)
            pixmap = QPixmap(max(1, round((size.width() + 2) * dpr)),
                             max(1, round((size.height() + 2) * dpr)))
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            legend_painter = QPainter(pixmap)
            paint_legend(legend_painter, self.spec, theme, QPointF(1.0, 1.0), width)
            legend_painter.end()
            self._pixmap, self._key = pixmap, key
        h = self._pixmap.height() / dpr
        painter.drawPixmap(QPointF(LEGEND_MARGIN, viewport.height() - h - LEGEND_MARGIN), self._pixmap)


def paint_notice(painter: QPainter, viewport: QRectF, text: str, font: QFont,
                 theme: DiagramColors) -> None:
    """`text` in a box in the middle of the viewport."""
    painter.setFont(font)
    box = painter.boundingRect(viewport.adjusted(40, 0, -40, 0), Qt.TextFlag.TextWordWrap, text)
    box = QRectF(viewport.center().x() - box.width() / 2 - 12,
                 viewport.center().y() - box.height() / 2 - 8, box.width() + 24, box.height() + 16)
    painter.setPen(QPen(theme.accent, 1.5))
    painter.setBrush(theme.panel)
    painter.drawRoundedRect(box, 6.0, 6.0)
    painter.setPen(theme.text)
    painter.drawText(box.adjusted(12, 8, -12, -8), Qt.TextFlag.TextWordWrap, text)


class FocusFrame:
    """Reached with Tab, the view shows where the keys now go (Alt+arrows select, +/− edit);
    a mouse user needs no frame. `view` is the widget whose focus it follows."""

    def __init__(self, view: QAbstractScrollArea) -> None:
        self._view = view
        self._by_keyboard = False

    def visible(self) -> bool:
        return self._by_keyboard and self._view.hasFocus()

    def focus_in(self, reason: Qt.FocusReason) -> None:
        if reason in _KEYBOARD_FOCUS:
            self._by_keyboard = True
        elif reason not in _PASSING_FOCUS:   # a click: the mouse user needs no frame
            self._by_keyboard = False
        self._view.viewport().update()

    def focus_out(self, reason: Qt.FocusReason) -> None:
        if reason not in _PASSING_FOCUS:
            self._by_keyboard = False
        self._view.viewport().update()

    def mouse_pressed(self) -> None:
        """The mouse took over: no keyboard focus frame."""
        if self._by_keyboard:
            self._by_keyboard = False
            self._view.viewport().update()

    def paint(self, painter: QPainter, viewport: QRectF) -> None:
        pen = QPen(self._view.palette().color(QPalette.ColorRole.Highlight), 2.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(viewport.adjusted(1.0, 1.0, -1.0, -1.0))
