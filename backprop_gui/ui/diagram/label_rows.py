"""The scene's text labels: made with the network, anchored, and fitted so neighbours never overlap.

`SceneLabels` owns every label item of a DiagramScene and where each one goes. The headers,
the lines under them and the weight labels each form a row; a row takes the first of its
text variants that fits (one line, two lines, a shorter wording) and then shrinks its labels
alike if it still must. Labels keep a readable size whatever the view's zoom.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from ...engine.network import Network
from ...engine.notation import input_name, symbol
from .buttons import BUTTON_SIZE
from .labels import LabelItem
from .layout import MAP_GROWTH, DiagramLayout, column_spacing
from .style import DiagramColors, font

LABEL_Z = 12.0
LABEL_MARGIN = 14.0          # screen pixels kept free between two labels side by side
# Between two headers the hover button that inserts a layer appears: keep room for it.
HEADER_MARGIN = BUTTON_SIZE + 10.0
MIN_LABEL_SHRINK = 0.75      # crowded labels shrink to fit, but never below this fraction
MIN_TEXT_ZOOM = 0.85         # labels never shrink below this fraction of their size
MIN_LABEL_ROOM = 13.0        # screen pixels between neurons needed to label each one
HEADER_GAP = 40.0            # from the top of the tallest column to the headers' bottom
AUTO_GRID_INPUTS = 64        # image inputs wider than this are drawn as their pixel grid

Variants = tuple[str, ...]   # a label's texts, longest first


def layer_title(net: Network, layer: int) -> str:
    n = net.sizes[layer]
    if layer == 0:
        return f"Input · {n}"
    act = net.activations[layer - 1].display
    if layer == net.n_layers:
        return f"Output · {act} · {n}"
    return f"Hidden {layer} · {act} · {n}"


class SceneLabels:
    """The label items of one scene: layer headers, the lines under them, the weight labels,
    the input names and the output predictions, plus any label the scene adds (`add`)."""

    def __init__(self, scene: QGraphicsScene, theme: DiagramColors) -> None:
        self._scene = scene
        self.theme = theme
        self.layout: DiagramLayout | None = None
        self.headers: list[LabelItem] = []
        self.subheaders: list[LabelItem] = []
        self.gap_labels: list[LabelItem] = []
        self.input_labels: list[LabelItem] = []
        self.output_labels: list[LabelItem] = []
        self.compact = False     # a crowded view: shorter output labels, wrapped sub-headers
        self.label_scale = 1.0
        self._view_scale = 1.0
        self._anchors: dict[LabelItem, tuple[float, float, str, str]] = {}
        self._shrink: dict[LabelItem, float] = {}
        self._fitted_key: tuple | None = None   # what `fit` last fitted (see there)
        self._header_texts: list[tuple[str, str]] = []
        self._sub_texts: list[Variants] = []
        self._gap_texts: list[Variants] = []
        self._output_texts: list[tuple[str, str]] = []

    # ----- making labels ------------------------------------------------------------------------

    def build(self, net: Network, layout: DiagramLayout, input_grid: bool) -> None:
        """Make the labels of `net` drawn with `layout` (the scene was cleared before)."""
        self.layout = layout
        self._anchors, self._shrink, self._fitted_key = {}, {}, None
        self._gap_texts, self._sub_texts, self._output_texts = [], [], []
        self.headers, self.subheaders, self.gap_labels, self._header_texts = [], [], [], []
        for geom in layout.layers:
            one_line = layer_title(net, geom.index)
            head, _, rest = one_line.partition(" · ")
            self._header_texts.append((one_line, f"{head}\n{rest}" if rest else head))
            self.headers.append(self.add(one_line, 12.0, bold=True))
            self.subheaders.append(self.add("", 9.0, muted=True))
        for geom, header, sub_item in zip(layout.layers, self.headers, self.subheaders):
            self.place(header, geom.x, layout.top - HEADER_GAP, valign="bottom")
            self.place(sub_item, geom.x, layout.top - HEADER_GAP + 3.0)
        for l in range(1, net.n_layers + 1):
            label = self.add(f"{symbol('W', l)}  ({net.sizes[l]}×{net.sizes[l - 1]})", 9.0, muted=True)
            self.place(label, layout.gap_x(l), layout.bottom + 16.0)
            self.gap_labels.append(label)
        self.fit()
        self._build_side_labels(layout, input_grid)

    def _build_side_labels(self, layout: DiagramLayout, input_grid: bool) -> None:
        """The input names left of a small input column, the outputs' labels right of theirs."""
        self.input_labels = []
        first = layout.layers[0]
        if not input_grid and first.n <= AUTO_GRID_INPUTS:
            for j, (x, y) in enumerate(first.pos.tolist()):
                item = self.add(input_name(j), 9.0, muted=True)
                # Clear of the neuron drawn as its map too (nodes.py), which is wider.
                self.place(item, x - first.radius * MAP_GROWTH - 6.0, y, "right", "center")
                self.input_labels.append(item)
        self.output_labels = []
        last = layout.layers[-1]
        for j, (x, y) in enumerate(last.pos.tolist()):
            item = self.add("", 10.0)
            self.output_labels.append(item)
            self.place(item, x + last.radius + 10.0, y, "left", "center")

    def add(self, text: str, size: float = 10.0, bold: bool = False,
            muted: bool = False) -> LabelItem:
        """A new label in the scene (placed with `place`)."""
        item = LabelItem(text, font(size, bold), self.theme.muted if muted else self.theme.text)
        item.setZValue(LABEL_Z)
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._scene.addItem(item)
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

    def anchored(self) -> list[LabelItem]:
        """Every label placed with `place`."""
        return list(self._anchors)

    def set_text(self, item: LabelItem, text: str) -> None:
        """Change a label's text, keeping it at its anchor."""
        if item.text() != text:
            item.setText(text)
            self._apply_anchor(item)

    def set_variants(self, subheaders: list[Variants], gaps: list[Variants],
                     outputs: list[tuple[str, str]]) -> None:
        """Texts of the sub-headers, weight labels and output labels, each with shorter
        variants for a crowded view (applied by the next `fit`)."""
        self._sub_texts, self._gap_texts, self._output_texts = subheaders, gaps, outputs

    # ----- the view's zoom ------------------------------------------------------------------------

    def set_view_scale(self, view_scale: float, changed: bool) -> None:
        """Keep text readable when the view zooms out: labels are drawn as if the zoom never
        went below MIN_TEXT_ZOOM, and rows refit (their margin is in screen pixels)."""
        k = max(1.0, MIN_TEXT_ZOOM / max(view_scale, 1e-6))
        self._view_scale = view_scale
        if abs(k - self.label_scale) > 1e-3:
            self.label_scale = k
            self.fit()
            for item in self._anchors:
                self._apply_anchor(item)
        elif changed:
            self.fit()
        # Per-neuron labels only while the neurons are far enough apart on screen to hold them.
        if self.layout is not None:
            for labels, geom in ((self.input_labels, self.layout.layers[0]),
                                 (self.output_labels, self.layout.layers[-1])):
                room = column_spacing(geom.n) * view_scale
                for item in labels:
                    item.setVisible(room >= MIN_LABEL_ROOM)

    def set_compact(self, on: bool) -> None:
        if on != self.compact:
            self.compact = on
            self.fit()

    def crowded(self) -> bool:
        """True when the layer headers had to shrink to fit side by side."""
        return bool(self.headers) and self._shrink.get(self.headers[0], 1.0) < 1.0

    # ----- fitting rows ---------------------------------------------------------------------------

    def fit(self) -> None:
        """Labels side by side (headers, the lines under them, the weight labels) never
        overlap: each row takes its first text variant that fits (headers: one line, then
        two), then shrinks all its labels alike as far as MIN_LABEL_SHRINK if still needed.
        In compact mode the longer variants are skipped."""
        if self.layout is None:
            return
        # A recolour (every frame while training) usually changes no text: then nothing to do.
        key = (id(self.layout), self.compact, self.label_scale, self._view_scale,
               tuple(self._header_texts), tuple(self._sub_texts), tuple(self._gap_texts),
               tuple(self._output_texts))
        if key == self._fitted_key:
            return
        self._fitted_key = key
        xs = [g.x for g in self.layout.layers]
        first = 1 if self.compact else 0
        self._fit_row(self.headers, xs, [t[first:] or t for t in self._header_texts],
                      HEADER_MARGIN)
        subs = self._sub_texts or [(item.text(),) for item in self.subheaders]
        self._fit_row(self.subheaders, xs, [t[first:] or t for t in subs])
        gaps = [self.layout.gap_x(l) for l in range(1, len(xs))]
        texts = self._gap_texts or [(item.text(),) for item in self.gap_labels]
        self._fit_row(self.gap_labels, gaps, [t[first:] or t for t in texts])
        for item, (full, short) in zip(self.output_labels, self._output_texts):
            self.set_text(item, short if self.compact else full)

    def _fit_row(self, items: list[LabelItem], xs: list[float], variants: list[Variants],
                 margin_px: float = LABEL_MARGIN) -> None:
        if not items or len(variants) != len(items):
            return
        k = self.label_scale
        margin = margin_px / max(self._view_scale, 1e-6)
        shrink = 1.0
        for v in range(max(len(t) for t in variants)):
            for item, texts in zip(items, variants):
                item.setText(texts[min(v, len(texts) - 1)])
            # Neighbours with text (an empty label leaves its room to the ones beside it).
            full = [(x, item.boundingRect().width() * k) for x, item in zip(xs, items) if item.text()]
            shrink = 1.0
            for (x0, w0), (x1, w1) in zip(full, full[1:]):
                shrink = min(shrink, max(abs(x1 - x0) - margin, 0.0) / (0.5 * (w0 + w1)))
            if shrink >= 1.0:
                break
        shrink = min(1.0, max(MIN_LABEL_SHRINK, shrink))
        for item in items:
            self._shrink[item] = shrink
            if item in self._anchors:
                self._apply_anchor(item)
