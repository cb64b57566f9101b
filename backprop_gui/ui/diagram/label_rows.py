"""Labels in rows under and between the columns, fitted so neighbours never overlap.

A mixin for DiagramScene (kept apart so each file reads in one sitting): the headers, the
lines under them and the weight labels each form a row; a row takes the first of its text
variants that fits (one line, two lines, a shorter wording) and then shrinks its labels
alike if it still must. Also where the step-through's caption goes.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF

from .buttons import BUTTON_SIZE
from .labels import LabelItem

LABEL_MARGIN = 14.0          # screen pixels kept free between two labels side by side
# Between two headers the hover button that inserts a layer appears: keep room for it.
HEADER_MARGIN = BUTTON_SIZE + 10.0
MIN_LABEL_SHRINK = 0.75      # crowded labels shrink to fit, but never below this fraction
CAPTION_GAP = 40.0           # from the bottom of a column to the step caption's top


class LabelRowsMixin:
    def fit_labels(self) -> None:
        """Labels side by side (headers, the lines under them, the weight labels) never
        overlap: each row takes its first text variant that fits (headers: one line, then
        two), then shrinks all its labels alike as far as MIN_LABEL_SHRINK if still needed.
        In compact mode the longer variants are skipped."""
        if self.layout is None:
            return
        # A recolour (every frame while training) usually changes no text: then nothing to do.
        key = (id(self.layout), self.compact, self.label_scale, self.view_scale,
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
            self.set_label_text(item, short if self.compact else full)

    def labels_crowded(self) -> bool:
        """True when the layer headers had to shrink to fit side by side."""
        return bool(self.headers) and self._shrink.get(self.headers[0], 1.0) < 1.0

    def set_compact(self, on: bool) -> None:
        if on != self.compact:
            self.compact = on
            self.fit_labels()

    def set_label_variants(self, subheaders: list[tuple[str, ...]],
                           gaps: list[tuple[str, ...]], outputs: list[tuple[str, str]]) -> None:
        """Texts of the sub-headers, weight labels and output labels, each with shorter
        variants for a crowded view (applied by the next `fit_labels`)."""
        self._sub_texts, self._gap_texts, self._output_texts = subheaders, gaps, outputs

    def _fit_row(self, items: list[LabelItem], xs: list[float], variants: list[tuple[str, ...]],
                 margin_px: float = LABEL_MARGIN) -> None:
        if not items or len(variants) != len(items):
            return
        k = self.label_scale
        margin = margin_px / max(self.view_scale, 1e-6)
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

    def caption_anchor(self, layer: int | None, edge_layer: int | None = None) -> QPointF:
        """Where the step caption goes (its top centre): under column `layer`, or else under
        the weights `edge_layer`; below the weight labels near it, whose size follows the zoom."""
        if layer is not None:
            x, y = self.layout.layers[layer].x, self.layout.layers[layer].bottom + CAPTION_GAP
        else:
            x, y = self.layout.gap_x(edge_layer), self.layout.bottom + 56.0
        px = 1.0 / max(self.view_scale, 1e-6)   # one screen pixel in scene units
        height = self.caption.box_height() * px
        for label in self.gap_labels:
            rect = label.sceneBoundingRect()
            near = abs(rect.center().x() - x) < rect.width() / 2.0 + 70.0 * px
            if label.isVisible() and label.text() and near and rect.top() <= y + height:
                y = max(y, rect.bottom() + 6.0 * px)
        return QPointF(x, y)
