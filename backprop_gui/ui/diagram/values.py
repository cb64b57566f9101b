"""Fill the diagram's items with the current numbers: colours, texts and the legend.

Reads only what the session computed (trace, gradients, dead neurons); never recomputes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QColor

from ...engine.network import Gradients, Network
from ...engine.notation import sup
from ...engine.overflow import fixed_text, overflow_cause
from ...session.session import Session
from ..common.colors import (DIVERGING_LUT, SEQUENTIAL_LUT, diverging_indices, sequential_indices,
                      symmetric_limit)
from ..common.plain_text import NAME_LIMIT, shorten
from .highlight import fmt
from .legend import ColorBar, LegendSpec, Note, Swatch, WidthKey
from .nodes import pixel_grey
from .scene import DiagramScene


ACTIVATION_BAR = "activation a"   # the short title of the neurons' colour bar (weights mode)

_QCOLORS: dict[str, list[QColor]] = {}


def lut_colors(name: str) -> list[QColor]:
    """The 256 colours of a LUT as QColor objects, made once (a QColor per neuron per
    recolour is a noticeable cost for a 784-pixel input)."""
    if name not in _QCOLORS:
        lut = {"diverging": DIVERGING_LUT, "sequential": SEQUENTIAL_LUT}[name]
        _QCOLORS[name] = [QColor(int(r), int(g), int(b)) for r, g, b in lut]
    return _QCOLORS[name]


_GREYS = [QColor(g, g, g) for g in range(256)]


def dead_masks(session: Session) -> list[np.ndarray]:
    """Per layer (inputs first), which neurons are ReLUs dead for the whole dataset."""
    net = session.network
    return [np.zeros(net.sizes[0], dtype=bool)] + [session.dead_neurons(l)
                                                   for l in range(1, net.n_layers + 1)]


Scale = tuple[float, float]   # the low and high end of a colour scale


@dataclass
class _Nodes:
    """What the neurons of hidden and output layers show in gradients mode: δ per layer."""

    values: list[np.ndarray | None] | None   # None: not computed (or weights mode)
    limit: float = 1.0


def recolour(scene: DiagramScene, session: Session, mode: str, grads: Gradients | None,
             source_label: str = "", dead: list[np.ndarray] | None = None,
             inputs: bool = True, labels: bool = True) -> LegendSpec:
    """Update every item in place for `mode` ("weights" | "gradients"); return the legend.

    `dead`: the dead-ReLU masks to show (default: computed now, a forward pass over the
    whole dataset). Training frames may skip the input neurons (`inputs`: training does
    not change them) and the labels' texts (`labels`: they follow a few times a second)."""
    net = session.network
    # A dataset with no samples: the weights still show, the neurons have no values.
    acts = [a[0] for a in session.trace().a] if session.has_samples else None
    if dead is None or [d.shape[0] for d in dead] != list(net.sizes):
        dead = dead_masks(session)
    spec = LegendSpec()
    if mode == "gradients":
        edge_values, edge_limit, nodes = _gradient_scales(spec, scene, session, grads,
                                                          source_label, acts is None)
    else:
        edge_values, edge_limit, nodes = _weight_scales(spec, scene, net)
    for l, item in enumerate(scene.edges):
        item.set_values(None if edge_values is None else edge_values[l], edge_limit, scene.wide_edges)
    scale = _activation_scale(spec, scene, session, acts, mode)
    _fill_neurons(scene, mode, acts, nodes, scale, dead, inputs)
    _add_notes(spec, session, acts, nodes, dead)
    if labels:
        _update_labels(scene, session, acts, mode)
    return spec


def _width_key(scene: DiagramScene, what: str) -> WidthKey:
    """What line width (wide edges) or strength (thin ones) says about |`what`|."""
    if scene.wide_edges:
        return WidthKey(f"line width: size |{what}|", False, f"width: |{what}|")
    return WidthKey(f"stronger line: bigger |{what}|", True, f"strength: |{what}|")


def _weight_scales(spec: LegendSpec, scene: DiagramScene,
                   net: Network) -> tuple[list[np.ndarray], float, _Nodes]:
    """Edges show the weights w (the neurons their activation: see _activation_scale)."""
    limit = symmetric_limit([np.max(np.abs(W)) for W in net.weights])
    spec.entries.append(ColorBar("edge colour: weight w (dashed if < 0)", DIVERGING_LUT, -limit, limit, "weight w, dashed < 0"))
    spec.entries.append(_width_key(scene, "w"))
    return net.weights, limit, _Nodes(None)


