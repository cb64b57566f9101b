"""Where each matrix entry, operator and label of a worked calculation goes (no painting).

Long axes are elided in the middle ("…" between the first and last few entries) with the
same entries kept on every term that shares the axis, so row j of W² still lines up with
entry j of b² and z². Entries the student pinned (the selected weight) are always kept.
Lines wrap before an operator when the calculation is wider than the space it has.

A calculation is made to fit the width it has, never cut mid-number: `compute_layout` tries
the rungs of `FIT_LADDER` in turn (slightly smaller type, then two significant digits, then
ever fewer entries of the long axes) and takes the first that fits. A 6×6 W² then fits a
300-pixel dock whole; a 6×16 W¹ shows as many whole columns as fit, with "…" for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF

from ..common.colors import symmetric_limit
from .expression import Expression, Term, Token

GAP = -1                      # a visible-index list entry standing for elided entries


@dataclass(frozen=True)
class Fit:
    """One way to draw a calculation: type `scale`d, numbers with `digits` significant digits,
    long axes cut to about `limit` entries."""

    scale: float
    digits: int
    limit: int


# From the most readable to the most compact. Type stays at 85 % or more of the panel's (a
# cell of a smaller font is no longer readable on a classroom laptop); two significant
# digits keep what a student compares (−0.0013 against 0.31), the tooltip has every digit.
FIT_LADDER = (Fit(1.0, 3, 12), Fit(0.92, 3, 12), Fit(0.92, 2, 12), Fit(0.85, 2, 12),
              Fit(0.85, 2, 10), Fit(0.85, 2, 8), Fit(0.85, 2, 6), Fit(0.85, 2, 4),
              Fit(0.85, 2, 3))


def visible_indices(size: int, limit: int, pinned: set[int] = frozenset()) -> list[int]:
    """Indices to draw for an axis of `size`, at most about `limit`, GAP where some are left out."""
    # Leaving out one or two entries of a long axis would save little space; in a narrow
    # panel (a small limit) every column counts.
    if size <= limit + (2 if limit >= 8 else 1):
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
        self._scaled: dict[float, Metrics] = {1.0: self}
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

    def scaled(self, factor: float) -> Metrics:
        """These metrics with every font `factor` times the size (made once, then kept)."""
        found = self._scaled.get(factor)
        if found is None:
            fonts = []
            for font in (self.number, self.label, self.small, self.op):
                font = QFont(font)
                font.setPointSizeF(font.pointSizeF() * factor)
                fonts.append(font)
            found = self._scaled[factor] = Metrics(*fonts)
        return found

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

    def on_gap(self, m: Metrics, p: QPointF) -> bool:
        """Whether p is on a "…" or "⋮" standing for entries left out."""
        if not self.rect.contains(p):
            return False
        return any((r == GAP or c == GAP) and self.cell_rect(m, ri, ci).contains(p)
                   for ri, r in enumerate(self.rows) for ci, c in enumerate(self.cols))


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
    metrics: Metrics          # the fonts it is drawn in (the panel's, or smaller to fit)
    digits: int               # significant digits of its numbers


def _term_box(term: Term, visible: dict[str, list[int]], m: Metrics, digits: int) -> TermBox:
    rows = visible.get(term.rows, list(range(term.values.shape[0])))
    cols = visible.get(term.cols, list(range(term.values.shape[1])))
    texts = [["⋮" if r == GAP else "…" if c == GAP else term.text(r, c, digits) for c in cols]
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
    """Place every item of `expr` in `width`: the first rung of FIT_LADDER that fits (the
    last, wider than `width`, when none does)."""
    pinned = pinned or {}
    best: Layout | None = None
    for fit in FIT_LADDER:
        visible = {axis: visible_indices(size, fit.limit, pinned.get(axis, set()))
                   for axis, size in expr.axes.items()}
        layout = _place(expr, m.scaled(fit.scale), visible, width, margin, fit)
        best = layout
        if layout.width <= width:
            break
    return best  # type: ignore[return-value]


def _place(expr: Expression, m: Metrics, visible: dict[str, list[int]], width: float,
           margin: float, fit: Fit) -> Layout:
    boxes: list[TermBox | TokenBox] = []
    sizes: list[tuple[float, float, float]] = []   # (width, ascent, descent) about the centre line
    for item in expr.items:
        if isinstance(item, Term):
            box = _term_box(item, visible, m, fit.digits)
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
    indent = margin + m.spacing * 3

    def chunk_width(chunk: list[int]) -> float:
        return sum(sizes[k][0] for k in chunk) + m.spacing * len(chunk)

    # An operator as wide as "−  0.1 ·" beside a wide matrix: on a line of its own, so the
    # matrix keeps the line's whole width.
    split: list[list[int]] = []
    for chunk in chunks:
        lone_op = isinstance(boxes[chunk[0]], TokenBox) and len(chunk) > 1
        if lone_op and indent + chunk_width(chunk) > width - margin:
            split += [chunk[:1], chunk[1:]]
        else:
            split.append(chunk)
    chunks = split

    def start(k: int) -> float:
        """Where a continuation line starts: indented after an operator, not for a matrix
        that follows an operator on a line of its own (it needs the whole width)."""
        return indent if isinstance(boxes[k], TokenBox) else margin

    lines: list[list[int]] = [[]]
    line_w = margin
    for chunk in chunks:
        cw = chunk_width(chunk)
        if lines[-1] and line_w + cw > width - margin:
            lines.append([])
            line_w = start(chunk[0])
        lines[-1] += chunk
        line_w += cw

    y = margin
    max_w = 0.0
    for n, line in enumerate(lines):
        asc = max(sizes[k][1] for k in line)
        desc = max(sizes[k][2] for k in line)
        centre = y + asc
        x = margin if n == 0 else start(line[0])
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
    return Layout(boxes, max_w, y + margin - m.cell_h * 0.6, fit.limit, m, fit.digits)


def term_limit(term: Term) -> float:
    """The half-width of the colour scale for a term's cell backgrounds (never 0)."""
    return symmetric_limit(term.values)
