"""What the diagram lights up for each step: the layer being computed and the weights it uses.

Forward steps flow left to right (z⁽ˡ⁾ lights layer l and the edges into it); backward steps
flow right to left (∂L/∂W⁽ˡ⁾ lights both ends of those edges, ∂L/∂a⁽ˡ⁾ the edges out of
layer l that carry the gradient back); the loss lights the output layer.
"""

from __future__ import annotations

from ...engine.walkthrough import Step
from ...engine.notation import entry
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


def paths_highlight(l: int, j: int, i: int | None, n_layers: int) -> Highlight:
    """The weight W⁽ˡ⁾[j,i] (or neuron j of layer l) and every path from it to the output."""
    neurons: dict[int, list[int] | None] = {l: [j]}
    edges = [l] if i is not None else []
    if i is not None:
        neurons[l - 1] = [i]
    if l < n_layers:
        neurons[l + 1] = None
        edges.append(l + 1)
    name = f"∂L/∂{entry('W', l, j, i)}" if i is not None else f"∂L/∂{entry('z', l, j)}"
    return Highlight(l, neurons, edges, "backward", name)


def narrowed(h: Highlight | None, pointed: tuple | None) -> Highlight | None:
    """`h` with only the neurons the pointed-at entry is about (z²[3]: neuron 3 of layer 2)."""
    if h is None or pointed is None:
        return h
    neurons = dict(h.lit_layers())
    if pointed[0] == "neuron":
        picks = {pointed[1]: pointed[2]}
    elif pointed[0] == "weight":
        picks = {pointed[1] + 1: pointed[2], pointed[1]: pointed[3]}
    else:
        picks = {pointed[1] + 1: pointed[2]}
    changed = False
    for layer, j in picks.items():
        if layer in neurons:
            neurons[layer] = [j]
            changed = True
    if not changed:
        return h
    return Highlight(h.layer, neurons, list(h.edge_layers), h.direction, h.label)
