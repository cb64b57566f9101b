"""The Trainer's fast path: in-place kernels of the activations and losses, and the buffers
they write into. Pure NumPy; no Step records, no allocation per step.

Each record in engine.activations and engine.losses points to its kernel here, beside its
plain functions (the ones `Network.forward`/`backward` and the walkthrough use);
tests/engine/test_kernels.py checks for every record that both give the same numbers. A
record without a kernel still trains: `wrap_activation` / `wrap_loss` adapt its plain
functions (the same numbers, with new arrays every step).

Layout: arrays are (features, samples), columns as in the textbook. A layer's activations
have an extra last row of ones, and its parameters are one block [W | b], so
z = [W | b] · [a; 1] adds the bias inside the matrix product and (∂L/∂z) · [a; 1]ᵀ is
[∂L/∂W | ∂L/∂b] in one product too. The learning rate α and the loss's constant factor
(1/N, 2/(NK), …) are folded into ∂L/∂z of the output layer (`Buffers.scale`).

Kernels assume the caller silences floating-point warnings: where e⁻ᶻ overflows to inf the
result is still the correct limit, and divergence has checks of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

Array = np.ndarray

# f(z, out, scratch, row): out ← f(z). scratch has z's shape, row is (1, samples).
ForwardKernel = Callable[[Array, Array, Array, Array], None]
# (z, a, d, scratch): d ← ∂L/∂z from d = ∂L/∂a, in place.
BackwardKernel = Callable[[Array, Array, Array, Array], None]

DOT_SLICE = 8192           # OpenBLAS computes dot products up to 10000 long on one thread

# 0-d constants: NumPy handles them faster than Python floats as ufunc operands.
ZERO = np.array(0.0)
ONE = np.array(1.0)
_INF = math.inf


def dot(a: Array, b: Array) -> float:
    """Σ aᵢbᵢ of two 1-D arrays, in slices OpenBLAS keeps on one thread: waking its other
    threads for a longer dot product costs more than the sum itself, milliseconds when
    the machine is busy."""
    if a.size <= DOT_SLICE:
        return np.dot(a, b)
    return sum(np.dot(a[i:i + DOT_SLICE], b[i:i + DOT_SLICE]) for i in range(0, a.size, DOT_SLICE))


@dataclass(frozen=True)
class ActivationKernel:
    """An activation in place. `backward` None: f′ = 1, there is nothing to multiply."""

    forward: ForwardKernel
    backward: BackwardKernel | None


@dataclass(frozen=True)
class LossKernel:
    """A loss over a batch in `Buffers`.

    `value(buf)` is the loss (it may leave in buf what `gradient` reads); `gradient(buf, d)`
    writes α·∂L/∂z into d for a loss fused with its output activation (Loss.fused_grad),
    else α·∂L/∂ŷ; `factor(n, k)` is the gradient's constant for n samples and k outputs,
    which `Buffers.scale` holds times α. With `computes_output`, `value` also computes
    the output activation, so the forward pass skips it.
    """

    value: Callable[[Buffers], float]
    gradient: Callable[[Buffers, Array], None]
    factor: Callable[[int, int], float]
    computes_output: bool = False


# ----- activations -------------------------------------------------------------------------

def sigmoid_forward(z: Array, out: Array, t: Array, r: Array) -> None:
    # 1/(1 + e⁻ᶻ) for every z: where e⁻ᶻ overflows to inf the result is the correct 0.
    np.negative(z, out=t)
    np.exp(t, out=t)
    np.add(t, ONE, out=t)
    np.reciprocal(t, out=out)


def sigmoid_backward(z: Array, a: Array, d: Array, t: Array) -> None:
    np.subtract(ONE, a, out=t)
    np.multiply(a, t, out=t)                # σ′ = a(1 − a), rounded as the plain σ′ is
    np.multiply(d, t, out=d)


def tanh_forward(z: Array, out: Array, t: Array, r: Array) -> None:
    np.tanh(z, out=out)


def tanh_backward(z: Array, a: Array, d: Array, t: Array) -> None:
    np.multiply(a, a, out=t)
    np.subtract(ONE, t, out=t)              # tanh′ = 1 − a²
    np.multiply(d, t, out=d)


def relu_forward(z: Array, out: Array, t: Array, r: Array) -> None:
    np.maximum(z, ZERO, out=out)


def relu_backward(z: Array, a: Array, d: Array, t: Array) -> None:
    np.sign(a, out=t)                   # a = max(z, 0), so sign(a) is 1 exactly where z > 0
    np.multiply(d, t, out=d)


def leaky_relu(slope: float) -> ActivationKernel:
    """Leaky ReLU with this slope below zero (0 < slope < 1)."""
    k, one_minus_k = np.array(slope), np.array(1.0 - slope)

    def forward(z: Array, out: Array, t: Array, r: Array) -> None:
        np.multiply(z, k, out=t)
        np.maximum(z, t, out=out)           # max(z, slope·z) is leaky ReLU for slope < 1

    def backward(z: Array, a: Array, d: Array, t: Array) -> None:
        np.greater(z, ZERO, out=t)
        np.multiply(t, one_minus_k, out=t)
        np.add(t, k, out=t)                 # 1 where z > 0, else slope
        np.multiply(d, t, out=d)

    return ActivationKernel(forward, backward)


def copy_forward(z: Array, out: Array, t: Array, r: Array) -> None:
    np.copyto(out, z)


def softmax_forward(z: Array, out: Array, t: Array, r: Array) -> None:
    # Leaves t = z − max z and r = Σ exp(t) behind: the cross-entropy reuses both.
    np.max(z, axis=0, keepdims=True, out=r)
    np.subtract(z, r, out=t)
    np.exp(t, out=out)
    np.add.reduce(out, axis=0, keepdims=True, out=r)
    np.divide(out, r, out=out)


def wrap_forward(forward: Callable[[Array], Array]) -> ForwardKernel:
    """A plain f (samples as rows) as a ForwardKernel."""
    def kernel(z: Array, out: Array, t: Array, r: Array) -> None:
        np.copyto(out, forward(z.T).T)
    return kernel


def wrap_backward(backward: Callable[[Array, Array, Array], Array]) -> BackwardKernel:
    """A plain backward(z, a, ∂L/∂a) (samples as rows) as a BackwardKernel."""
    def kernel(z: Array, a: Array, d: Array, t: Array) -> None:
        np.copyto(d, backward(z.T, a.T, d.T).T)
    return kernel


def wrap_activation(forward: Callable[[Array], Array],
                    backward: Callable[[Array, Array, Array], Array]) -> ActivationKernel:
    return ActivationKernel(wrap_forward(forward), wrap_backward(backward))


# ----- losses ------------------------------------------------------------------------------

def scaled_error(buf: Buffers, d: Array) -> None:
    """α·factor·(ŷ − y): the fused gradient of cross-entropy (softmax) and BCE (sigmoid)."""
    np.subtract(buf.out, buf.yT, out=d)
    np.multiply(d, buf.scale, out=d)


def mse_value(buf: Buffers) -> float:
    np.subtract(buf.out, buf.yT, out=buf.err)       # ŷ − y, kept for squared_error_gradient
    return float(dot(buf.err_flat, buf.err_flat)) / buf.err_flat.size


def squared_error_gradient(buf: Buffers, d: Array) -> None:
    np.multiply(buf.err, buf.scale, out=d)          # ∂L/∂ŷ = factor·(ŷ − y), times α


def half_sse_value(buf: Buffers) -> float:
    np.subtract(buf.out, buf.yT, out=buf.err)       # ŷ − y, kept for the gradient
    return 0.5 * float(dot(buf.err_flat, buf.err_flat))


def cross_entropy_value(buf: Buffers) -> float:
    """Softmax and cross-entropy together. Rows of y sum to 1 (one-hot), so
    −Σ y·log softmax(z) = Σ log Σ eᶻ − Σ y·z."""
    z, out, row = buf.zT[-1], buf.out, buf.row
    # Without the usual shift by max z: when no eᶻ overflows and no column underflows
    # entirely (the loss is then finite) this is the same softmax, two calls cheaper.
    np.exp(z, out=out)
    if buf.small:                               # column sums: gemv while single-threaded
        np.dot(buf.ones_row, out, out=row)
    else:
        np.add.reduce(out, axis=0, keepdims=True, out=row)
    np.divide(out, row, out=out)
    np.log(row, out=row)
    loss = float(dot(buf.row_flat, buf.ones) - dot(buf.yT_flat, buf.zL_flat)) / buf.n
    if -_INF < loss < _INF:
        return loss
    softmax_forward(z, out, buf.tT[-1], row)    # shifted: the engine's stable form
    np.log(row, out=row)
    return float(dot(buf.row_flat, buf.ones) - dot(buf.yT_flat, buf.tL_flat)) / buf.n


def binary_cross_entropy_value(buf: Buffers) -> float:
    # −[y log σ(z) + (1 − y) log(1 − σ(z))] = log(1 + eᶻ) − y·z, free of overflow.
    np.logaddexp(buf.zT[-1], ZERO, out=buf.tT[-1])
    return float(np.add.reduce(buf.tL_flat) - dot(buf.yT_flat, buf.zL_flat)) / buf.zL_flat.size


MSE = LossKernel(mse_value, squared_error_gradient, lambda n, k: 2.0 / (n * k))
# ∂L/∂ŷ = ŷ − y: the gradient MSE computes, with the constant factor 1 instead of 2/(NK).
HALF_SSE = LossKernel(half_sse_value, squared_error_gradient, lambda n, k: 1.0)
CROSS_ENTROPY = LossKernel(cross_entropy_value, scaled_error, lambda n, k: 1.0 / n,
                           computes_output=True)
BINARY_CROSS_ENTROPY = LossKernel(binary_cross_entropy_value, scaled_error,
                                  lambda n, k: 1.0 / (n * k))


def wrap_loss(value: Callable[[Array, Array, Array | None], float],
              gradient: Callable[[Array, Array], Array], fused: bool) -> LossKernel:
    """A plain loss (samples as rows; value(ŷ, y, z), gradient(ŷ, y) already ∂L/∂ŷ, or
    ∂L/∂z when `fused`) as a LossKernel: its factor is 1, its gradient carries the rest."""
    def value_kernel(buf: Buffers) -> float:
        return value(buf.out.T, buf.yT.T, buf.zT[-1].T if fused else None)

    def gradient_kernel(buf: Buffers, d: Array) -> None:
        np.multiply(gradient(buf.out.T, buf.yT.T).T, buf.scale, out=d)

    return LossKernel(value_kernel, gradient_kernel, lambda n, k: 1.0)


# ----- buffers -----------------------------------------------------------------------------

class Buffers:
    """Every array one forward/backward pass over `n` samples writes, allocated once.

    `x` (n, n_in + 1) holds the inputs with a column of ones, as rows (it may be a view
    of the training inputs); layer l ≥ 1 keeps zT[l], dT[l] and a scratch tT[l] as
    (n_l, n) and its activations in aT[l], hidden ones inside aT_aug[l] whose extra last
    row holds ones. Where `identity[l - 1]` (a linear layer) zT[l] and aT[l] are one array.
    The Trainer fills `forward_plan` and `backward_plan`.
    """

    def __init__(self, sizes: list[int], identity: list[bool], n: int, x: Array | None = None,
                 yT: Array | None = None, labels: Array | None = None) -> None:
        L = len(sizes) - 1
        K = sizes[-1]
        self.n = n
        self.x = np.ones((n, sizes[0] + 1)) if x is None else x
        self.aT_aug: list[Array] = [self.x.T]
        for s in sizes[1:-1]:
            self.aT_aug.append(np.ones((s + 1, n)))
        self.aT_aug.append(np.empty((K, n)))
        self.aT: list[Array] = [self.x[:, :-1].T] + [A[:s] for A, s in
                                                    zip(self.aT_aug[1:], sizes[1:])]
        self.zT: list[Array | None] = [None] + [
            a if same else np.empty(a.shape) for a, same in zip(self.aT[1:], identity)]
        self.dT: list[Array | None] = [None] + [np.empty((s, n)) for s in sizes[1:]]
        self.tT: list[Array | None] = [None] + [np.empty((s, n)) for s in sizes[1:]]
        self.row = np.empty((1, n))
        self.ones = np.ones(n)
        self.ones_row = np.ones((1, K))
        self.yT = np.empty((K, n)) if yT is None else yT
        self.err = np.empty((K, n))
        self.labels = labels
        self.hit = np.empty(n, dtype=bool)
        self.guess = np.empty(n, dtype=np.intp)
        self.scale = np.array(0.0)          # α × the loss gradient's factor (1/N, 2/(NK), …)
        self.factor = 0.0
        self.share = 1.0                    # this chunk's fraction of its data set
        self.out = self.aT_aug[L]
        self.small = K * n <= DOT_SLICE
        # Flat views for the loss's dot products.
        self.yT_flat = self.yT.reshape(-1)
        self.err_flat = self.err.reshape(-1)
        self.row_flat = self.row.reshape(-1)
        self.zL_flat = self.zT[L].reshape(-1)
        self.tL_flat = self.tT[L].reshape(-1)
        self.out_flat = self.out.reshape(-1)
        self.forward_plan: list[tuple] = []
        self.backward_plan: list[tuple] = []
