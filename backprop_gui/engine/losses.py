"""Loss functions, each beside its gradient (mean over samples, as PyTorch does).

Cross-entropy is fused with a softmax output and binary cross-entropy with a sigmoid
output: the fused gradient ∂L/∂z = (ŷ − y)/N is exact and never divides by ŷ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

Array = np.ndarray


def _log_softmax(z: Array) -> Array:
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def _log_sigmoid(z: Array) -> Array:
    # log σ(z) = −log(1 + e⁻ᶻ), written so that neither branch overflows.
    return -np.logaddexp(0.0, -z)


def _mse_value(y_hat: Array, y: Array, z: Array | None) -> float:
    diff = y_hat - y
    return float(np.mean(diff * diff))


def _mse_grad(y_hat: Array, y: Array) -> Array:
    return 2.0 * (y_hat - y) / y_hat.size


def _ce_value(y_hat: Array, y: Array, z: Array | None) -> float:
    if z is not None:
        log_p = _log_softmax(z)
    else:
        with np.errstate(divide="ignore"):
            log_p = np.log(y_hat)
    # 0 · log 0 counts as 0: classes with target 0 do not contribute.
    with np.errstate(invalid="ignore"):
        terms = np.where(y != 0, y * log_p, 0.0)
    return float(-np.sum(terms) / y_hat.shape[0])


def _ce_grad(y_hat: Array, y: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(y != 0, -y / y_hat, 0.0)
    return g / y_hat.shape[0]


def _bce_value(y_hat: Array, y: Array, z: Array | None) -> float:
    if z is not None:
        log_p, log_q = _log_sigmoid(z), _log_sigmoid(-z)
    else:
        with np.errstate(divide="ignore"):
            log_p, log_q = np.log(y_hat), np.log1p(-y_hat)
    with np.errstate(invalid="ignore"):
        terms = np.where(y != 0, y * log_p, 0.0) + np.where(y != 1, (1.0 - y) * log_q, 0.0)
    return float(-np.mean(terms))


def _bce_grad(y_hat: Array, y: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (y_hat - y) / (y_hat * (1.0 - y_hat))
    return g / y_hat.size


def _fused_mean_over_samples(y_hat: Array, y: Array) -> Array:
    return (y_hat - y) / y_hat.shape[0]


def _fused_mean_over_elements(y_hat: Array, y: Array) -> Array:
    return (y_hat - y) / y_hat.size


@dataclass(frozen=True)
class Loss:
    """A loss L(ŷ, y) with ∂L/∂ŷ and, where it pairs with an output activation, ∂L/∂z."""

    name: str
    display: str
    formula: str
    grad_formula: str
    value_fn: Callable[[Array, Array, Array | None], float]
    grad: Callable[[Array, Array], Array]
    requires_output: str | None = None
    fused_grad: Callable[[Array, Array], Array] | None = None
    fused_formula: str = ""

    def value(self, y_hat: Array, y: Array, z: Array | None = None) -> float:
        """The loss; given the output layer's z, it is computed in log space (stable)."""
        return self.value_fn(y_hat, y, z)


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("mse", "Mean squared error", "L = (1/N) Σₙ (1/K) Σₖ (ŷₙₖ − yₙₖ)²",
             "∂L/∂ŷ = 2(ŷ − y) / (N·K)", _mse_value, _mse_grad),
        Loss("cross_entropy", "Cross-entropy", "L = −(1/N) Σₙ Σₖ yₙₖ log ŷₙₖ",
             "∂L/∂ŷ = −y / (N·ŷ)", _ce_value, _ce_grad, requires_output="softmax",
             fused_grad=_fused_mean_over_samples, fused_formula="∂L/∂z = (ŷ − y) / N"),
        Loss("binary_cross_entropy", "Binary cross-entropy",
             "L = −(1/(N·K)) Σ [y log ŷ + (1 − y) log(1 − ŷ)]",
             "∂L/∂ŷ = (ŷ − y) / (N·K·ŷ(1 − ŷ))", _bce_value, _bce_grad,
             requires_output="sigmoid", fused_grad=_fused_mean_over_elements,
             fused_formula="∂L/∂z = (ŷ − y) / (N·K)"),
    )
}


def get_loss(name: str) -> Loss:
    """The loss called `name`; ValueError listing the known names otherwise."""
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        known = ", ".join(LOSSES)
        raise ValueError(f"unknown loss {name!r} (known: {known})") from None
