"""Parameter snapshots taken during training, for the history slider (bounded memory).

A snapshot is kept at most every `interval` epochs. When the store is full, about every
other snapshot is dropped and the interval doubles, so a long run keeps an even spread over all of it
(like a zoomed-out film strip) and memory never grows past the budget.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from ..engine.network import Gradients, Network
from ..engine.overflow import quietly

MAX_SNAPSHOTS = 200
MEMORY_BUDGET_BYTES = 96 * 1024 * 1024
MIN_SNAPSHOTS = 16


@dataclass(frozen=True)
class Snapshot:
    """The parameters after `epoch` epochs, the loss then and the gradients ∂L/∂W, ∂L/∂b there.

    The parameters are kept exactly (float64); the gradients, only drawn, as float32. A
    gradient beyond float32's range (3.4×10³⁸) is kept as ±∞: the views show it as an
    overflow (engine.overflow), which it is, as far as the stored history can tell.
    """

    epoch: int
    loss: float
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    grad_weights: tuple[np.ndarray, ...]
    grad_biases: tuple[np.ndarray, ...]

    def network_like(self, template: Network) -> Network:
        """A copy of `template` carrying this snapshot's parameters (exactly)."""
        return Network(template.sizes, template.activation_names, template.loss_name,
                       [W.copy() for W in self.weights], [b.copy() for b in self.biases])

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for part in (self.weights, self.biases, self.grad_weights,
                                         self.grad_biases) for a in part)


def snapshot_bytes(net: Network) -> int:
    """Memory one snapshot of `net` takes: parameters (float64) and gradients (float32)."""
    return net.n_parameters * (8 + 4)


class SnapshotStore:
    """Snapshots in epoch order, at most `capacity` of them."""

    def __init__(self, capacity: int = MAX_SNAPSHOTS) -> None:
        self.base_capacity = max(2, int(capacity))
        self.capacity = self.base_capacity
        self.interval = 1
        self._snapshots: list[Snapshot] = []

    def __len__(self) -> int:
        return len(self._snapshots)

    @property
    def epochs(self) -> list[int]:
        return [s.epoch for s in self._snapshots]

    @property
    def snapshots(self) -> list[Snapshot]:
        return list(self._snapshots)

    def clear(self, net: Network | None = None) -> None:
        """Forget every snapshot; with `net`, size the capacity to the memory budget."""
        self._snapshots.clear()
        self.interval = 1
        self.capacity = self.base_capacity
        if net is not None:
            fits = MEMORY_BUDGET_BYTES // max(1, snapshot_bytes(net))
            self.capacity = int(max(MIN_SNAPSHOTS, min(self.base_capacity, fits)))

    def wants(self, epoch: int) -> bool:
        """Whether a snapshot at `epoch` would be kept (so the caller may skip computing it):
        the first one, and then one at least `interval` epochs after the previous one."""
        if not self._snapshots:
            return True
        return epoch >= self._snapshots[-1].epoch + self.interval
    def add(self, epoch: int, loss: float, net: Network, grads: Gradients | None) -> bool:
        """Store the parameters of `net` after `epoch` epochs; False if the interval skips it."""
        if not self.wants(epoch):
            return False
        if grads is None:
            gw = tuple(np.zeros(W.shape, dtype=np.float32) for W in net.weights)
            gb = tuple(np.zeros(b.shape, dtype=np.float32) for b in net.biases)
        else:
            with quietly():     # past float32's range: ±∞, as the Snapshot docstring says
                gw = tuple(np.asarray(g, dtype=np.float32) for g in grads.dW)
                gb = tuple(np.asarray(g, dtype=np.float32) for g in grads.db)
        self._snapshots.append(Snapshot(
            int(epoch), float(loss), tuple(W.copy() for W in net.weights),
            tuple(b.copy() for b in net.biases), gw, gb))
        if len(self._snapshots) > self.capacity:
            self._thin()
        return True

    def _thin(self) -> None:
        # Double the spacing: keep the first snapshot (the starting point) and then each one
        # at least `interval` epochs after the last one kept, so about every other one.
        self.interval *= 2
        kept = [self._snapshots[0]]
        for snap in self._snapshots[1:]:
            if snap.epoch >= kept[-1].epoch + self.interval:
                kept.append(snap)
        while len(kept) > self.capacity:  # uneven epochs: halve until it fits
            kept = kept[:1] + kept[2::2]
        self._snapshots = kept

    def truncate_after(self, epoch: int) -> None:
        """Drop snapshots later than `epoch` (the run they belonged to was undone)."""
        self._snapshots = [s for s in self._snapshots if s.epoch <= epoch]

    def snapshot_at(self, epoch: int) -> Snapshot | None:
        """The latest snapshot taken at or before `epoch` (the first one if all are later)."""
        if not self._snapshots:
            return None
        i = bisect.bisect_right(self.epochs, epoch) - 1
        return self._snapshots[max(i, 0)]
