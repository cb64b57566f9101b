"""The Decision map panel: the network's predicted class over the whole input plane, large,
with the dataset on it; or, for a network without two inputs, a note saying why there is none.

It follows the session (an edit, an undo, a new dataset, a project opened: at once) and live
training through the clock's frame signal: a few times a second while training streams,
exactly when it stops (see session/training_clock.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from ...session.session import Session
from ...session.training_clock import TrainingClock, TrainingFrame
from ..common.throttle import Throttle
from .canvas import DecisionMapCanvas

LIVE_MS = 250            # while training streams: four maps a second
CAPTION = ("The class the network predicts at every point (x₁, x₂): the stronger the colour, "
           "the more certain. Samples keep their class's colour and shape.")
PAGE_EMPTY, PAGE_MAP = 0, 1


def empty_text(session: Session) -> str:
    """Why there is no map for this project ("" when there is one)."""
    n_in = session.network.sizes[0]
    if n_in != 2:
        what = "4×4 images" if session.dataset.kind == "image" and n_in == 16 else "its inputs"
        return (f"No decision map for this network: it has {n_in} input"
                f"{'s' if n_in != 1 else ''} ({what}), and the map needs exactly 2, x₁ and x₂, "
                "to colour the plane by the class predicted at each point.\n\n"
                "Choose a dataset with two inputs (XOR, two blobs, disc and ring, two moons or "
                "the spiral) in the Dataset panel to see one.")
    if session.dataset.is_regression:
        return ("No decision map for this dataset: its targets are numbers, not classes, so "
                "there are no classes to colour the plane by.")
    return ""


class DecisionMapPanel(QWidget):
    """The "Decision map" dock's widget. Public: `canvas`, `has_map()`, `note()`."""

    def __init__(self, session: Session, clock: TrainingClock | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decision_map_panel")
        self.session = session
        self.clock = clock
        self.caption = QLabel(CAPTION)
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.canvas = DecisionMapCanvas(session)
        self.empty = QLabel()
        self.empty.setObjectName("decision_map_empty")
        self.empty.setWordWrap(True)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(16)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        map_page = QWidget()
        inner = QVBoxLayout(map_page)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.caption)
        inner.addWidget(self.canvas, 1)
        self.pages.addWidget(map_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.pages)

        # An edit shows at the next turn of the event loop (one map for the several signals
        # of one change); live training, through the frames, a few times a second.
        self._soon = Throttle(0, self.canvas.invalidate, self, defer=True)
        self._live = Throttle(LIVE_MS, self.canvas.invalidate, self)
        session.parameters_changed.connect(self._on_parameters)
        for signal in (session.structure_changed, session.project_replaced, session.dataset_changed):
            signal.connect(self._on_project)
        session.sample_selected.connect(lambda _i: self.canvas.update())
        session.try_input_changed.connect(self.canvas.update)
        if clock is not None:
            clock.frame.connect(self.on_training_frame)
        self._show_page()

    def has_map(self) -> bool:
        return self.pages.currentIndex() == PAGE_MAP

    def note(self) -> str:
        """The empty state's text ("" while a map shows)."""
        return "" if self.has_map() else self.empty.text()

    def on_training_frame(self, frame: TrainingFrame) -> None:
        if frame.streaming:
            self._live()
        else:
            self._live.cancel()
            self._soon.cancel()
            self._live.ran()
            self.canvas.invalidate()

    def _on_parameters(self) -> None:
        # While the clock runs, its frame follows and decides (see on_training_frame).
        if self.clock is None or not self.clock.is_running:
            self._soon()

    def _on_project(self) -> None:
        self._show_page()
        self._soon()

    def _show_page(self) -> None:
        """The map, or the note saying why there is none; the square fitted to the samples."""
        text = empty_text(self.session)
        self.empty.setText(text)
        self.pages.setCurrentIndex(PAGE_EMPTY if text else PAGE_MAP)
        self.canvas.update_plane()
