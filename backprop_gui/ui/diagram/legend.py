"""The legend: colour bars with numbers, what line width means and the dead-neuron mark.

Painted in viewport pixels by the view's `drawForeground` (so it is always visible) and onto
exported images, from one `LegendSpec` that the scene fills in on every recolour.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from .highlight import fmt
from .style import DiagramColors, font

BAR_W, BAR_H = 150.0, 10.0
PAD, GAP = 10.0, 18.0
BAR_INSET = 20.0         # room for the end labels, centred under the bar's ends (at least)


@dataclass
class ColorBar:
    title: str
    lut: np.ndarray          # (256, 3) uint8
    low: float
    high: float
    short: str = ""          # the title in a narrow view

    def ticks(self) -> list[str]:
        if self.low < 0 < self.high and abs(self.low + self.high) < 1e-12 * max(1.0, self.high):
            return [fmt(self.low), "0", "+" + fmt(self.high)]
        return [fmt(self.low), fmt(0.5 * (self.low + self.high)), fmt(self.high)]


@dataclass
class WidthKey:
    title: str
    by_alpha: bool = False   # thin lines: opacity (not width) shows the size
    short: str = ""


@dataclass
class Swatch:
    title: str
    kind: str                # "dead"
    short: str = ""


@dataclass
class Note:
    text: str
    essential: bool = False  # kept in the smallest legend too (it explains numbers on show)


@dataclass
class LegendSpec:
    entries: list = field(default_factory=list)

    def titles(self) -> list[str]:
        """The entries' titles without their numbers: what decides the legend's layout."""
        return [e.text if isinstance(e, Note) else e.title for e in self.entries]

    def texts(self) -> list[str]:
        """Every string the legend shows (titles and tick labels), for tests and screen readers."""
        out: list[str] = []
        for e in self.entries:
            out.append(e.text if isinstance(e, Note) else e.title)
            if isinstance(e, ColorBar):
                out += e.ticks()
        return out


@dataclass
class _Style:
    font_size: float
    bar_w: float
    short: bool
    gap: float = GAP
    width_key: float = 90.0
    essentials_only: bool = False   # the colour bars and marks, without the line-width key


FULL = _Style(8.5, BAR_W, False)
COMPACT = _Style(8.0, 96.0, True)   # when the full legend would not fit on one row
# A small view (a netbook screen): still one row, so the network keeps its height.
TINY = _Style(7.5, 60.0, True, gap=10.0, width_key=72.0)
# A diagram squeezed to ~250 px: the colour bars matter most, the line-width key goes.
MICRO = _Style(7.0, 48.0, True, gap=8.0, width_key=56.0, essentials_only=True)


def _title(entry, style: _Style) -> str:
    return (entry.short or entry.title) if style.short else entry.title


def _bar_insets(bar: ColorBar, metrics: QFontMetricsF) -> tuple[float, float]:
    """Room left and right of a bar for its end labels, centred under its ends: a label
    such as "+6.12×10⁻⁵" needs more than BAR_INSET, and was cut off at the legend's edge."""
    labels = bar.ticks()
    return (max(BAR_INSET, metrics.horizontalAdvance(labels[0]) / 2.0 + 2.0),
            max(BAR_INSET, metrics.horizontalAdvance(labels[-1]) / 2.0 + 2.0))


def _bar_width(bar: ColorBar, style: _Style, metrics: QFontMetricsF) -> float:
    """The style's bar width, or wider when its two end labels would touch."""
    labels = bar.ticks()
    ends = metrics.horizontalAdvance(labels[0]) + metrics.horizontalAdvance(labels[-1])
    return max(style.bar_w, ends / 2.0 + 6.0)


def _entry_width(entry, metrics: QFontMetricsF, style: _Style) -> float:
    if isinstance(entry, ColorBar):
        left, right = _bar_insets(entry, metrics)
        return max(_bar_width(entry, style, metrics) + left + right,
                   metrics.horizontalAdvance(_title(entry, style)))
    if isinstance(entry, WidthKey):
        return max(style.width_key, metrics.horizontalAdvance(_title(entry, style)))
    if isinstance(entry, Swatch):
        return 24.0 + metrics.horizontalAdvance(_title(entry, style))
    return min(260.0 if not style.short else 200.0, metrics.horizontalAdvance(entry.text))


def _place(spec: LegendSpec, max_width: float, style: _Style):
    metrics = QFontMetricsF(font(style.font_size))
    row_h = 2 * metrics.height() + BAR_H + 8.0
    placed, x, y, widest = [], PAD, PAD, 0.0
    for entry in spec.entries:
        if style.essentials_only and (isinstance(entry, WidthKey)
                                      or isinstance(entry, Note) and not entry.essential):
            continue
        w = _entry_width(entry, metrics, style)
        if x > PAD and x + w + PAD > max_width:
            x, y = PAD, y + row_h + 6.0
        placed.append((entry, QPointF(x, y), w))
        x += w + style.gap
        widest = max(widest, x - style.gap + PAD)
    return placed, QSizeF(widest, y + row_h + PAD)


def _layout(spec: LegendSpec, max_width: float):
    """(style, placed entries, size): the full legend, or a more compact one if it would wrap."""
    for style in (FULL, COMPACT, TINY, MICRO):
        placed, size = _place(spec, max_width, style)
        if size.width() <= max_width and not any(pos.y() > PAD for _, pos, _ in placed):
            return style, placed, size
    return style, placed, size


def legend_size(spec: LegendSpec, max_width: float = 1e9) -> QSizeF:
    return _layout(spec, max_width)[2]


