"""Fill the diagram's items with the current numbers: colours, texts and the legend.

Reads only what the session computed (trace, gradients, dead neurons); never recomputes.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

from ...engine.network import Gradients
from ...engine.overflow import fixed_text, overflow_cause
from ...session.session import Session
from ..colors import (DIVERGING_LUT, SEQUENTIAL_LUT, diverging_indices, sequential_indices,
                      symmetric_limit)
from ..plain_text import NAME_LIMIT, shorten
from ...engine.notation import sup
from .highlight import fmt
from .legend import ColorBar, LegendSpec, Note, Swatch, WidthKey
from .nodes import pixel_grey
from .scene import DiagramScene


_QCOLORS: dict[str, list[QColor]] = {}


def _lut_colors(name: str) -> list[QColor]:
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
    is_image = scene.thumbnail is not None or scene.input_grid
    spec = LegendSpec()
    width_title = "line width: size |value|" if scene.wide_edges else "stronger line: bigger |value|"
    short_width = "width: |value|" if scene.wide_edges else "strength: |value|"

    if mode == "gradients":
        edge_values = None if grads is None else grads.dW
        node_values = None if grads is None else [None] + list(grads.db)
        edge_limit = symmetric_limit([np.max(np.abs(g)) for g in grads.dW]) if grads else 1.0
        node_limit = symmetric_limit([np.max(np.abs(g)) for g in grads.db]) if grads else 1.0
        suffix = f" ({source_label})" if source_label else f" (sample {session.selected_sample + 1})"
        if grads is None and acts is None:
            spec.entries.append(Note("Gradients are worked out for a sample, and this "
                                     "dataset has none yet."))
        elif grads is None:
            spec.entries.append(Note("Gradients are not computed yet: step through the "
                                     "backward pass to see them."))
        else:
            spec.entries.append(ColorBar("edge colour: ∂L/∂w" + suffix, DIVERGING_LUT,
                                         -edge_limit, edge_limit, "∂L/∂w" + suffix))
            spec.entries.append(WidthKey(width_title.replace("value", "∂L/∂w"), not scene.wide_edges,
                                         short_width.replace("value", "∂L/∂w")))
            spec.entries.append(ColorBar("neuron colour: δ = ∂L/∂z", DIVERGING_LUT,
                                         -node_limit, node_limit, "δ = ∂L/∂z"))
    else:
        edge_values = net.weights
        node_values = None
        edge_limit = symmetric_limit([np.max(np.abs(W)) for W in net.weights])
        spec.entries.append(ColorBar("edge colour: weight w", DIVERGING_LUT, -edge_limit, edge_limit,
                                     "weight w"))
        spec.entries.append(WidthKey(width_title.replace("value", "w"), not scene.wide_edges,
                                     short_width.replace("value", "w")))

    for l, item in enumerate(scene.edges):
        item.set_values(None if edge_values is None else edge_values[l], edge_limit, scene.wide_edges)

    if acts is None:
        if mode != "gradients":
            spec.entries.append(Note("Neurons show their values for a sample, and this "
                                     "dataset has none yet."))
        lo, hi = 0.0, 1.0
    else:
        # Activation scale: over hidden and output layers (and the inputs unless they are
        # pixels), their finite values (an overflow's ±∞ and NaN have no place on a scale).
        scaled = acts[1:] if is_image else acts
        finite = [a[np.isfinite(a)] for a in scaled]
        lo = min([0.0] + [float(a.min()) for a in finite if a.size])
        hi = max([lo] + [float(a.max()) for a in finite if a.size])
        hi = hi if hi > lo else lo + 1.0
        if mode != "gradients":
            spec.entries.append(ColorBar(f"neuron colour: activation a (sample {session.selected_sample + 1})",
                                         SEQUENTIAL_LUT, lo, hi, "activation a"))

    for layer, row in enumerate(scene.neurons):
        if layer == 0 and not inputs:
            continue
        values = None if acts is None else acts[layer]
        if values is None:
            fills = [scene.theme.neutral] * len(row)
            texts = [None] * len(row)
        elif layer == 0 and is_image:
            fills = [_GREYS[g] for g in pixel_grey(values).tolist()]
            texts = values.tolist()
        elif mode == "gradients" and layer > 0:
            if node_values is None:
                fills = [scene.theme.neutral] * len(row)
                texts = [None] * len(row)
            else:
                lut = _lut_colors("diverging")
                fills = [lut[k] for k in diverging_indices(node_values[layer], node_limit).tolist()]
                texts = node_values[layer].tolist()
        else:
            lut = _lut_colors("sequential")
            fills = [lut[k] for k in sequential_indices(values, lo, hi).tolist()]
            texts = values.tolist()
        dead_fill = scene.theme.dead if mode != "gradients" else None
        for item, fill, text, is_dead in zip(row, fills, texts, dead[layer].tolist()):
            item.set_state(dead_fill if is_dead and dead_fill is not None else fill, text, is_dead)

    shown = [*(acts or []), *(v for v in (node_values or []) if v is not None)]
    if not all(np.isfinite(v).all() for v in shown):
        spec.entries.insert(0, Note(f"∞, ? and “undefined” mark an "
                                    f"{overflow_cause(net, session.dataset.inputs)}", essential=True))
    if any(d.any() for d in dead):
        n_dead = int(sum(d.sum() for d in dead))
        spec.entries.append(Swatch(f"dead ReLU ({n_dead}): 0 for every sample", "dead",
                                   f"dead ReLU ({n_dead})"))
    if labels:
        _update_labels(scene, session, acts, mode)
    return spec


def _update_labels(scene: DiagramScene, session: Session, acts: list[np.ndarray] | None,
                   mode: str) -> None:
    net, ds = session.network, session.dataset
    # Class names come from the file: shortened, so a long one cannot make the labels
    # wider than the network (the view fits them all, and would shrink everything).
    names = [shorten(name, NAME_LIMIT) for name in ds.class_names]
    # Probabilities read best with fixed decimals ("0.00", not "6.6×10⁻⁷"), which also keeps
    # the labels' width steady while a network trains.
    probability = net.activations[-1].probability

    def y_hat(v: float) -> str:
        return fixed_text(v, 2) if probability else fmt(v, 2)

    if acts is None:  # no sample: the outputs are named, with no values
        target = output = None
        loss_text = "L = –"
    else:
        target = session.sample_target()
        output = acts[-1]
        loss_text = f"L = {fmt(net.loss(session.trace(), target))}"
    outputs = []
    for j in range(len(scene.output_labels)):
        if net.sizes[-1] == 1:
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
    last = len(scene.headers) - 1
    subs = []
    for layer in range(len(scene.subheaders)):
        if layer == last:
            # A crowded view keeps the number; the Input panel names the loss too.
            subs.append((f"{net.loss_fn.display} loss  {loss_text}", loss_text))
        elif layer == 0:
            subs.append((ds.title, ""))   # the Dataset panel shows it
        else:
            subs.append(("",))
    gap_texts = []
    for l, item in enumerate(scene.edges, start=1):
        text = f"W{sup(l)}  ({item.n_out}×{item.n_in})"
        if item.truncated:
            what = "gradients" if mode == "gradients" else "weights"
            # Shorter wording for a crowded view, where the labels of two gaps would touch.
            gap_texts.append((f"{text}\nshowing the {item.shown.size:,} strongest\nof {item.n_edges:,} {what}",
                              f"{text}\n{item.shown.size:,} strongest\nof {item.n_edges:,}"))
        else:
            gap_texts.append((text,))
    scene.set_label_variants(subs, gap_texts, outputs)
    if scene.thumbnail is not None and acts is None:
        scene.thumbnail.set_pixels(np.zeros(ds.n_inputs))
        scene.set_label_text(scene.thumb_caption, "no samples")
    elif scene.thumbnail is not None:
        i = session.selected_sample
        scene.thumbnail.set_pixels(ds.inputs[i])
        label = names[ds.labels[i]]
        scene.set_label_text(scene.thumb_caption, f"sample {i + 1}\nlabel “{label}”")
    scene.fit_labels()
