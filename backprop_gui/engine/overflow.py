"""Numbers too large for a float64: how the engine computes with them and how they are written.

A float64 holds magnitudes up to about 1.8×10³⁰⁸ (FLOAT_MAX). A sum or product past that
becomes ±∞ (an overflow), and ∞ − ∞ or 0 · ∞ then gives NaN ("not a number"). Finite
parameters get there easily: weights of 10³⁰⁰ in two layers multiply far past it. Such values
are results to show, not errors, so

- the engine computes where they may arise inside `quietly()` (NumPy's RuntimeWarnings would
  only repeat, less clearly, what the window says), and checks the results with np.isfinite;
- every view writes a NaN or ±∞ with `non_finite_text` ("∞ (overflow)", never a bare "inf"
  or "nan") and says once, beside it, what overflowed and why (`overflow_cause`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Iterable

import numpy as np

from .notation import sup, symbol

if TYPE_CHECKING:
    from .dataset import Dataset
    from .network import Network
    from .selection import Selection

Array = np.ndarray

FLOAT_MAX = float(np.finfo(np.float64).max)
# A weight, bias or input this large is far outside anything initialisation or training
# produces (He and Xavier give weights below ~3, trained networks rarely pass 100): a few
# layers of such numbers multiply to 10¹⁸ and more, and the gradients follow.
HUGE = 1e6

MINUS = "−"


def quietly() -> np.errstate:
    """Overflow to ±∞ and the NaN that follows are outcomes here, shown with an explanation."""
    return np.errstate(over="ignore", invalid="ignore")


def non_finite_text(value: float, short: bool = False) -> str:
    """What stands in for a NaN or ±∞: "∞ (overflow)", "−∞ (overflow)", "undefined (overflow)".

    `short` ("∞", "−∞", "?") is for places too small for more (inside a neuron, a matrix
    cell); a view using it says beside them what overflowed (`overflow_cause`)."""
    if math.isnan(value):
        return "?" if short else "undefined (overflow)"
    sign = MINUS if value < 0 else ""
    return f"{sign}∞" if short else f"{sign}∞ (overflow)"


def number_text(value: float, digits: int = 3) -> str:
    """`value` with `digits` significant digits, powers of ten written out: 0.25, −1.5×10²⁰.
    NaN and ±∞ as `non_finite_text`."""
    value = float(value)
    if not math.isfinite(value):
        return non_finite_text(value)
    if value == 0:
        return "0"   # also −0.0, e.g. the cross-entropy −log 1 of a sure right answer
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}×10{sup(int(exponent))}"
    return text.replace("-", MINUS)


def fixed_text(value: float, decimals: int, short: bool = False) -> str:
    """`value` with a fixed number of decimals, so a changing number keeps its width
    (probabilities, losses). From a million on, where that would write every digit (300 of
    them for 10³⁰⁰), as `number_text`; NaN and ±∞ as `non_finite_text`."""
    value = float(value) + 0.0      # + 0.0: −0.0 (the cross-entropy of a sure answer) is 0
    if not math.isfinite(value):
        return non_finite_text(value, short)
    return f"{value:.{decimals}f}" if abs(value) < 1e6 else number_text(value)


def largest(arrays: Iterable[Array]) -> float:
    """The largest |value| in `arrays` (0 when they are empty)."""
    return max((float(np.max(np.abs(a))) for a in arrays if np.size(a)), default=0.0)


def overflow_cause(net: Network, inputs: Array) -> str:
    """Why the numbers of `net` on `inputs` overflow, in a few words for a student:
    "overflow: the weights are too large (up to 1×10³⁰⁰)"."""
    weights = largest([*net.weights, *net.biases])
    data = largest([inputs])
    if data > weights and data >= HUGE:
        why = f"the inputs are too large (up to {number_text(data)})"
    elif weights >= HUGE:
        why = f"the weights are too large (up to {number_text(weights)})"
    else:
        why = (f"the numbers grew past {number_text(FLOAT_MAX, 2)}, the largest a computer's "
               f"float holds, from layer to layer")
    return f"overflow: {why}"


def update_overflow_cause(learning_rate: float) -> str:
    """Why W − α·∂L/∂W overflows when the network's own numbers do not."""
    return (f"overflow: the learning rate α = {number_text(learning_rate)} times the gradient "
            f"is too large")


def forward_overflow(net: Network, inputs: Array, targets: Array | None = None) -> str | None:
    """The first quantity of the forward pass over `inputs` that overflows ("z³ of sample 1",
    "the loss"), or None when every z, every a (and the loss against `targets`) is finite."""
    with quietly():
        trace = net.forward(inputs)
        for l in range(1, net.n_layers + 1):
            for name, values in (("z", trace.z[l]), ("a", trace.a[l])):
                bad = ~np.isfinite(values).all(axis=1)
                if bad.any():
                    sample = int(np.argmax(bad)) + 1
                    return f"{symbol(name, l)} of sample {sample}"
        if targets is not None and len(inputs) and not math.isfinite(net.loss(trace, targets)):
            return "the loss"
    return None


def parameter_overflow(net: Network, dataset: Dataset, target: Selection, value: float) -> str | None:
    """Why the weight or bias `target` of `net` cannot be set to `value`: with it, the forward
    pass over `dataset` overflows, when it did not before (a network loaded that way can still
    be mended one value at a time). None when the value is fine."""
    trial = net.copy()
    target.array_in(trial)[target.index] = value
    inputs = dataset.inputs
    try:
        targets = dataset.targets(trial.sizes[-1])
    except ValueError:       # outputs and classes disagree while the network is edited
        targets = None
    where = forward_overflow(trial, inputs, targets)
    if where is None or forward_overflow(net, inputs, targets) is not None:
        return None
    return (f"{number_text(value)} is too large for {target.name}: the forward pass would overflow "
            f"({where} would pass {number_text(FLOAT_MAX, 2)}, the largest number the computer "
            f"can hold). Type a smaller value.")
