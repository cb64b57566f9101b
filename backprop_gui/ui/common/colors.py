"""The app's two colour maps, shared by the diagram, the heatmaps and every legend.

Signed values (weights, gradients) use a diverging map: blue negative, white zero, red
positive (ColorBrewer RdBu, which stays distinguishable for the common colour-vision
deficiencies). Activations use the sequential viridis map. Both are plain NumPy lookup
tables so the diagram can colour thousands of edges without importing pyqtgraph.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

# ColorBrewer RdBu (11 classes), from strong blue (negative) to strong red (positive).
_DIVERGING_ANCHORS = np.array([
    (5, 48, 97), (33, 102, 172), (67, 147, 195), (146, 197, 222), (209, 229, 240),
    (247, 247, 247),
    (253, 219, 199), (244, 165, 130), (214, 96, 77), (178, 24, 43), (103, 0, 31),
], dtype=np.float64)

# viridis, sampled at 9 points (dark purple for 0 → yellow for 1).
_SEQUENTIAL_ANCHORS = np.array([
    (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
    (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
], dtype=np.float64)

LUT_SIZE = 256


def _lut(anchors: np.ndarray) -> np.ndarray:
    x = np.linspace(0.0, 1.0, len(anchors))
    t = np.linspace(0.0, 1.0, LUT_SIZE)
    rgb = np.stack([np.interp(t, x, anchors[:, c]) for c in range(3)], axis=1)
    return np.round(rgb).astype(np.uint8)


DIVERGING_LUT = _lut(_DIVERGING_ANCHORS)   # (256, 3) uint8
SEQUENTIAL_LUT = _lut(_SEQUENTIAL_ANCHORS)  # (256, 3) uint8


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """a blended towards b by t (0 = a, 1 = b)."""
    return QColor(round(a.red() + (b.red() - a.red()) * t),
                  round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def text_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on `fill`."""
    luminance = 0.299 * fill.red() + 0.587 * fill.green() + 0.114 * fill.blue()
    return QColor(20, 20, 20) if luminance > 140 else QColor(250, 250, 250)


def symmetric_limit(values: np.ndarray | list, floor: float = 1e-12) -> float:
    """max |v|, the half-width of a colour scale centred on zero (never 0 or NaN)."""
    arr = np.asarray(values, dtype=np.float64)
    finite = arr[np.isfinite(arr)]
    return max(float(np.max(np.abs(finite))) if finite.size else 0.0, floor)


def _lut_indices(t: np.ndarray, nan_at: float) -> np.ndarray:
    """Indices for `t` (a fresh float array, 0 … 1 across the LUT, changed in place): out
    of range clipped to the ends, NaN at `nan_at`. In-place NumPy calls: this colours
    every heatmap cell and neuron on every training frame."""
    nan = t != t
    if nan.any():
        t[nan] = nan_at
    t *= LUT_SIZE - 1
    np.minimum(t, LUT_SIZE - 1, out=t)
    np.maximum(t, 0, out=t)
    np.rint(t, out=t)
    return t.astype(np.intp)


def diverging_indices(values: np.ndarray, limit: float) -> np.ndarray:
    """LUT index for each value on a scale from −limit (0) through 0 (middle) to +limit (255)."""
    t = np.asarray(values, dtype=np.float64) / (2.0 * limit)
    t += 0.5
    return _lut_indices(t, 0.5)


def sequential_indices(values: np.ndarray, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    span = high - low if high > low else 1.0
    t = (np.asarray(values, dtype=np.float64) - low) / span
    return _lut_indices(t, 0.0)


def diverging_rgb(values: np.ndarray, limit: float) -> np.ndarray:
    """(…, 3) uint8 colours for signed values."""
    return DIVERGING_LUT[diverging_indices(values, limit)]


def sequential_rgb(values: np.ndarray, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    return SEQUENTIAL_LUT[sequential_indices(values, low, high)]


def diverging_color(value: float, limit: float) -> QColor:
    r, g, b = DIVERGING_LUT[diverging_indices(np.array([value]), limit)[0]]
    return QColor(int(r), int(g), int(b))


def sequential_color(value: float, low: float = 0.0, high: float = 1.0) -> QColor:
    r, g, b = SEQUENTIAL_LUT[sequential_indices(np.array([value]), low, high)[0]]
    return QColor(int(r), int(g), int(b))


def pg_colormap(kind: str = "diverging"):
    """The same map as a pyqtgraph ColorMap (for ImageItem and ColorBarItem)."""
    import pyqtgraph as pg  # imported here: the first screen should not pay for it twice

    anchors = _DIVERGING_ANCHORS if kind == "diverging" else _SEQUENTIAL_ANCHORS
    pos = np.linspace(0.0, 1.0, len(anchors))
    return pg.ColorMap(pos, anchors.astype(np.uint8), name=f"backprop-{kind}")
