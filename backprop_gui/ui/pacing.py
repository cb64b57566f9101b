"""RepaintPacer: lets a widget whose content changes on every training frame repaint at
most a few times a second, and always with its latest content.

Numbers and small charts that change 60 times a second cannot be read; their repaints
(text layout and drawing, ~0.15 ms for a line of text, ~1 ms for the output chart) are
time the frame needs for training and for the diagram and plots.
"""

from __future__ import annotations

from time import perf_counter

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

REPAINTS_PER_S = 20


class RepaintPacer(QObject):
    """Call `request()` instead of `widget.update()`, and `painted()` from its paintEvent."""

    def __init__(self, widget: QWidget, per_second: float = REPAINTS_PER_S) -> None:
        super().__init__(widget)
        self._widget = widget
        self._gap = 1.0 / per_second
        self._painted_at = -1.0
        self._timer = QTimer(self)          # the latest content, once its turn comes
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(widget.update)

    def request(self) -> None:
        """Repaint now if the last repaint is long enough ago, else as soon as it is."""
        wait = self._painted_at + self._gap - perf_counter()
        if wait <= 0:
            self._widget.update()
        elif not self._timer.isActive():
            self._timer.start(max(1, round(wait * 1000)))

    def painted(self) -> None:
        self._painted_at = perf_counter()
        # The paint drew the latest content: a repaint still waiting its turn would only
        # draw the same again (seen: two paints 2 ms apart).
        self._timer.stop()
