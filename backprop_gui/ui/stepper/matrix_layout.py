"""Where each matrix entry, operator and label of a worked calculation goes (no painting).

Long axes are elided in the middle ("…" between the first and last few entries) with the
same entries kept on every term that shares the axis, so row j of W² still lines up with
entry j of b² and z². Entries the student pinned (the selected weight) are always kept.
Lines wrap before an operator when the calculation is wider than the space it has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF

from ..common.colors import symmetric_limit
from .expression import Expression, Term, Token

GAP = -1                      # a visible-index list entry standing for elided entries
ELISION_LIMITS = (12, 10, 8, 6, 4)


def visible_indices(size: int, limit: int, pinned: set[int] = frozenset()) -> list[int]:
    """Indices to draw for an axis of `size`, at most about `limit`, GAP where some are left out."""
    if size <= limit + 2:  # leaving out one or two entries would save no space
        return list(range(size))
    head = limit // 2
    tail = limit - 1 - head
    keep = set(range(head)) | set(range(size - tail, size)) | {p for p in pinned if 0 <= p < size}
    out: list[int] = []
    for i in sorted(keep):
        if out and i != out[-1] + 1:
            out.append(GAP)
        out.append(i)
    return out


@dataclass
class Metrics:
    """Sizes derived from the fonts (all scale with the zoom)."""

    number: QFont
    label: QFont
    small: QFont
    op: QFont

    def __post_init__(self) -> None:
        self._widths: dict[str, float] = {}
        self.fm = QFontMetricsF(self.number)
        self.fm_label = QFontMetricsF(self.label)
        self.fm_small = QFontMetricsF(self.small)
        self.fm_op = QFontMetricsF(self.op)
        self.cell_h = self.fm.height() + 6.0
        self.pad = self.fm.horizontalAdvance("0") * 0.6
        self.gap_w = self.fm.horizontalAdvance("…") + 6.0
        self.gap_h = self.fm.height() * 0.75
        self.bracket = max(5.0, self.fm.height() * 0.35)
        self.spacing = self.fm.horizontalAdvance("0") * 1.2

    def width(self, text: str, which: str = "number") -> float:
        """Width of a text in one of the fonts (measured once per text)."""
        key = which + text
        w = self._widths.get(key)
        if w is None:
            fm = {"number": self.fm, "label": self.fm_label, "small": self.fm_small,
                  "op": self.fm_op}[which]
            w = self._widths[key] = fm.horizontalAdvance(text)
        return w


@dataclass
class TermBox:
    term: Term
    rows: list[int]
    cols: list[int]
    col_ws: list[float]          # one width per drawn column (a textbook sets each to fit)
    rect: QRectF = field(default_factory=QRectF)      # the bracketed matrix
    label_rect: QRectF = field(default_factory=QRectF)
    caption_rect: QRectF = field(default_factory=QRectF)
    texts: list[list[str]] = field(default_factory=list)
    _xs: list[float] = field(default_factory=list)    # cell offsets inside the matrix
    _ys: list[float] = field(default_factory=list)

    def cell_size(self, m: Metrics, r: int, c: int) -> tuple[float, float]:
        return (m.gap_w if c == GAP else self.col_ws[self.cols.index(c)],
                m.gap_h if r == GAP else m.cell_h)

    def matrix_size(self, m: Metrics) -> tuple[float, float]:
        w = sum(self.col_ws)
        h = sum(m.gap_h if r == GAP else m.cell_h for r in self.rows)
        return w + 2 * m.bracket, h

    def cell_rect(self, m: Metrics, row_pos: int, col_pos: int) -> QRectF:
        if not self._xs:
            x, y = m.bracket, 0.0
            for w in self.col_ws:
                self._xs.append(x)
                x += w
            for r in self.rows:
                self._ys.append(y)
                y += m.gap_h if r == GAP else m.cell_h
        h = m.gap_h if self.rows[row_pos] == GAP else m.cell_h
        return QRectF(self.rect.left() + self._xs[col_pos], self.rect.top() + self._ys[row_pos],
                      self.col_ws[col_pos], h)

    def hit(self, m: Metrics, p: QPointF) -> tuple[int, int] | None:
        """(r, c) of the entry under p (None on a gap or outside)."""
        if not self.rect.contains(p):
            return None
        for ri, r in enumerate(self.rows):
            for ci, c in enumerate(self.cols):
                if r != GAP and c != GAP and self.cell_rect(m, ri, ci).contains(p):
                    return r, c
        return None


@dataclass
class TokenBox:
    token: Token
    rect: QRectF = field(default_factory=QRectF)


@dataclass
class Layout:
    boxes: list[TermBox | TokenBox]
    width: float
    height: float
    limit: int


def _term_box(term: Term, visible: dict[str, list[int]], m: Metrics) -> TermBox:
    rows = visible.get(term.rows, list(range(term.values.shape[0])))
    cols = visible.get(term.cols, list(range(term.values.shape[1])))
    texts = [["⋮" if r == GAP else "…" if c == GAP else term.text(r, c) for c in cols]
             for r in rows]
    narrowest = m.width("−0.00") + m.pad
    if term.kind == "scalar":
        narrowest = max(narrowest, m.width("0.000") + 2 * m.pad)
    col_ws = []
    for ci, c in enumerate(cols):
        if c == GAP:
            col_ws.append(m.gap_w)
            continue
        widest = max(m.width(row[ci]) for row in texts)
        col_ws.append(max(widest + 2 * m.pad, narrowest))
    return TermBox(term, rows, cols, col_ws, texts=texts)


def _caption(term: Term) -> str:
    if term.kind == "scalar":
        return ""
    n_r, n_c = term.values.shape
    return f"{n_r}×{n_c}"


def compute_layout(expr: Expression, m: Metrics, width: float,
                   pinned: dict[str, set[int]] | None = None, margin: float = 8.0) -> Layout:
    """Place every item of `expr` in `width`, eliding long axes as far as needed to fit."""
    pinned = pinned or {}
    best: Layout | None = None
    for limit in ELISION_LIMITS:
        visible = {axis: visible_indices(size, limit, pinned.get(axis, set()))
                   for axis, size in expr.axes.items()}
        layout = _place(expr, m, visible, width, margin, limit)
        best = layout
        if layout.width <= width:
            break
    return best  # type: ignore[return-value]


def _place(expr: Expression, m: Metrics, visible: dict[str, list[int]], width: float,
           margin: float, limit: int) -> Layout:
    boxes: list[TermBox | TokenBox] = []
    sizes: list[tuple[float, float, float]] = []   # (width, ascent, descent) about the centre line
    for item in expr.items:
        if isinstance(item, Term):
            box = _term_box(item, visible, m)
            w, h = box.matrix_size(m)
            lw = m.width(item.label, "label")
            cw = m.width(_caption(item), "small")
            total_w = max(w, lw, cw)
            sizes.append((total_w, h / 2 + m.fm_label.height() + 2, h / 2 + m.fm_small.height() + 2))
        else:
            box = TokenBox(item)
            w = m.width(item.text, "op") if item.text else 0.0
            sizes.append((w, m.fm_op.height() / 2, m.fm_op.height() / 2))
        boxes.append(box)

    # Chunks that must stay on one line: an operator and what follows it up to the next one.
    chunks: list[list[int]] = [[]]
    for k, box in enumerate(boxes):
        if isinstance(box, TokenBox) and box.token.role == "op" and chunks[-1]:
            chunks.append([])
        chunks[-1].append(k)
    lines: list[list[int]] = [[]]
    line_w = margin
    indent = margin + m.spacing * 3
    for chunk in chunks:
        cw = sum(sizes[k][0] for k in chunk) + m.spacing * len(chunk)
        if lines[-1] and line_w + cw > width - margin:
            lines.append([])
            line_w = indent
        lines[-1] += chunk
        line_w += cw

    y = margin
    max_w = 0.0
    for n, line in enumerate(lines):
        asc = max(sizes[k][1] for k in line)
        desc = max(sizes[k][2] for k in line)
        centre = y + asc
        x = margin if n == 0 else indent
        for k in line:
            w, _, _ = sizes[k]
            box = boxes[k]
            if isinstance(box, TermBox):
                mw, mh = box.matrix_size(m)
                left = x + (w - mw) / 2
                box.rect = QRectF(left, centre - mh / 2, mw, mh)
                lh = m.fm_label.height()
                box.label_rect = QRectF(x, box.rect.top() - lh - 2, w, lh)
                box.caption_rect = QRectF(x, box.rect.bottom() + 2, w, m.fm_small.height())
            else:
                h = m.fm_op.height()
                box.rect = QRectF(x, centre - h / 2, w, h)
            x += w + m.spacing
        max_w = max(max_w, x - m.spacing + 2.0)   # no right margin: it may touch the edge
        y = centre + desc + m.cell_h * 0.6
    return Layout(boxes, max_w, y + margin - m.cell_h * 0.6, limit)


def term_limit(term: Term) -> float:
    """The half-width of the colour scale for a term's cell backgrounds (never 0)."""
    return symmetric_limit(term.values)
