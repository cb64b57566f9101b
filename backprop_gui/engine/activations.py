"""Activation functions, each beside its derivative (pure NumPy, float64).

Every activation is a frozen record so the walkthrough can show its name and formula
next to the numbers it produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

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
    """One activation function f with its derivative.

    `derivative(z, a)` is f'(z) elementwise (None for softmax, whose Jacobian is not
    diagonal); `backward(z, a, da)` turns ∂L/∂a into ∂L/∂z for every activation.
    """

    name: str
    display: str
    formula: str
    derivative_formula: str
    forward: Callable[[Array], Array]
    derivative: Callable[[Array, Array], Array] | None
    backward: Callable[[Array, Array, Array], Array]
    output_only: bool = False

    def __call__(self, z: Array) -> Array:
        return self.forward(z)


def _elementwise(name: str, display: str, formula: str, dformula: str, f, df) -> Activation:
    return Activation(name, display, formula, dformula, f, df, _elementwise_backward(df))


ACTIVATIONS: dict[str, Activation] = {
    act.name: act
    for act in (
        _elementwise("sigmoid", "Sigmoid", "σ(z) = 1 / (1 + e⁻ᶻ)", "σ′(z) = σ(z)(1 − σ(z))",
                     _sigmoid, _sigmoid_prime),
        _elementwise("tanh", "Tanh", "tanh(z)", "tanh′(z) = 1 − tanh²(z)", _tanh, _tanh_prime),
        _elementwise("relu", "ReLU", "ReLU(z) = max(0, z)", "ReLU′(z) = 1 if z > 0 else 0",
                     _relu, _relu_prime),
        _elementwise("leaky_relu", "Leaky ReLU", f"max({LEAKY_SLOPE}·z, z)",
                     f"1 if z > 0 else {LEAKY_SLOPE}", _leaky_relu, _leaky_relu_prime),
        _elementwise("linear", "Linear", "f(z) = z", "f′(z) = 1", _linear, _linear_prime),
        Activation("softmax", "Softmax", "softmax(z)ₖ = eᶻᵏ / Σⱼ eᶻʲ",
                   "∂aₖ/∂zⱼ = aₖ(δₖⱼ − aⱼ)", _softmax, None, _softmax_backward,
                   output_only=True),
    )
}


def get_activation(name: str) -> Activation:
    """The activation called `name`; ValueError listing the known names otherwise."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        known = ", ".join(ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r} (known: {known})") from None
