"""The network diagram with neuron maps: the spiral dataset's 2-8-8-2 network, trained for
a few hundred epochs, each neuron drawn as a map of its activation over the input plane
(x₁ across, x₂ up). Right-click ▸ Neuron Maps turns them off; hover a neuron for its scale.

Run from a checkout: `.venv/bin/python examples/neuron_maps.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from backprop_gui.engine.training import Trainer
from backprop_gui.session.session import Session, default_project
from backprop_gui.ui.diagram import NetworkView


def main() -> QWidget:
    project = default_project("spiral")
    Trainer(project.network, project.dataset, project.training).train(300)
    session = Session(project)
    window = QMainWindow()
    view = NetworkView(session)
    window.setCentralWidget(view)
    view.message_posted.connect(lambda text: window.statusBar().showMessage(text, 5000))
    window.resize(1024, 720)
    window.setWindowTitle("Neuron maps preview")
    return window


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
