"""The decision boundary: the lines where the predicted class changes, as straight pieces.

The shading fades to nothing where the network is unsure, which is exactly where the class
changes; a network that barely leans (XOR without a hidden layer) has almost no shading at
all. So the map also draws the boundary itself: for each class k the zero line of
m_k = p_k − max_{j≠k} p_j (positive where k wins), found by marching squares on the same
GRID × GRID lattice the shading uses, with the crossing on each cell edge interpolated.
"""

from __future__ import annotations

import numpy as np

from ...engine.network import Network
from ..editors.decision_regions import GRID, lattice_probabilities

# A cell's four edges as pairs of corners; corners: 0 top-left, 1 top-right, 2 bottom-right,
# 3 bottom-left (row 0 is the top of the map, as in region_image).
_EDGES = ((0, 1), (1, 2), (3, 2), (0, 3))


def margins(probs: np.ndarray) -> np.ndarray:
    """(…, K): how far each class's probability is above the best other class's."""
    k = probs.shape[-1]
    out = np.empty_like(probs)
    for c in range(k):
        others = np.delete(probs, c, axis=-1)
        out[..., c] = probs[..., c] - others.max(axis=-1)
    return out


def zero_segments(field: np.ndarray) -> np.ndarray:
    """(M, 2, 2) pieces of the line field = 0 on a (R, C) lattice, in lattice coordinates
    (column, row), 0 … C − 1 and 0 … R − 1. A cell whose corners differ in sign contributes
    a piece joining the crossings on its edges (two pieces for a saddle)."""
    f = np.where(field > 0, field, np.minimum(field, -1e-300))   # 0 counts as negative
    positive = f > 0
    corner = [(slice(None, -1), slice(None, -1)), (slice(None, -1), slice(1, None)),
              (slice(1, None), slice(1, None)), (slice(1, None), slice(None, -1))]
    cut = np.stack([positive[corner[a]] != positive[corner[b]] for a, b in _EDGES], axis=-1)
    rows, cols = np.nonzero(cut.any(axis=-1))           # only the cells the line crosses
    if rows.size == 0:
        return np.empty((0, 2, 2))
    offsets = np.array([(0, 0), (1, 0), (1, 1), (0, 1)], dtype=np.float64)  # (col, row)
    points = np.empty((rows.size, 4, 2))
    for e, (a, b) in enumerate(_EDGES):
        va = f[rows + int(offsets[a][1]), cols + int(offsets[a][0])]
        vb = f[rows + int(offsets[b][1]), cols + int(offsets[b][0])]
        with np.errstate(all="ignore"):
            t = np.clip(np.nan_to_num(va / (va - vb), nan=0.5), 0.0, 1.0)
        along = offsets[a] + (offsets[b] - offsets[a]) * t[:, None]
        points[:, e] = np.column_stack([cols, rows]) + along
    crossed = cut[rows, cols]                            # (n, 4): two or four edges each
    # The crossed edges of each cell in order; pieces pair them: (1st, 2nd) and (3rd, 4th).
    order = np.argsort(~crossed, axis=1, kind="stable")
    ranked = np.take_along_axis(points, order[:, :, None], axis=1)
    pieces = [ranked[:, 0:2]]
    saddles = crossed.sum(axis=1) == 4
    if saddles.any():
        pieces.append(ranked[saddles, 2:4])
    return np.concatenate(pieces)


def boundary_segments(net: Network, half: float, probs: np.ndarray | None = None) -> np.ndarray:
    """(M, 2, 2) pieces of the decision boundary in the square's unit coordinates
    (−1 … 1 across and up) for a network with two inputs; `probs`: its
    lattice_probabilities, if the caller has them already."""
    if probs is None:
        probs = lattice_probabilities(net, half)
    m = margins(probs.reshape(GRID, GRID, -1))
    k = m.shape[-1]
    # Two classes share one line (m₀ = −m₁); more classes: each class's outline.
    fields = [m[..., 1]] if k == 2 else [m[..., c] for c in range(k)]
    pieces = [zero_segments(f) for f in fields]
    lattice = np.concatenate(pieces) if pieces else np.empty((0, 2, 2))
    unit = lattice / (GRID - 1) * 2 - 1
    unit[..., 1] *= -1        # lattice rows go down, the plane's x₂ goes up
    return unit
