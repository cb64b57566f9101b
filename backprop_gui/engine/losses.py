"""Loss functions: each one record holding its maths, its fast kernel and its notation.

Most are means over the samples, as PyTorch takes them; `half_sse` (½ Σ (ŷ − y)², summed over
the samples) is the convention of the classic hand-written NumPy tutorials, whose update
ŷ − y per sample it reproduces exactly. `Loss.convention` says in words which one is in use
and what it does to the gradient.

Cross-entropy is fused with a softmax output and binary cross-entropy with a sigmoid
output: the fused gradient ∂L/∂z = (ŷ − y)/N is exact and never divides by ŷ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import kernels
from .kernels import LossKernel, wrap_loss

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


def _half_sse_value(y_hat: Array, y: Array, z: Array | None) -> float:
    diff = y_hat - y
    return 0.5 * float(np.sum(diff * diff))


def _half_sse_grad(y_hat: Array, y: Array) -> Array:
    return y_hat - y          # the ½ cancels the square's 2; no 1/N: a sum over the samples


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


# ----- the loss written out with its numbers, for the worked calculation ----------------------
# (ŷ, y) with samples as rows; `cell` writes one number as the view shows it; a sum shows its
# first `most` terms.

NumberText = Callable[[float], str]


def _sum_text(parts: list[str], most: int) -> str:
    return " + ".join(parts[:most]) + (" + …" if len(parts) > most else "")


def _mse_worked(y_hat: Array, y: Array, cell: NumberText, most: int) -> str:
    parts = [f"({cell(p)} − {cell(t)})²".replace("− −", "+ ") for t, p in zip(y.ravel(), y_hat.ravel())]
    return f"({_sum_text(parts, most)}) / {y_hat.size}"


def _half_sse_worked(y_hat: Array, y: Array, cell: NumberText, most: int) -> str:
    parts = [f"({cell(p)} − {cell(t)})²".replace("− −", "+ ") for t, p in zip(y.ravel(), y_hat.ravel())]
    inner = _sum_text(parts, most)
    return f"½ · ({inner})" if len(parts) > 1 else f"½ · {inner}"


def _ce_worked(y_hat: Array, y: Array, cell: NumberText, most: int) -> str:
    parts = [f"log {cell(p)}" if t == 1 else f"{cell(t)}·log {cell(p)}"
             for t, p in zip(y.ravel(), y_hat.ravel()) if t != 0]
    inner, n = _sum_text(parts, most), y_hat.shape[0]
    return (f"−{inner}" if len(parts) == 1 else f"−({inner})") + (f" / {n}" if n > 1 else "")


def _bce_worked(y_hat: Array, y: Array, cell: NumberText, most: int) -> str:
    parts = [f"log {cell(p)}" if t == 1 else f"log(1 − {cell(p)})" if t == 0
             else f"{cell(t)}·log {cell(p)} + {cell(1 - t)}·log(1 − {cell(p)})"
             for t, p in zip(y.ravel(), y_hat.ravel())]
    return f"−({_sum_text(parts, most)})" + (f" / {y_hat.size}" if y_hat.size > 1 else "")


def _fused_mean_over_samples(y_hat: Array, y: Array) -> Array:
    return (y_hat - y) / y_hat.shape[0]


def _fused_mean_over_elements(y_hat: Array, y: Array) -> Array:
    return (y_hat - y) / y_hat.size


@dataclass(frozen=True)
class Loss:
    """Everything about one loss L(ŷ, y): its maths, its fast kernel and its notation.

    `value(ŷ, y, z)` and `grad(ŷ, y)` = ∂L/∂ŷ work on arrays with samples as rows. A loss
    that pairs with an output activation (`requires_output`) also gives `fused_grad`, ∂L/∂z
    of the output layer computed directly. `kernel` is the same in place for the Trainer
    (engine.kernels; None: the plain functions wrapped, slower but equal). `display`,
    `formula`, `grad_formula` and `fused_formula` are how menus and the walkthrough write it;
    `worked(ŷ, y, cell, most)` writes L out with the numbers ("((0.7 − 1)² + …) / 4"; None:
    the worked calculation shows the value only). `sums_samples`: L adds the samples' losses
    up instead of averaging them, so the batch's gradient is the sum of the per-sample
    gradients; `convention` says that in a sentence, with what it does to the gradient.
    """

    name: str
    display: str
    formula: str
    grad_formula: str
    value_fn: Callable[[Array, Array, Array | None], float]
    grad: Callable[[Array, Array], Array]
    requires_output: str | None = None
    fused_grad: Callable[[Array, Array], Array] | None = None
    fused_formula: str = ""
    kernel: LossKernel | None = None
    worked: Callable[[Array, Array, NumberText, int], str] | None = None
    sums_samples: bool = False
    convention: str = ""

    def __post_init__(self) -> None:
        if self.kernel is None:     # frozen: set once, here
            fused = self.fused_grad is not None
            object.__setattr__(self, "kernel", wrap_loss(
                self.value_fn, self.fused_grad if fused else self.grad, fused))

    def value(self, y_hat: Array, y: Array, z: Array | None = None) -> float:
        """The loss; given the output layer's z, it is computed in log space (stable)."""
        return self.value_fn(y_hat, y, z)


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("mse", "Mean squared error", "L = (1/N) Σₙ (1/K) Σₖ (ŷₙₖ − yₙₖ)²",
             "∂L/∂ŷ = 2(ŷ − y) / (N·K)", _mse_value, _mse_grad, kernel=kernels.MSE,
             worked=_mse_worked,
             convention="The mean over the N samples and the K outputs: each sample's "
                        "gradient 2(ŷ − y) is divided by N·K, so the batch's gradient is the "
                        "average of the samples' gradients and its size does not grow with N."),
        Loss("half_sse", "½ sum of squared errors", "L = ½ Σₙ Σₖ (ŷₙₖ − yₙₖ)²",
             "∂L/∂ŷ = ŷ − y", _half_sse_value, _half_sse_grad, kernel=kernels.HALF_SSE,
             worked=_half_sse_worked, sums_samples=True,
             convention="Summed over the samples, not averaged (the classic tutorials' "
                        "convention): the ½ cancels the square's 2, so each sample's gradient "
                        "is simply ŷ − y, not 2(ŷ − y)/(N·K) as with the mean squared error. "
                        "The batch's gradient is the sum of the samples' gradients: N·K/2 "
                        "times the mean squared error's, so the same learning rate takes "
                        "steps N·K/2 times as large."),
        Loss("cross_entropy", "Cross-entropy", "L = −(1/N) Σₙ Σₖ yₙₖ log ŷₙₖ",
             "∂L/∂ŷ = −y / (N·ŷ)", _ce_value, _ce_grad, requires_output="softmax",
             fused_grad=_fused_mean_over_samples, fused_formula="∂L/∂z = (ŷ − y) / N",
             kernel=kernels.CROSS_ENTROPY, worked=_ce_worked,
             convention="The mean over the N samples: the batch's gradient is the average "
                        "of the samples' gradients, ∂L/∂z = (ŷ − y)/N at the output."),
        Loss("binary_cross_entropy", "Binary cross-entropy",
             "L = −(1/(N·K)) Σ [y log ŷ + (1 − y) log(1 − ŷ)]",
             "∂L/∂ŷ = (ŷ − y) / (N·K·ŷ(1 − ŷ))", _bce_value, _bce_grad,
             requires_output="sigmoid", fused_grad=_fused_mean_over_elements,
             fused_formula="∂L/∂z = (ŷ − y) / (N·K)", kernel=kernels.BINARY_CROSS_ENTROPY,
             worked=_bce_worked,
             convention="The mean over the N samples and the K outputs: the batch's gradient "
                        "is the average of the samples' gradients, ∂L/∂z = (ŷ − y)/(N·K) at "
                        "the output."),
    )
}


def get_loss(name: str) -> Loss:
    """The loss called `name`; ValueError listing the known names otherwise."""
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        known = ", ".join(LOSSES)
        raise ValueError(f"unknown loss {name!r} (known: {known})") from None
