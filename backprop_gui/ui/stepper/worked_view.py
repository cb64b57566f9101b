"""The worked calculation: a step's matrices side by side, as on a hand-worked exercise sheet.

`WorkedCanvas` paints an `Expression` (see expression.py) with bracketed matrices, their
labels and shapes, operators between them, and subtle diverging-colour cell backgrounds
for signed values. Hovering an entry outlines the entries it is computed from (row j of
W² and the vector a¹ for z²[j]) and tells the panel the hand-worked line for it; the
tooltip gives the full-precision value. Clicking an entry of a weight, bias or neuron
selects it in the session (and so in the diagram).
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor, QFont, QHelpEvent, QLinearGradient, QMouseEvent, QPainter, QPainterPath, QPalette, QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollBar, QSizePolicy, QToolTip, QWidget

from ...engine.selection import Selection
from ..colors import diverging_rgb, mix
from .expression import Expression, Term, entry_sentence
from .formatting import full
from .matrix_layout import GAP, Layout, Metrics, TermBox, TokenBox, compute_layout, term_limit

FADE_PX = 28.0   # the width of the fade where a wide calculation is cut off

ZOOM_RANGE = (0.7, 2.5)
COLOR_HEADROOM = 1.7


class WorkedCanvas(QWidget):
    """Paints one worked calculation; its height follows its width (lines wrap)."""

    entry_hovered = Signal(str)          # the hand-worked line of the hovered entry ("" = none)
    entry_clicked = Signal(object)       # the session selection of the clicked entry
    entry_pointed = Signal(object)       # the selection the hovered entry stands for, or None

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
        rect = box.cell_rect(self._metrics, box.rows.index(r), box.cols.index(c))
        return rect.center()

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
        overflow = 0 if layout is None else max(0, int(layout.width - self.width()) + 1)
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

    # ----- painting ---------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:
        layout = self._current_layout()
        if layout is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.Text)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        base = pal.color(QPalette.ColorRole.Base)
        accent = pal.color(QPalette.ColorRole.Highlight)
        p.fillRect(self.rect(), base)
        p.translate(-self._offset(), 0)
        m = self._metrics
        terms = [b for b in layout.boxes if isinstance(b, TermBox)]
        for k, box in enumerate(terms):
            self._paint_term(p, box, k, text, muted, base, accent)
        p.setFont(m.op)
        p.setPen(text)
        for box in layout.boxes:
            if isinstance(box, TokenBox):
                p.drawText(box.rect, Qt.AlignmentFlag.AlignCenter, box.token.text)
        p.resetTransform()
        self._paint_overflow_hints(p, base, accent)
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

    def _paint_term(self, p: QPainter, box: TermBox, k: int, text: QColor, muted: QColor,
                    base: QColor, accent: QColor) -> None:
        m = self._metrics
        term = box.term
        limit = term_limit(term)
        related = self._related_mask(k)
        p.setFont(m.label)
        p.setPen(accent if term.is_result else text)
        p.drawText(box.label_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                   term.label)
        caption = "" if term.kind == "scalar" else f"{term.values.shape[0]}×{term.values.shape[1]}"
        p.setFont(m.small)
        p.setPen(muted)
        p.drawText(box.caption_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                   caption)
        band = QPainterPath()
        p.setFont(m.number)
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
        for ri, r in enumerate(box.rows):
            for ci, c in enumerate(box.cols):
                rect = box.cell_rect(m, ri, ci)
                if r == GAP or c == GAP:
                    p.setPen(muted)
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, box.texts[ri][ci])
                    on = related is not None and self._gap_related(related, r, c)
                else:
                    if term.kind != "scalar":   # a lone number needs no colour scale
                        p.fillRect(rect.adjusted(1, 1, -1, -1), tint[r, c])
                    p.setPen(text)
                    p.drawText(rect.adjusted(m.pad / 2, 0, -m.pad / 2, 0),
                               Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                               box.texts[ri][ci])
                    on = related is not None and bool(related[r, c])
                if on:
                    band.addRect(rect)
        if not band.isEmpty():
            fill = QColor(accent)
            fill.setAlpha(45)
            p.fillPath(band.simplified(), fill)
            p.setPen(QPen(accent, 1.6))
            p.drawPath(band.simplified())
        for mark, width, style in ((self.marked, 2.0, Qt.PenStyle.DashLine),
                                   (self.hovered, 2.4, Qt.PenStyle.SolidLine)):
            if mark is not None and mark[0] == k and mark[1] in box.rows and mark[2] in box.cols:
                rect = box.cell_rect(m, box.rows.index(mark[1]), box.cols.index(mark[2]))
                p.setPen(QPen(accent, width, style))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        if term.kind != "scalar":
            self._paint_brackets(p, box.rect, text)
        else:
            p.setPen(QPen(text, 1.0))
            p.drawRect(box.rect.adjusted(m.bracket - 2, 0, 2 - m.bracket, 0))

    def _paint_brackets(self, p: QPainter, rect: QRectF, color: QColor) -> None:
        m = self._metrics
        p.setPen(QPen(color, max(1.2, 1.3 * self.zoom)))
        serif = m.bracket * 0.7
        top, bottom = rect.top() - 1, rect.bottom() + 1
        for x, d in ((rect.left() + 2, 1), (rect.right() - 2, -1)):
            path = QPainterPath(QPointF(x + d * serif, top))
            path.lineTo(x, top)
            path.lineTo(x, bottom)
            path.lineTo(x + d * serif, bottom)
            p.drawPath(path)

    @staticmethod
    def _gap_related(mask: np.ndarray, r: int, c: int) -> bool:
        if r == GAP and c == GAP:
            return bool(mask.all())
        if r == GAP:
            return bool(mask[:, c].all()) and mask.shape[0] > 1
        return bool(mask[r, :].all()) and mask.shape[1] > 1

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
            hit = box.hit(self._metrics, pos)
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
            event.accept()
            return
        if self._hbar.isVisible() and (mods & Qt.KeyboardModifier.ShiftModifier
                                       or event.angleDelta().x() != 0):
            delta = event.angleDelta().x() or event.angleDelta().y()
            self._hbar.setValue(self._hbar.value() - delta)
            event.accept()
            return
        super().wheelEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = self._hit(QPointF(event.pos()))
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
