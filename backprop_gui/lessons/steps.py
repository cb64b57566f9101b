"""Naming a step of the step-through in a lesson: "z2", "a2", "loss", "dL/dz3", "dL/dW3",
"update W3" (or with the app's symbols: "∂L/∂z³").

A name is the step's kind and its textbook layer; each (kind, layer) occurs once in a
walkthrough (engine/walkthrough.py), so a name finds exactly one step.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..engine.walkthrough import Step

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹∂", "0123456789d")
_NAME = re.compile(r"(z|a|dL/da|dL/dz|dL/dW|dL/db|update W|update b)\s*(\d+)|loss")
# the kind in a name → engine.walkthrough's kind
_KINDS = {"update W": "update_W", "update b": "update_b"}
EXAMPLES = "z2, a2, loss, dL/dz3, dL/dW3, dL/db3, dL/da2, update W3, update b3"


def parse_step_name(text: str) -> tuple[str, int | None]:
    """(kind, layer) of a step name; ValueError for anything else."""
    norm = " ".join(str(text).translate(_SUPERSCRIPTS).split())
    m = _NAME.fullmatch(norm)
    if m is None:
        raise ValueError(f"“{text}” names no step (write one of {EXAMPLES})")
    if norm == "loss":
        return "loss", None
    kind, layer = m.group(1), int(m.group(2))
    return _KINDS.get(kind, kind), layer


def step_name_problem(text: str, sizes: Sequence[int] | None) -> str | None:
    """Why `text` cannot name a step of a network with these layer sizes (None if it can;
    only the form is checked when `sizes` is None)."""
    try:
        kind, layer = parse_step_name(text)
    except ValueError as exc:
        return str(exc)
    if sizes is None or layer is None:
        return None
    L = len(sizes) - 1
    lowest = 1
    if not lowest <= layer <= L:
        return f"step “{text}”: no layer {layer} (layers 1 … {L})"
    return None


def find_step(steps: Sequence[Step], text: str) -> int:
    """Index of the step `text` names; ValueError if this walkthrough has none (∂L/∂a of
    the output is skipped when softmax and cross-entropy are taken together)."""
    kind, layer = parse_step_name(text)
    for i, step in enumerate(steps):
        if step.kind == kind and step.layer == layer:
            return i
    raise ValueError(f"the step-through of this network has no step “{text}”")
