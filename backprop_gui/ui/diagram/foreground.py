"""What the network view draws over the scene: the legend, a notice when the network does
not fit the dataset, and a focus frame when the view was reached with the keyboard.

A mixin for NetworkView (kept apart so each file reads in one sitting); it uses the view's
session, theme, legend and `_problem`.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPalette, QPen, QPixmap

from .fitting import LEGEND_INSET
from .legend import legend_size, paint_legend

_KEYBOARD_FOCUS = (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                   Qt.FocusReason.ShortcutFocusReason)
# Focus that leaves and comes back with the window, a menu or a popup keeps its frame.
_PASSING_FOCUS = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason,
                  Qt.FocusReason.MenuBarFocusReason)


class ForegroundMixin:
    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawForeground(painter, rect)
        vp = self.viewport().rect()
        dpr = self.viewport().devicePixelRatioF()
        key = (id(self._legend), vp.width(), dpr, self._theme.background.rgb())
        if key != self._legend_key:
            # The legend changes only on a recolour; every other repaint blits this pixmap.
            size = legend_size(self._legend, vp.width() - LEGEND_INSET)
            pixmap = QPixmap(max(1, round((size.width() + 2) * dpr)), max(1, round((size.height() + 2) * dpr)))
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            legend_painter = QPainter(pixmap)
            paint_legend(legend_painter, self._legend, self._theme, QPointF(1.0, 1.0),
                         vp.width() - LEGEND_INSET)
            legend_painter.end()
            self._legend_pixmap, self._legend_key = pixmap, key
        painter.save()
        painter.resetTransform()
        h = self._legend_pixmap.height() / dpr
        painter.drawPixmap(QPointF(7.0, vp.height() - h - 7.0), self._legend_pixmap)
        if self._problem:
            self._paint_problem(painter, QRectF(vp))
        if self.has_keyboard_focus_frame():
            # Reached with Tab: show where the keys now go (arrows select, +/− edit).
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2.0)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(vp).adjusted(1.0, 1.0, -1.0, -1.0))
        painter.restore()

    def _paint_problem(self, painter: QPainter, vp: QRectF) -> None:
        net, ds = self.session.network, self.session.dataset
        if net.sizes[0] != ds.n_inputs:
            why = (f"the network has {net.sizes[0]} inputs, but each sample of "
                   f"“{ds.title}” has {ds.n_inputs}")
        else:
            why = self._problem.rstrip(".")
        text = (f"The network does not fit the dataset: {why}.\n"
                "Load a matching dataset (Dataset panel) or undo the last change (Ctrl+Z).")
        painter.setFont(self.font())
        box = painter.boundingRect(vp.adjusted(40, 0, -40, 0), Qt.TextFlag.TextWordWrap, text)
        box = QRectF(vp.center().x() - box.width() / 2 - 12, vp.center().y() - box.height() / 2 - 8,
                     box.width() + 24, box.height() + 16)
        painter.setPen(QPen(self._theme.accent, 1.5))
        painter.setBrush(self._theme.panel)
        painter.drawRoundedRect(box, 6.0, 6.0)
        painter.setPen(self._theme.text)
        painter.drawText(box.adjusted(12, 8, -12, -8), Qt.TextFlag.TextWordWrap, text)

    def problem(self) -> str:
        """Why the diagram shows no numbers ("" when it does)."""
        return self._problem

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        reason = event.reason()
        if reason in _KEYBOARD_FOCUS:
            self._keyboard_focus = True
        elif reason not in _PASSING_FOCUS:   # a click: the mouse user needs no frame
            self._keyboard_focus = False
        self.viewport().update()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if event.reason() not in _PASSING_FOCUS:
            self._keyboard_focus = False
        self.viewport().update()

    def has_keyboard_focus_frame(self) -> bool:
        return self._keyboard_focus and self.hasFocus()
