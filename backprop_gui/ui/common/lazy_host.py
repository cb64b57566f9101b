"""LazyHost: a dock's widget that builds its panel the first time it is shown or asked for.

Panels drawn with pyqtgraph (Plots, Landscape) must not cost the start-up its ~0.5 s import:
the dock holds a LazyHost, which builds the panel after the window's first paint if the dock
is on show, or whenever someone asks for `panel()`. The panel's `message_posted(str)` signal,
if it has one, comes out of the host's own (the window shows it in the status bar).
"""

from __future__ import annotations

from typing import Callable, Generic, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

P = TypeVar("P", bound=QWidget)


class LazyHost(QWidget, Generic[P]):
    """Holds the panel `build(parent)` makes, made when first shown or asked for.

    `after_first_paint` (WindowHooks.after_first_paint) delays a build that showing the
    dock asks for until the window has painted; without it the panel is built at once."""

    message_posted = Signal(str)

    def __init__(self, build: Callable[[QWidget], P],
                 after_first_paint: Callable[[Callable[[], object]], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self._after_first_paint = after_first_paint
        self._panel: P | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._panel is not None

    def panel(self) -> P:
        if self._panel is None:
            self._panel = self._build(self)
            posted = getattr(self._panel, "message_posted", None)
            if posted is not None:
                posted.connect(self.message_posted)
            self._layout.addWidget(self._panel)
        return self._panel

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._panel is None:
            if self._after_first_paint is None:
                self.panel()
            else:
                self._after_first_paint(self.panel)
