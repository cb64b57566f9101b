"""Puts the Landscape panel into the main window (built after the first paint, when shown)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtWidgets import QWidget

from ...engine.selection import Selection
from ...session.session import Session
from ...session.training_clock import TrainingClock
from ..common.in_front import when_brought_forward
from ..common.lazy_host import LazyHost
from ..common.window_hooks import WindowHooks

if TYPE_CHECKING:
    from ...engine.landscape import DescentStep
    from .panel import LandscapePanel


class LandscapeHost(LazyHost["LandscapePanel"]):
    """The Landscape dock's widget: builds the LandscapePanel (and imports pyqtgraph) when
    it is first shown or used, and offers the panel's public API."""

    def __init__(self, session: Session, clock: TrainingClock | None,
                 after_first_paint: Callable[[Callable[[], object]], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self._make_panel, after_first_paint, parent)
        self.setObjectName("landscape_host")
        self.session = session
        self.clock = clock

    def _make_panel(self, parent: QWidget) -> LandscapePanel:
        from .panel import LandscapePanel  # pyqtgraph loads here, not at start-up

        return LandscapePanel(self.session, self.clock, parent)

    # ----- the panel's public API ---------------------------------------------------------

    def show_function(self, name: str) -> None:
        self.panel().show_function(name)

    def place_start(self, x: float, y: float) -> None:
        self.panel().place_start(x, y)

    def apply_preset(self, name: str) -> None:
        self.panel().apply_preset(name)

    def set_learning_rate(self, value: float) -> None:
        self.panel().set_learning_rate(value)

    def step(self) -> DescentStep | None:
        return self.panel().step()

    def play(self) -> None:
        self.panel().play()

    def pause(self) -> None:
        self.panel().pause()

    def reset(self) -> None:
        self.panel().reset()

    def current_point(self) -> tuple[float, float]:
        return self.panel().current_point()

    def show_network_slice(self, a: Selection, b: Selection) -> None:
        self.panel().show_network_slice(a, b)

    def catch_up(self) -> None:
        """The dock came to the front: the Network page draws what changed behind it."""
        if self.is_built:
            self.panel().network.catch_up()


def install_landscape(window: WindowHooks, session: Session,
                      clock: TrainingClock | None = None) -> LandscapeHost:
    """Dock the Landscape panel in `window` (it follows training through `clock`)."""
    host = LandscapeHost(session, clock, window.after_first_paint)
    # Behind another tab (Plots comes forward while training) the Network page waits.
    when_brought_forward(window.set_dock_widget("Landscape", host), host.catch_up)
    return host
