"""The part of the input plane the Decision map shows, and the network as seen from its centre.

`decision_regions.region_image` shades a square centred on the origin. XOR's four samples
sit in the corner square 0 … 1, so the map centres its square on the data instead and hands
region_image the network shifted by that centre: net′(u) = net(u + c), exactly, by moving
W¹c into the first bias (b¹′ = b¹ + W¹c).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine.network import Network

DEFAULT_HALF = 1.25    # the Input panel's square −1.25 … 1.25, for a 2-D set in −1 … 1
MIN_HALF = 0.5
MARGIN = 1.25          # the half-width around the data, as a multiple of the data's own
QUARTER = 0.25         # centre and half-width are rounded to quarters: ticks fall on them


@dataclass(frozen=True)
class Plane:
    """The square [cx − half, cx + half] × [cy − half, cy + half] of the input plane."""

    cx: float = 0.0
    cy: float = 0.0
    half: float = DEFAULT_HALF

    @property
    def centre(self) -> np.ndarray:
        return np.array([self.cx, self.cy])

    def to_unit(self, xy: np.ndarray) -> np.ndarray:
        """Points (N, 2) in the square's own coordinates: −1 … 1 across, −1 … 1 up."""
        with np.errstate(all="ignore"):
            return (np.asarray(xy, dtype=np.float64) - self.centre) / self.half

    def from_unit(self, uv: np.ndarray) -> np.ndarray:
        return np.asarray(uv, dtype=np.float64) * self.half + self.centre


def _quarters(v: float, up: bool) -> float:
    if not abs(v) < 1e15:       # past 10¹⁵ a quarter is below a float's resolution
        return v
    return float((np.ceil(v / QUARTER - 1e-9) if up else np.round(v / QUARTER)) * QUARTER)


def plane_for(inputs: np.ndarray) -> Plane:
    """The square around the samples (N, 2), with a margin, centre and size in quarters."""
    if inputs.ndim != 2 or inputs.shape[1] != 2 or inputs.shape[0] == 0:
        return Plane()
    with np.errstate(all="ignore"):
        lo, hi = inputs.min(axis=0), inputs.max(axis=0)
        centre = lo / 2 + hi / 2             # (lo + hi may overflow)
        spread = float(np.max(hi / 2 - lo / 2))
    if not np.all(np.isfinite(centre)) or not np.isfinite(spread):
        return Plane()
    cx, cy = (_quarters(float(c), up=False) + 0.0 for c in centre)   # + 0.0: no −0
    # Round the centre first, then make the square hold every sample around it.
    reach = float(np.max(np.maximum(hi - (cx, cy), (cx, cy) - lo)))
    half = max(MIN_HALF, _quarters(max(spread * MARGIN, reach + QUARTER / 2), up=True))
    return Plane(cx, cy, half)


def centred_network(net: Network, plane: Plane) -> Network:
    """A copy of `net` that takes inputs relative to the plane's centre (see the module)."""
    shifted = net.copy()
    if plane.cx or plane.cy:
        with np.errstate(all="ignore"):
            shifted.biases[0] = net.biases[0] + net.weights[0] @ plane.centre
    return shifted
