"""What hovering a neuron or an edge tells the student (HTML for QToolTip)."""

from __future__ import annotations

import html
import math

from ...engine.network import Gradients
from ...engine.notation import input_name, sub, sup
from ...engine.overflow import overflow_cause
from ...engine.selection import Selection
from ...session.session import Session
from .highlight import fmt


def _row(name: str, value: str, note: str = "") -> str:
    note_html = f"&nbsp;&nbsp;<span style='color:gray'>{html.escape(note)}</span>" if note else ""
    return (f"<tr><td>{name}</td><td align='right'>&nbsp;&nbsp;<b>{value}</b></td>"
            f"<td>{note_html}</td></tr>")


def _title(text: str) -> str:
    return html.escape(text[:1].upper() + text[1:])


def neuron_label(session: Session, layer: int, j: int) -> str:
    if layer == 0:
        ds = session.dataset
        if ds.kind == "image" and ds.image_shape is not None:
            rows, cols = ds.image_shape
            r, c = divmod(j, cols)
            return f"input {input_name(j)}: pixel row {r + 1}, column {c + 1}"
        return f"input {input_name(j)}"
    if layer == session.network.n_layers:
        names = session.dataset.class_names
        name = names[j] if j < len(names) and session.network.sizes[-1] > 1 else None
        return f"output neuron {j + 1}" + (f" (class “{name}”)" if name else "")
    return f"neuron {j + 1} of hidden layer {layer}"


def _overflow_line(session: Session, values: list[float]) -> str:
    """Under a tooltip with a NaN or ∞ in it: what overflowed and why."""
    if all(math.isfinite(v) for v in values):
        return ""
    why = overflow_cause(session.network, session.dataset.inputs)
    return f"<div style='color:gray'>{html.escape(why[:1].upper() + why[1:])}</div>"


def shown_line(mode: str, weight: bool, label: str, sample: str) -> str:
    """The hover card's last line: what the colours (and widths) on show stand for, in the
    legend's words, so the card never contradicts the legend."""
    if mode == "gradients":
        what = ("colour and width show ∂L/∂w" if weight else "colour shows δ = ∂L/∂z")
        what += f" ({html.escape(label or sample)})"
    else:
        what = "colour and width show the weight w" if weight else "colour shows the activation a"
    return f"<span style='color:gray'>Click to select · {what}</span>"


def neuron_tooltip(session: Session, layer: int, j: int, shown: Gradients | None = None,
                   shown_label: str = "", mode: str = "weights") -> str:
    net = session.network
    trace = session.trace()
    sample = session.input_description()
    rows = []
    values = [float(trace.a[layer][0, j])]
    title = _title(neuron_label(session, layer, j))
    a = trace.a[layer][0, j]
    if layer == 0:
        rows.append(_row(input_name(j), fmt(a), f"{sample}"))
    else:
        act = net.activations[layer - 1]
        grads = session.gradients()
        rows.append(_row(f"bias b{sup(layer)}{sub(j + 1)}", fmt(net.biases[layer - 1][j])))
        rows.append(_row(f"z{sup(layer)}{sub(j + 1)} = w·a + b", fmt(trace.z[layer][0, j]), f"{sample}"))
        rows.append(_row(f"a{sup(layer)}{sub(j + 1)} = {html.escape(act.display)}(z)", fmt(a)))
        rows.append(_row("δ = ∂L/∂z", fmt(grads.dz[layer][0, j]), f"{sample}"))
        values += [float(trace.z[layer][0, j]), float(grads.dz[layer][0, j])]
        if shown is not None and shown_label:
            rows.append(_row("δ shown", fmt(shown.db[layer - 1][j]), shown_label))
            values.append(float(shown.db[layer - 1][j]))
        if session.dead_neurons(layer)[j]:
            rows.append("<tr><td colspan=3><i>dead: ReLU outputs 0 for every sample, so no "
                        "gradient reaches its weights</i></td></tr>")
    return (f"<b>{title}</b><table cellspacing=0>{''.join(rows)}</table>"
            f"{_overflow_line(session, values)}{shown_line(mode, False, shown_label, sample)}")


def edge_tooltip(session: Session, weight: Selection, shown: Gradients | None = None,
                 shown_label: str = "", mode: str = "weights") -> str:
    l, j, i = weight.param, weight.j, weight.i     # l: weights[l] is W⁽ˡ⁺¹⁾, a[l] feeds it
    net = session.network
    trace = session.trace()
    grads = session.gradients()
    sample = session.input_description()
    # Python floats: a product past 1.8×10³⁰⁸ is ∞, which fmt writes as an overflow.
    w = float(net.weights[l][j, i])
    a_in = float(trace.a[l][0, i])
    src = neuron_label(session, l, i)
    dst = neuron_label(session, l + 1, j)
    rows = [
        _row("weight w", fmt(w)),
        _row("carries a·w", f"{fmt(a_in)} × {fmt(w)} = {fmt(a_in * w)}", f"{sample}"),
        _row("∂L/∂w", fmt(grads.dW[l][j, i]), f"{sample}"),
    ]
    values = [a_in * w, float(grads.dW[l][j, i])]
    if shown is not None and shown_label:
        rows.append(_row("∂L/∂w shown", fmt(shown.dW[l][j, i]), shown_label))
        values.append(float(shown.dW[l][j, i]))
    title = f"Weight {weight.name}"
    return (f"<b>{title}</b><br>from {html.escape(src)}<br>to {html.escape(dst)}"
            f"<table cellspacing=0>{''.join(rows)}</table>{_overflow_line(session, values)}"
            f"{shown_line(mode, True, shown_label, sample)}")
