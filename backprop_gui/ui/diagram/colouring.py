"""Colouring: what the diagram's colours and numbers show, and why they cannot, if so.

Weights mode: edges show the weights, neurons their activation. Gradients mode: edges show
∂L/∂w and neurons δ, of the selected sample or of another source (the step-through's batch).
`paint` fills the scene's items through `values.recolour`; a network that does not fit the
dataset leaves a `problem` that the view explains over the diagram.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ...engine.network import Gradients
from ...engine.selection import Selection
from ...session.session import Session
from .legend import LegendSpec
from .scene import DiagramScene
from .tooltips import edge_tooltip, neuron_tooltip
from .values import recolour

COLOR_MODES = ("weights", "gradients")

GradientSource = Callable[[], Gradients | None]


class Colouring:
    """The colour mode, where gradients come from, and the last recolour's problem."""

    def __init__(self, session: Session, scene: DiagramScene) -> None:
        self._session = session
        self._scene = scene
        self.mode = "weights"
        self._source: GradientSource | None = None
        self._source_label = ""
        self.problem = ""      # why the numbers cannot be shown ("" when they can)

    def set_mode(self, mode: str) -> bool:
        """Colour by "weights" or "gradients"; whether the mode changed."""
        if mode not in COLOR_MODES:
            raise ValueError(f"unknown colour mode {mode!r} (known: {', '.join(COLOR_MODES)})")
        changed = mode != self.mode
        self.mode = mode
        return changed

    def set_gradient_source(self, source: GradientSource | None, label: str = "") -> bool:
        """Where gradients mode reads its gradients (None: the selected sample's); whether
        what is shown changes (in gradients mode)."""
        self._source = source
        self._source_label = label if source is not None else ""
        return self.mode == "gradients"

    def gradients(self) -> Gradients | None:
        """The gradients gradients mode shows (None: not computed yet, or no samples)."""
        if self._source is None:
            return self._session.gradients() if self._session.has_samples else None
        return self._source()

    def paint(self, dead_masks: Callable[[], list[np.ndarray]], in_motion: bool,
              labels: bool) -> LegendSpec | None:
        """Fill the scene's items with the current numbers and return the legend, or None
        with `problem` set when the network and the dataset do not fit together. In motion
        the input neurons are left alone (training does not change them); `labels`: whether
        the labels' texts are updated too."""
        try:
            grads = self.gradients() if self.mode == "gradients" else None
            legend = recolour(self._scene, self._session, self.mode, grads, self._source_label,
                              dead_masks(), inputs=not in_motion, labels=labels)
        except ValueError as exc:
            # A dataset swap sets the network and the dataset one after the other; between
            # the two signals they may not fit together.
            self.problem = str(exc)
            return None
        self.problem = ""
        return legend

    def notice(self) -> str:
        """What the view says over the diagram while there is a problem ("" otherwise)."""
        if not self.problem:
            return ""
        net, ds = self._session.network, self._session.dataset
        if net.sizes[0] != ds.n_inputs:
            why = (f"the network has {net.sizes[0]} inputs, but each sample of "
                   f"“{ds.title}” has {ds.n_inputs}")
        else:
            why = self.problem.rstrip(".")
        return (f"The network does not fit the dataset: {why}.\n"
                "Load a matching dataset (Dataset panel) or undo the last change (Ctrl+Z).")

    def tooltip_for(self, key: Selection | None) -> str:
        """What hovering a neuron or a weight tells ("" for nothing); in gradients mode from
        another source, the gradient shown as well."""
        if key is None:
            return ""
        shown = self.gradients() if self.mode == "gradients" and self._source else None
        label = self._source_label if shown is not None else ""
        if key.is_weight:
            return edge_tooltip(self._session, key, shown, label, self.mode)
        return neuron_tooltip(self._session, key.layer, key.j, shown, label, self.mode)
