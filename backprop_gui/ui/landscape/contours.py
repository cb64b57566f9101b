"""Contour lines of a grid as line segments (marching squares, vectorised with NumPy).

pyqtgraph's IsocurveItem traces each level in Python: ten levels of a 101×101 grid took
~130 ms, too slow to follow training. Here every cell of the grid is cut at once and the
segments of all levels come back as one array, drawn as one item (`connect="pairs"`).
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray


def _edge_point(k: int, a: Array, b: Array, r: Array, c: Array, level: float) -> Array:
    """Where `level` cuts edge k (0 bottom, 1 right, 2 top, 3 left) of cells (r, c) whose
    ends hold a and b, as (x, y) grid coordinates."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (level - a) / (b - a)
    if k in (0, 2):                      # along x, at row r (bottom) or r + 1 (top)
        return np.stack([c + t, r + (k == 2)], axis=-1)
    return np.stack([c + (k == 1), r + t], axis=-1)


def level_segments(Z: Array, level: float) -> Array:
    """The segments (M, 2, 2) where Z crosses `level`, as (column, row) grid coordinates.

    Z[row, col]; a cell with a NaN or ∞ corner has no segment. A saddle cell (the level
    crosses all four edges) is cut by the value at its centre. Only the cells the level
    crosses are worked on.
    """
    Z = np.asarray(Z, dtype=np.float64)
    if Z.shape[0] < 2 or Z.shape[1] < 2:
        return np.zeros((0, 2, 2))
    with np.errstate(invalid="ignore"):
        below = Z < level
    finite = np.isfinite(Z)
    corners = (below[:-1, :-1], below[:-1, 1:], below[1:, :-1], below[1:, 1:])
    case = corners[0] + 2 * corners[1].astype(np.int8) + 4 * corners[2] + 8 * corners[3]
    ok = finite[:-1, :-1] & finite[:-1, 1:] & finite[1:, :-1] & finite[1:, 1:]
    r, c = np.nonzero(ok & (case != 0) & (case != 15))
    if r.size == 0:
        return np.zeros((0, 2, 2))
    v00, v01, v10, v11 = Z[r, c], Z[r, c + 1], Z[r + 1, c], Z[r + 1, c + 1]
    rf, cf = r.astype(np.float64), c.astype(np.float64)
    ends = ((v00, v01), (v01, v11), (v10, v11), (v00, v10))   # bottom, right, top, left
    crossed = np.stack([(a < level) != (b < level) for a, b in ends])       # (4, m)
    points = np.stack([_edge_point(k, a, b, rf, cf, level) for k, (a, b) in enumerate(ends)])
    m = np.arange(r.size)
    two = crossed.sum(axis=0) == 2
    order = np.argsort(~crossed, axis=0, kind="stable")[:2]                 # crossed first
    segments = [np.stack([points[order[0], m], points[order[1], m]], axis=1)[two]]
    four = ~two
    if four.any():
        p = points[:, four]
        centre = (v00[four] + v01[four] + v10[four] + v11[four]) / 4.0
        corner_alone = ((centre < level) != (v00[four] < level))[:, None]
        # v00 and v11 cut off: bottom-left and top-right; else bottom-right and top-left.
        segments.append(np.stack([p[0], np.where(corner_alone, p[3], p[1])], axis=1))
        segments.append(np.stack([p[2], np.where(corner_alone, p[1], p[3])], axis=1))
    return np.concatenate(segments)


def nice_levels(Z: Array, count: int = 12) -> Array:
    """Levels spread over the values of Z by their quantiles, so a steep surface (a ravine)
    still shows its shape near the bottom; duplicates dropped."""
    finite = np.asarray(Z, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0 or finite.min() == finite.max():
        return np.zeros(0)
    q = np.quantile(finite, np.linspace(0.0, 1.0, count + 2)[1:-1])
    return np.unique(q)


def contour_lines(Z: Array, levels: Array, x0: float, y0: float, dx: float,
                  dy: float) -> tuple[Array, Array]:
    """x and y of every segment of every level in data coordinates, in pairs (for
    PlotDataItem(connect="pairs")): grid column c is x0 + c·dx, row r is y0 + r·dy."""
    parts = [level_segments(Z, level) for level in levels]
    segs = np.concatenate(parts) if parts else np.zeros((0, 2, 2))
    flat = segs.reshape(-1, 2)
    return x0 + flat[:, 0] * dx, y0 + flat[:, 1] * dy
