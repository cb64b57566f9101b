"""Where the graph's nodes go: columns left to right, wrapped into rows like lines of text.

A dock is narrow (about 350 px beside the diagram) and a chain to the loss has up to a dozen
columns, so the columns flow into as many rows as the width needs; the edge from the end of
one row enters the next row from the left, as a line of text continues on the next line.
Each column holds a node of the chain (lane 0) and, below it, a side input (lane 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF

from ...engine.chain import ChainGraph

MARGIN = 8
LANE_GAP = 18     # between a chain node and the side input below it
ROW_GAP = 30      # between rows: room for the edge that wraps
MIN_GAP = 40      # between columns: room for an edge and its label


@dataclass
class GraphLayout:
    rects: dict[str, QRectF] = field(default_factory=dict)   # node key → its box
    rows: list[list[int]] = field(default_factory=list)      # the columns of each row
    row_of: dict[int, int] = field(default_factory=dict)     # column → row
    row_bottoms: list[float] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0


def layout_graph(graph: ChainGraph, sizes: dict[str, tuple[float, float]],
                 gaps: dict[int, float], width: float) -> GraphLayout:
    """Place each node of `graph` (its box `sizes[key]`) in rows at most `width` wide;
    `gaps[c]` is the room the edges into column c need."""
    n = graph.n_columns
    col_w = [0.0] * n
    lanes: list[dict[int, str]] = [{} for _ in range(n)]
    for node in graph.nodes:
        lanes[node.column][node.lane] = node.key
        col_w[node.column] = max(col_w[node.column], sizes[node.key][0])
    gap = [max(MIN_GAP, gaps.get(c, 0.0)) for c in range(n)]

    rows: list[list[int]] = [[]]
    used = MARGIN
    for c in range(n):
        need = gap[c] + col_w[c] if (c > 0) else col_w[c]
        if rows[-1] and used + need + MARGIN > width:
            rows.append([])
            used = MARGIN
        rows[-1].append(c)
        used += need

    out = GraphLayout(rows=rows)
    top = MARGIN
    for r, columns in enumerate(rows):
        main_h = max((sizes[lanes[c][0]][1] for c in columns if 0 in lanes[c]), default=0.0)
        side_h = max((sizes[lanes[c][1]][1] for c in columns if 1 in lanes[c]), default=0.0)
        x = MARGIN
        for c in columns:
            out.row_of[c] = r
            if c > 0:
                x += gap[c]
            for lane, key in lanes[c].items():
                w, h = sizes[key]
                left = x + (col_w[c] - w) / 2
                if lane == 0:
                    y = top + (main_h - h) / 2
                else:
                    y = top + main_h + LANE_GAP
                out.rects[key] = QRectF(left, y, w, h)
            x += col_w[c]
        out.width = max(out.width, x + MARGIN)
        bottom = top + main_h + (LANE_GAP + side_h if side_h else 0.0)
        out.row_bottoms.append(bottom)
        top = bottom + ROW_GAP
    out.height = top - ROW_GAP + MARGIN
    return out
