"""The worked calculation: a step's matrices side by side, as on a hand-worked exercise sheet.

`WorkedCanvas` paints an `Expression` (see expression.py) with bracketed matrices, their
labels and shapes, operators between them, and subtle diverging-colour cell backgrounds
for signed values (term_paint.py draws each term). Hovering an entry outlines the entries it is computed from (row j of
W² and the vector a¹ for z²[j]) and tells the panel the hand-worked line for it; the
tooltip gives the full-precision value; the tooltip of a "…" (entries left out where the
panel is narrow) shows the whole matrix. Clicking an entry of a weight, bias or neuron
selects it in the session (and so in the diagram). Ctrl+wheel zooms the calculation (the
panel remembers it); at any zoom the layout fits the width (matrix_layout.py).
"""

from __future__ import annotations

import html
import math

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor, QFont, QHelpEvent, QLinearGradient, QMouseEvent, QPainter, QPen, QWheelEvent,
)
from PySide6.QtWidgets import QScrollBar, QSizePolicy, QToolTip, QWidget

from ...engine.selection import Selection
from .expression import Expression, Term
from .worked_line import entry_sentence
from ..common.formatting import fmt, full
from .matrix_layout import Layout, Metrics, TermBox, TokenBox, compute_layout
from .term_paint import Ink, paint_term

FADE_PX = 28.0   # the width of the fade where a wide calculation is cut off

ZOOM_RANGE = (0.7, 2.5)


TIP_ROWS, TIP_COLS = 24, 32     # the largest matrix a tooltip shows whole


def whole_matrix_html(term: Term) -> str:
    """`term` as a table of every entry (up to TIP_ROWS × TIP_COLS), for the "…" tooltip."""
    n_r, n_c = term.values.shape
    rows = [[fmt(v) for v in row[:TIP_COLS]] for row in term.values[:TIP_ROWS]]
    cells = "".join("<tr>" + "".join(f"<td align='right'>{t}</td>" for t in row) + "</tr>"
                    for row in rows)
    more = (f"<br>(the first {min(n_r, TIP_ROWS)} × {min(n_c, TIP_COLS)} entries)"
            if n_r > TIP_ROWS or n_c > TIP_COLS else "")
    return (f"<b>{html.escape(term.label)}</b> ({n_r}×{n_c}), every entry:"
            f"<table cellspacing='0' cellpadding='2'>{cells}</table>{more}"
            "<br><span style='color:gray'>Widen the panel or zoom out (Ctrl+wheel) to see more "
            "of it here</span>")


