"""What the step-through asks the diagram to light up, and small text helpers shared by the items."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ...engine.overflow import non_finite_text, number_text

@dataclass
class Highlight:
    """Part of the network to light up for one step of the walkthrough.

    `layer` is the textbook layer index the step is about (0 = input … L = output) or None;
    `neurons` maps a layer to the neuron indices to light (None = the whole layer); an empty
    dict with a `layer` lights that whole layer. `edge_layers` are weight layers in textbook
    numbering (1 = W¹, between layer 0 and 1). `direction` is "forward" (values flow left to
    right) or "backward" (gradients flow right to left). `label` is a short caption such as
    "∂L/∂z²" shown beside the highlight.
    """

    layer: int | None = None
    neurons: dict[int, list[int] | None] = field(default_factory=dict)
    edge_layers: list[int] = field(default_factory=list)
    direction: str = "forward"
    label: str = ""

    def lit_layers(self) -> dict[int, list[int] | None]:
        """Every lit layer with its lit neurons (None = all)."""
        lit = dict(self.neurons)
        if not lit and self.layer is not None:
            lit[self.layer] = None
        return lit

    def is_lit(self, layer: int, index: int) -> bool:
        lit = self.lit_layers()
        if layer not in lit:
            return False
        chosen = lit[layer]
        return chosen is None or index in chosen


def fmt(value: float, digits: int = 3) -> str:
    """A number for a student: a few significant digits and a real minus sign (NaN and ±∞
    say that they are an overflow)."""
    return number_text(value, digits)


def compact(value: float) -> str:
    """A value short enough to fit inside a neuron."""
    if not math.isfinite(value):
        return non_finite_text(value, short=True)     # the legend says why (values.py)
    if value == 0.0:
        return "0"
    if abs(value) >= 0.01:
        text = f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:.3g}"
    else:
        mantissa, exponent = f"{value:.0e}".split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")
