"""Whether a panel can be seen, for views that skip their work while they cannot.

Qt keeps a dock that is tabbed behind another dock visible: `isVisible()` stays True and the
dock is only moved out of sight. A view that follows live training behind such a tab would
redraw for nobody (the Steps, Graph and Landscape docks share a place with the Plots dock,
which comes forward when training starts). `in_front` asks what a person sees;
`when_brought_forward` calls a view's catch-up when its dock's tab comes to the front (no
showEvent comes then: the dock was never hidden).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDockWidget, QWidget


def in_front(widget: QWidget) -> bool:
    """Shown and not hidden behind another dock's tab (some of it is on the screen)."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def when_brought_forward(dock: QDockWidget, catch_up: Callable[[], None]) -> None:
    """Call `catch_up` each time `dock` comes to the front, once Qt has moved it into view
    (visibilityChanged comes before that, when `in_front` still says no)."""
    def on_visibility(shown: bool) -> None:
        if shown:
            QTimer.singleShot(0, dock, catch_up)

    dock.visibilityChanged.connect(on_visibility)
