"""GradientSizes: how large each layer's gradient was as training went on (bounded memory).

One point per training slice: the root mean square of each layer's ∂L/∂W at the epoch the
slice ended. A long run keeps at most `max_points`, evenly spread over all of it, so the
Gradient size plot shows whether gradients vanish or explode however long a class trains.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.network import Gradients
from ..engine.project import spread_out

MAX_GRADIENT_POINTS = 20_000


def gradient_rms(grads: Gradients) -> np.ndarray:
    """The root mean square of each layer's ∂L/∂W (NaN or ∞ once a gradient overflowed).

    Each layer is divided by its largest |value| before squaring: a gradient past 10¹⁵⁴,
    which training may still apply with a small learning rate, would otherwise square to ∞."""
    return np.array([_rms(g) for g in grads.dW])


def _rms(g: np.ndarray) -> float:
    largest = float(np.max(np.abs(g))) if g.size else 0.0
    if largest == 0.0 or not math.isfinite(largest):
        return largest
    return largest * math.sqrt(float(np.mean(np.square(g / largest))))


class GradientSizes:
    """Epochs and, for each, the RMS of every layer's gradient (`epochs[k]` ↔ `rms[k]`)."""

    def __init__(self, max_points: int = MAX_GRADIENT_POINTS) -> None:
        self.max_points = max_points
        self.epochs: list[int] = []
        self.rms: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self.epochs)

    def record(self, epoch: int, grads: Gradients) -> None:
        """The gradients of the step that ended at `epoch` (a later one of the same epoch
        replaces the point)."""
        if self.epochs and self.epochs[-1] == epoch:
            self.rms[-1] = gradient_rms(grads)
            return
        self.epochs.append(int(epoch))
        self.rms.append(gradient_rms(grads))
        if len(self.epochs) > self.max_points:
            # One point per span of epochs, evenly spread: halving every point each time
            # instead left the start of a long run (where gradients vanish or explode)
            # with fewer and fewer points.
            self._keep(spread_out(self.epochs, 0, len(self.epochs), self.max_points // 2))

    def truncate_after(self, epoch: int) -> None:
        """Drop the points later than `epoch` (the run they belonged to was undone)."""
        self._keep([i for i, e in enumerate(self.epochs) if e <= epoch])

    def clear(self) -> None:
        self.epochs, self.rms = [], []

    def fits(self, n_layers: int) -> bool:
        """Whether the points are of a network with `n_layers` weight layers (or none yet)."""
        return not self.rms or len(self.rms[-1]) == n_layers

    def _keep(self, indices: list[int]) -> None:
        self.epochs = [self.epochs[i] for i in indices]
        self.rms = [self.rms[i] for i in indices]
