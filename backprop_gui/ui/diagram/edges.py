"""All edges of one weight layer in a single item, drawn with a few `drawLines` calls.

The edges are grouped into colour buckets (sign × magnitude); each bucket is one pen. Big
layers show only their strongest edges (level of detail); hit-testing finds the nearest
drawn segment with NumPy instead of making one item per edge.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from ..common.colors import diverging_color, mix
from ..common.throttle import Throttle
from .style import DiagramColors

EDGE_Z = 0.0
N_MAG = 10                 # magnitude buckets per sign
COLOR_FLOOR = 0.25         # weakest edges still get a visible tint of their sign
THIN_COLOR_FLOOR = 0.45    # thin translucent lines need a stronger tint to show their sign
WIDE_MIN, WIDE_MAX = 0.7, 6.0   # scene-unit widths when width encodes |w|
NEGATIVE_DASHES = [4.0, 2.5]       # thin edges of negative values: dash, gap (in pixels)
WIDE_NEGATIVE_DASHES = [2.5, 1.5]  # wide edges: in units of the pen's width
MAX_EDGES_PER_LAYER = 1500
SHOWN_REFRESH_MS = 400     # while training streams: how often big layers re-pick their edges
STREAMING_MAX_EDGES = 600  # per layer while training streams


ZERO = 2 * N_MAG           # exactly zero (e.g. no gradient through a dead ReLU): no sign colour


def bucket_indices(values: np.ndarray, limit: float) -> np.ndarray:
    """Bucket of each value: 0 … N_MAG−1 negative (weak → strong), N_MAG … 2·N_MAG−1 positive,
    ZERO for exact zeros."""
    # In as few NumPy calls as can be: this runs for every drawn edge in every training frame.
    mag = np.abs(values) * (N_MAG / limit)
    np.minimum(mag, N_MAG - 1, out=mag)
    buckets = mag.astype(np.intp)
    buckets += (values > 0) * N_MAG
    buckets[values == 0] = ZERO
    return buckets


def _finite(values: np.ndarray, limit: float) -> np.ndarray:
    """A diverged network may hold inf or NaN: those at the ends of the scale / as 0."""
    if np.isfinite(values).all():
        return values
    return np.nan_to_num(values, nan=0.0, posinf=limit, neginf=-limit)


def bucket_magnitude(bucket: int) -> float:
    """Where on 0 … 1 the bucket's colour and width sit."""
    return 0.0 if bucket == ZERO else ((bucket % N_MAG) + 0.75) / N_MAG


def bucket_color(bucket: int, alpha: int = 255, floor: float = COLOR_FLOOR) -> QColor:
    if bucket == ZERO:
        return QColor(150, 150, 150, alpha)
    sign = 1.0 if bucket >= N_MAG else -1.0
    t = floor + (1.0 - floor) * bucket_magnitude(bucket)
    color = diverging_color(sign * t, 1.0)
    color.setAlpha(alpha)
    return color


def edge_width(bucket: int) -> float:
    return 0.6 * WIDE_MIN if bucket == ZERO else WIDE_MIN + (WIDE_MAX - WIDE_MIN) * bucket_magnitude(bucket)


@lru_cache(maxsize=None)
def _pen(bucket: int, wide: bool, opaque: bool, background: int) -> QPen:
    if wide:
        # Opaque on purpose: translucent wide anti-aliased lines stroke about 10x slower.
        # Weak edges fade into the background instead, so on a dark background the
        # near-white colour of a small weight does not stand out.
        fade = 0.25 if bucket == ZERO else 0.5 + 0.5 * bucket_magnitude(bucket)
        pen = QPen(mix(QColor.fromRgb(background), bucket_color(bucket), fade), edge_width(bucket))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    else:
        alpha = 255 if opaque else 35 if bucket == ZERO else round(60 + 195 * bucket_magnitude(bucket))
        pen = QPen(bucket_color(bucket, alpha, THIN_COLOR_FLOOR), 1.0)
        pen.setCosmetic(True)
    if bucket < N_MAG:
        # A negative value is dashed as well as blue: its sign must not rest on colour alone
        # (colour-blind students, a washed-out projector, a greyscale print).
        pen.setDashPattern(NEGATIVE_DASHES if not wide else WIDE_NEGATIVE_DASHES)
    return pen


