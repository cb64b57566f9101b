"""A network's weights and biases as one flat vector, and the Trainer's update rule on it.

Each layer's parameters form one block [W | b] (engine.kernels multiplies [a; 1] by it),
and all blocks, row-major, live in one vector, so the update, momentum, regularisation
and the divergence check are one NumPy call each. The network's `weights[l]` and
`biases[l]` become views into that vector (same values, updated in place): read them
through the network rather than keeping arrays taken before the Trainer was built.

Regularisation: `l2` adds l2·W and `l1` adds l1·sign(W) (sign(0) = 0) to the gradient of
every weight matrix, never to a bias; that is the gradient of (l2/2)·Σ W² + l1·Σ |W|.
"""

from __future__ import annotations

import math
from operator import is_

import numpy as np

from .kernels import dot
from .network import Gradients, Network
from .project import TrainingConfig

Array = np.ndarray
_INF = math.inf


class FlatParameters:
    """`net`'s parameters in one vector P (adopted: the network then holds views into it),
    with G, the gradient times α in the same layout, which the backward pass fills
    through `grad_blocks`, and the momentum velocity V."""

    def __init__(self, net: Network, config: TrainingConfig) -> None:
        sizes = self.sizes = list(net.sizes)
        shapes = [(sizes[l + 1], sizes[l] + 1) for l in range(len(sizes) - 1)]
        total = sum(r * c for r, c in shapes)
        self.config = config
        self.P = np.empty(total)            # [W¹ | b¹], [W² | b²], … row-major
        self.G = np.empty(total)            # α × the gradient, same layout
        self.V = np.zeros(total)            # momentum velocity
        self._R = np.empty(total)           # scratch for the regularisation terms
        self._weight_mask = np.zeros(total)
        self.blocks: list[Array] = []
        self.grad_blocks: list[Array] = []
        start = 0
        for r, c in shapes:
            self.blocks.append(self.P[start:start + r * c].reshape(r, c))
            self.grad_blocks.append(self.G[start:start + r * c].reshape(r, c))
            self._weight_mask[start:start + r * c].reshape(r, c)[:, :-1] = 1.0
            start += r * c
        self.W = [B[:, :-1] for B in self.blocks]
        self.b = [B[:, -1] for B in self.blocks]
        self.set_rate(config.learning_rate)
        self.adopt(net)

    def adopt(self, net: Network) -> None:
        """Copy the network's parameters into P and hand it back views. ValueError when
        its layers changed or a parameter has the wrong shape or is not finite."""
        if list(net.sizes) != self.sizes or len(net.weights) != len(self.W) \
                or len(net.biases) != len(self.b):
            raise ValueError("the network's layers changed; build a new Trainer for it")
        for l, (W, b) in enumerate(zip(self.W, self.b)):
            for name, mine, theirs in (("weights", W, net.weights[l]), ("biases", b, net.biases[l])):
                arr = np.asarray(theirs, dtype=np.float64)
                if arr.shape != mine.shape:
                    raise ValueError(f"{name}[{l}] has shape {arr.shape}, expected {mine.shape}")
                if not np.isfinite(arr).all():
                    raise ValueError(f"{name}[{l}] holds NaN or infinite values")
                if arr is not mine:
                    np.copyto(mine, arr)
            net.weights[l], net.biases[l] = W, b

    def held_by(self, net: Network) -> bool:
        """False when the caller replaced any of the network's parameter arrays since."""
        return (len(net.weights) == len(self.W) and all(map(is_, net.weights, self.W))
                and all(map(is_, net.biases, self.b)))

    def set_rate(self, lr: float) -> None:
        """The learning rate α that G is scaled by (the regularisation terms follow it)."""
        self._l2_term = lr * self.config.l2 * self._weight_mask
        self._l1_term = lr * self.config.l1 * self._weight_mask

    def update(self) -> bool:
        """Add the regularisation to G (α × the data loss's gradient), then take the step,
        with momentum if set. Returns False, without a step, when G is NaN, infinite or
        too large to square: finite parameters minus a G whose square is finite cannot
        overflow, so that check is enough."""
        P, G, R, cfg = self.P, self.G, self._R, self.config
        if cfg.l2:
            np.multiply(P, self._l2_term, out=R)
            np.add(G, R, out=G)
        if cfg.l1:
            np.sign(P, out=R)
            np.multiply(R, self._l1_term, out=R)
            np.add(G, R, out=G)
        if not dot(G, G) < _INF:
            return False
        if cfg.momentum:                            # v ← μv − α∇, W ← W + v
            np.multiply(self.V, cfg.momentum, out=self.V)
            np.subtract(self.V, G, out=self.V)
            np.add(P, self.V, out=P)
        else:
            np.subtract(P, G, out=P)
        return True

    def penalty(self) -> float:
        """The regularisation term (l2/2)·Σ W² + l1·Σ |W| over all weights (not biases)."""
        w = self.P[self._weight_mask == 1.0]
        return 0.5 * self.config.l2 * float(np.dot(w, w)) + self.config.l1 * float(np.abs(w).sum())

    def gradients(self, lr: float) -> Gradients:
        """∂L/∂W and ∂L/∂b of the step whose α·∇ is in G (α = `lr`), as new arrays."""
        blocks = [B / lr for B in self.grad_blocks]
        L = len(blocks)
        return Gradients([B[:, :-1].copy() for B in blocks], [B[:, -1].copy() for B in blocks],
                         [None] * (L + 1), [None] * (L + 1))
