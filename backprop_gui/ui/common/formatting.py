"""How the step-through writes numbers and formulas for a student.

Numbers: three significant digits and a real minus sign ("−0.123"), scientific notation
only for the very small or large; `full` gives every digit (for tooltips). NaN and ±∞ say
that they are an overflow ("∞ (overflow)"; in a matrix cell, `cell`, just "∞" or "?", and the
step page says why beside the matrices). Formulas: the
engine computes with samples as rows (z = a · Wᵀ + b); the textbook, and this panel,
write vectors as columns (z = W a + b). `textbook_formula` rewrites a step's formula in
that form; the numbers are the engine's either way, only transposed for display.
"""

from __future__ import annotations

import math

from ...engine.overflow import non_finite_text
from ...engine.notation import sup
from ...engine.walkthrough import Step

MINUS = "−"


def fmt(value: float, digits: int = 3) -> str:
    """`value` with `digits` significant digits, as a student would write it."""
    v = float(value)
    if not math.isfinite(v):
        return non_finite_text(v)
    if v == 0.0:
        return "0"
    a = abs(v)
    if a < 1e-3 or a >= 1e5:
        mantissa, exponent = f"{v:.{digits - 1}e}".split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}e{int(exponent)}"
    elif a >= 10 ** digits:
        text = f"{v:.0f}"
    else:
        text = f"{v:.{digits}g}"
    return text.replace("-", MINUS)


def cell(value: float, digits: int = 3) -> str:
    """An entry of a drawn matrix: as `fmt`, but NaN and ±∞ as short as the numbers beside
    (`digits` fewer than 3 where a matrix must be narrower to fit its panel)."""
    v = float(value)
    return fmt(v, digits) if math.isfinite(v) else non_finite_text(v, short=True)


def full(value: float) -> str:
    """Every digit of `value` (the shortest text that reads back as the same float)."""
    v = float(value)
    return repr(v).replace("-", MINUS) if math.isfinite(v) else non_finite_text(v)


def parse_displayed(text: str) -> float:
    """The float a displayed number stands for (for tests and copy/paste)."""
    return float(text.replace(MINUS, "-"))


def source_layer(step: Step) -> int:
    """The layer whose z a backward ∂L/∂a step reads (the one after `step.layer`)."""
    return (step.layer or 0) + 1


def textbook_formula(step: Step, batch: bool) -> str:
    """The step's formula with vectors as columns (z = W a + b, ∂L/∂W = ∂L/∂z aᵀ, …)."""
    l = step.layer
    if step.kind == "z":
        return f"z{sup(l)} = W{sup(l)} a{sup(l - 1)} + b{sup(l)}"
    if step.kind == "dL/dW":
        return f"∂L/∂W{sup(l)} = ∂L/∂z{sup(l)} · (a{sup(l - 1)})ᵀ"
    if step.kind == "dL/db" and not batch:
        return f"∂L/∂b{sup(l)} = ∂L/∂z{sup(l)}"
    if step.kind == "dL/da" and step.phase == "backward" and l is not None and "W" in step.formula:
        n = source_layer(step)
        return f"∂L/∂a{sup(l)} = (W{sup(n)})ᵀ · ∂L/∂z{sup(n)}"
    return step.formula


def layout_note(batch: bool, n_samples: int) -> str:
    if batch:
        return (f"Each column is one sample ({n_samples} columns); each row is one neuron. "
                "The gradients add up the columns' contributions.")
    return "Vectors are written as columns, one row per neuron, as in the textbook."
