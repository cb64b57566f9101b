"""A text label for the scene: several lines, each centred (or left/right aligned) in its box."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

_ALIGN = {"left": Qt.AlignmentFlag.AlignLeft, "center": Qt.AlignmentFlag.AlignHCenter,
          "right": Qt.AlignmentFlag.AlignRight}


class LabelItem(QGraphicsItem):
    """Like QGraphicsSimpleTextItem, but the lines of a multi-line text share one alignment."""

    def __init__(self, text: str, font: QFont, color: QColor, align: str = "center") -> None:
        super().__init__()
        self._font = font
        self._brush = QBrush(color)
        self._align = align
        self._text = ""
        self._rect = QRectF()
        self.setText(text)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text == self._text and not self._rect.isNull():
            return
        self.prepareGeometryChange()
        self._text = text
        metrics = QFontMetricsF(self._font)
        lines = text.split("\n") if text else []
        width = max((metrics.horizontalAdvance(line) for line in lines), default=0.0)
        self._rect = QRectF(0.0, 0.0, width + 2.0, metrics.lineSpacing() * len(lines))
        self.update()

    def brush(self) -> QBrush:
        return self._brush

    def setBrush(self, brush: QBrush | QColor) -> None:
        self._brush = QBrush(brush)
        self.update()

    def font(self) -> QFont:
        return self._font

    def set_align(self, align: str) -> None:
        self._align = align
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        if not self._text:
            return
        painter.setFont(self._font)
        painter.setPen(self._brush.color())
        painter.drawText(self._rect, _ALIGN[self._align] | Qt.AlignmentFlag.AlignTop, self._text)
