"""Put the step-through highlight and the hovered/selected weight onto the scene's overlays."""

from __future__ import annotations

import numpy as np

from ...engine.selection import Selection
from ..colors import mix
from .edges import N_MAG
from .highlight import Highlight
from .overlays import Emphasis
from .scene import DiagramScene
from .style import DiagramColors

MAX_HIGHLIGHT_EDGES = 600   # per weight layer; the strongest of the lit edges


def emphasise(scene: DiagramScene, keys: list[Selection | None], theme: DiagramColors) -> None:
    """Draw the weights among `keys` wide (neurons, biases and None are skipped)."""
    items = []
    halo = mix(theme.background, theme.text, 0.85)
    for key in keys:
        if key is None or not key.is_weight or key.param >= len(scene.edges):
            continue
        edges = scene.edges[key.param]
        j, i = key.j, key.i
        if j >= edges.n_out or i >= edges.n_in:
            continue
        width = edges.width_of(j, i) if edges.wide else 1.5
        items.append(Emphasis(edges.segment(j, i), edges.emphasis_color(j, i), width, halo))
    scene.emphasis.set_items(items)


def show_highlight(scene: DiagramScene, h: Highlight | None) -> bool:
    """Light up what `h` names and fade the rest; returns True if edges are lit (to animate).

    Layers and neurons that do not exist (e.g. after the network shrank) are ignored.
    """
    layout = scene.layout
    if h is None or layout is None:
        scene.set_dimmed(None, None)
        scene.highlight.set_lines([], False)
        scene.caption.set_text("")
        return False
    n_layers = len(layout.layers)
    lit = {k: v for k, v in h.lit_layers().items() if 0 <= k < n_layers}
    edge_layers = {l for l in h.edge_layers if 1 <= l < n_layers}
    scene.set_dimmed(edge_layers,
                     lambda layer, j: layer in lit and (lit[layer] is None or j in lit[layer]))
    groups = []
    for l in sorted(edge_layers):
        item = scene.edges[l - 1]
        shown = item.shown
        j, i = np.divmod(shown, item.n_in)
        keep = np.ones(shown.size, dtype=bool)
        if lit.get(l) is not None:
            keep &= np.isin(j, lit[l])
        if lit.get(l - 1) is not None:
            keep &= np.isin(i, lit[l - 1])
        chosen = shown[keep]
        if chosen.size > MAX_HIGHLIGHT_EDGES:
            chosen = chosen[np.argsort(item.buckets[chosen] % N_MAG)[-MAX_HIGHLIGHT_EDGES:]]
        groups += item.groups_for(chosen)
    backward = h.direction == "backward"
    scene.highlight.set_lines(groups, backward)
    text = f"{h.label}  {'←' if backward else '→'}" if h.label else ""
    if h.layer is not None and 0 <= h.layer < n_layers:
        scene.caption_place = (h.layer, None)
    elif edge_layers:
        scene.caption_place = (None, min(edge_layers))
    else:
        scene.caption_place = None
        text = ""
    if scene.caption_place is not None:
        scene.caption.setPos(scene.caption_anchor(*scene.caption_place))
    scene.caption.set_text(text)
    return bool(groups)
