"""Gradient checking: backpropagation's gradients beside central finite differences.

The numerical derivative of the loss with respect to one parameter θ is

    (L(θ + ε) − L(θ − ε)) / (2ε)

which costs two forward passes per parameter, against one backward pass for all of them:
the point a student should see in the report's pass counts.

Relative error (per parameter, the usual definition from gradient-checking notes):

    err = |g_backprop − g_numeric| / max(|g_backprop|, |g_numeric|, floor)

Central differences in float64 carry an absolute error of about 1e-16·|L|/ε (the rounding
in L, divided by 2ε; ≈ 1e-10·|L| for ε = 1e-6), so comparing two gradients that are both
≈ 0 relatively would report that noise as a failure. The floor, by default
`ERROR_FLOOR`·max(1, |L|) = 1e-3·max(1, |L|), turns the measure into an absolute error for
gradients smaller than that: a wrong gradient of any size that matters still shows up,
and a healthy network reports errors around 1e-8 or smaller.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network
from .overflow import quietly

Array = np.ndarray

ERROR_FLOOR = 1e-3


def relative_error(analytic: Array, numeric: Array, floor: float = ERROR_FLOOR) -> Array:
    """Elementwise |a − n| / max(|a|, |n|, floor) (NaN where either gradient overflowed)."""
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor)
    with quietly():
        return np.abs(analytic - numeric) / scale


def _loss_at(net: Network, X: Array, Y: Array) -> float:
    return net.loss(net.forward(X), Y)


def _central_differences(net: Network, param: Array, X: Array, Y: Array, eps: float) -> Array:
    grad = np.empty_like(param)
    for idx in np.ndindex(param.shape):
        original = param[idx]
        try:
            param[idx] = original + eps
            plus = _loss_at(net, X, Y)
            param[idx] = original - eps
            minus = _loss_at(net, X, Y)
        finally:
            # Put back the saved value itself, not original + eps − eps, so nothing drifts.
            param[idx] = original
        grad[idx] = (plus - minus) / (2.0 * eps)
    return grad


def numerical_gradients(net: Network, X: Array, Y: Array,
                        eps: float = 1e-6) -> tuple[list[Array], list[Array], int]:
    """Central-difference ∂L/∂W and ∂L/∂b for every parameter, and the forward passes used.

    Each parameter is nudged in place and restored exactly; `net` is unchanged afterwards.
    """
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps!r}")
    dW = [_central_differences(net, W, X, Y, eps) for W in net.weights]
    db = [_central_differences(net, b, X, Y, eps) for b in net.biases]
    return dW, db, 2 * net.n_parameters


@dataclass(frozen=True)
class LayerCheck:
    """The comparison for one layer l (textbook index): both gradients and their errors."""

    layer: int
    dW_backprop: Array
    dW_numeric: Array
    db_backprop: Array
    db_numeric: Array
    dW_error: Array
    db_error: Array

    @property
    def max_error_W(self) -> float:
        return float(np.max(self.dW_error))

    @property
    def max_error_b(self) -> float:
        return float(np.max(self.db_error))


@dataclass(frozen=True)
class GradCheckReport:
    """Backprop against finite differences for every parameter of a network."""

    layers: tuple[LayerCheck, ...]
    loss: float  # the loss at the unchanged parameters
    eps: float
    floor: float  # the denominator's floor used in every relative error
    n_parameters: int
    forward_passes: int
    backward_passes: int

    @property
    def max_error(self) -> float:
        """The largest relative error over all parameters."""
        return max(max(c.max_error_W, c.max_error_b) for c in self.layers)

    def passed(self, tolerance: float = 1e-6) -> bool:
        return self.max_error < tolerance


def gradient_check(net: Network, X: Array, Y: Array, eps: float = 1e-6,
                   floor: float | None = None) -> GradCheckReport:
    """Compare `net.backward` with central differences on (X, Y); `net` is left unchanged.

    `forward_passes` counts only the finite-difference passes (2 per parameter); the one
    forward pass backprop needs is not counted, to keep the comparison 2·P against 1.
    """
    trace = net.forward(X)
    loss = net.loss(trace, Y)
    if floor is None:
        floor = ERROR_FLOOR * max(1.0, abs(loss))
    grads = net.backward(trace, Y, input_gradient=False)
    num_W, num_b, passes = numerical_gradients(net, X, Y, eps)
    layers = []
    for l in range(net.n_layers):
        layers.append(LayerCheck(
            layer=l + 1,
            dW_backprop=grads.dW[l], dW_numeric=num_W[l],
            db_backprop=grads.db[l], db_numeric=num_b[l],
            dW_error=relative_error(grads.dW[l], num_W[l], floor),
            db_error=relative_error(grads.db[l], num_b[l], floor),
        ))
    return GradCheckReport(tuple(layers), loss, eps, floor, net.n_parameters,
                           forward_passes=passes, backward_passes=1)
