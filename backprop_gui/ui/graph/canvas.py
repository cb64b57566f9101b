"""Draws a ChainGraph: boxes for the nodes (value and gradient), arrows labelled with the
local derivatives, and what the step-through has not computed yet left empty and grey.

A node shows its name, "value" (forward) and "grad" = ∂L/∂node (backward); a layer after the
selected neuron is one box listing its neurons k, and the arrow into it says Σₖ: the loss
feels the neuron along one path per k. The widget's height follows its width (the columns
wrap into rows, see layout.py), so a dock's scroll area scrolls a narrow graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ...engine.chain import ChainGraph, Edge, Node
from ..common.colors import mix
from ..diagram.style import DiagramColors
from ..common.plain_text import tooltip_text
from ..common.formatting import fmt, full
from .layout import MARGIN, ROW_GAP, GraphLayout, layout_graph

PAD_X, PAD_Y = 8.0, 5.0
MIN_NODE_WIDTH = 70.0
MAX_ROWS = 5            # a layer with more neurons lists MAX_ROWS − 1 and says how many more
PENDING = "…"           # a number the step-through has not computed yet


@dataclass(frozen=True)
class Fill:
    """Which numbers are computed at the cursor's step: node keys with their value, with their
    gradient, and the keys the current step itself computes (outlined)."""

    values: frozenset[str]
    grads: frozenset[str]
    current: frozenset[str] = frozenset()

    @classmethod
    def everything(cls, graph: ChainGraph) -> Fill:
        keys = frozenset(n.key for n in graph.nodes)
        return cls(keys, keys)


def _grad_colour(dark: bool) -> QColor:
    # Gradients in blue, apart from the values' text colour and the amber of the current step.
    return QColor(120, 175, 255) if dark else QColor(25, 90, 185)


class GraphCanvas(QWidget):
    """Paints one ChainGraph with a Fill; `node_lines(key)` is the text drawn in a node."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("graph_canvas")
        self.graph: ChainGraph | None = None
        self.fill: Fill | None = None
        self._layout: GraphLayout | None = None
        self._laid_out_for = -1.0
        self._label_rects: list[tuple[QRectF, Edge]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setMouseTracking(True)

    # ----- content ---------------------------------------------------------------------------

    def set_graph(self, graph: ChainGraph | None, fill: Fill | None = None) -> None:
        self.graph = graph
        self.fill = fill if fill is not None or graph is None else Fill.everything(graph)
        self._relayout()
        self.update()

    def set_fill(self, fill: Fill) -> None:
        self.fill = fill
        self.update()

    def value_shown(self, key: str) -> bool:
        return self.fill is not None and key in self.fill.values

    def grad_shown(self, key: str) -> bool:
        return self.fill is not None and key in self.fill.grads

    def node_lines(self, key: str) -> list[str]:
        """The lines of text drawn in node `key` (the name first)."""
        node = self.graph.node(key)
        if node.group:
            return [self._group_title(node)] + [" ".join(row) for row in self._group_rows(node)]
        lines = [node.label, f"value {self._value_text(node, 0)}"]
        grad = self._grad_text(node, 0)
        if grad is not None:
            lines.append(f"grad {grad}")
        return lines

    def _value_text(self, node: Node, k: int) -> str:
        return fmt(node.values[k]) if self.value_shown(node.key) else PENDING

    def _grad_text(self, node: Node, k: int) -> str | None:
        if node.grads is None:
            # On the chain but not computed by backprop: ŷ, with the loss fused to it.
            return "(fused)" if node.lane == 0 else None
        return fmt(node.grads[k]) if self.grad_shown(node.key) else PENDING

    def _group_title(self, node: Node) -> str:
        n = len(node.values)
        return f"{node.label}   k = 1…{n}" if n > 1 else node.label

    def _group_rows(self, node: Node) -> list[tuple[str, str, str]]:
        n = len(node.values)
        shown = n if n <= MAX_ROWS else MAX_ROWS - 1
        rows = []
        for k in range(shown):
            grad = self._grad_text(node, k)
            rows.append((node.names[k], self._value_text(node, k), grad or ""))
        if shown < n:
            rows.append((f"… {n - shown} more", "", ""))
        return rows

    # ----- geometry --------------------------------------------------------------------------

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        base = QFont(self.font())
        bold = QFont(base)
        bold.setBold(True)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() * 0.9))
        return base, bold, small

    def _node_size(self, node: Node) -> tuple[float, float]:
        base, bold, _small = self._fonts()
        fm, fb = QFontMetricsF(base), QFontMetricsF(bold)
        lines = self.node_lines(node.key)
        if node.group:
            widths = self._group_columns(node)
            w = max(fb.horizontalAdvance(lines[0]), sum(widths) + 2 * 10.0)
        else:
            w = max([fb.horizontalAdvance(lines[0])] + [fm.horizontalAdvance(t) for t in lines[1:]])
        h = fm.lineSpacing() * len(lines)
        return max(MIN_NODE_WIDTH, w + 2 * PAD_X), h + 2 * PAD_Y

    def _group_columns(self, node: Node) -> list[float]:
        fm = QFontMetricsF(self._fonts()[0])
        rows = self._group_rows(node)
        # Room for every number the column may hold, not just those shown now: the box keeps
        # its size while the step-through fills it.
        texts = [[r[0] for r in rows if not r[0].startswith("…")],
                 [fmt(v) for v in node.values] + [PENDING],
                 [fmt(v) for v in (node.grads or ())] + [PENDING, self._grad_text(node, 0) or ""]]
        return [max((fm.horizontalAdvance(t) for t in col), default=0.0) for col in texts]

    def _edge_texts(self, edge: Edge) -> tuple[str, str]:
        if edge.fan_out and len(edge.values) > 1:
            return edge.label, f"Σₖ, {len(edge.values)} paths"
        if len(edge.values) == 1:
            target_ready = (self.grad_shown("loss") if edge.target == "loss"
                            else self.value_shown(edge.target))
            number = fmt(edge.values[0]) if target_ready else PENDING
            return edge.label, "" if number == edge.label else number
        return edge.label, ""

    def _relayout(self) -> None:
        self._laid_out_for = -1.0
        self._layout = None
        if self.graph is None:
            self.setMinimumHeight(0)
            return
        self._ensure_layout()

    def _ensure_layout(self) -> GraphLayout | None:
        if self.graph is None:
            return None
        width = float(max(self.width(), 200))
        if self._layout is not None and self._laid_out_for == width:
            return self._layout
        graph = self.graph
        # Sizes with every number shown, so filling in never moves a box.
        fill, self.fill = self.fill, Fill.everything(graph)
        sizes = {n.key: self._node_size(n) for n in graph.nodes}
        self.fill = fill
        small = QFontMetricsF(self._fonts()[2])
        columns = {n.key: n.column for n in graph.nodes}
        gaps: dict[int, float] = {}
        for edge in graph.edges:
            if not edge.on_path:
                continue
            label, number = self._edge_texts(edge)
            need = max(small.horizontalAdvance(label), small.horizontalAdvance(number or "0")) + 14
            c = columns[edge.target]
            gaps[c] = max(gaps.get(c, 0.0), need)
        self._layout = layout_graph(graph, sizes, gaps, width)
        self._laid_out_for = width
        self.setMinimumHeight(int(self._layout.height) + 1)
        return self._layout

    def sizeHint(self) -> QSize:
        layout = self._ensure_layout()
        return QSize(360, int(layout.height) + 1 if layout else 120)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 60)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._ensure_layout()

    # ----- painting --------------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        layout = self._ensure_layout()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colors = DiagramColors.from_palette(self.palette())
        painter.fillRect(self.rect(), colors.background)
        if layout is None or self.graph is None:
            return
        self._label_rects = []
        for edge in self.graph.edges:
            self._paint_edge(painter, edge, layout, colors)
        for node in self.graph.nodes:
            self._paint_node(painter, node, layout.rects[node.key], colors)
        painter.end()

    def _paint_node(self, painter: QPainter, node: Node, rect: QRectF,
                    colors: DiagramColors) -> None:
        base, bold, _small = self._fonts()
        ready = self.value_shown(node.key)
        current = self.fill is not None and node.key in self.fill.current
        fill = mix(colors.background, colors.text, 0.06 if ready else 0.0)
        pen = QPen(colors.accent if current else (colors.outline if ready else colors.neutral),
                   2.2 if current else 1.2)
        if not ready:
            pen.setStyle(Qt.PenStyle.DashLine)
        if node.lane == 1:
            pen.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 6, 6)
        fm = QFontMetricsF(base)
        line_h = fm.lineSpacing()
        x, y = rect.left() + PAD_X, rect.top() + PAD_Y
        lines = self.node_lines(node.key)
        painter.setFont(bold)
        painter.setPen(colors.text if node.lane == 0 else colors.muted)
        painter.drawText(QRectF(x, y, rect.width() - 2 * PAD_X, line_h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, lines[0])
        painter.setFont(base)
        grad_colour = _grad_colour(colors.dark)
        if node.group:
            widths = self._group_columns(node)
            for r, row in enumerate(self._group_rows(node)):
                top = y + line_h * (r + 1)
                cx = x
                for c, text in enumerate(row):
                    colour = colors.text if c < 2 else grad_colour
                    if text == PENDING or c == 0:
                        colour = colors.muted
                    painter.setPen(colour)
                    align = Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight
                    width = widths[c] if row[1] else rect.width()
                    painter.drawText(QRectF(cx, top, width, line_h),
                                     align | Qt.AlignmentFlag.AlignVCenter, text)
                    cx += widths[c] + 10.0
            return
        for r, text in enumerate(lines[1:], start=1):
            pending = text.endswith(PENDING) or text.endswith("(fused)")
            colour = colors.muted if pending else (grad_colour if text.startswith("grad")
                                                   else colors.text)
            painter.setPen(colour)
            painter.drawText(QRectF(x, y + line_h * r, rect.width() - 2 * PAD_X, line_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_edge(self, painter: QPainter, edge: Edge, layout: GraphLayout,
                    colors: DiagramColors) -> None:
        src, dst = layout.rects[edge.source], layout.rects[edge.target]
        ready = self.value_shown(edge.source)
        colour = colors.text if (edge.on_path and ready) else colors.neutral
        pen = QPen(colour, 1.4 if edge.on_path else 1.0)
        if not edge.on_path:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        end = QPointF(dst.left(), dst.center().y())
        if not edge.on_path:
            # A side input sits below the node it feeds: straight up into it.
            start = QPointF(src.center().x(), src.top())
            end = QPointF(src.center().x(), dst.bottom())
            painter.drawLine(start, end)
            self._arrow_head(painter, start, end, colour)
            return
        same_row = (layout.row_of[self._column(edge.source)] ==
                    layout.row_of[self._column(edge.target)])
        if same_row:
            start = QPointF(src.right(), src.center().y())
            painter.drawLine(start, end)
            before = start
            gap_left = src.right()
        else:
            # Down from the end of one row and in from the left of the next.
            row = layout.row_of[self._column(edge.source)]
            column_right = max(r.right() for k, r in layout.rects.items()
                               if self._column(k) == self._column(edge.source))
            x_out = column_right + 6
            y_mid = layout.row_bottoms[row] + ROW_GAP / 2
            x_in = MARGIN / 2
            path = QPainterPath(QPointF(src.right(), src.center().y()))
            for point in ((x_out, src.center().y()), (x_out, y_mid), (x_in, y_mid),
                          (x_in, end.y()), (end.x(), end.y())):
                path.lineTo(QPointF(*point))
            painter.drawPath(path)
            before = QPointF(x_in, end.y())
            gap_left = x_in
        self._arrow_head(painter, before, end, colour)
        label, number = self._edge_texts(edge)
        _base, _bold, small = self._fonts()
        painter.setFont(small)
        fm = QFontMetricsF(small)
        box = QRectF(gap_left, end.y() - fm.lineSpacing() - 2, end.x() - gap_left, fm.lineSpacing())
        painter.setPen(colors.muted)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
        if number:
            below = box.translated(0, fm.lineSpacing() + 4)
            painter.setPen(colors.text if not number.endswith(PENDING) else colors.muted)
            painter.drawText(below, Qt.AlignmentFlag.AlignCenter, number)
            box = box.united(below)
        self._label_rects.append((box, edge))

    @staticmethod
    def _arrow_head(painter: QPainter, before: QPointF, tip: QPointF, colour: QColor) -> None:
        d = tip - before
        length = max((d.x() ** 2 + d.y() ** 2) ** 0.5, 1e-9)
        ux, uy = d.x() / length, d.y() / length
        size = 7.0
        back = QPointF(tip.x() - ux * size, tip.y() - uy * size)
        left = QPointF(back.x() - uy * size * 0.45, back.y() + ux * size * 0.45)
        right = QPointF(back.x() + uy * size * 0.45, back.y() - ux * size * 0.45)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF([tip, left, right]))
        painter.restore()

    def _column(self, key: str) -> int:
        return self.graph.node(key).column

    # ----- tooltips --------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.graph is not None:
            text = self.tooltip_at(event.position() if hasattr(event, "position")
                                   else QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), tooltip_text(text), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def tooltip_at(self, point: QPointF) -> str:
        """The tooltip for what is at `point` (plain text; empty for nothing)."""
        layout = self._ensure_layout()
        if layout is None:
            return ""
        for node in self.graph.nodes:
            if layout.rects[node.key].contains(point):
                return self._node_tip(node)
        for rect, edge in self._label_rects:
            if rect.adjusted(-4, -4, 4, 4).contains(point):
                return self._edge_tip(edge)
        return ""

    def _node_tip(self, node: Node) -> str:
        lines = [f"{node.label}: {node.caption}"]
        for k, name in enumerate(node.names):
            value = full(node.values[k]) if self.value_shown(node.key) else "not computed yet"
            line = f"{name} = {value}"
            if node.grads is not None:
                grad = full(node.grads[k]) if self.grad_shown(node.key) else "not computed yet"
                line += f";  ∂L/∂{name} = {grad}"
            lines.append(line)
        if node.grads is None and node.lane == 1:
            lines.append("A side input: the chain to the loss does not go through it.")
        return "\n".join(lines[:MAX_ROWS * 4])

    def _edge_tip(self, edge: Edge) -> str:
        target, source = self.graph.node(edge.target), self.graph.node(edge.source)
        lines = [f"Local derivative ∂{target.label}/∂{source.label}: {edge.label}"]
        if edge.fan_out:
            lines.append("One path through each neuron k; the chain rule adds them up (Σₖ):")
            lines += [f"  k = {k + 1}: {full(v)}" for k, v in enumerate(edge.values[:16])]
        elif len(edge.values) == 1:
            lines.append(f"= {full(edge.values[0])}")
        if edge.note:
            lines.append(edge.note)
        return "\n".join(lines)