def _gradient_scales(spec: LegendSpec, scene: DiagramScene, session: Session,
                     grads: Gradients | None, source_label: str,
                     no_samples: bool) -> tuple[list[np.ndarray] | None, float, _Nodes]:
    """Edges show ∂L/∂w and neurons δ = ∂L/∂z, from `grads` (None: not computed yet)."""
    if grads is None:
        spec.entries.append(Note(
            "Gradients are worked out for a sample, and this dataset has none yet." if no_samples
            else "Gradients are not computed yet: step through the backward pass to see them."))
        return None, 1.0, _Nodes(None)
    edge_limit = symmetric_limit([np.max(np.abs(g)) for g in grads.dW])
    node_limit = symmetric_limit([np.max(np.abs(g)) for g in grads.db])
    suffix = f" ({source_label})" if source_label else f" ({session.input_description()})"
    spec.entries.append(ColorBar("edge colour: ∂L/∂w" + suffix + ", dashed if < 0", DIVERGING_LUT,
                                 -edge_limit, edge_limit, "∂L/∂w" + suffix))
    spec.entries.append(_width_key(scene, "∂L/∂w"))
    spec.entries.append(ColorBar("neuron colour: δ = ∂L/∂z", DIVERGING_LUT,
                                 -node_limit, node_limit, "δ = ∂L/∂z"))
    return grads.dW, edge_limit, _Nodes([None] + list(grads.db), node_limit)


def _is_image(scene: DiagramScene) -> bool:
    return scene.thumbnail is not None or scene.input_grid


def _activation_scale(spec: LegendSpec, scene: DiagramScene, session: Session,
                      acts: list[np.ndarray] | None, mode: str) -> Scale:
    """The activations' colour scale (low, high), and its entry in weights mode."""
    if acts is None:
        if mode != "gradients":
            spec.entries.append(Note("Neurons show their values for a sample, and this "
                                     "dataset has none yet."))
        return 0.0, 1.0
    # Over hidden and output layers (and the inputs unless they are pixels), their finite
    # values (an overflow's ±∞ and NaN have no place on a scale).
    scaled = acts[1:] if _is_image(scene) else acts
    finite = [a[np.isfinite(a)] for a in scaled]
    lo = min([0.0] + [float(a.min()) for a in finite if a.size])
    hi = max([lo] + [float(a.max()) for a in finite if a.size])
    hi = hi if hi > lo else lo + 1.0
    if mode != "gradients":
        spec.entries.append(ColorBar(f"neuron colour: activation a ({session.input_description()})",
                                     SEQUENTIAL_LUT, lo, hi, ACTIVATION_BAR))
    return lo, hi


def _fill_neurons(scene: DiagramScene, mode: str, acts: list[np.ndarray] | None, nodes: _Nodes,
                  scale: Scale, dead: list[np.ndarray], inputs: bool) -> None:
    dead_fill = scene.theme.dead if mode != "gradients" else None
    for layer, row in enumerate(scene.neurons):
        if layer == 0 and not inputs:
            continue
        fills, texts = _layer_fills(scene, layer, mode, acts, nodes, scale)
        for item, fill, text, is_dead in zip(row, fills, texts, dead[layer].tolist()):
            item.set_state(dead_fill if is_dead and dead_fill is not None else fill, text, is_dead)


def _layer_fills(scene: DiagramScene, layer: int, mode: str, acts: list[np.ndarray] | None,
                 nodes: _Nodes, scale: Scale) -> tuple[list[QColor], list[float | None]]:
    """The fill and the number of each neuron of `layer`."""
    n = len(scene.neurons[layer])
    values = None if acts is None else acts[layer]
    if values is None or mode == "gradients" and layer > 0 and nodes.values is None:
        return [scene.theme.neutral] * n, [None] * n
    if layer == 0 and _is_image(scene):
        return [_GREYS[g] for g in pixel_grey(values).tolist()], values.tolist()
    if mode == "gradients" and layer > 0:
        deltas = nodes.values[layer]
        lut = lut_colors("diverging")
        return [lut[k] for k in diverging_indices(deltas, nodes.limit).tolist()], deltas.tolist()
    lut = lut_colors("sequential")
    return [lut[k] for k in sequential_indices(values, *scale).tolist()], values.tolist()


def _add_notes(spec: LegendSpec, session: Session, acts: list[np.ndarray] | None, nodes: _Nodes,
               dead: list[np.ndarray]) -> None:
    """Why some numbers are ∞ or ?, and how many ReLUs are dead."""
    shown = [*(acts or []), *(v for v in (nodes.values or []) if v is not None)]
    if not all(np.isfinite(v).all() for v in shown):
        spec.entries.insert(0, Note(f"∞, ? and “undefined” mark an "
                                    f"{overflow_cause(session.network, session.dataset.inputs)}",
                                    essential=True))
    if any(d.any() for d in dead):
        n_dead = int(sum(d.sum() for d in dead))
        spec.entries.append(Swatch(f"dead ReLU ({n_dead}): 0 for every sample", "dead",
                                   f"dead ReLU ({n_dead})"))