class WorkedCanvas(QWidget):
    """Paints one worked calculation; its height follows its width (lines wrap)."""

    entry_hovered = Signal(str)          # the hand-worked line of the hovered entry ("" = none)
    entry_clicked = Signal(object)       # the session selection of the clicked entry
    entry_pointed = Signal(object)       # the selection the hovered entry stands for, or None
    zoom_changed = Signal(float)         # the person zoomed (Ctrl+wheel): the panel remembers it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.expr: Expression | None = None
        self.pinned: dict[str, set[int]] = {}
        self.marked: tuple[int, int, int] | None = None   # (term, r, c) of the selected entry
        self.hovered: tuple[int, int, int] | None = None
        self.zoom = 1.0
        self._layout: Layout | None = None
        self._layout_width = -1.0
        self._heights: dict[int, int] = {}
        self._metrics = self._make_metrics()
        # Wider than the panel (a 16-wide W¹ in a narrow dock): scroll sideways in here, so
        # the text around the calculation keeps the panel's width.
        self._hbar = QScrollBar(Qt.Orientation.Horizontal, self)
        self._hbar.setToolTip("Scroll the calculation sideways (or Shift+wheel)")
        self._hbar.valueChanged.connect(lambda _v: self.update())
        self._hbar.hide()

    # ----- content -------------------------------------------------------------------------

    def set_expression(self, expr: Expression | None, selection: Selection | None = None) -> None:
        """Show `expr`; `selection` (the session's) is outlined and kept visible."""
        self.expr = expr
        self.hovered = None
        self.set_selected(selection)

    def set_selected(self, selection: Selection | None) -> None:
        """Outline (and keep visible) the entry that stands for the session's selection."""
        self.marked, self.pinned = None, {}
        if self.expr is not None and selection is not None:
            for k, term in enumerate(self.expr.terms):
                hit = self._entry_for(term, selection)
                if hit is not None:
                    r, c = hit
                    self.pinned.setdefault(term.rows, set()).add(r)
                    self.pinned.setdefault(term.cols, set()).add(c)
                    if self.marked is None or not selection.is_neuron:
                        self.marked = (k, r, c)
        self._relayout()

    @staticmethod
    def _entry_for(term: Term, selection: Selection) -> tuple[int, int] | None:
        if term.select != (selection.kind, selection.layer) or term.kind == "scalar":
            return None
        n_r, n_c = term.values.shape
        j = selection.j
        if selection.is_weight:
            r, c = (selection.i, j) if term.transposed else (j, selection.i)
            return (r, c) if r < n_r and c < n_c else None
        if term.transposed:
            return (0, j) if j < n_c and n_r == 1 else None
        return (j, 0) if j < n_r and n_c == 1 else None

    def set_zoom(self, zoom: float) -> None:
        self.zoom = float(np.clip(zoom, *ZOOM_RANGE))
        self._metrics = self._make_metrics()
        self._relayout()

    def _make_metrics(self) -> Metrics:
        base = QFont(self.font())
        size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        number = QFont(base)
        number.setPointSizeF(size * self.zoom)
        label = QFont(base)
        label.setPointSizeF(size * 1.05 * self.zoom)
        label.setItalic(True)
        small = QFont(base)
        small.setPointSizeF(size * 0.8 * self.zoom)
        op = QFont(base)
        op.setPointSizeF(size * 1.35 * self.zoom)
        return Metrics(number, label, small, op)

    # ----- what is drawn (for the panel's tests and the worksheet) ---------------------------

    def displayed_values(self) -> dict[str, np.ndarray]:
        """Every drawn term's full array, in the orientation drawn (rows = neurons)."""
        return {t.label: t.values for t in self.expr.terms} if self.expr else {}

    def displayed_texts(self) -> dict[str, list[list[str]]]:
        """The text of every drawn cell ("…"/"⋮" where entries are left out)."""
        layout = self._current_layout()
        if layout is None:
            return {}
        return {b.term.label: b.texts for b in layout.boxes if isinstance(b, TermBox)}

    def displayed_indices(self, label: str) -> tuple[list[int], list[int]]:
        """The row and column indices drawn for term `label` (GAP = −1 marks "…")."""
        box = self._box(label)
        return list(box.rows), list(box.cols)

    def cell_center(self, label: str, r: int, c: int) -> QPointF:
        """Where entry (r, c) of term `label` is drawn, in layout coordinates."""
        box = self._box(label)
        rect = box.cell_rect(self.drawn_metrics(), box.rows.index(r), box.cols.index(c))
        return rect.center()

    def drawn_metrics(self) -> Metrics:
        """The fonts the calculation is drawn in now (smaller than the zoom's to fit)."""
        layout = self._current_layout()
        return layout.metrics if layout is not None else self._metrics

    def displayed_digits(self) -> int:
        """Significant digits of the drawn numbers (fewer where the panel is narrow)."""
        layout = self._current_layout()
        return layout.digits if layout is not None else 3

    def overflows(self) -> bool:
        """Whether the calculation is wider than the canvas (it then scrolls sideways)."""
        layout = self._current_layout()
        return layout is not None and layout.width > self.width()

    def cell_position(self, label: str, r: int, c: int) -> QPointF:
        """Where entry (r, c) is on screen now (widget coordinates; for tests that hover it)."""
        point = self.cell_center(label, r, c)
        return QPointF(point.x() - self._offset(), point.y())

    def operator_texts(self) -> list[str]:
        layout = self._current_layout()
        return [b.token.text for b in layout.boxes if isinstance(b, TokenBox)] if layout else []

    def _box(self, label: str) -> TermBox:
        layout = self._current_layout()
        for b in layout.boxes if layout else []:
            if isinstance(b, TermBox) and b.term.label == label:
                return b
        raise KeyError(label)

    # ----- layout ---------------------------------------------------------------------------

    def _relayout(self) -> None:
        self._layout = None
        self._layout_width = -1.0
        self._heights = {}
        self.updateGeometry()
        self._current_layout()
        self.update()

    def _current_layout(self) -> Layout | None:
        if self.expr is None:
            return None
        width = float(max(self.width(), 120))
        if self._layout is None or abs(width - self._layout_width) > 0.5:
            self._layout = compute_layout(self.expr, self._metrics, width, self.pinned)
            self._layout_width = width
            bar = self._hbar.sizeHint().height() if self._layout.width > width else 0
            self.setMinimumHeight(int(self._layout.height) + 1 + bar)
            self._update_scrollbar()
        return self._layout

    def _update_scrollbar(self) -> None:
        layout = self._layout
        overflow = 0 if layout is None else max(0, math.ceil(layout.width - self.width()))
        self._hbar.setRange(0, overflow)
        self._hbar.setPageStep(max(1, self.width()))
        self._hbar.setSingleStep(20)
        self._hbar.setVisible(overflow > 0)
        h = self._hbar.sizeHint().height()
        self._hbar.setGeometry(0, self.height() - h, self.width(), h)

    def _offset(self) -> float:
        return float(self._hbar.value()) if self._hbar.isVisible() else 0.0

    def scroll_to_entry(self, label: str, r: int, c: int) -> None:
        """Scroll sideways so entry (r, c) of term `label` is in view."""
        x = self.cell_center(label, r, c).x()
        if x < self._offset() or x > self._offset() + self.width():
            self._hbar.setValue(int(x - self.width() / 2))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if self.expr is None:
            return 0
        cached = self._heights.get(width)
        if cached is None:
            layout = compute_layout(self.expr, self._metrics, float(width), self.pinned)
            bar = self._hbar.sizeHint().height() if layout.width > width else 0
            cached = self._heights[width] = int(layout.height) + 1 + bar
        return cached

    def sizeHint(self) -> QSize:
        layout = self._current_layout()
        if layout is None:
            return QSize(200, 40)
        return QSize(int(layout.width), int(layout.height))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._current_layout()
        self._update_scrollbar()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:   # e.g. presentation mode's zoom
            self._metrics = self._make_metrics()
            self._relayout()

    # ----- painting ---------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:
        layout = self._current_layout()
        if layout is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = Ink.of(self.palette())
        p.fillRect(self.rect(), ink.base)
        p.translate(-self._offset(), 0)
        m = layout.metrics
        terms = [b for b in layout.boxes if isinstance(b, TermBox)]
        for k, box in enumerate(terms):
            paint_term(p, box, k, m, ink, self.zoom, self._related_mask(k), self.marked,
                       self.hovered)
        p.setFont(m.op)
        p.setPen(ink.text)
        for box in layout.boxes:
            if isinstance(box, TokenBox):
                p.drawText(box.rect, Qt.AlignmentFlag.AlignCenter, box.token.text)
        p.resetTransform()
        self._paint_overflow_hints(p, ink.base, ink.accent)
        p.end()

    def overflow_hints(self) -> tuple[bool, bool]:
        """(more to the left, more to the right) of a calculation wider than the panel."""
        if not self._hbar.isVisible():
            return False, False
        value = self._hbar.value()
        return value > self._hbar.minimum(), value < self._hbar.maximum()

    def _paint_overflow_hints(self, p: QPainter, base: QColor, accent: QColor) -> None:
        # A number cut off at the edge looked like the whole matrix; the scroll bar sits at
        # the bottom of a tall calculation, often out of sight. Fade the cut edge and point on.
        left, right = self.overflow_hints()
        h = self.height() - (self._hbar.height() if self._hbar.isVisible() else 0)
        clear = QColor(base)
        clear.setAlpha(0)
        for on, x0, x1 in ((left, 0.0, FADE_PX), (right, self.width(), self.width() - FADE_PX)):
            if not on:
                continue
            fade = QLinearGradient(x1, 0.0, x0, 0.0)
            fade.setColorAt(0.0, clear)
            fade.setColorAt(1.0, base)
            p.fillRect(QRectF(min(x0, x1), 0.0, FADE_PX, h), fade)
            p.setPen(QPen(accent, 2.0))
            tip = x0 + (-5.0 if x0 > 0 else 5.0)
            back = tip + (-6.0 if x0 > 0 else 6.0)
            mid = h / 2.0
            p.drawPolyline([QPointF(back, mid - 7.0), QPointF(tip, mid), QPointF(back, mid + 7.0)])

    def _related_mask(self, k: int) -> np.ndarray | None:
        if self.hovered is None or self.expr is None:
            return None
        terms = self.expr.terms
        hk, r, c = self.hovered
        if hk == k:
            return None
        return self.expr.related(terms[hk], r, c, terms[k])

    # ----- mouse ------------------------------------------------------------------------------

    def _hit(self, pos: QPointF) -> tuple[int, int, int] | None:
        layout = self._current_layout()
        if layout is None or (self._hbar.isVisible() and pos.y() >= self._hbar.y()):
            return None
        pos = QPointF(pos.x() + self._offset(), pos.y())
        terms = [b for b in layout.boxes if isinstance(b, TermBox)]
        for k, box in enumerate(terms):
            hit = box.hit(layout.metrics, pos)
            if hit is not None:
                return (k, *hit)
        return None

    def hover_entry(self, hit: tuple[int, int, int] | None) -> None:
        if hit == self.hovered:
            return
        self.hovered = hit
        self.update()
        if hit is None or self.expr is None:
            self.entry_hovered.emit("")
            self.entry_pointed.emit(None)
            self.setCursor(Qt.CursorShape.ArrowCursor)
            return
        k, r, c = hit
        term = self.expr.terms[k]
        self.entry_hovered.emit(entry_sentence(self.expr, term, r, c))
        self.entry_pointed.emit(term.selection(r, c))
        clickable = term.selection(r, c) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.hover_entry(self._hit(event.position()))

    def leaveEvent(self, event: QEvent) -> None:
        self.hover_entry(None)
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self._hit(event.position())
        if hit is None or self.expr is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        k, r, c = hit
        selection = self.expr.terms[k].selection(r, c)
        if selection is not None:
            self.entry_clicked.emit(selection)

    def wheelEvent(self, event: QWheelEvent) -> None:
        mods = event.modifiers()
        if mods & Qt.KeyboardModifier.ControlModifier:
            self.set_zoom(self.zoom * (1.1 if event.angleDelta().y() > 0 else 1 / 1.1))
            self.zoom_changed.emit(self.zoom)
            event.accept()
            return
        if self._hbar.isVisible() and (mods & Qt.KeyboardModifier.ShiftModifier
                                       or event.angleDelta().x() != 0):
            delta = event.angleDelta().x() or event.angleDelta().y()
            self._hbar.setValue(self._hbar.value() - delta)
            event.accept()
            return
        super().wheelEvent(event)

    def gap_tooltip(self, pos: QPointF) -> str:
        """On a "…": the whole matrix (the entries the panel had no room for), else ""."""
        layout = self._current_layout()
        if layout is None:
            return ""
        pos = QPointF(pos.x() + self._offset(), pos.y())
        for box in layout.boxes:
            if isinstance(box, TermBox) and box.on_gap(layout.metrics, pos):
                return whole_matrix_html(box.term)
        return ""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = self._hit(QPointF(event.pos()))
            gap = self.gap_tooltip(QPointF(event.pos())) if hit is None else ""
            if gap:
                QToolTip.showText(event.globalPos(), gap, self)
                return True
            if hit is None or self.expr is None:
                QToolTip.hideText()
                event.ignore()
                return True
            k, r, c = hit
            term = self.expr.terms[k]
            name = term.entry_name(r, c, self.expr.samples)
            tip = f"<b>{name}</b> = {full(term.values[r, c])}"
            if term.is_result:
                tip += "<br>" + html.escape(entry_sentence(self.expr, term, r, c))
            if term.selection(r, c) is not None:
                tip += "<br><span style='color:gray'>Click to select it in the diagram</span>"
            QToolTip.showText(event.globalPos(), tip, self)
            return True
        return super().event(event)
