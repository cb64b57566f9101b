"""One item per neuron (a circle, or a square for an input pixel) and the sample thumbnail."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from ..common.colors import mix, text_on
from .highlight import compact
from .style import DiagramColors, pixel_font

NEURON_Z = 10.0
MIN_TEXT_PIXELS = 11.0   # draw the value inside a neuron once it is this big on screen
NUMBER_GROUPS = 8        # while training streams, waiting numbers are redrawn a group at a time


class NeuronItem(QGraphicsItem):
    """A neuron filled by its value; rings mark selection and the step-through highlight."""

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
        self._in_motion = False   # see set_in_motion
        self._number_stale = False
        # Neighbours fall in different groups, so a redrawn group is spread over the columns.
        self.group = (layer * 5 + index) % NUMBER_GROUPS
        self.setPos(center)
        self.setZValue(NEURON_Z)
        self._font = pixel_font(radius * 0.6)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        pad = 7.0 + max(2.0, radius * 0.2)
        self._bounds = QRectF(-radius - pad, -radius - pad, 2 * (radius + pad), 2 * (radius + pad))

    def boundingRect(self) -> QRectF:
        return self._bounds

    def set_state(self, fill: QColor, value: float | None, dead: bool) -> None:
        looks = fill != self.fill or dead != self.dead
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

    def _shape(self, painter: QPainter, r: float) -> None:
        rect = QRectF(-r, -r, 2 * r, 2 * r)
        if self.square:
            painter.drawRect(rect)
        else:
            painter.drawEllipse(rect)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        r = self.radius
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        tiny = r * lod < 2.5
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, not self.square and not tiny)
        if self.lit:
            glow = QColor(self.theme.accent)
            glow.setAlpha(90)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(glow)
            self._shape(painter, r + max(6.0, r * 0.35))
        outline = QPen(self.theme.outline, 1.0)
        outline.setCosmetic(True)
        if self.dead:
            outline.setStyle(Qt.PenStyle.DashLine)
        fill = self.fill
        if self.dimmed:
            # Faded but opaque, so the edges behind stay hidden.
            fill = mix(fill, self.theme.background, 0.7)
            outline.setColor(mix(self.theme.outline, self.theme.background, 0.6))
        painter.setPen(Qt.PenStyle.NoPen if tiny else outline)
        painter.setBrush(fill)
        self._shape(painter, r)
        if self.dead and not tiny:
            hatch = QBrush(self.theme.muted, Qt.BrushStyle.BDiagPattern)
            painter.setBrush(hatch)
            painter.setPen(Qt.PenStyle.NoPen)
            self._shape(painter, r)
        self.text_shown = r * lod >= MIN_TEXT_PIXELS
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