def paint_legend(painter: QPainter, spec: LegendSpec, theme: DiagramColors, origin: QPointF,
                 max_width: float = 1e9) -> QRectF:
    """Draw the legend with its top-left corner at `origin`; returns the rectangle it covers."""
    style, placed, size = _layout(spec, max_width)
    rect = QRectF(origin, size)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    path = QPainterPath()
    path.addRoundedRect(rect, 6.0, 6.0)
    painter.fillPath(path, theme.panel)
    painter.setPen(QPen(theme.outline, 1.0))
    painter.drawPath(path)
    small = font(style.font_size)
    metrics = QFontMetricsF(small)
    painter.setFont(small)
    for entry, pos, width in placed:
        p = origin + pos
        if isinstance(entry, Note):
            painter.setPen(theme.muted)
            painter.drawText(QRectF(p.x(), p.y(), width, 3 * metrics.height()),
                             Qt.TextFlag.TextWordWrap, entry.text)
            continue
        painter.setPen(theme.text)
        painter.drawText(QPointF(p.x(), p.y() + metrics.ascent()), _title(entry, style))
        top = p.y() + metrics.height() + 3.0
        if isinstance(entry, ColorBar):
            _paint_bar(painter, entry, theme, _bar_rect(entry, p, top, style, metrics), metrics)
        elif isinstance(entry, WidthKey):
            _paint_widths(painter, theme, QRectF(p.x(), top, width, BAR_H), entry.by_alpha)
        elif isinstance(entry, Swatch):
            _paint_swatch(painter, entry, theme, QRectF(p.x() + 2.0, top - 1.0, 15.0, 15.0))
    painter.restore()
    return rect


def _paint_bar(painter: QPainter, bar: ColorBar, theme: DiagramColors, r: QRectF, metrics: QFontMetricsF) -> None:
    lut = np.ascontiguousarray(np.repeat(bar.lut[np.newaxis, :, :], 2, axis=0))
    image = QImage(lut.data, lut.shape[1], 2, lut.shape[1] * 3, QImage.Format.Format_RGB888).copy()
    painter.drawImage(r, image)
    painter.setPen(QPen(theme.outline, 1.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(r)
    painter.setPen(theme.text)
    for x, label in tick_marks(bar, r.left(), r.width(), metrics):
        painter.drawLine(QPointF(x, r.bottom()), QPointF(x, r.bottom() + 3.0))
    for label, box in _label_boxes(bar, r, metrics):
        painter.drawText(QPointF(box.left(), box.top() + metrics.ascent()), label)


def _bar_rect(bar: ColorBar, entry_pos: QPointF, top: float, style: _Style,
              metrics: QFontMetricsF) -> QRectF:
    return QRectF(entry_pos.x() + _bar_insets(bar, metrics)[0], top,
                  _bar_width(bar, style, metrics), BAR_H)


def _label_boxes(bar: ColorBar, r: QRectF, metrics: QFontMetricsF) -> list[tuple[str, QRectF]]:
    """Each tick label under the bar `r` with the rectangle its text covers."""
    boxes = []
    for x, label in tick_marks(bar, r.left(), r.width(), metrics):
        if label:
            w = metrics.horizontalAdvance(label)
            boxes.append((label, QRectF(x - w / 2.0, r.bottom() + 3.0, w, metrics.height())))
    return boxes


def tick_label_boxes(spec: LegendSpec, max_width: float = 1e9) -> tuple[QRectF, list[tuple[str, QRectF]]]:
    """The legend's rectangle (from 0, 0) and every colour bar's tick labels with the
    rectangles their text covers, as `paint_legend` draws them (to check none is cut)."""
    style, placed, size = _layout(spec, max_width)
    metrics = QFontMetricsF(font(style.font_size))
    boxes = []
    for entry, pos, _width in placed:
        if isinstance(entry, ColorBar):
            top = pos.y() + metrics.height() + 3.0
            boxes += _label_boxes(entry, _bar_rect(entry, pos, top, style, metrics), metrics)
    return QRectF(QPointF(0.0, 0.0), size), boxes


def tick_marks(bar: ColorBar, left: float, width: float,
               metrics: QFontMetricsF) -> list[tuple[float, str]]:
    """(x, label) of each tick under a bar; a short bar (compact legend) leaves the middle
    labels out ("") when they would touch their neighbours."""
    labels = bar.ticks()
    xs = [left + width * k / (len(labels) - 1) for k in range(len(labels))]
    ws = [metrics.horizontalAdvance(label) for label in labels]
    crowded = any(x1 - x0 < 0.5 * (w0 + w1) + 4.0
                  for x0, x1, w0, w1 in zip(xs, xs[1:], ws, ws[1:]))
    return [(x, "" if crowded and 0 < k < len(labels) - 1 else label)
            for k, (x, label) in enumerate(zip(xs, labels))]


def _paint_widths(painter: QPainter, theme: DiagramColors, r: QRectF, by_alpha: bool) -> None:
    step = min(22.0, (r.width() - 20.0) / 3.0)
    for k, w in enumerate((0.8, 2.0, 3.5, 5.5)):
        color = QColor(theme.text)
        color.setAlpha(50 + 68 * k if by_alpha else 110 + 40 * k)
        painter.setPen(QPen(color, 1.3 if by_alpha else w))
        x = r.left() + 4.0 + k * step
        painter.drawLine(QPointF(x, r.bottom() + 10.0), QPointF(x + 16.0, r.top()))


def _paint_swatch(painter: QPainter, swatch: Swatch, theme: DiagramColors, r: QRectF) -> None:
    pen = QPen(theme.outline, 1.0)
    if swatch.kind == "dead":
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(theme.dead)
        painter.drawEllipse(r)
        painter.setBrush(QBrush(theme.muted, Qt.BrushStyle.BDiagPattern))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(r)
