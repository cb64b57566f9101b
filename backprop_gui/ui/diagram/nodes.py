"""One item per neuron (a circle, or a square for an input pixel) and the sample thumbnail."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from ..common.colors import mix, text_on
from .highlight import compact
from .layout import MAP_GROWTH
from .style import DiagramColors, pixel_font

NEURON_Z = 10.0
MIN_TEXT_PIXELS = 11.0   # draw the value inside a neuron once it is this big on screen
MIN_MAP_PIXELS = 18.0    # draw a neuron's map (see set_map) once it is this wide on screen
MIN_MARKER_PIXELS = 20.0  # … and the ring marking the input shown once this wide
NUMBER_GROUPS = 8        # while training streams, waiting numbers are redrawn a group at a time


class NeuronItem(QGraphicsItem):
    """A neuron filled by its value, or drawn as a square map of its activation over the
    input plane (neuron_maps.py); rings mark selection and the step-through highlight."""

    def __init__(self, layer: int, index: int, center: QPointF, radius: float, square: bool,
                 theme: DiagramColors) -> None:
        super().__init__()
        self.layer = layer
        self.index = index
        self.radius = radius
        self.square = square
        self.theme = theme
        self.fill = QColor(theme.background)
        self.value: float | None = None   # shown inside when big enough on screen
        self._text: str | None = None
        self.dead = False
        self.selected = False
        self.lit = False
        self.dimmed = False
        self.text_shown = True   # whether the last paint drew the value (False: too small)
        self.map_image: QImage | None = None   # see set_map
        self._map_fill: QColor | None = None
        self.map_marker: QPointF | None = None
        self.map_shown = False   # whether the last paint drew the map (False: too small)
        self._in_motion = False   # see set_in_motion
        self._number_stale = False
        # Neighbours fall in different groups, so a redrawn group is spread over the columns.
        self.group = (layer * 5 + index) % NUMBER_GROUPS
        self.setPos(center)
        self.setZValue(NEURON_Z)
        self._font = pixel_font(radius * 0.6)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        reach = radius * MAP_GROWTH + 7.0 + max(2.0, radius * 0.2)
        self._bounds = QRectF(-reach, -reach, 2 * reach, 2 * reach)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def set_state(self, fill: QColor, value: float | None, dead: bool) -> None:
        # Under a map, the fill shows only when the neuron is too small for the map.
        looks = (fill != self.fill and self.map_image is None) or dead != self.dead
        number = value != self.value
        if looks or number:
            self.fill, self.value, self.dead = fill, value, dead
            self._text = None
            if looks or not self._in_motion:
                self.update()
                self._number_stale = False
            else:
                # While training streams, a new number alone waits: numbers changing 60 times
                # a second cannot be read, and the cached picture of the neuron stays valid
                # until its colour changes (7 % of frames at 64-32-32-10). These neurons are
                # redrawn a few times a second (Motion), on a zoom and when training stops.
                self._number_stale = True

    def set_map(self, image: QImage | None, fill: QColor | None = None,
                marker: QPointF | None = None) -> None:
        """Draw the neuron as the square picture `image` (its activation over the input
        plane, row 0 at the top) with a ring at `marker` (0 … 1 across and down: where the
        input shown lies); too small on screen for the map, as a circle filled with `fill`
        (its value on the map's scale). None: the plain neuron again."""
        if image is None:
            fill = marker = None
        # While the map is on show its fill is not: a new fill alone (every training frame)
        # needs no repaint.
        looks = image is not self.map_image or marker != self.map_marker
        if looks or (fill != self._map_fill and not self.map_shown):
            self.update()
        self.map_image, self._map_fill, self.map_marker = image, fill, marker

    def set_in_motion(self, on: bool) -> None:
        """Values change every frame (training streams): a new number alone waits for
        `redraw_deferred_number` (see set_state)."""
        self._in_motion = on

    def redraw_deferred_number(self) -> None:
        """Repaint with the current number if it waits."""
        if self._number_stale:
            self._number_stale = False
            self.update()

    @property
    def value_text(self) -> str:
        """The value as drawn inside the neuron (formatted only when it is drawn)."""
        if self.value is None:
            return ""
        if self._text is None:
            self._text = compact(self.value)
        return self._text

    def set_selected(self, on: bool) -> None:
        if on != self.selected:
            self.selected = on
            self.update()

    def set_lit(self, on: bool, dimmed: bool = False) -> None:
        """Lit by the step-through highlight, or faded because the highlight is elsewhere."""
        if on != self.lit or dimmed != self.dimmed:
            self.lit, self.dimmed = on, dimmed
            self.update()

    def _paint_map(self, painter: QPainter, r: float, outline: QPen, lod: float) -> None:
        """The map in the neuron's square, faded as the fill is when dimmed, its outline,
        and the ring where the input shown lies."""
        rect = QRectF(-r, -r, 2 * r, 2 * r)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(rect, self.map_image)
        if self.dimmed:
            veil = QColor(self.theme.background)
            veil.setAlphaF(0.7)
            painter.fillRect(rect, veil)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        if self.map_marker is not None and 2 * r * lod >= MIN_MARKER_PIXELS:
            centre = QPointF(rect.left() + self.map_marker.x() * rect.width(),
                             rect.top() + self.map_marker.y() * rect.height())
            ring = 3.5 / lod   # 3.5 px on screen, whatever the zoom
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            for colour, width in ((QColor(20, 20, 20), 2.6), (QColor(250, 250, 250), 1.2)):
                pen = QPen(colour, width)
                pen.setCosmetic(True)
                painter.setPen(pen)
                painter.drawEllipse(centre, ring, ring)

    def _shape(self, painter: QPainter, r: float) -> None:
        rect = QRectF(-r, -r, 2 * r, 2 * r)
        if self.square or self.map_shown:
            painter.drawRect(rect)
        else:
            painter.drawEllipse(rect)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        r = self.radius
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        tiny = r * lod < 2.5
        self.map_shown = self.map_image is not None and 2 * MAP_GROWTH * r * lod >= MIN_MAP_PIXELS
        if self.map_shown:
            r *= MAP_GROWTH
        painter.setRenderHint(QPainter.RenderHint.Antialiasing,
                              not (self.square or self.map_shown) and not tiny)
        if self.lit:
            glow = QColor(self.theme.accent)
            glow.setAlpha(90)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(glow)
            # Maps stand closer together than circles: a narrower glow keeps them apart.
            self._shape(painter, r + (4.0 if self.map_shown else max(6.0, r * 0.35)))
        outline = QPen(self.theme.outline, 1.0)
        outline.setCosmetic(True)
        if self.dead:
            outline.setStyle(Qt.PenStyle.DashLine)
        fill = self.fill if self.map_image is None or self._map_fill is None else self._map_fill
        if self.dimmed:
            # Faded but opaque, so the edges behind stay hidden.
            fill = mix(fill, self.theme.background, 0.7)
            outline.setColor(mix(self.theme.outline, self.theme.background, 0.6))
        painter.setPen(Qt.PenStyle.NoPen if tiny else outline)
        painter.setBrush(fill)
        if self.map_shown:
            self._paint_map(painter, r, outline, lod)
        else:
            self._shape(painter, r)
        if self.dead and not tiny:
            hatch = QBrush(self.theme.muted, Qt.BrushStyle.BDiagPattern)
            painter.setBrush(hatch)
            painter.setPen(Qt.PenStyle.NoPen)
            self._shape(painter, r)
        self.text_shown = r * lod >= MIN_TEXT_PIXELS and not self.map_shown
        if self.value is not None and self.text_shown:
            painter.setFont(self._font)
            color = self.theme.text if self.dead else text_on(fill)
            painter.setPen(mix(color, fill, 0.5) if self.dimmed else color)
            painter.drawText(QRectF(-r, -r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter,
                             self.value_text)
        if self.lit:
            ring = QPen(self.theme.accent, 3.0)
            ring.setCosmetic(True)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            self._shape(painter, r + 2.5)
        if self.selected:
            ring = QPen(self.theme.selection, 2.5)
            ring.setCosmetic(True)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            self._shape(painter, r + (5.5 if self.lit else 3.0))


class ThumbnailItem(QGraphicsItem):
    """The selected sample as a small picture beside the input column."""

    def __init__(self, shape: tuple[int, int], side: float, theme: DiagramColors) -> None:
        super().__init__()
        self.shape = shape
        self.theme = theme
        rows, cols = shape
        self._pixel = side / max(rows, cols)
        self._rect = QRectF(0, 0, cols * self._pixel, rows * self._pixel)
        self._image = QImage()
        self._grey: np.ndarray | None = None
        self.setZValue(NEURON_Z)
        # Cached, and repainted only when the sample changes: the diagram redraws on every
        # training frame, the picture of the sample does not change meanwhile.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def set_pixels(self, values: np.ndarray) -> None:
        rows, cols = self.shape
        grey = np.ascontiguousarray(pixel_grey(values).reshape(rows, cols))
        if self._grey is not None and np.array_equal(grey, self._grey):
            return
        self._grey = grey
        self._image = QImage(grey.data, cols, rows, cols, QImage.Format.Format_Grayscale8).copy()
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        if not self._image.isNull():
            painter.drawImage(self._rect, self._image)
        pen = QPen(self.theme.outline, 1.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self._rect)


def pixel_grey(values: np.ndarray) -> np.ndarray:
    """Ink (1) is black and paper (0) white, as in the pixel editor."""
    return np.round(255.0 * (1.0 - np.clip(values, 0.0, 1.0))).astype(np.uint8)
