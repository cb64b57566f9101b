"""The diagram's scene: one item per neuron, one edge item per weight layer, the labels
(`SceneLabels`), the hover buttons and the overlays.

`build` runs when the structure changes; `values.recolour` updates the same items in place
when numbers change. Hit-testing (neuron, edge, column, gap under a point) is NumPy on the
layout, so it stays fast for thousands of edges.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtWidgets import QGraphicsScene

from ...engine.dataset import Dataset
from ...engine.network import Network
from ...engine.selection import Selection
from .buttons import BUTTON_MARGIN, BUTTON_SIZE, HoverButtonItem
from .edges import MAX_EDGES_PER_LAYER, EdgeLayerItem
from .label_rows import AUTO_GRID_INPUTS, HEADER_GAP, SceneLabels
from .labels import LabelItem
from .layout import COLUMN_GAP, MAP_GROWTH, DiagramLayout, compute_layout
from .nodes import NeuronItem, ThumbnailItem
from .overlays import CaptionItem, EmphasisItem, HighlightItem
from .style import DiagramColors

WIDE_EDGE_LIMIT = 800        # up to this many drawn edges, line width shows |w|
MIN_THUMBNAIL_ZOOM = 0.6     # below this zoom the sample thumbnail is left out
CAPTION_GAP = 40.0           # from the bottom of a column to the step caption's top


def layer_name(net: Network, layer: int) -> str:
    if layer == 0:
        return "the input layer"
    if layer == net.n_layers:
        return "the output layer"
    return f"hidden layer {layer}"


class DiagramScene(QGraphicsScene):
    """Items of the network diagram and quick lookups into them."""

    view_scale_changed = Signal()   # what fits on screen may have changed (neuron maps)

    def __init__(self, theme: DiagramColors, parent=None) -> None:
        super().__init__(parent)
        # The BSP index costs far more than it saves with thousands of long edges
        # (docs/ARCHITECTURE.md, platform facts).
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.theme = theme
        self.layout: DiagramLayout | None = None
        self.neurons: list[list[NeuronItem]] = []
        self.edges: list[EdgeLayerItem] = []
        self.labels = SceneLabels(self, theme)
        self.view_scale = 1.0
        self.caption_place: tuple[int | None, int | None] | None = None  # see caption_anchor
        self.thumbnail: ThumbnailItem | None = None
        self.thumb_caption: LabelItem | None = None
        self.column_buttons: dict[int, list[HoverButtonItem]] = {}
        self.gap_buttons: dict[int, HoverButtonItem] = {}
        self.emphasis = EmphasisItem()
        self.highlight = HighlightItem(theme)
        self.caption = CaptionItem(theme)
        self.wide_edges = True
        self.input_grid = False
        self.maps_shown = False      # the neurons are drawn as maps (set by NeuronMaps)

    def set_theme(self, theme: DiagramColors) -> None:
        """New colours (the palette changed); the next `build` uses them."""
        self.theme = self.labels.theme = self.highlight.theme = self.caption.theme = theme

    # ----- building ---------------------------------------------------------------------------

    def build(self, net: Network, dataset: Dataset, input_grid: bool | None,
              actions: dict[str, Callable[[int], None]], column_gap: float = COLUMN_GAP) -> None:
        """Replace every item with ones for `net` (values are filled in by `recolour`);
        `column_gap` is the free space between two columns in scene units."""
        for item in (self.emphasis, self.highlight, self.caption):
            if item.scene() is self:
                self.removeItem(item)
        self.clear()
        image_shape = dataset.image_shape if dataset.kind == "image" else None
        if image_shape is not None and int(np.prod(image_shape)) != net.sizes[0]:
            image_shape = None
        if input_grid is None:
            input_grid = image_shape is not None and net.sizes[0] > AUTO_GRID_INPUTS
        self.input_grid = bool(input_grid and image_shape is not None)
        self.layout = layout = compute_layout(net.sizes, image_shape, self.input_grid, column_gap)
        self._build_items(net, layout)
        self.labels.build(net, layout, self.input_grid)
        self._build_thumbnail(image_shape)
        self._build_buttons(net, actions)
        for item in (self.emphasis, self.highlight, self.caption):
            self.addItem(item)
        self.emphasis.set_items([])
        self.highlight.set_lines([], False)
        self.caption.set_text("")
        self.caption_place = None

    def _build_items(self, net: Network, layout: DiagramLayout) -> None:
        self.neurons = []
        for geom in layout.layers:
            row = []
            for j, (x, y) in enumerate(geom.pos.tolist()):
                item = NeuronItem(geom.index, j, QPointF(x, y), geom.radius, geom.square, self.theme)
                self.addItem(item)
                row.append(item)
            self.neurons.append(row)
        self.edges = []
        for l in range(net.n_layers):
            item = EdgeLayerItem(l, layout.layers[l].pos, layout.layers[l + 1].pos, self.theme)
            self.addItem(item)
            self.edges.append(item)
        drawn = sum(min(e.n_edges, MAX_EDGES_PER_LAYER) for e in self.edges)
        self.wide_edges = drawn <= WIDE_EDGE_LIMIT

    def _build_thumbnail(self, image_shape: tuple[int, int] | None) -> None:
        """The selected sample as a picture left of an image input drawn as a column."""
        self.thumbnail = self.thumb_caption = None
        if image_shape is None or self.input_grid:
            return
        first = self.layout.layers[0]
        side = 84.0
        thumb = ThumbnailItem(tuple(image_shape), side, self.theme)
        rows, cols = image_shape
        w = side * cols / max(rows, cols)
        h = side * rows / max(rows, cols)
        left = first.x - first.radius - 64.0 - w
        thumb.setPos(left, -h / 2.0)
        self.addItem(thumb)
        self.thumbnail = thumb
        self.thumb_caption = self.labels.add("", 9.0, muted=True)
        self.labels.place(self.thumb_caption, left + w / 2.0, h / 2.0 + 6.0)

    def set_view_scale(self, view_scale: float) -> None:
        """Keep text readable when the view zooms out (see SceneLabels.set_view_scale), and
        leave out what a small view has no room for."""
        changed = abs(view_scale - self.view_scale) > 1e-6
        self.view_scale = view_scale
        if changed:
            self.redraw_deferred_numbers()
        self.labels.set_view_scale(view_scale, changed)
        if changed:
            self._place_buttons()
            self.view_scale_changed.emit()
        if changed and self.caption_place is not None and self.layout is not None:
            self.caption.setPos(self.caption_anchor(*self.caption_place))
        # In a small view the input panel beside it shows the sample; the room goes to the net.
        if self.thumbnail is not None:
            self.thumbnail.setVisible(view_scale >= MIN_THUMBNAIL_ZOOM)
            self.thumb_caption.setVisible(view_scale >= MIN_THUMBNAIL_ZOOM)

    def _build_buttons(self, net: Network, actions: dict[str, Callable[[int], None]]) -> None:
        self.column_buttons, self.gap_buttons = {}, {}
        layout = self.layout
        for geom in layout.layers[1:]:
            layer = geom.index
            name = layer_name(net, layer)
            n = net.sizes[layer]
            remove = HoverButtonItem(
                "−", f"Remove a neuron from {name} ({n} → {n - 1})",
                lambda layer=layer: actions["remove_neuron"](layer), self.theme, "remove_neuron", layer)
            add = HoverButtonItem(
                "+", f"Add a neuron to {name} ({n} → {n + 1})",
                lambda layer=layer: actions["add_neuron"](layer), self.theme, "add_neuron", layer)
            remove.enabled = n > 1
            self.column_buttons[layer] = [remove, add]
            self.addItem(remove)
            self.addItem(add)
        for l in range(1, net.n_layers + 1):
            button = HoverButtonItem(
                "+", f"Insert a hidden layer here (between {layer_name(net, l - 1)} "
                     f"and {layer_name(net, l)})",
                lambda l=l: actions["add_layer"](l), self.theme, "add_layer", l)
            button.setPos(layout.gap_x(l), layout.top - HEADER_GAP - 12.0)
            self.gap_buttons[l] = button
            self.addItem(button)
        self._place_buttons()

    def _below_column(self, layer: int) -> float:
        """The bottom of the column's last neuron as drawn (its outline and rings included)."""
        row = self.neurons[layer] if layer < len(self.neurons) else []
        return row[-1].sceneBoundingRect().bottom() if row else self.layout.layers[layer].bottom

    def _place_buttons(self) -> None:
        """Each column's −/+ side by side under its last neuron. The buttons keep their size
        on screen whatever the zoom, so their offsets are screen pixels too: placed in scene
        units they overlapped each other and the last neuron once the view zoomed out."""
        if self.layout is None:
            return
        px = 1.0 / max(self.view_scale, 1e-6)   # one screen pixel in scene units
        half = BUTTON_SIZE / 2.0
        for layer, (remove, add) in self.column_buttons.items():
            geom = self.layout.layers[layer]
            y = self._below_column(layer) + (BUTTON_MARGIN + half) * px
            remove.setPos(geom.x - (half + BUTTON_MARGIN / 2.0) * px, y)
            add.setPos(geom.x + (half + BUTTON_MARGIN / 2.0) * px, y)

    def redraw_deferred_numbers(self, group: int | None = None) -> None:
        """Repaint the neurons whose number changed since they were last drawn (with `group`:
        only those of that group, see NeuronItem.group)."""
        for row in self.neurons[1:]:   # input values are never deferred
            for item in row:
                if group is None or item.group == group:
                    item.redraw_deferred_number()

    def content_rect(self) -> QRectF:
        """Everything a fit should show (buttons and captions excluded)."""
        rect = QRectF()
        # Neurons and edges lie within their columns: one rectangle per column instead of
        # one per item (a 784-pixel input made every fit step walk a thousand items).
        for row in self.neurons:
            if row:
                rect = rect.united(row[0].sceneBoundingRect().united(row[-1].sceneBoundingRect()))
        # The rest: every label (all are anchored with `place`) and the sample thumbnail.
        for item in [*self.labels.anchored(), self.thumbnail]:
            if item is not None and item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
        return rect

    # ----- positions and hit-testing ----------------------------------------------------------------

    def neuron_pos(self, layer: int, j: int) -> QPointF:
        return self.neurons[layer][j].pos()

    def edge_midpoint(self, l: int, j: int, i: int) -> QPointF:
        """The middle of the edge for weights[l][j, i]."""
        return self.edges[l].segment(j, i).center()


    def neuron_at(self, pos: QPointF, tolerance: float = 0.0) -> Selection | None:
        if self.layout is None:
            return None
        x, y = pos.x(), pos.y()
        # A neuron drawn as its map (neuron_maps.py) is a square, wider than the circle.
        grow = MAP_GROWTH if self.maps_shown else 1.0
        for geom in self.layout.layers:
            reach = geom.radius * grow + tolerance
            if abs(x - geom.x) > geom.half_width * grow + tolerance or not geom.top - reach <= y <= geom.bottom + reach:
                continue
            d = geom.pos - (x, y)
            square = geom.square or self.maps_shown
            dist = np.max(np.abs(d), axis=1) if square else np.hypot(d[:, 0], d[:, 1])
            j = int(np.argmin(dist))
            if dist[j] <= reach:
                return Selection.neuron(geom.index, j)
        return None

    def edge_at(self, pos: QPointF, tolerance: float) -> Selection | None:
        """The weight whose drawn edge lies under `pos`."""
        for item in self.edges:
            if not item.isVisible():
                continue
            hit = item.nearest(pos.x(), pos.y(), tolerance)
            if hit is not None:
                return Selection.weight(item.l + 1, hit[0], hit[1])
        return None

    def column_at(self, pos: QPointF, margin: float = 34.0) -> int | None:
        """The layer whose column (with a margin) contains x, if any."""
        if self.layout is None:
            return None
        for geom in self.layout.layers:
            if abs(pos.x() - geom.x) <= geom.half_width + margin:
                return geom.index
        return None

    def gap_at(self, pos: QPointF, margin: float = 34.0) -> int | None:
        """l if x lies in the gap where the weights Wˡ run, away from both columns."""
        if self.layout is None:
            return None
        layers = self.layout.layers
        for l in range(1, len(layers)):
            left = layers[l - 1].x + layers[l - 1].half_width + margin
            right = layers[l].x - layers[l].half_width - margin
            if left < pos.x() < right:
                return l
        return None

    def set_dimmed(self, lit_edges: set[int] | None, lit: Callable[[int, int], bool] | None) -> None:
        """Fade everything the highlight does not name (None = nothing is highlighted); the
        lit edges are redrawn at full strength by the highlight item."""
        for item in self.edges:
            item.setOpacity(1.0 if lit_edges is None else 0.22)
        for row in self.neurons:
            for n in row:
                on = lit is not None and lit(n.layer, n.index)
                n.set_lit(on, dimmed=lit is not None and not on)


    def caption_anchor(self, layer: int | None, edge_layer: int | None = None) -> QPointF:
        """Where the step caption goes (its top centre): under column `layer`, or else under
        the weights `edge_layer`; below the weight labels near it, whose size follows the zoom."""
        if layer is not None:
            x, y = self.layout.layers[layer].x, self.layout.layers[layer].bottom + CAPTION_GAP
        else:
            x, y = self.layout.gap_x(edge_layer), self.layout.bottom + 56.0
        px = 1.0 / max(self.view_scale, 1e-6)   # one screen pixel in scene units
        if layer is not None:   # below the column's −/+ buttons (see _place_buttons)
            y = max(y, self._below_column(layer) + (2 * BUTTON_MARGIN + BUTTON_SIZE + 2) * px)
        height = self.caption.box_height() * px
        for label in self.labels.gap_labels:
            rect = label.sceneBoundingRect()
            near = abs(rect.center().x() - x) < rect.width() / 2.0 + 70.0 * px
            if label.isVisible() and label.text() and near and rect.top() <= y + height:
                y = max(y, rect.bottom() + 6.0 * px)
        return QPointF(x, y)
