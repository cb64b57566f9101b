"""Drawing one term of a worked calculation, placed by matrix_layout.py: its label and shape,
its cells on a subtle diverging tint, the band around the entries the hovered entry is computed
from, the outlines of the selected and the hovered entry, and its brackets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen

from ..common.colors import diverging_rgb, mix
from .matrix_layout import GAP, Metrics, TermBox, term_limit

COLOR_HEADROOM = 1.7

Mark = tuple[int, int, int]      # (term, row, column) of an entry


@dataclass(frozen=True)
class Ink:
    """The palette's colours a calculation is drawn in."""

    text: QColor
    muted: QColor
    base: QColor
    accent: QColor

    @classmethod
    def of(cls, palette: QPalette) -> Ink:
        return cls(palette.color(QPalette.ColorRole.Text),
                   palette.color(QPalette.ColorRole.PlaceholderText),
                   palette.color(QPalette.ColorRole.Base),
                   palette.color(QPalette.ColorRole.Highlight))


def paint_term(p: QPainter, box: TermBox, k: int, m: Metrics, ink: Ink, zoom: float,
               related: np.ndarray | None, marked: Mark | None, hovered: Mark | None) -> None:
    """Term `k` of the calculation; `related` marks the entries the hovered one uses."""
    term = box.term
    p.setFont(m.label)
    p.setPen(ink.accent if term.is_result else ink.text)
    p.drawText(box.label_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
               term.label)
    caption = "" if term.kind == "scalar" else f"{term.values.shape[0]}×{term.values.shape[1]}"
    p.setFont(m.small)
    p.setPen(ink.muted)
    p.drawText(box.caption_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
               caption)
    band = _paint_cells(p, box, m, ink, related)
    if not band.isEmpty():
        fill = QColor(ink.accent)
        fill.setAlpha(45)
        p.fillPath(band.simplified(), fill)
        p.setPen(QPen(ink.accent, 1.6))
        p.drawPath(band.simplified())
    for mark, width, style in ((marked, 2.0, Qt.PenStyle.DashLine),
                               (hovered, 2.4, Qt.PenStyle.SolidLine)):
        if mark is not None and mark[0] == k and mark[1] in box.rows and mark[2] in box.cols:
            rect = box.cell_rect(m, box.rows.index(mark[1]), box.cols.index(mark[2]))
            p.setPen(QPen(ink.accent, width, style))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
    if term.kind != "scalar":
        paint_brackets(p, box.rect, m, ink.text, zoom)
    else:
        p.setPen(QPen(ink.text, 1.0))
        p.drawRect(box.rect.adjusted(m.bracket - 2, 0, 2 - m.bracket, 0))


def _paint_cells(p: QPainter, box: TermBox, m: Metrics, ink: Ink,
                 related: np.ndarray | None) -> QPainterPath:
    """The drawn entries (and "…" where some are left out); returns the outline of those in
    `related`."""
    term = box.term
    band = QPainterPath()
    p.setFont(m.number)
    tint = cell_tints(box, ink.base)
    for ri, r in enumerate(box.rows):
        for ci, c in enumerate(box.cols):
            rect = box.cell_rect(m, ri, ci)
            if r == GAP or c == GAP:
                p.setPen(ink.muted)
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, box.texts[ri][ci])
                on = related is not None and gap_related(related, r, c)
            else:
                if term.kind != "scalar":   # a lone number needs no colour scale
                    p.fillRect(rect.adjusted(1, 1, -1, -1), tint[r, c])
                p.setPen(ink.text)
                p.drawText(rect.adjusted(m.pad / 2, 0, -m.pad / 2, 0),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                           box.texts[ri][ci])
                on = related is not None and bool(related[r, c])
            if on:
                band.addRect(rect)
    return band


def cell_tints(box: TermBox, base: QColor) -> dict[tuple[int, int], QColor]:
    """The background of each drawn entry (row, column): its value on the diverging map."""
    term = box.term
    limit = term_limit(term)
    rows = [r for r in box.rows if r != GAP]
    cols = [c for c in box.cols if c != GAP]
    # A softened scale: the largest entry gets a clear tint, never a dark one.
    shown = term.values[np.ix_(rows, cols)]
    rgb = diverging_rgb(shown, limit * COLOR_HEADROOM)
    # On a dark background the map's white middle would glare: there the tint's strength
    # follows |value| instead, so zero stays the background colour.
    dark = base.lightness() < 128
    # (±∞ from an overflow at full strength, NaN none: the limit is the largest finite |value|.)
    strength = (0.6 * np.minimum(1.0, np.abs(np.nan_to_num(shown, nan=0.0, posinf=limit,
                                                           neginf=-limit)) / limit) if dark
                else np.full(shown.shape, 0.6))
    tint = {}
    for a, r in enumerate(rows):
        for b, c in enumerate(cols):
            red, green, blue = (int(v) for v in rgb[a, b])
            tint[r, c] = mix(base, QColor(red, green, blue), float(strength[a, b]))
    return tint


def paint_brackets(p: QPainter, rect: QRectF, m: Metrics, color: QColor, zoom: float) -> None:
    p.setPen(QPen(color, max(1.2, 1.3 * zoom)))
    serif = m.bracket * 0.7
    top, bottom = rect.top() - 1, rect.bottom() + 1
    for x, d in ((rect.left() + 2, 1), (rect.right() - 2, -1)):
        path = QPainterPath(QPointF(x + d * serif, top))
        path.lineTo(x, top)
        path.lineTo(x, bottom)
        path.lineTo(x + d * serif, bottom)
        p.drawPath(path)


def gap_related(mask: np.ndarray, r: int, c: int) -> bool:
    """Whether a "…" stands only for related entries (so it is inside the band)."""
    if r == GAP and c == GAP:
        return bool(mask.all())
    if r == GAP:
        return bool(mask[:, c].all()) and mask.shape[0] > 1
    return bool(mask[r, :].all()) and mask.shape[1] > 1