# ----- labels ----------------------------------------------------------------------------------

def _update_labels(scene: DiagramScene, session: Session, acts: list[np.ndarray] | None,
                   mode: str) -> None:
    # Class names come from the file: shortened, so a long one cannot make the labels
    # wider than the network (the view fits them all, and would shrink everything).
    names = [shorten(name, NAME_LIMIT) for name in session.dataset.class_names]
    # No sample: the outputs are named, with no values.
    output = target = None
    if acts is not None:
        output = acts[-1]
        target = session.sample_target() if session.target_known else None
    scene.labels.set_variants(_subheader_texts(scene, session, target), _gap_texts(scene, mode),
                              _output_texts(scene, session, output, target, names))
    _show_sample(scene, session, acts is None, names)
    scene.labels.fit()


def _output_texts(scene: DiagramScene, session: Session, output: np.ndarray | None,
                  target: np.ndarray | None, names: list[str]) -> list[tuple[str, str]]:
    """Each output's label (class, ŷ and y), in full and short."""
    net = session.network
    # Probabilities read best with fixed decimals ("0.00", not "6.6×10⁻⁷"), which also keeps
    # the labels' width steady while a network trains.
    probability = net.activations[-1].probability

    def y_hat(v: float) -> str:
        return fixed_text(v, 2) if probability else fmt(v, 2)

    outputs = []
    for j in range(len(scene.labels.output_labels)):
        if session.dataset.is_regression:
            label = "ŷ" if net.sizes[-1] == 1 else f"ŷ{j + 1}"
            known = "" if target is None else f"   y = {fmt(target[j], 2)}"   # Try it: no y
            outputs.append((label, label) if output is None else
                           (f"{label} = {y_hat(output[j])}{known}", f"{label} = {y_hat(output[j])}"))
        elif net.sizes[-1] == 1:
            name = names[1] if len(names) > 1 else "1"
            label = f"ŷ = P(“{name}”)"
            outputs.append((label, "ŷ") if output is None else
                           (f"{label} = {y_hat(output[j])}   y = {fmt(target[j], 2)}",
                            f"ŷ = {y_hat(output[j])}"))
        else:
            name = names[j] if j < len(names) else f"output {j + 1}"
            outputs.append((f"“{name}”", f"“{name}”") if output is None else
                           (f"“{name}”  ŷ = {y_hat(output[j])}   y = {fmt(target[j], 2)}",
                            f"“{name}” {y_hat(output[j])}"))
    return outputs


def _subheader_texts(scene: DiagramScene, session: Session,
                     target: np.ndarray | None) -> list[tuple[str, ...]]:
    """Under the headers: the dataset's title under the inputs, the loss under the outputs."""
    net = session.network
    loss_text = "L = –" if target is None else f"L = {fmt(net.loss(session.trace(), target))}"
    last = len(scene.labels.headers) - 1
    subs: list[tuple[str, ...]] = []
    for layer in range(len(scene.labels.subheaders)):
        if layer == last:
            # A crowded view keeps the number; the Input panel names the loss too.
            subs.append((f"{net.loss_fn.display} loss  {loss_text}", loss_text))
        elif layer == 0:
            subs.append((session.dataset.title, ""))   # the Dataset panel shows it
        else:
            subs.append(("",))
    return subs


def _gap_texts(scene: DiagramScene, mode: str) -> list[tuple[str, ...]]:
    """Under each weight layer: its name and size, and how many of its edges are shown."""
    gap_texts: list[tuple[str, ...]] = []
    for l, item in enumerate(scene.edges, start=1):
        text = f"W{sup(l)}  ({item.n_out}×{item.n_in})"
        if item.truncated:
            what = "gradients" if mode == "gradients" else "weights"
            # Shorter wording for a crowded view, where the labels of two gaps would touch.
            gap_texts.append((f"{text}\nshowing the {item.shown.size:,} strongest\nof {item.n_edges:,} {what}",
                              f"{text}\n{item.shown.size:,} strongest\nof {item.n_edges:,}"))
        else:
            gap_texts.append((text,))
    return gap_texts


def _show_sample(scene: DiagramScene, session: Session, no_samples: bool, names: list[str]) -> None:
    """The thumbnail of the selected sample and its caption, if the scene has one."""
    if scene.thumbnail is None:
        return
    ds = session.dataset
    if no_samples:
        scene.thumbnail.set_pixels(np.zeros(ds.n_inputs))
        scene.labels.set_text(scene.thumb_caption, "no samples")
        return
    scene.thumbnail.set_pixels(session.sample_input())
    if not session.target_known:
        target = "no target"
    elif session.trying or not ds.is_regression:
        target = f"label “{names[session.sample_label()]}”"
    else:
        target = ds.target_text(session.selected_sample)
    scene.labels.set_text(scene.thumb_caption, f"{session.input_description()}\n{target}")
