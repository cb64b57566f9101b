"""FirstPaint: runs callbacks once a window has painted its first frame.

The main window defers work that would delay its first frame (building the Plots panel, which
imports pyqtgraph) until a person sees the window; see `MainWindow.after_first_paint`.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    """Knows whether `window` has painted yet, and runs callbacks once it has."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._pending: list[Callable[[], object]] = []
        self.painted = window.isVisible()  # made for a window already on screen
        if not self.painted:
            window.installEventFilter(self)

    def call_after(self, callback: Callable[[], object]) -> None:
        if self.painted:
            self._call_soon(callback)
        elif callback not in self._pending:
            self._pending.append(callback)

    def _call_soon(self, callback: Callable[[], object]) -> None:
        # With this object (a child of the window) as the context: a window deleted before
        # the event loop comes round drops the call instead of calling into deleted widgets.
        QTimer.singleShot(0, self, callback)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self._window and event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            self._window.removeEventFilter(self)
            for callback in self._pending:
                self._call_soon(callback)
            self._pending.clear()
        return False
