"""The status bar's permanent labels: the network's size and whether the project is saved."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFrame, QLabel, QStatusBar

from ...session.session import Session


class ProjectStatus(QObject):
    """Puts the two labels in `bar` (right-aligned, each after a line) and keeps them true."""

    def __init__(self, session: Session, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.session = session
        self.size_label = QLabel()
        self.size_label.setToolTip("Neurons per layer (input first) · weight layers · "
                                   "number of weights and biases")
        self.file_label = QLabel()
        self.file_label.setToolTip("Whether the project on disk has your latest changes")
        for label in (self.size_label, self.file_label):
            label.setContentsMargins(8, 0, 8, 0)
            separator = QFrame()
            separator.setFrameShape(QFrame.Shape.VLine)
            separator.setFrameShadow(QFrame.Shadow.Sunken)
            bar.addPermanentWidget(separator)
            bar.addPermanentWidget(label)
        for signal in (session.file_state_changed, session.structure_changed,
                       session.project_replaced):
            signal.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        net = self.session.network
        sizes = "-".join(str(n) for n in net.sizes)
        layers = f"{net.n_layers} layer{'s' if net.n_layers != 1 else ''}"
        self.size_label.setText(f"{sizes} · {layers} · {net.n_parameters} parameters")
        if self.session.modified:
            state = "Unsaved changes"
        elif self.session.path is None:
            state = "Not saved yet"
        else:
            state = "Saved"
        self.file_label.setText(state)
