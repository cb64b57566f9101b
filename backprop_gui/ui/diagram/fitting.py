"""Fitting the network diagram to its view: the zoom, and the spread of the columns.

A mixin for NetworkView (kept apart so each file reads in one sitting). Labels keep a
readable size whatever the zoom, so the content's extent depends on the zoom: the fit
iterates. A view wider than the network is tall spreads the columns out, so the layer
headings get room side by side; a crowded view switches the labels to their compact form.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTransform

from .interaction import MIN_SCALE
from .layout import COLUMN_GAP, MAX_COLUMN_GAP
from .legend import legend_size

MAX_FIT_SCALE = 1.6
LEGEND_INSET = 16             # the legend's width is the viewport's less this

Fitted = tuple[QRectF, QRectF, float, float]   # content, room for it, zoom, legend height


class FitMixin:
    def fit_to_view(self, adapt_layout: bool = True) -> None:
        """Zoom and centre so the whole network fits above the legend. With `adapt_layout`
        the columns first spread out (or back) so the network uses the view's width: in a
        view wider than the network is tall, the layer headings get room side by side; in a
        crowded view the labels take their compact form before the headings shrink."""
        if adapt_layout:
            self._scene.set_compact(False)
        fitted = self._fit_adapting(adapt_layout)
        if adapt_layout and fitted is not None and self._scene.labels_crowded():
            self._scene.set_compact(True)
            fitted = self._fit_adapting(adapt_layout)
        if fitted is None:
            return
        rect, _avail, s, legend_h = fitted
        self.centerOn(rect.center() + QPointF(0.0, legend_h / 2.0 / s))
        self._auto_fit = True

    def _fit_adapting(self, adapt_layout: bool) -> Fitted | None:
        fitted = self._fit_scale()
        for _ in range(3):
            if fitted is None or not adapt_layout:
                break
            gap = self._wanted_gap(*fitted)
            if abs(gap - self._column_gap) <= 0.04 * self._column_gap:
                break
            self._column_gap = gap
            self._rebuild()
            fitted = self._fit_scale()
        return fitted

    def content_fits(self) -> bool:
        """Whether everything a fit shows lies in the view, above the legend."""
        vp = QRectF(self.viewport().rect())
        legend_h = legend_size(self._legend, vp.width() - LEGEND_INSET).height() + 12
        room = vp.adjusted(2, 2, -2, -2 - legend_h)
        if room.height() < 40:
            room = vp
        shown = self.mapToScene(room.toRect()).boundingRect()
        return shown.contains(self._scene.content_rect())

    def _fit_rect(self) -> QRectF:
        """What a fit must show: the content, and room for a step caption under each column."""
        scene = self._scene
        rect = scene.content_rect()
        if rect.isEmpty() or scene.layout is None:
            return rect
        caption_h = scene.caption.box_height() / max(scene.view_scale, 1e-6)
        for layer in range(1, len(scene.layout.layers)):
            top = scene.caption_anchor(layer)
            rect = rect.united(QRectF(top.x(), top.y(), 1e-3, caption_h))
        return rect

    def _fit_scale(self) -> Fitted | None:
        """Set the zoom that fits `_fit_rect` above the legend; (rect, available, scale, legend
        height), or None when there is nothing to show."""
        # Repeated: labels keep a readable size, so the content's extent depends on the zoom.
        result = None
        scales: list[float] = []
        for _ in range(6):
            rect = self._fit_rect()
            if rect.isEmpty():
                return None
            rect = rect.adjusted(-16, -16, 16, 16)
            vp = QRectF(self.viewport().rect())
            legend_h = legend_size(self._legend, vp.width() - LEGEND_INSET).height() + 12
            avail = vp.adjusted(8, 8, -8, -8 - legend_h)
            if avail.width() < 40 or avail.height() < 40:
                avail = vp
                legend_h = 0.0
            s = max(MIN_SCALE, min(avail.width() / rect.width(), avail.height() / rect.height(),
                                   MAX_FIT_SCALE))
            if len(scales) >= 3:
                # Labels appear or change form at some zooms, and the fit can swing between
                # two scales: settle on the smaller, where everything fits.
                s = min(s, *scales[-2:])
            scales.append(s)
            self.setTransform(QTransform.fromScale(s, s))
            self._scene.set_view_scale(s)
            settled = result is not None and abs(s - result[2]) <= 0.005 * s
            result = (rect, avail, s, legend_h)
            if settled:
                break
        return result

    def _wanted_gap(self, rect: QRectF, avail: QRectF, s: float, _legend_h: float) -> float:
        """The column gap at which the network, zoomed to fit the view's height, also fills
        its width (never narrower than the standard gap)."""
        n_gaps = len(self.session.network.sizes) - 1
        if n_gaps < 1:
            return self._column_gap
        # Only the height limits a zoom the horizontal spread can reach.
        target = max(MIN_SCALE, min(avail.height() / rect.height(), MAX_FIT_SCALE))
        slack = avail.width() / target - rect.width()     # scene units to spare (or missing)
        gap = self._column_gap + slack / n_gaps
        return min(MAX_COLUMN_GAP, max(COLUMN_GAP, gap))

    def _on_respread_timeout(self) -> None:
        if self._auto_fit:
            self.fit_to_view()
