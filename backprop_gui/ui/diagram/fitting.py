"""Zoom: the network view's zoom, and the spread of the columns that fits the view's shape.

Labels keep a readable size whatever the zoom, so the content's extent depends on the zoom:
the fit iterates. A view wider than the network is tall spreads the columns out, so the
layer headings get room side by side; a crowded view switches the labels to their compact
form. Until the person zooms or pans, the diagram follows the view's size (auto-fit).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QPointF, QRectF, QTimer
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QGraphicsView

from .foreground import LegendOverlay
from .layout import COLUMN_GAP, MAX_COLUMN_GAP
from .scene import DiagramScene

ZOOM_STEP = 1.25
MIN_SCALE, MAX_SCALE = 0.03, 25.0
MAX_FIT_SCALE = 1.6
QUICK_REBUILD_NEURONS = 400   # bigger networks (slower to rebuild) wait twice as long
RESPREAD_DELAY_MS = 120       # after a resize pauses this long, the columns spread to fit

Fitted = tuple[QRectF, QRectF, float, float]   # content, room for it, zoom, legend height


class Zoom:
    """The zoom of `view` onto `scene`, above `legend`. A changed column spread asks for a
    new scene through `rebuild` (which builds with `column_gap`)."""

    def __init__(self, view: QGraphicsView, scene: DiagramScene, legend: LegendOverlay,
                 rebuild: Callable[[], None]) -> None:
        self._view = view
        self._scene = scene
        self._legend = legend
        self._rebuild = rebuild
        self.column_gap = COLUMN_GAP   # widened when the view is wider than the net
        self._auto_fit = True
        self._shown = False
        self._respread = QTimer(view)
        self._respread.setSingleShot(True)
        self._respread.timeout.connect(self._on_respread_timeout)

    @property
    def auto_fit(self) -> bool:
        """Whether the diagram follows the view's size (no zoom or pan since the last fit)."""
        return self._auto_fit

    def level(self) -> float:
        return self._view.transform().m11()

    # ----- fitting -------------------------------------------------------------------------------

    def fit(self, adapt_layout: bool = True) -> None:
        """Zoom and centre so the whole network fits above the legend. With `adapt_layout`
        the columns first spread out (or back) so the network uses the view's width: in a
        view wider than the network is tall, the layer headings get room side by side; in a
        crowded view the labels take their compact form before the headings shrink."""
        labels = self._scene.labels
        if adapt_layout:
            labels.set_compact(False)
        fitted = self._fit_adapting(adapt_layout)
        if adapt_layout and fitted is not None and labels.crowded():
            labels.set_compact(True)
            fitted = self._fit_adapting(adapt_layout)
        if fitted is None:
            return
        rect, _avail, s, legend_h = fitted
        self._view.centerOn(rect.center() + QPointF(0.0, legend_h / 2.0 / s))
        self._auto_fit = True

    def _fit_adapting(self, adapt_layout: bool) -> Fitted | None:
        fitted = self._fit_scale()
        for _ in range(3):
            if fitted is None or not adapt_layout:
                break
            gap = self._wanted_gap(*fitted)
            if abs(gap - self.column_gap) <= 0.04 * self.column_gap:
                break
            self.column_gap = gap
            self._rebuild()
            fitted = self._fit_scale()
        return fitted

    def content_fits(self) -> bool:
        """Whether everything a fit shows lies in the view, above the legend."""
        vp = QRectF(self._view.viewport().rect())
        room = vp.adjusted(2, 2, -2, -2 - self._legend.room(vp.width()))
        if room.height() < 40:
            room = vp
        shown = self._view.mapToScene(room.toRect()).boundingRect()
        return shown.contains(self._scene.content_rect())

    def refit_if_cut(self) -> None:
        """New numbers can make labels longer (ŷ = 5.7×10⁻⁷ after training): zoom out rather
        than cut them off at the edge (unless the person chose the zoom)."""
        if self._auto_fit and self._shown and not self.content_fits():
            self.fit(adapt_layout=False)

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
            vp = QRectF(self._view.viewport().rect())
            legend_h = self._legend.room(vp.width())
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
            self._view.setTransform(QTransform.fromScale(s, s))
            self._scene.set_view_scale(s)
            settled = result is not None and abs(s - result[2]) <= 0.005 * s
            result = (rect, avail, s, legend_h)
            if settled:
                break
        return result

    def _wanted_gap(self, rect: QRectF, avail: QRectF, s: float, _legend_h: float) -> float:
        """The column gap at which the network, zoomed to fit the view's height, also fills
        its width (never narrower than the standard gap)."""
        n_gaps = len(self._scene.layout.layers) - 1 if self._scene.layout is not None else 0
        if n_gaps < 1:
            return self.column_gap
        # Only the height limits a zoom the horizontal spread can reach.
        target = max(MIN_SCALE, min(avail.height() / rect.height(), MAX_FIT_SCALE))
        slack = avail.width() / target - rect.width()     # scene units to spare (or missing)
        gap = self.column_gap + slack / n_gaps
        return min(MAX_COLUMN_GAP, max(COLUMN_GAP, gap))

    # ----- the view's events and the person's zoom ---------------------------------------------------

    def on_shown(self) -> None:
        """The first time the view shows, it fits."""
        if not self._shown:
            self._shown = True
            self.fit()

    def on_resized(self) -> None:
        if not self._auto_fit:
            return
        # Spreading the columns rebuilds the scene: while a window is being resized only
        # zoom (a few ms), and spread the columns once the resizing pauses.
        self.fit(adapt_layout=False)
        layers = self._scene.layout.layers if self._scene.layout is not None else []
        quick = sum(geom.n for geom in layers) <= QUICK_REBUILD_NEURONS
        self._respread.start(RESPREAD_DELAY_MS if quick else 2 * RESPREAD_DELAY_MS)

    def refit_after_room_change(self) -> None:
        """The legend folded or unfolded: fit the new room (unless the person chose the zoom)."""
        if self._auto_fit:
            self.fit()

    def _on_respread_timeout(self) -> None:
        if self._auto_fit:
            self.fit()

    def user_moved(self) -> None:
        """The person panned: the diagram stays where they put it."""
        self._auto_fit = False

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP, anchored=False)

    def zoom_out(self) -> None:
        self.zoom_by(1.0 / ZOOM_STEP, anchored=False)

    def zoom_by(self, factor: float, anchored: bool) -> None:
        """Zoom by `factor`, about the mouse (`anchored`) or the view's centre."""
        view = self._view
        current = view.transform().m11()
        target = min(MAX_SCALE, max(MIN_SCALE, current * factor))
        if abs(target - current) < 1e-9:
            return
        anchor = (QGraphicsView.ViewportAnchor.AnchorUnderMouse if anchored
                  else QGraphicsView.ViewportAnchor.AnchorViewCenter)
        view.setTransformationAnchor(anchor)
        view.scale(target / current, target / current)
        view.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._scene.set_view_scale(target)
        self._auto_fit = False

    def reset(self) -> None:
        """Actual size (100 %), keeping the middle of the view where it is."""
        view = self._view
        centre = view.mapToScene(view.viewport().rect().center())
        view.setTransform(QTransform())
        self._scene.set_view_scale(1.0)
        view.centerOn(centre)
        self._auto_fit = False
