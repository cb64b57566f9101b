"""The points canvas's shading: the class the network predicts at each place of the plane.

The network is evaluated on a GRID × GRID lattice over the plot's square (engine/plane.py);
each cell is tinted with the predicted class's colour, as strongly as the prediction is
certain (the probability above chance), blended over the palette's base colour. Kept apart
from the canvas: it is a picture of the network, computed once per change of the network or
the plot's extent, not of the points or the mouse.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage

from ...engine.activations import get_activation
from ...engine.network import Network
from ...engine.plane import GRID, plane_lattice
from .class_colors import class_rgb

REGION_ALPHA = 0.55    # strongest tint, for a prediction made with certainty


def class_probabilities(outputs: np.ndarray, activation: str) -> np.ndarray:
    """(N, K) probabilities from the network's outputs (one sigmoid unit means two classes)."""
    if outputs.shape[1] == 1:
        p = np.clip(outputs[:, 0], 0.0, 1.0)
        return np.column_stack([1.0 - p, p])
    if get_activation(activation).probability:
        return outputs
    shifted = np.exp(outputs - outputs.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def lattice_probabilities(net: Network, limit: float) -> np.ndarray:
    """(GRID², K) class probabilities at the points of plane_lattice(limit) (row 0 the top of
    the plot, largest x₂), for a network with two inputs; NaN read as 0."""
    with np.errstate(all="ignore"):
        probs = class_probabilities(net.predict(plane_lattice(limit)), net.activation_names[-1])
    return np.nan_to_num(probs)


def region_image(net: Network, limit: float, n_classes: int, base: QColor,
                 probs: np.ndarray | None = None) -> tuple[QImage, str]:
    """The shading of the square −limit … limit (row 0 its top), and a note instead (with an
    empty image) when the network does not take two inputs. `probs`: the network's
    lattice_probabilities, if the caller has them already."""
    if net.sizes[0] != 2:
        return QImage(), f"The network has {net.sizes[0]} inputs, not 2: no regions to show."
    if probs is None:
        probs = lattice_probabilities(net, limit)
    k = probs.shape[1]
    winner = np.argmax(probs, axis=1)
    certainty = (probs[np.arange(len(winner)), winner] - 1.0 / k) / (1.0 - 1.0 / k)
    alpha = (np.clip(certainty, 0.0, 1.0) * REGION_ALPHA)[:, None]
    colours = np.array([class_rgb(c, max(k, n_classes)) for c in range(k)],
                       dtype=np.float64)[winner]
    background = np.array([base.red(), base.green(), base.blue()], dtype=np.float64)
    rgb = np.round(background * (1 - alpha) + colours * alpha).astype(np.uint8).reshape(GRID, GRID, 3)
    buf = np.ascontiguousarray(rgb)
    return QImage(buf.data, GRID, GRID, 3 * GRID, QImage.Format.Format_RGB888).copy(), ""
