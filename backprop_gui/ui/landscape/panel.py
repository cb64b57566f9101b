"""The Landscape panel: gradient descent on toy functions, and the real network's loss
around its current parameters (see toy_page.py and network_page.py)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ...engine.landscape import DescentStep
from ...engine.selection import Selection
from ...session.session import Session
from ...session.training_clock import TrainingClock
from .network_page import NetworkPage
from .toy_page import ToyPage


class LandscapePanel(QWidget):
    """Two tabs: "Toy functions" (ToyPage) and "Network" (NetworkPage)."""

    message_posted = Signal(str)

    def __init__(self, session: Session, clock: TrainingClock | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("landscape_panel")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("landscape_tabs")
        self.toy = ToyPage()
        self.network = NetworkPage(session, clock)
        self.tabs.addTab(self.toy, "Toy functions")
        self.tabs.setTabToolTip(0, "Gradient descent on a function of two variables")
        self.tabs.addTab(self.network, "Network")
        self.tabs.setTabToolTip(1, "The loss of the whole dataset around the network's "
                                   "current weights, along two parameters or two directions")
        for page in (self.toy, self.network):
            page.message_posted.connect(self.message_posted)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    # ----- the public API (lessons call these) ----------------------------------------------

    def show_function(self, name: str) -> None:
        self.tabs.setCurrentWidget(self.toy)
        self.toy.show_function(name)

    def place_start(self, x: float, y: float) -> None:
        self.toy.place_start(x, y)

    def apply_preset(self, name: str) -> None:
        """Set up the descent preset called `name` (engine/landscape_presets.py): its
        function, start and rates. ValueError if there is none."""
        self.tabs.setCurrentWidget(self.toy)
        self.toy.apply_preset(name)

    def set_learning_rate(self, value: float) -> None:
        self.toy.set_learning_rate(value)

    def step(self) -> DescentStep | None:
        return self.toy.step()

    def play(self) -> None:
        self.toy.play()

    def pause(self) -> None:
        self.toy.pause()

    def reset(self) -> None:
        self.toy.reset()

    def current_point(self) -> tuple[float, float]:
        return self.toy.current_point()

    def show_network_slice(self, a: Selection, b: Selection) -> None:
        """Show the loss along weights or biases a and b (the Network tab)."""
        self.tabs.setCurrentWidget(self.network)
        self.network.show_parameters(a, b)
