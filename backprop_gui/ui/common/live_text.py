"""LiveText: a line (or a few lines) of text that changes on every frame while training.

A QLabel asks its parent layout to recompute on every setText (QLabel::setText always
calls updateGeometry), and that request climbs through the dock, the splitters and the main
window: ~2 ms of layout per label per frame while training, for text whose size never
changes. LiveText keeps one size hint for its whole life and only repaints itself, a few
times a second at most (see Throttle).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent, QPalette, QTextOption
from PySide6.QtWidgets import QSizePolicy, QWidget

from .throttle import READABLE_MS, Throttle


class LiveText(QWidget):
    """Plain text drawn in a fixed-height box: wrapped over `lines` lines, or elided on one.

    `sample` is a typical longest text: the width the widget asks for. The text is also the
    accessible name, so screen readers read what is shown. `opaque`: it fills its box with
    the window colour (for plain panels; not on a toolbar, whose background is a gradient).
    `parts`: a separator (e.g. " · ") between parts of the text; when the line is too
    narrow, whole parts are dropped from the end rather than one cut off in the middle of a
    number ("accuracy 10…" of 100 % reads as 10 %).
    """

    def __init__(self, sample: str = "", lines: int = 1, wrap: bool = False,
                 parent: QWidget | None = None, opaque: bool = True,
                 parts: str | None = None) -> None:
        super().__init__(parent)
        self._parts = parts
        self._text = ""
        self._lines = max(1, lines)
        self._wrap = wrap
        self._sample = sample
        self._alignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self._box_height())
        # Opaque: a see-through widget makes Qt repaint every ancestor under it (panel, tab
        # widget, splitter, main window) each time the text changes, i.e. every frame.
        self._opaque = opaque
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, opaque)
        self._repaint = Throttle(READABLE_MS, self.update, self)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text == self._text:
            return
        self._text = text
        self.setAccessibleName(text)
        self._repaint()

    def setAlignment(self, alignment: Qt.AlignmentFlag) -> None:
        self._alignment = alignment
        self.update()

    def _box_height(self) -> int:
        return int(QFontMetricsF(self.font()).lineSpacing() * self._lines + 4)

    def sizeHint(self) -> QSize:
        width = QFontMetricsF(self.font()).horizontalAdvance(self._sample) if self._sample else 40
        return QSize(int(width / (self._lines if self._wrap else 1)) + 8, self._box_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(40, self._box_height())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self.setFixedHeight(self._box_height())

    def paintEvent(self, event: QPaintEvent) -> None:
        self._repaint.ran()     # it shows the latest text: a repaint waiting would only repeat it
        painter = QPainter(self)
        if self._opaque:
            painter.fillRect(self.rect(), self.palette().brush(self.backgroundRole()))
        painter.setPen(self.palette().color(
            QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled,
            QPalette.ColorRole.WindowText))
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        if self._wrap:
            option = QTextOption(self._alignment)
            option.setWrapMode(QTextOption.WrapMode.WordWrap)
            painter.drawText(rect, self._text, option)
        else:
            painter.drawText(rect, int(self._alignment), self.shown_text(rect.width()))
        painter.end()

    def shown_text(self, width: float) -> str:
        """The text as drawn on one line `width` pixels wide."""
        metrics = QFontMetricsF(self.font())
        text = self._text
        if self._parts and metrics.horizontalAdvance(text) > width:
            parts = text.split(self._parts)
            while len(parts) > 1:
                parts.pop()
                text = self._parts.join(parts) + " …"
                if metrics.horizontalAdvance(text) <= width:
                    return text
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