class EdgeLayerItem(QGraphicsItem):
    """The edges of weights[l] (textbook Wˡ⁺¹): from every neuron of layer l to every one of l+1."""

    def __init__(self, l: int, src: np.ndarray, dst: np.ndarray, theme: DiagramColors,
                 max_edges: int = MAX_EDGES_PER_LAYER) -> None:
        super().__init__()
        self.l = l
        self.theme = theme
        self.n_out, self.n_in = dst.shape[0], src.shape[0]
        self.max_edges = max_edges
        self._in_motion = False   # see set_in_motion
        self._repick = Throttle(SHOWN_REFRESH_MS)
        j, i = np.divmod(np.arange(self.n_out * self.n_in), self.n_in)
        # Row-major like W: edge k = j * n_in + i goes from src[i] to dst[j].
        self.coords = np.column_stack([src[i, 0], src[i, 1], dst[j, 0], dst[j, 1]])
        lo = np.minimum(src.min(axis=0), dst.min(axis=0))
        hi = np.maximum(src.max(axis=0), dst.max(axis=0))
        self._bounds = QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1]).adjusted(-4, -4, 4, 4)
        self.shown = np.arange(self.n_out * self.n_in)   # edge indices drawn
        self.buckets = np.zeros(self.n_out * self.n_in, dtype=np.intp)
        self.wide = True
        self.known = True
        self._groups: list[tuple[QPen, list[QLineF]]] = []
        self._line_cache = np.empty(self.n_out * self.n_in, dtype=object)
        self._has_line = np.zeros(self.n_out * self.n_in, dtype=bool)
        self._pens: dict[tuple, list[QPen]] = {}
        self.setZValue(EDGE_Z)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        # Repaints (hover, animation, scrolling) blit a pixmap; only a recolour or a zoom redraws.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    @property
    def n_edges(self) -> int:
        return self.n_out * self.n_in

    @property
    def truncated(self) -> bool:
        return self.shown.size < self.n_edges

    def boundingRect(self) -> QRectF:
        return self._bounds

    @property
    def in_motion(self) -> bool:
        return self._in_motion

    def set_in_motion(self, on: bool) -> None:
        """Values change every frame (training streams): draw for speed. Fewer edges of a
        big layer (`edge_budget`), re-picked a few times a second, and aliased lines."""
        if on != self._in_motion:
            self._in_motion = on
            self.update()

    def set_values(self, values: np.ndarray | None, limit: float, wide: bool) -> None:
        """Recolour from `values` (n_out, n_in) on the scale ±limit; None = not known yet."""
        before = (self.wide, self.known, self.shown, self.buckets[self.shown])
        self.wide = wide
        was_known, self.known = self.known, values is not None
        if values is None:
            self.shown = self._strongest(np.ones(self.n_edges))
            self.buckets = np.zeros(self.n_edges, dtype=np.intp)
        elif self._in_motion and was_known and self.truncated \
                and self.shown.size == self.edge_budget and not self._repick.ready():
            # Training streams new values every frame: finding the strongest of 100,000
            # weights each time costs more than drawing them. Keep the edges on show and
            # recolour just those; a fresh choice follows a few times a second.
            flat = np.asarray(values, dtype=np.float64).reshape(-1)[self.shown]
            self.buckets[self.shown] = bucket_indices(_finite(flat, limit), limit)
        else:
            # A diverged network may hold inf or NaN: draw those at the ends of the scale / as 0.
            flat = _finite(np.asarray(values, dtype=np.float64).ravel(), limit)
            self.shown = self._strongest(np.abs(flat))
            self.buckets = bucket_indices(flat, limit)
            self._repick.ran()
        if (before[0] == self.wide and before[1] == self.known
                and np.array_equal(before[2], self.shown)
                and np.array_equal(before[3], self.buckets[self.shown])):
            # The same lines in the same colours: the cached picture stands (while training,
            # each layer changes in about half of the frames, by one or two edges).
            return
        self._rebuild_groups()
        self.update()

    @property
    def edge_budget(self) -> int:
        """How many edges a big layer shows: fewer while training streams (level of detail
        in motion: the strongest edges carry the picture, and a frame is ~2x cheaper)."""
        return min(self.max_edges, STREAMING_MAX_EDGES) if self._in_motion else self.max_edges

    def _strongest(self, magnitude: np.ndarray) -> np.ndarray:
        budget = self.edge_budget
        if magnitude.size <= budget:
            return np.arange(magnitude.size)
        return np.argpartition(-magnitude, budget - 1)[:budget]

    def _rebuild_groups(self) -> None:
        self._groups = self.groups_for(self.shown, opaque=False)

    def groups_for(self, edges: np.ndarray, opaque: bool = True) -> list[tuple[QPen, list[QLineF]]]:
        """Pens and lines to draw the given edge indices, e.g. again over a dimmed layer."""
        if not self.known:
            pen = QPen(self.theme.neutral, 1.0)
            pen.setCosmetic(True)
            return [(pen, self._lines(edges))] if edges.size else []
        return self._grouped(edges, opaque)

    def _grouped(self, edges: np.ndarray, opaque: bool) -> list[tuple[QPen, list[QLineF]]]:
        """One (pen, lines) group per bucket, weak buckets first so strong edges lie on top.

        Within a magnitude the two signs are drawn in alternating slices (up to 8 per
        bucket, ~40 edges or more each): drawing all red after all blue would make a dense
        layer look red whatever its weights are. Sorted in NumPy, in few calls: this runs
        every frame while the network trains.
        """
        if not edges.size:
            return []
        buckets = self.buckets[edges]
        by_bucket = np.argsort(buckets, kind="stable")
        sb = buckets[by_bucket]
        counts = np.bincount(sb, minlength=ZERO + 1)
        starts = np.cumsum(counts) - counts
        parts = np.minimum(np.maximum(counts // 40, 1), 8)
        rank = np.arange(sb.size) - starts[sb]
        part = rank * parts[sb] // counts[sb]
        # Draw order: exact zeros, then per magnitude: slice 0 −, slice 0 +, slice 1 −, …
        key = ((sb % N_MAG) * 8 + part) * 2 + sb // N_MAG
        key[sb == ZERO] = -1
        order = np.argsort(key, kind="stable")
        key = key[order]
        lines = self._lines(edges[by_bucket[order]])
        firsts = np.flatnonzero(key[1:] != key[:-1]) + 1
        bounds = [0, *firsts.tolist(), key.size]
        heads = sb[order[bounds[:-1]]].tolist()
        pens = self._pen_table(opaque)
        return [(pens[bucket], lines[a:b]) for bucket, a, b in zip(heads, bounds, bounds[1:])]

    def _pen_table(self, opaque: bool) -> list[QPen]:
        key = (self.wide, opaque, self.theme.background.rgb())
        table = self._pens.get(key)
        if table is None:
            table = self._pens[key] = [_pen(b, *key) for b in range(ZERO + 1)]
        return table

    def pen_for(self, bucket: int, opaque: bool = False) -> QPen:
        return _pen(bucket, self.wide, opaque, self.theme.background.rgb())

    def _lines(self, edges: np.ndarray) -> list[QLineF]:
        # QLineF objects are made once per edge and kept in an object array: the strongest
        # edges rarely change between recolours, so the usual case is one fancy index.
        missing = edges[~self._has_line[edges]]
        if missing.size:
            for k, (x0, y0, x1, y1) in zip(missing.tolist(), self.coords[missing].tolist()):
                self._line_cache[k] = QLineF(x0, y0, x1, y1)
            self._has_line[missing] = True
        return self._line_cache[edges].tolist()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        # Without a clip Qt strokes translucent lines 20-50x slower (docs/ARCHITECTURE.md).
        painter.setClipRect(option.exposedRect)
        # Lines in motion (training) are drawn aliased: 2-4x as fast (thick lines most), and
        # the steps along their sides hardly show while they change every frame. They are
        # smooth again as soon as training stops.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, not self._in_motion)
        for pen, lines in self._groups:
            painter.setPen(pen)
            painter.drawLines(lines)

    # ----- queries --------------------------------------------------------------------------

    def color_of(self, j: int, i: int) -> QColor:
        """The colour weight (j, i) is drawn in (whether or not it is among the shown edges)."""
        if not self.known:
            return QColor(self.theme.neutral)
        return self.pen_for(int(self.buckets[j * self.n_in + i])).color()

    def emphasis_color(self, j: int, i: int) -> QColor:
        """A strong colour of the weight's sign, for drawing it hovered or selected."""
        if not self.known:
            return QColor(self.theme.text)
        bucket = self.bucket_of(j, i)
        if bucket == ZERO:
            return QColor(120, 120, 120)
        sign = 1.0 if bucket >= N_MAG else -1.0
        return diverging_color(sign * max(0.7, bucket_magnitude(bucket)), 1.0)

    def bucket_of(self, j: int, i: int) -> int:
        return int(self.buckets[j * self.n_in + i])

    def width_of(self, j: int, i: int) -> float:
        """Width in scene units (wide mode) or 1 (thin lines)."""
        return edge_width(self.bucket_of(j, i)) if self.wide and self.known else 1.0

    def is_shown(self, j: int, i: int) -> bool:
        return bool(np.any(self.shown == j * self.n_in + i))

    def segment(self, j: int, i: int) -> QLineF:
        return QLineF(*self.coords[j * self.n_in + i].tolist())

    def nearest(self, x: float, y: float, tolerance: float) -> tuple[int, int] | None:
        """(j, i) of the drawn edge nearest to (x, y) if it lies within `tolerance` (+ half its width)."""
        if not self.shown.size or not self._bounds.adjusted(
                -tolerance, -tolerance, tolerance, tolerance).contains(x, y):
            return None
        c = self.coords[self.shown]
        dx, dy = c[:, 2] - c[:, 0], c[:, 3] - c[:, 1]
        length2 = np.maximum(dx * dx + dy * dy, 1e-12)
        t = np.clip(((x - c[:, 0]) * dx + (y - c[:, 1]) * dy) / length2, 0.0, 1.0)
        dist = np.hypot(c[:, 0] + t * dx - x, c[:, 1] + t * dy - y)
        reach = np.full(dist.shape, tolerance)
        if self.wide and self.known:
            reach += 0.5 * (WIDE_MIN + (WIDE_MAX - WIDE_MIN)
                            * ((self.buckets[self.shown] % N_MAG) + 0.75) / N_MAG)
            # (a ZERO bucket counts as the weakest: 2·N_MAG % N_MAG == 0)
        # Of the edges within reach, the one whose centre line is nearest wins.
        dist = np.where(dist <= reach, dist, np.inf)
        k = int(np.argmin(dist))
        if not np.isfinite(dist[k]):
            return None
        j, i = divmod(int(self.shown[k]), self.n_in)
        return j, i
