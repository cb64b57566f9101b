"""Small round "+"/"−" buttons that appear when the mouse is over a layer or between two layers."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from ..common.colors import mix
from .style import DiagramColors, font

BUTTON_Z = 40.0
BUTTON_SIZE = 22.0   # pixels: buttons keep their size when zooming
BUTTON_MARGIN = 4.0  # pixels between a column's buttons, and above them to its last neuron


class HoverButtonItem(QGraphicsItem):
    """A button drawn in the scene; the view decides when it shows and calls `trigger`."""

    def __init__(self, symbol: str, tooltip: str, action: Callable[[], None], theme: DiagramColors,
                 kind: str, layer: int) -> None:
        super().__init__()
        self.symbol = symbol
        self.tooltip = tooltip
        self.action = action
        self.theme = theme
        self.kind = kind      # "add_neuron", "remove_neuron" or "add_layer"
        self.layer = layer    # the layer it edits, or the position a new layer goes to
        self.hovered = False
        self.enabled = True
        self._font = font(12.0, bold=True)
        self.setZValue(BUTTON_Z)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setVisible(False)

    def boundingRect(self) -> QRectF:
        s = BUTTON_SIZE / 2.0 + 1.0
        return QRectF(-s, -s, 2 * s, 2 * s)

    def contains_view_point(self, view, point: QPointF) -> bool:
        """True if `point` (viewport pixels) lies on the button."""
        centre = view.mapFromScene(self.pos())
        dx, dy = point.x() - centre.x(), point.y() - centre.y()
        return dx * dx + dy * dy <= (BUTTON_SIZE / 2.0 + 2.0) ** 2

    def set_hovered(self, on: bool) -> None:
        if on != self.hovered:
            self.hovered = on
            self.update()

    def trigger(self) -> None:
        if self.enabled:
            self.action()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        r = BUTTON_SIZE / 2.0
        base = self.theme.background
        fill = mix(base, self.theme.accent, 0.35 if self.hovered else 0.08)
        painter.setBrush(fill)
        pen = QPen(self.theme.accent if self.hovered else self.theme.outline, 1.5)
        painter.setPen(pen)
        painter.drawEllipse(QRectF(-r, -r, 2 * r, 2 * r))
        painter.setFont(self._font)
        painter.setPen(self.theme.text if self.enabled else self.theme.muted)
        painter.drawText(QRectF(-r, -r - 1, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, self.symbol)
