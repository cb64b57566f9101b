"""The input plane of a two-input network: the square the 2-D views show and the lattice of
points they evaluate the network on.

The points canvas and its decision regions (ui/editors) and the diagram's neuron maps
(ui/diagram) all picture the network over the same square −limit … limit in x₁ and x₂, so a
place on one is the same place on the others.
"""

from __future__ import annotations

import numpy as np

GRID = 80              # lattice points along each side (GRID × GRID network evaluations)
MIN_LIMIT = 1.25       # the square is at least −1.25 … 1.25: the built-in sets lie within ±1


def plane_limit(inputs: np.ndarray) -> float:
    """Half the side of the square that shows every sample of `inputs` (N, 2).

    Grows (in quarter steps) only for data beyond the usual square. Past 10¹⁵ a quarter is
    below a float's resolution, and 4 × 10³⁰⁸ would overflow: the extent itself is used."""
    arr = np.asarray(inputs, dtype=np.float64)
    finite = arr[np.isfinite(arr)]
    extent = float(np.max(np.abs(finite))) if finite.size else 1.0
    quarters = float(np.ceil(extent * 4 - 1e-9) / 4) if extent < 1e15 else extent
    return max(MIN_LIMIT, quarters)


def plane_lattice(limit: float, grid: int = GRID) -> np.ndarray:
    """The (grid², 2) points (x₁, x₂) of a grid × grid lattice over −limit … limit, row by
    row from the top (row 0 is the largest x₂, as a picture's first row), each row from the
    left (smallest x₁). Point k lies in row k // grid, column k % grid."""
    ticks = np.linspace(-1.0, 1.0, grid) * limit    # (2 · limit may overflow)
    gx, gy = np.meshgrid(ticks, ticks[::-1])
    return np.column_stack([gx.ravel(), gy.ravel()])
