"""Activation functions: each one record holding its maths, its fast kernel and its notation
(pure NumPy, float64).

`Network`, the walkthrough and every view read an activation from its record, and the
Trainer runs the record's kernel (engine.kernels), so the numbers the step-through shows
and the numbers training uses come from one definition. To add an activation, add its
record to ACTIVATIONS (with a kernel for speed, or without) and a hand-computed case to
tests/engine/test_activations_losses.py; the tests that run over the registry cover the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import kernels
from .kernels import ActivationKernel, wrap_activation

Array = np.ndarray

LEAKY_SLOPE = 0.01


def _sigmoid(z: Array) -> Array:
    # exp of a non-positive number never overflows, so split by sign.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_prime(z: Array, a: Array) -> Array:
    return a * (1.0 - a)


def _tanh(z: Array) -> Array:
    return np.tanh(z)


def _tanh_prime(z: Array, a: Array) -> Array:
    return 1.0 - a * a


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_prime(z: Array, a: Array) -> Array:
    # The derivative at exactly 0 is taken as 0 (the PyTorch convention).
    return (z > 0).astype(np.float64)


def _leaky_relu(z: Array) -> Array:
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def _leaky_relu_prime(z: Array, a: Array) -> Array:
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


def _linear(z: Array) -> Array:
    return np.array(z, dtype=np.float64, copy=True)


def _linear_prime(z: Array, a: Array) -> Array:
    return np.ones_like(z)


def _softmax(z: Array) -> Array:
    # Shifting by the row maximum keeps exp() finite; softmax is shift invariant.
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def _elementwise_backward(prime: Callable[[Array, Array], Array]) -> Callable[[Array, Array, Array], Array]:
    def backward(z: Array, a: Array, da: Array) -> Array:
        return da * prime(z, a)

    return backward


def _softmax_backward(z: Array, a: Array, da: Array) -> Array:
    # Jacobian-vector product of softmax: dz_i = a_i (da_i - sum_j da_j a_j).
    return a * (da - np.sum(da * a, axis=-1, keepdims=True))


@dataclass(frozen=True)
class Activation:
    """Everything about one activation function f: adding an activation is adding a record.

    The maths, on arrays with samples as rows: `forward(z)`; `derivative(z, a)` is f′(z)
    elementwise (None for softmax, whose Jacobian is not diagonal); `backward(z, a, da)`
    turns ∂L/∂a into ∂L/∂z for every activation. `kernel` is the same in place for the
    Trainer (engine.kernels; None: the plain functions wrapped, slower but equal).

    How it is written: `display` in menus and titles, `symbol` in formulas (its slope is
    `slope_symbol`), `formula` and `derivative_formula` in full; `explanation` is the
    walkthrough's sentence for a = f(z) (empty: the general one). An activation that is
    not elementwise gives `jacobian_formula`, how ∂L/∂zˡ follows from ∂L/∂aˡ ("{s}" stands
    for the layer's superscript), and `jacobian_explanation`.

    What the app needs to know about it: `output_only` (allowed on the output layer only);
    `identity` (f(z) = z: the Trainer keeps one array for both, the walkthrough writes
    a = z); `probability` (its values lie in [0, 1] and an output reads as a probability);
    `dead_below_zero` (f and f′ are 0 wherever z ≤ 0, so a neuron whose z is never positive
    is dead); `slope_by_sign` (f′ depends only on whether z > 0).
    """

    name: str
    display: str
    symbol: str
    formula: str
    derivative_formula: str
    forward: Callable[[Array], Array]
    derivative: Callable[[Array, Array], Array] | None
    backward: Callable[[Array, Array, Array], Array]
    kernel: ActivationKernel | None = None
    explanation: str = ""
    jacobian_formula: str = ""
    jacobian_explanation: str = ""
    output_only: bool = False
    identity: bool = False
    probability: bool = False
    dead_below_zero: bool = False
    slope_by_sign: bool = False

    def __post_init__(self) -> None:
        if self.kernel is None:     # frozen: set once, here
            object.__setattr__(self, "kernel", wrap_activation(self.forward, self.backward))

    def __call__(self, z: Array) -> Array:
        return self.forward(z)

    @property
    def elementwise(self) -> bool:
        """True when each a depends on its own z only (f′ is then a number per entry)."""
        return self.derivative is not None

    @property
    def non_negative(self) -> bool:
        """Whether f(z) ≥ 0 for every z (a sequential colour map suits its values; a signed
        one, such as tanh's, needs a diverging map)."""
        return self.probability or self.dead_below_zero

    @property
    def slope_symbol(self) -> str | None:
        """How f′ is written ("σ′"); None when f has no elementwise derivative."""
        return f"{self.symbol}′" if self.elementwise else None


def _elementwise(name: str, display: str, symbol: str, formula: str, derivative_formula: str,
                 forward: Callable[[Array], Array], derivative: Callable[[Array, Array], Array],
                 **more) -> Activation:
    return Activation(name, display, symbol, formula, derivative_formula, forward, derivative,
                      _elementwise_backward(derivative), **more)


ACTIVATIONS: dict[str, Activation] = {
    act.name: act
    for act in (
        _elementwise("sigmoid", "Sigmoid", "σ", "σ(z) = 1 / (1 + e⁻ᶻ)", "σ′(z) = σ(z)(1 − σ(z))",
                     _sigmoid, _sigmoid_prime, probability=True,
                     kernel=ActivationKernel(kernels.sigmoid_forward, kernels.sigmoid_backward)),
        _elementwise("tanh", "Tanh", "tanh", "tanh(z)", "tanh′(z) = 1 − tanh²(z)",
                     _tanh, _tanh_prime,
                     kernel=ActivationKernel(kernels.tanh_forward, kernels.tanh_backward)),
        _elementwise("relu", "ReLU", "ReLU", "ReLU(z) = max(0, z)", "ReLU′(z) = 1 if z > 0 else 0",
                     _relu, _relu_prime, dead_below_zero=True, slope_by_sign=True,
                     kernel=ActivationKernel(kernels.relu_forward, kernels.relu_backward)),
        _elementwise("leaky_relu", "Leaky ReLU", "LeakyReLU", f"max({LEAKY_SLOPE}·z, z)",
                     f"1 if z > 0 else {LEAKY_SLOPE}", _leaky_relu, _leaky_relu_prime,
                     slope_by_sign=True, kernel=kernels.leaky_relu(LEAKY_SLOPE)),
        _elementwise("linear", "Linear", "f", "f(z) = z", "f′(z) = 1", _linear, _linear_prime,
                     identity=True, kernel=ActivationKernel(kernels.copy_forward, None),
                     explanation="A linear layer passes its weighted sums on unchanged."),
        Activation("softmax", "Softmax", "softmax", "softmax(z)ₖ = eᶻᵏ / Σⱼ eᶻʲ",
                   "∂aₖ/∂zⱼ = aₖ(δₖⱼ − aⱼ)", _softmax, None, _softmax_backward,
                   kernel=ActivationKernel(kernels.softmax_forward,
                                           kernels.wrap_backward(_softmax_backward)),
                   explanation="Softmax turns the output scores into probabilities: positive and "
                               "summing to 1.",
                   jacobian_formula="∂L/∂z{s}ₖ = a{s}ₖ (∂L/∂a{s}ₖ − Σⱼ ∂L/∂a{s}ⱼ a{s}ⱼ)",
                   jacobian_explanation="Every softmax output depends on every z, so each ∂L/∂z "
                                        "gathers a contribution from all outputs.",
                   output_only=True, probability=True),
    )
}


def get_activation(name: str) -> Activation:
    """The activation called `name`; ValueError listing the known names otherwise."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        known = ", ".join(ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r} (known: {known})") from None
