"""What the diagram lights up for each step: the layer being computed and the weights it uses.

Forward steps flow left to right (z⁽ˡ⁾ lights layer l and the edges into it); backward steps
flow right to left (∂L/∂W⁽ˡ⁾ lights both ends of those edges, ∂L/∂a⁽ˡ⁾ the edges out of
layer l that carry the gradient back); the loss lights the output layer.
"""

from __future__ import annotations

from ...engine.notation import entry
from ...engine.selection import Selection
from ...engine.walkthrough import Step
from ..diagram.highlight import Highlight


def highlight_for(step: Step | None, n_layers: int) -> Highlight | None:
    if step is None:
        return None
    l = step.layer
    label = step.result_name
    if step.phase == "forward":
        if step.kind == "z":
            return Highlight(l, {l - 1: None, l: None}, [l], "forward", label)
        return Highlight(l, {l: None}, [], "forward", label)
    if step.phase == "loss":
        return Highlight(n_layers, {n_layers: None}, [], "forward", "L")
    if step.kind == "dL/dW" or step.kind == "update_W":
        return Highlight(l, {l - 1: None, l: None}, [l], "backward", label)
    if step.kind == "dL/da" and l < n_layers:
        # ∂L/∂a⁽ˡ⁾ gathers the error signals of layer l + 1 along the weights W⁽ˡ⁺¹⁾.
        return Highlight(l, {l: None, l + 1: None}, [l + 1], "backward", label)
    return Highlight(l, {l: None}, [], "backward", label)


def paths_highlight(start: Selection, n_layers: int) -> Highlight:
    """The weight W⁽ˡ⁾[j,i] (or neuron j of layer l, or its bias) and every path from it
    to the output."""
    l, j = start.layer, start.j
    neurons: dict[int, list[int] | None] = {l: [j]}
    edges = []
    if start.is_weight:
        neurons[l - 1] = [start.i]
        edges.append(l)
    if l < n_layers:
        neurons[l + 1] = None
        edges.append(l + 1)
    name = f"∂L/∂{start.name}" if start.is_weight else f"∂L/∂{entry('z', l, j)}"
    return Highlight(l, neurons, edges, "backward", name)


def narrowed(h: Highlight | None, pointed: Selection | None) -> Highlight | None:
    """`h` with only the neurons the pointed-at entry is about (z²[3]: neuron 3 of layer 2)."""
    if h is None or pointed is None:
        return h
    neurons = dict(h.lit_layers())
    picks = {pointed.layer: pointed.j}      # a weight's neuron j of layer l, a bias's neuron
    if pointed.is_weight:
        picks[pointed.layer - 1] = pointed.i
    changed = False
    for layer, j in picks.items():
        if layer in neurons:
            neurons[layer] = [j]
            changed = True
    if not changed:
        return h
    return Highlight(h.layer, neurons, list(h.edge_layers), h.direction, h.label)
