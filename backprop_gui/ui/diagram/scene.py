"""The diagram's scene: builds one item per neuron, one edge item per weight layer and the labels.

`build` runs when the structure changes; `values.recolour` updates the same items in place
when numbers change. Hit-testing (neuron, edge, column, gap under a point) is NumPy on the
layout, so it stays fast for thousands of edges.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from ...engine.dataset import Dataset
from ...engine.network import Network
from ...engine.notation import input_name, symbol
from ...engine.selection import Selection
from .buttons import HoverButtonItem
from .edges import MAX_EDGES_PER_LAYER, EdgeLayerItem
from .label_rows import LabelRowsMixin
from .labels import LabelItem
from .layout import COLUMN_GAP, DiagramLayout, column_spacing, compute_layout
from .nodes import NeuronItem, ThumbnailItem
from .overlays import CaptionItem, EmphasisItem, HighlightItem
from .style import DiagramColors, font

LABEL_Z = 12.0
WIDE_EDGE_LIMIT = 800        # up to this many drawn edges, line width shows |w|
AUTO_GRID_INPUTS = 64        # image inputs wider than this are drawn as their pixel grid
MIN_TEXT_ZOOM = 0.85         # labels never shrink below this fraction of their size
MIN_LABEL_ROOM = 13.0        # screen pixels between neurons needed to label each one
MIN_THUMBNAIL_ZOOM = 0.6     # below this zoom the sample thumbnail is left out
HEADER_GAP = 40.0            # from the top of the tallest column to the headers' bottom


def layer_title(net: Network, layer: int) -> str:
    n = net.sizes[layer]
    if layer == 0:
        return f"Input · {n}"
    act = net.activations[layer - 1].display
    if layer == net.n_layers:
        return f"Output · {act} · {n}"
    return f"Hidden {layer} · {act} · {n}"


def layer_name(net: Network, layer: int) -> str:
    if layer == 0:
        return "the input layer"
    if layer == net.n_layers:
        return "the output layer"
    return f"hidden layer {layer}"


class DiagramScene(LabelRowsMixin, QGraphicsScene):
    """Items of the network diagram and quick lookups into them."""

    def __init__(self, theme: DiagramColors, parent=None) -> None:
        super().__init__(parent)
        # The BSP index costs far more than it saves with thousands of long edges
        # (docs/ARCHITECTURE.md, platform facts).
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.theme = theme
        self.layout: DiagramLayout | None = None
        self.neurons: list[list[NeuronItem]] = []
        self.edges: list[EdgeLayerItem] = []
        self.streaming = False
        self.headers: list[LabelItem] = []
        self.subheaders: list[LabelItem] = []
        self.gap_labels: list[LabelItem] = []
        self._header_texts: list[tuple[str, str]] = []
        self._anchors: dict[LabelItem, tuple[float, float, str, str]] = {}
        self._shrink: dict[LabelItem, float] = {}
        self._fitted_key: tuple | None = None   # what fit_labels last fitted (see there)
        self._gap_texts: list[tuple[str, ...]] = []
        self._sub_texts: list[tuple[str, ...]] = []
        self._output_texts: list[tuple[str, str]] = []
        self.compact = False     # a crowded view: shorter output labels, wrapped sub-headers
        self.label_scale = 1.0
        self.view_scale = 1.0
        self.caption_place: tuple[int | None, int | None] | None = None  # see caption_anchor
        self.output_labels: list[LabelItem] = []
        self.input_labels: list[LabelItem] = []
        self.thumbnail: ThumbnailItem | None = None
        self.thumb_caption: LabelItem | None = None
        self.column_buttons: dict[int, list[HoverButtonItem]] = {}
        self.gap_buttons: dict[int, HoverButtonItem] = {}
        self.emphasis = EmphasisItem()
        self.highlight = HighlightItem(theme)
        self.caption = CaptionItem(theme)
        self.wide_edges = True
        self.input_grid = False

    # ----- building ---------------------------------------------------------------------------

    def build(self, net: Network, dataset: Dataset, input_grid: bool | None,
              actions: dict[str, Callable[[int], None]], column_gap: float = COLUMN_GAP) -> None:
        """Replace every item with ones for `net` (values are filled in by `recolour`);
        `column_gap` is the free space between two columns in scene units."""
        for item in (self.emphasis, self.highlight, self.caption):
            if item.scene() is self:
                self.removeItem(item)
        self.clear()
        theme = self.theme
        image_shape = dataset.image_shape if dataset.kind == "image" else None
        if image_shape is not None and int(np.prod(image_shape)) != net.sizes[0]:
            image_shape = None
        if input_grid is None:
            input_grid = image_shape is not None and net.sizes[0] > AUTO_GRID_INPUTS
        self.input_grid = bool(input_grid and image_shape is not None)
        self.layout = layout = compute_layout(net.sizes, image_shape, self.input_grid, column_gap)
        self.neurons = []
        self.streaming = False
        for geom in layout.layers:
            row = []
            for j, (x, y) in enumerate(geom.pos.tolist()):
                item = NeuronItem(geom.index, j, QPointF(x, y), geom.radius, geom.square, theme)
                self.addItem(item)
                row.append(item)
            self.neurons.append(row)
        self.edges = []
        for l in range(net.n_layers):
            item = EdgeLayerItem(l, layout.layers[l].pos, layout.layers[l + 1].pos, theme)
            self.addItem(item)
            self.edges.append(item)
        drawn = sum(min(e.n_edges, MAX_EDGES_PER_LAYER) for e in self.edges)
        self.wide_edges = drawn <= WIDE_EDGE_LIMIT
        self._build_labels(net, dataset, image_shape)
        self._build_buttons(net, actions)
        for item in (self.emphasis, self.highlight, self.caption):
            self.addItem(item)
        self.emphasis.set_items([])
        self.highlight.set_lines([], False)
        self.caption.set_text("")
        self.caption_place = None

    def _text(self, text: str, size: float = 10.0, bold: bool = False,
              muted: bool = False) -> LabelItem:
        item = LabelItem(text, font(size, bold), self.theme.muted if muted else self.theme.text)
        item.setZValue(LABEL_Z)
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.addItem(item)
        return item

    def place(self, item: LabelItem, x: float, y: float, align: str = "center",
              valign: str = "top") -> None:
        """Anchor `item` at (x, y): its left edge, centre or right edge at x, and its top,
        middle or bottom at y. The anchor holds when the text or the label scale changes."""
        self._anchors[item] = (x, y, align, valign)
        item.set_align(align)
        self._apply_anchor(item)

    def _apply_anchor(self, item: LabelItem) -> None:
        x, y, align, valign = self._anchors[item]
        k = self.label_scale * self._shrink.get(item, 1.0)
        if item.scale() != k:
            item.setScale(k)
        rect = item.boundingRect()
        w, h = rect.width() * k, rect.height() * k
        dx = {"left": 0.0, "center": -w / 2.0, "right": -w}[align]
        dy = {"top": 0.0, "center": -h / 2.0, "bottom": -h}[valign]
        item.setPos(x + dx, y + dy)

    def set_view_scale(self, view_scale: float) -> None:
        """Keep text readable when the view zooms out: labels are drawn as if the zoom never
        went below MIN_TEXT_ZOOM, and headers wrap onto two lines when they would collide."""
        k = max(1.0, MIN_TEXT_ZOOM / max(view_scale, 1e-6))
        changed = abs(view_scale - self.view_scale) > 1e-6
        self.view_scale = view_scale
        if changed:
            self.redraw_deferred_numbers()
        if abs(k - self.label_scale) > 1e-3:
            self.label_scale = k
            self.fit_labels()
            for item in self._anchors:
                self._apply_anchor(item)
        elif changed:
            # The margin between labels is in screen pixels: it depends on the zoom too.
            self.fit_labels()
        if changed and self.caption_place is not None and self.layout is not None:
            self.caption.setPos(self.caption_anchor(*self.caption_place))
        # In a small view the input panel beside it shows the sample; the room goes to the net.
        if self.thumbnail is not None:
            self.thumbnail.setVisible(view_scale >= MIN_THUMBNAIL_ZOOM)
            self.thumb_caption.setVisible(view_scale >= MIN_THUMBNAIL_ZOOM)
        # Per-neuron labels only while the neurons are far enough apart on screen to hold them.
        if self.layout is not None:
            for labels, geom in ((self.input_labels, self.layout.layers[0]),
                                 (self.output_labels, self.layout.layers[-1])):
                room = column_spacing(geom.n) * view_scale
                for item in labels:
                    item.setVisible(room >= MIN_LABEL_ROOM)

    def _build_labels(self, net: Network, dataset: Dataset, image_shape) -> None:
        layout = self.layout
        self._anchors, self._shrink, self._fitted_key = {}, {}, None
        self._gap_texts, self._sub_texts, self._output_texts = [], [], []
        self.headers, self.subheaders, self.gap_labels, self._header_texts = [], [], [], []
        for geom in layout.layers:
            one_line = layer_title(net, geom.index)
            head, _, rest = one_line.partition(" · ")
            self._header_texts.append((one_line, f"{head}\n{rest}" if rest else head))
            header = self._text(one_line, 12.0, bold=True)
            self.headers.append(header)
            sub_item = self._text("", 9.0, muted=True)
            self.subheaders.append(sub_item)
        for geom, header, sub_item in zip(layout.layers, self.headers, self.subheaders):
            self.place(header, geom.x, layout.top - HEADER_GAP, valign="bottom")
            self.place(sub_item, geom.x, layout.top - HEADER_GAP + 3.0)
        for l in range(1, net.n_layers + 1):
            label = self._text(f"{symbol('W', l)}  ({net.sizes[l]}×{net.sizes[l - 1]})", 9.0, muted=True)
            self.place(label, layout.gap_x(l), layout.bottom + 16.0)
            self.gap_labels.append(label)
        self.fit_labels()
        self.input_labels = []
        first = layout.layers[0]
        if not self.input_grid and first.n <= AUTO_GRID_INPUTS:
            for j, (x, y) in enumerate(first.pos.tolist()):
                item = self._text(input_name(j), 9.0, muted=True)
                self.place(item, x - first.radius - 6.0, y, "right", "center")
                self.input_labels.append(item)
        self.thumbnail = self.thumb_caption = None
        if image_shape is not None and not self.input_grid:
            side = 84.0
            thumb = ThumbnailItem(tuple(image_shape), side, self.theme)
            rows, cols = image_shape
            w = side * cols / max(rows, cols)
            h = side * rows / max(rows, cols)
            left = first.x - first.radius - 64.0 - w
            thumb.setPos(left, -h / 2.0)
            self.addItem(thumb)
            self.thumbnail = thumb
            self.thumb_caption = self._text("", 9.0, muted=True)
            self.place(self.thumb_caption, left + w / 2.0, h / 2.0 + 6.0)
        self.output_labels = []
        last = layout.layers[-1]
        for j, (x, y) in enumerate(last.pos.tolist()):
            item = self._text("", 10.0)
            self.output_labels.append(item)
            self.place(item, x + last.radius + 10.0, y, "left", "center")

    def set_label_text(self, item: LabelItem, text: str) -> None:
        """Change a label's text, keeping it at its anchor."""
        if item.text() != text:
            item.setText(text)
            self._apply_anchor(item)

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
            y = geom.bottom + 22.0
            remove.setPos(geom.x - 14.0, y)
            add.setPos(geom.x + 14.0, y)
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

    def set_streaming(self, on: bool) -> None:
        """While values change every frame (training), edges are drawn for speed (see
        EdgeLayerItem.streaming) and redrawn only in frames that change their picture.
        Neurons keep their caches and wait with new numbers (see NeuronItem.set_state):
        their colour changes on few frames (7 % at 64-32-32-10), and a cached neuron is
        drawn ~5x faster."""
        if self.streaming == on:
            return
        self.streaming = on
        for item in self.edges:
            item.streaming = on
            item.update()
        for row in self.neurons[1:]:    # the inputs do not change while a network trains
            for item in row:
                item.defer_numbers = on
        if not on:
            self.redraw_deferred_numbers()

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
        for item in [*self._anchors, self.thumbnail]:
            if item is not None and item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
        return rect

    # ----- hit-testing --------------------------------------------------------------------------

    def neuron_at(self, pos: QPointF, tolerance: float = 0.0) -> Selection | None:
        if self.layout is None:
            return None
        x, y = pos.x(), pos.y()
        for geom in self.layout.layers:
            reach = geom.radius + tolerance
            if abs(x - geom.x) > geom.half_width + tolerance or not geom.top - reach <= y <= geom.bottom + reach:
                continue
            d = geom.pos - (x, y)
            dist = np.max(np.abs(d), axis=1) if geom.square else np.hypot(d[:, 0], d[:, 1])
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

