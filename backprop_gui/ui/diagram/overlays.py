"""Items drawn over the edges: the hovered/selected weight, the step-through highlight and its caption."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from .style import DiagramColors, font

EMPHASIS_Z = 6.0
HIGHLIGHT_Z = 5.0
CAPTION_Z = 30.0


@dataclass
class Emphasis:
    line: QLineF
    color: QColor
    width: float        # scene units
    halo: QColor


def _union(lines: list[QLineF], margin: float) -> QRectF:
    if not lines:
        return QRectF()
    xs = [p for ln in lines for p in (ln.x1(), ln.x2())]
    ys = [p for ln in lines for p in (ln.y1(), ln.y2())]
    return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)).adjusted(
        -margin, -margin, margin, margin)


class EmphasisItem(QGraphicsItem):
    """The hovered and the selected weight, drawn wider with a halo above the other edges."""

    def __init__(self) -> None:
        super().__init__()
        self._items: list[Emphasis] = []
        self._bounds = QRectF()
        self.setZValue(EMPHASIS_Z)

    def set_items(self, items: list[Emphasis]) -> None:
        self.prepareGeometryChange()
        self._items = items
        self._bounds = _union([e.line for e in items], 20.0)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        for e in self._items:
            core = max(2.5, e.width * lod + 1.5)
            halo = QPen(e.halo, core + 4.0)
            halo.setCosmetic(True)
            halo.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(halo)
            painter.drawLine(e.line)
            pen = QPen(e.color, core)
            pen.setCosmetic(True)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawLine(e.line)


class HighlightItem(QGraphicsItem):
    """The lit edges in full colour, with dots marching along them and arrowheads showing
    which way the step goes (left to right forward, right to left backward)."""

    MAX_ARROWS = 12
    # Marching dots are dashed pens, costly to stroke: on 600 lit edges one frame took ~40 ms
    # and the 20 fps animation kept the event loop busy. The strongest edges carry them.
    MAX_DOT_LINES = 120

    def __init__(self, theme: DiagramColors) -> None:
        super().__init__()
        self.theme = theme
        self._groups: list[tuple[QPen, list[QLineF]]] = []
        self._lines: list[QLineF] = []
        self._dotted: list[QLineF] = []
        self._arrows: list[QLineF] = []
        self.backward = False
        self.phase = 0.0
        self._bounds = QRectF()
        self.setZValue(HIGHLIGHT_Z)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_lines(self, groups: list[tuple[QPen, list[QLineF]]], backward: bool) -> None:
        self.prepareGeometryChange()
        self._groups = groups
        self._lines = [line for _, lines in groups for line in lines]
        self.backward = backward
        step = max(1, len(self._lines) // self.MAX_ARROWS)
        # The strongest edges come last; give them the arrowheads and the dots.
        self._arrows = self._lines[::-1][::step][:self.MAX_ARROWS]
        self._dotted = self._lines[-self.MAX_DOT_LINES:]
        self._bounds = _union(self._lines, 20.0)
        self.update()

    @property
    def active(self) -> bool:
        return bool(self._lines)

    @property
    def dotted_lines(self) -> int:
        """How many lit edges carry the marching dots."""
        return len(self._dotted)

    def advance(self, amount: float = 0.25) -> None:
        self.phase = (self.phase + amount) % 1200.0
        if self._lines:
            self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        if not self._lines:
            return
        painter.setClipRect(option.exposedRect)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for pen, lines in self._groups:
            painter.setPen(pen)
            painter.drawLines(lines)
        dots = QPen(self.theme.accent, 3.0)
        dots.setCosmetic(True)
        dots.setCapStyle(Qt.PenCapStyle.RoundCap)
        dots.setDashPattern([0.01, 7.0])
        # A growing offset moves the dots towards a line's start (its left end).
        dots.setDashOffset(self.phase if self.backward else -self.phase)
        painter.setPen(dots)
        painter.drawLines(self._dotted)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        size = 11.0 / max(lod, 1e-6)
        outline = QPen(self.theme.background, 1.0)
        outline.setCosmetic(True)
        painter.setPen(outline)
        painter.setBrush(self.theme.accent)
        for line in self._arrows:
            tip = line.pointAt(0.35 if self.backward else 0.65)
            angle = math.atan2(line.dy(), line.dx()) + (math.pi if self.backward else 0.0)
            painter.drawPolygon(_arrowhead(tip, angle, size))


def _arrowhead(tip: QPointF, angle: float, size: float) -> QPolygonF:
    back = QPointF(math.cos(angle), math.sin(angle)) * size
    side = QPointF(-math.sin(angle), math.cos(angle)) * size * 0.55
    return QPolygonF([tip, tip - back + side, tip - back * 0.6, tip - back - side])


class CaptionItem(QGraphicsItem):
    """A short caption (e.g. "∂L/∂z² ←") in a rounded box that keeps its size when zooming.
    With a `tooltip` it is a button: the view reports a click on it (NetworkView.caption_clicked)."""

    def __init__(self, theme: DiagramColors) -> None:
        super().__init__()
        self.theme = theme
        self.text = ""
        self.tooltip = ""
        self._font = font(12.0, bold=True)
        self._rect = QRectF()
        self.setZValue(CAPTION_Z)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)

    def set_text(self, text: str) -> None:
        self.prepareGeometryChange()
        self._font = font(12.0, bold=True)     # at the current text zoom (presentation mode)
        self.text = text
        metrics = QFontMetricsF(self._font)
        w, h = metrics.horizontalAdvance(text) + 20.0, metrics.height() + 10.0
        self._rect = QRectF(-w / 2.0, 0.0, w, h)   # anchored at its top centre
        self.setVisible(bool(text))
        self.update()

    def contains_view_point(self, view, point: QPointF) -> bool:
        """True if `point` (viewport pixels) lies on the visible caption."""
        if not self.isVisible() or not self.text:
            return False
        return self._rect.translated(view.mapFromScene(self.pos()).toPointF()).contains(point)

    def box_height(self) -> float:
        """Its height on screen (it ignores the zoom), whatever the text."""
        return QFontMetricsF(self._font).height() + 14.0

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        path = QPainterPath()
        path.addRoundedRect(self._rect, 7.0, 7.0)
        painter.fillPath(path, self.theme.panel)
        painter.setPen(QPen(self.theme.accent, 2.0))
        painter.drawPath(path)
        painter.setFont(self._font)
        painter.setPen(self.theme.text)
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self.text)
