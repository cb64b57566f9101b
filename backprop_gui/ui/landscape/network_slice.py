"""One loss slice of the real network, computed apart from the page that shows it: how fine
a grid the network and dataset can afford (`grid_points`), the slice along two parameters or
two directions, and what it shows in words. network_page.py then only chooses, follows the
session and training, throttles and draws.

No Qt here: the numbers come from engine/loss_slice.py; this module adds the budgets that
keep a slice quick enough to follow training, which are the panel's choice, not the engine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import isqrt

import numpy as np

from ...engine.dataset import Dataset
from ...engine.loss_slice import (
    Directions, direction_loss_surface, network_loss_surface, param_value, random_directions)
from ...engine.network import Network
from ...engine.selection import Selection

SLICE_POINTS = 101        # per side, exact (at most)
LIVE_POINTS = 51          # per side while training streams (at most)
# Grid points × samples × the widest layer a slice may cost; a bigger network or dataset
# gets a coarser grid (the default network's 101×101 × 24 samples × 6 neurons fits).
SLICE_BUDGET = 4_000_000
LIVE_BUDGET = SLICE_BUDGET // 4


def grid_points(cost_per_point: int, live: bool) -> int:
    """Points per side (odd, so the current point is on the grid) for a slice whose every
    grid point costs `cost_per_point` (samples × widest layer), within the budget."""
    most, budget = (LIVE_POINTS, LIVE_BUDGET) if live else (SLICE_POINTS, SLICE_BUDGET)
    n = min(most, isqrt(budget // max(1, cost_per_point)))
    return max(11, n - (n + 1) % 2)


@dataclass(frozen=True)
class LossSlice:
    """The loss Z on the grid A (across) × B (up), the current point's coordinates in it and
    what it shows, in words for the page's caption."""

    A: np.ndarray
    B: np.ndarray
    Z: np.ndarray
    centre: tuple[float, float]
    what: str

    @property
    def note(self) -> str:
        """A sentence for the caption when the loss does not change across the slice (to
        rounding), which looks like a broken plot but is a finding; else ""."""
        finite = self.Z[np.isfinite(self.Z)]
        if finite.size and finite.max() - finite.min() <= 1e-12 * (1.0 + abs(finite.max())):
            return (" Here the loss does not change along them at all: nothing they feed "
                    "reaches the output (a dead ReLU, for example).")
        return ""


def loss_slice(net: Network, data: Dataset, along: tuple[Selection, Selection] | Directions,
               span: float, live: bool) -> LossSlice:
    """The loss over all of `data` within ±`span` of the current point, along two weights or
    biases or along two directions; coarser while training streams (`live`)."""
    n = grid_points(data.n_samples * max(net.sizes[1:]), live)
    X, Y = data.inputs, data.targets(net.sizes[-1])
    if isinstance(along, Directions):
        A, B, Z = direction_loss_surface(net, X, Y, along, span, n)
        return LossSlice(A, B, Z, (0.0, 0.0), f"the loss along two {along.description}")
    a, b = along
    A, B, Z = network_loss_surface(net, X, Y, a, b, span, n)
    return LossSlice(A, B, Z, (param_value(net, a), param_value(net, b)),
                     f"the loss as {a.name} and {b.name} change, every other parameter fixed")


def directions_for(net: Network, have: Directions | None, filter_normalised: bool,
                   seed: int) -> Directions:
    """`have` if it still fits `net` and the chosen kind and seed, else new random directions:
    the same directions slice after slice, so the path drawn through them stays comparable."""
    if have is None or have.filter_normalised != filter_normalised or have.seed != seed \
            or have.d1.shape != (net.n_parameters,):
        return random_directions(net, seed, filter_normalised)
    return have


def nearest(grid: tuple[np.ndarray, np.ndarray, np.ndarray], x: float,
            y: float) -> tuple[float, float, float]:
    """The grid point nearest (x, y) (clamped to the grid): its two coordinates and its
    loss, the values the hover readout shows rather than a loss between grid points."""
    A, B, Z = grid
    j = int(np.clip(np.rint((x - A[0, 0]) / (A[0, 1] - A[0, 0])), 0, A.shape[1] - 1))
    i = int(np.clip(np.rint((y - B[0, 0]) / (B[1, 0] - B[0, 0])), 0, B.shape[0] - 1))
    return float(A[i, j]), float(B[i, j]), float(Z[i, j])
