"""One network's forward and backward pass over a batch, on the Trainer's fast path.

A BatchPass joins the in-place kernels of the network's activation and loss records
(engine.kernels) into a plan per Buffers, built once, and runs it: `forward` gives the loss,
`backward` leaves α·∂L/∂[W | b] in the FlatParameters' gradient G, and `evaluate` gives the
loss and accuracy over a data set in chunks. What to pass, when, and what to do with G is
the Trainer's (engine.training): batches, epochs, the schedule, the update, divergence.
"""

from __future__ import annotations

import math

import numpy as np

from .kernels import Buffers
from .network import Network
from .parameters import FlatParameters

Array = np.ndarray

EVAL_CHUNK = 4096          # samples per forward pass when evaluating; bounds buffer memory

_HALF = np.array(0.5)      # 0-d: NumPy handles it faster than a Python float


def with_ones(inputs: Array) -> Array:
    """`inputs` (samples as rows) with a last column of ones, as Buffers.x holds them."""
    x = np.ones((inputs.shape[0], inputs.shape[1] + 1))
    x[:, :-1] = inputs
    return x


class BatchPass:
    """The fast forward and backward pass of `net`, whose parameters `params` holds."""

    def __init__(self, net: Network, params: FlatParameters) -> None:
        self._params = params
        self._sizes = list(net.sizes)
        self._identity = [act.identity for act in net.activations]
        self._forward_fns = [act.kernel.forward for act in net.activations]
        self._backward_fns = [None if act.identity else act.kernel.backward
                              for act in net.activations]
        self._sums = net.loss_fn.sums_samples    # chunks' losses add up instead of averaging
        loss = self._loss = net.loss_fn.kernel
        self._loss_value, self._loss_gradient = loss.value, loss.gradient
        # Fused: the loss kernel's gradient is already ∂L/∂z of the output layer.
        self._out_backward = None if net.fused_output else self._backward_fns[-1]
        self.single_output = self._sizes[-1] == 1

    def buffers(self, n: int, learning_rate: float, x: Array | None = None,
                yT: Array | None = None, labels: Array | None = None) -> Buffers:
        """Buffers for `n` samples with their plans, the gradient scaled by `learning_rate`."""
        buf = Buffers(self._sizes, self._identity, n, x, yT, labels)
        L = len(self._sizes) - 1
        for l in range(1, L + 1):
            f = self._forward_fns[l - 1]
            if buf.zT[l] is buf.aT[l] or (l == L and self._loss.computes_output):
                f = None        # identity: z is a; or the loss computes the output itself
            buf.forward_plan.append((self._params.blocks[l - 1], buf.aT_aug[l - 1], buf.zT[l],
                                     buf.aT[l], buf.tT[l], buf.row, f))
        for l in range(L, 0, -1):
            prev = None
            if l > 1:
                prev = (self._params.W[l - 1].T, buf.dT[l - 1], buf.zT[l - 1], buf.aT[l - 1],
                        buf.tT[l - 1], self._backward_fns[l - 2])
            # ∂L/∂[W | b] = ∂L/∂z · [a; 1]ᵀ
            buf.backward_plan.append((buf.dT[l], buf.aT_aug[l - 1].T,
                                      self._params.grad_blocks[l - 1], prev))
        buf.factor = self._loss.factor(n, self._sizes[-1])
        buf.scale[()] = learning_rate * buf.factor
        return buf

    def chunks(self, x: Array, yT: Array, labels: Array, learning_rate: float) -> list[Buffers]:
        """Buffers over consecutive slices of a data set, for evaluation."""
        n = x.shape[0]
        # Labels in the dtype the accuracy compares with: no casting per epoch. None (a
        # regression table): no accuracy.
        if labels is not None:
            labels = labels == 1 if self.single_output else labels.astype(np.intp)
        chunks = []
        for s in range(0, n, EVAL_CHUNK):
            e = min(s + EVAL_CHUNK, n)
            buf = self.buffers(e - s, learning_rate, x[s:e], np.ascontiguousarray(yT[:, s:e]),
                               None if labels is None else labels[s:e])
            buf.share = 1.0 if self._sums else (e - s) / n
            chunks.append(buf)
        return chunks

    def forward(self, buf: Buffers) -> float:
        """Forward pass and loss over `buf`, leaving what the backward pass needs."""
        for block, a_prev, z, a, t, row, f in buf.forward_plan:
            np.dot(block, a_prev, out=z)            # z = [W | b] · [a; 1]
            if f is not None:
                f(z, a, t, row)
        return self._loss_value(buf)

    def backward(self, buf: Buffers) -> None:
        """Backward pass for the forward pass in `buf`: α·∂L/∂[W | b] into the gradient G."""
        L = len(self._sizes) - 1
        dz = buf.dT[L]
        self._loss_gradient(buf, dz)                # α·∂L/∂z (fused) or α·∂L/∂ŷ, then f′
        if self._out_backward is not None:
            self._out_backward(buf.zT[L], buf.out, dz, buf.tT[L])
        for d, a_prev_T, grad, prev in buf.backward_plan:
            np.dot(d, a_prev_T, out=grad)
            if prev is not None:
                WT, d_prev, z, a, t, f = prev
                np.dot(WT, d, out=d_prev)
                if f is not None:
                    f(z, a, d_prev, t)

    def evaluate(self, chunks: list[Buffers]) -> tuple[float, float]:
        """(loss, accuracy) over the samples in `chunks`; (NaN, NaN) without samples."""
        if not chunks:
            return math.nan, math.nan
        loss, correct, total = 0.0, 0, 0
        for buf in chunks:
            # A mean loss weighs each chunk by its share of the samples; a summed one adds them.
            loss += self.forward(buf) * buf.share
            if buf.labels is None:
                continue
            if self.single_output:              # one output: "1" when ŷ > 0.5
                np.greater(buf.out_flat, _HALF, out=buf.hit)
                np.equal(buf.hit, buf.labels, out=buf.hit)
            else:                               # several: the largest output
                buf.out.argmax(axis=0, out=buf.guess)   # the method: no wrapper, ~1 µs less
                np.equal(buf.guess, buf.labels, out=buf.hit)
            correct += int(np.count_nonzero(buf.hit))
            total += buf.n
        if not total:
            return loss, math.nan
        return loss, correct / total
