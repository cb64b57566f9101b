"""Lighting: the step-through's highlight, the selected neuron's ring and the hovered or
selected weight drawn wide, put onto the scene's items and overlays."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from ...engine.selection import Selection
from ..common.colors import mix
from .edges import N_MAG
from .highlight import Highlight
from .overlays import Emphasis
from .scene import DiagramScene
from .style import DiagramColors

MAX_HIGHLIGHT_EDGES = 600   # per weight layer; the strongest of the lit edges
ANIMATION_MS = 50           # the marching dots move 20 times a second


class Lighting:
    """What the diagram lights up besides its numbers. `widget` (the view) parents the
    animation's timer, which runs only while it is visible."""

    def __init__(self, scene: DiagramScene, theme: DiagramColors, widget: QWidget) -> None:
        self._scene = scene
        self.theme = theme
        self._widget = widget
        self._highlight: Highlight | None = None
        self._applied = False      # the scene shows a highlight (possibly an older one)
        self._animation = QTimer(widget)
        self._animation.setInterval(ANIMATION_MS)
        self._animation.timeout.connect(scene.highlight.advance)

    @property
    def highlight(self) -> Highlight | None:
        return self._highlight

    def set_highlight(self, h: Highlight | None, in_motion: bool) -> None:
        """Light up part of the network (None clears it). In motion (training streams) it
        waits: a step's highlight would point at numbers that are gone."""
        if h is not None and h.direction not in ("forward", "backward"):
            raise ValueError(f"direction must be 'forward' or 'backward', not {h.direction!r}")
        self._highlight = h
        self._apply(None if in_motion else h)

    def forget(self) -> None:
        """Another project: the old highlight names nothing in it (the rebuild shows that)."""
        self._highlight = None

    def reapply(self) -> None:
        """The scene was rebuilt: light up its new items."""
        self._apply(self._highlight)

    def refresh(self, in_motion: bool) -> None:
        """After a recolour: the step-through's highlight belongs to one moment of a pass;
        while the network trains it would point at numbers that are gone: hidden meanwhile."""
        if self._highlight is not None or self._applied:
            self._apply(None if in_motion else self._highlight)

    def _apply(self, highlight: Highlight | None) -> None:
        animate = show_highlight(self._scene, highlight)
        self._applied = highlight is not None
        if animate and self._widget.isVisible():
            self._animation.start()
        else:
            self._animation.stop()

    def resume(self) -> None:
        """The view is shown: the dots march again."""
        if self._scene.highlight.active:
            self._animation.start()

    def pause(self) -> None:
        """The view is hidden: no animation."""
        self._animation.stop()

    def show_selection(self, sel: Selection | None) -> None:
        """Ring the selected neuron; a selected bias rings its neuron (a weight is drawn
        wide by `emphasise` instead)."""
        target = (sel.layer, sel.j) if sel is not None and not sel.is_weight else None
        for row in self._scene.neurons:
            for item in row:
                item.set_selected((item.layer, item.index) == target)

    def emphasise(self, keys: list[Selection | None]) -> None:
        """Draw the weights among `keys` wide (the hovered and the selected one)."""
        emphasise(self._scene, keys, self.theme)


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
