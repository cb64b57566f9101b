"""NeuronMaps: each neuron of a two-input network drawn as a small map of its activation a
over the input plane, as TensorFlow Playground does.

The network runs once on the plane's lattice (engine/plane.py: the square and the GRID × GRID
points the points canvas and its decision regions use too); every neuron's column of that
forward pass becomes a GRID × GRID picture, row 0 at the top (largest x₂), x₁ growing to the
right. Colours are the app's two maps (ui/common/colors.py) on fixed scales, so a map keeps
its meaning while a network trains: a signed a (the inputs x, tanh, linear, leaky ReLU) on
the diverging map from −1 to +1, a non-negative a (σ, ReLU, softmax) on the sequential map
from 0 to 1; beyond them, the end colour. A small ring on every map marks where the input
shown lies, so the neuron's colour there is its value for that input.

Maps are drawn in weights mode only (in gradients mode a neuron's colour is δ). A neuron
narrower than MIN_MAP_PIXELS (nodes.py) on screen stays a circle filled with its value on
the maps' scale; when no layer's neurons are that wide (a small screen), the diagram is
drawn as without maps, with its usual legend.
While training streams the maps follow a few times a second (a Throttle, gated by the view's
motion); otherwise they are exact for the current weights.

`install_neuron_maps` puts the option under View (and the diagram's context menu has it):
on by default, remembered in the settings, disabled for a network without two inputs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QPointF, QSettings
from PySide6.QtGui import QColor, QImage

from ...engine.notation import input_name
from ...engine.plane import GRID, plane_lattice, plane_limit
from ...session.session import Session
from ..common.colors import DIVERGING_LUT, SEQUENTIAL_LUT, diverging_indices, sequential_indices
from ..common.throttle import Throttle
from ..common.window_hooks import WindowHooks
from .legend import ColorBar, LegendSpec
from .layout import MAP_GROWTH
from .nodes import MIN_MAP_PIXELS
from .scene import DiagramScene
from .values import ACTIVATION_BAR, lut_colors

if TYPE_CHECKING:
    from .view import NetworkView

MAPS_REFRESH_MS = 250     # the maps while training streams: this often at most
# … and on a lattice of STREAM_GRID² points over the same square: a quarter of the work, so
# that the frame that redraws them still fits its 16 ms (80² took 8–15 ms on this project's
# shared machine). Still, they are GRID² again.
STREAM_GRID = GRID // 2
SETTINGS_KEY = "diagram/neuron_maps"


def _non_negative(session: Session, layer: int) -> bool:
    """Whether the neurons of `layer` take values ≥ 0 only (the inputs are signed)."""
    return layer > 0 and session.network.activations[layer - 1].non_negative


def _lut_indices(values: np.ndarray, non_negative: bool) -> np.ndarray:
    """LUT indices of activations on the maps' fixed scales: 0 … 1 on the sequential map
    for a non-negative a, −1 … +1 on the diverging one for a signed a. Values beyond are
    clipped first: the end colour either way, and 10³⁰⁸ would overflow on the way (NaN stays)."""
    values = np.clip(values, -2.0, 2.0)
    return sequential_indices(values, 0.0, 1.0) if non_negative else diverging_indices(values, 1.0)


def _rgb32(lut: np.ndarray) -> np.ndarray:
    """A LUT as 0xFFRRGGBB words: a picture is then one lookup, in the format Qt draws."""
    rgb = lut.astype(np.uint32)
    return 0xFF000000 | rgb[:, 0] << 16 | rgb[:, 1] << 8 | rgb[:, 2]


_WORDS = {True: _rgb32(SEQUENTIAL_LUT), False: _rgb32(DIVERGING_LUT)}


def map_images(session: Session, limit: float, grid: int = GRID) -> list[list[QImage]]:
    """Per layer (inputs first), per neuron, the grid × grid picture of its activation over
    the square −limit … limit: one forward pass of the whole lattice."""
    trace = session.network.forward(plane_lattice(limit, grid))
    images = []
    for layer, acts in enumerate(trace.a):
        kind = _non_negative(session, layer)
        words = _WORDS[kind][_lut_indices(np.ascontiguousarray(acts.T), kind)]   # (n, grid²)
        images.append([QImage(words[j].data, grid, grid, 4 * grid, QImage.Format.Format_RGB32).copy()
                       for j in range(words.shape[0])])
    return images


class NeuronMaps:
    """Whether the maps are wanted and possible, the maps on show, and what they add to the
    legend. The view calls `paint` at each recolour (after the colouring filled the items)."""

    def __init__(self, session: Session, scene: DiagramScene, parent: QObject | None = None) -> None:
        self._session = session
        self._scene = scene
        self.wanted = True              # the person's choice (View ▸ Neuron Maps)
        self.shown = False              # the last paint gave the neurons maps
        self.too_small = False          # wanted and possible, but no neuron is wide enough
        self._fitted: tuple[bool, ...] = ()   # per layer: wide enough at the last paint
        self.throttle = Throttle(MAPS_REFRESH_MS, parent=parent)
        self._key: tuple | None = None  # what the maps on the items were computed from
        self._kinds: list[bool] = []    # per layer on show: non-negative a

    # ----- what is possible ---------------------------------------------------------------------

    def available(self) -> bool:
        """Whether the network takes two inputs (x₁, x₂): a plane to draw the maps over."""
        return self._session.network.sizes[0] == 2

    def why_unavailable(self) -> str:
        """Why the maps cannot be drawn ("" when they can)."""
        n = self._session.network.sizes[0]
        if n == 2:
            return ""
        return (f"Neuron maps need a network with 2 inputs (x₁, x₂), the plane each map is "
                f"drawn over; this network has {n}.")

    def limit(self) -> float:
        """Half the side of the square the maps show: the points canvas's."""
        ds = self._session.dataset
        return plane_limit(ds.inputs) if ds.n_inputs == 2 else plane_limit(np.zeros((0, 2)))

    # ----- painting -----------------------------------------------------------------------------

    def reset(self) -> None:
        """The scene was rebuilt: its new items have no maps yet."""
        self.shown = self._scene.maps_shown = False
        self._key = None

    def fits(self, zoom: float) -> tuple[bool, ...]:
        """Per layer, whether its neurons are wide enough on screen for their maps (as
        NeuronItem.paint decides)."""
        layout = self._scene.layout
        return () if layout is None else tuple(
            2.0 * MAP_GROWTH * geom.radius * zoom >= MIN_MAP_PIXELS for geom in layout.layers)

    def fit_changed(self, zoom: float) -> bool:
        """Whether, at this zoom, maps would come or go (the diagram must be painted again)."""
        return self.wanted and self.available() and self.fits(zoom) != self._fitted

    def paint(self, mode: str, in_motion: bool, zoom: float) -> bool:
        """Give every neuron its map, its marker and its fill on the maps' scale, or take
        them away; whether maps are on show. In motion, new pictures wait for their turn."""
        wanted = self.wanted and mode == "weights" and self.available()
        self._fitted = self.fits(zoom)
        self.too_small = wanted and not any(self._fitted)
        if not wanted or self.too_small:
            if self.shown:
                for row in self._scene.neurons:
                    for item in row:
                        item.set_map(None)
            self.shown = self._scene.maps_shown = False
            self._key = None
            return False
        net = self._session.network
        limit = self.limit()
        grid = STREAM_GRID if in_motion else GRID
        key = (net.get_flat().tobytes(), limit, tuple(net.activation_names), grid)
        images = None
        if key != self._key and (not in_motion or self.throttle.ready() or self._key is None):
            self.throttle.ran()
            images = map_images(self._session, limit, grid)
            self._key = key
        self._kinds = [_non_negative(self._session, layer) for layer in range(net.n_layers + 1)]
        fills, marker = self._sample_fills(limit)
        for layer, row in enumerate(self._scene.neurons):
            for j, item in enumerate(row):
                image = images[layer][j] if images is not None else item.map_image
                fill = None if fills is None or fills[layer] is None else fills[layer][j]
                item.set_map(image, fill, marker)
        self.shown = self._scene.maps_shown = True
        return True

    def _sample_fills(self, limit: float) -> tuple[list[list[QColor] | None] | None, QPointF | None]:
        """For the layers too small on screen for their maps, each neuron's value for the
        input shown on its map's scale; and where that input lies on a map (0 … 1 across
        and down; None outside it or without samples)."""
        session = self._session
        if not session.has_samples:
            return None, None
        acts = session.trace().a
        fills = [None if fits else
                 [lut_colors("sequential" if kind else "diverging")[k]
                  for k in _lut_indices(a[0], kind).tolist()]
                 for a, kind, fits in zip(acts, self._kinds, self._fitted)]
        x1, x2 = (float(v) for v in acts[0][0][:2])
        u, v = (x1 / limit + 1.0) / 2.0, (1.0 - x2 / limit) / 2.0
        inside = 0.0 <= u <= 1.0 and 0.0 <= v <= 1.0
        return fills, QPointF(u, v) if inside else None

    # ----- what the legend and the hover card say --------------------------------------------

    def amend_legend(self, spec: LegendSpec) -> None:
        """Maps on show: the neurons' colour bar gives way to the maps' scales."""
        if not self.shown:
            return
        entries = [e for e in spec.entries
                   if not (isinstance(e, ColorBar) and e.short == ACTIVATION_BAR)]
        net = self._session.network
        signed = ["x"] + [f.display for f, kind in zip(net.activations, self._kinds[1:]) if not kind]
        positive = [f.display for f, kind in zip(net.activations, self._kinds[1:]) if kind]
        if signed:
            entries.append(ColorBar(f"neuron maps: {', '.join(dict.fromkeys(signed))}",
                                    DIVERGING_LUT, -1.0, 1.0, "maps: signed a"))
        if positive:
            entries.append(ColorBar(f"neuron maps: {', '.join(dict.fromkeys(positive))}",
                                    SEQUENTIAL_LUT, 0.0, 1.0, "maps: a ≥ 0"))
        # What the axes are is said by the hover card and the option's tooltip: a note here
        # would cost the legend its one-row layout (and the line-width key with it).
        spec.entries[:] = entries

    def hover_line(self, layer: int, j: int, zoom: float) -> str:
        """The hover card's line about a neuron's map ("" when maps are off)."""
        if self.too_small:
            return (f"Neuron maps: too small on screen (under {MIN_MAP_PIXELS:g} px) to draw "
                    f"them; zoom in (Ctrl++) to see each neuron's a over the input plane.")
        if not self.shown:
            return ""
        item = self._scene.neurons[layer][j]
        lo = "0" if self._kinds[layer] else "−1"
        scale = f"{lo} … 1"
        if 2.0 * MAP_GROWTH * item.radius * zoom < MIN_MAP_PIXELS:
            return (f"Too small on screen for its map (under {MIN_MAP_PIXELS:g} px): zoom in "
                    f"(Ctrl++) to see a over the input plane. Colour: a on {scale}.")
        limit = self.limit()
        return (f"The map: a over {input_name(0)} (across) and {input_name(1)} (up), "
                f"−{limit:g} … {limit:g}; colour scale {scale}; the ring marks the input shown.")


def install_neuron_maps(window: WindowHooks, view: NetworkView, settings: QSettings) -> None:
    """View ▸ Neuron Maps for the diagram `view`, its state kept in `settings`."""
    action = view.view_actions.maps
    view.set_neuron_maps(settings.value(SETTINGS_KEY, True, type=bool))
    action.toggled.connect(lambda on: settings.setValue(SETTINGS_KEY, bool(on)))
    window.add_menu_entries("View", "colour", [action])
