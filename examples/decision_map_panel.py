"""The Decision map panel: a 2-4-2 network learning the two moons, its classes over the plane.

A 2-4-2 tanh/softmax network trained 300 epochs on the two-moons set, sample 5 selected.
Run from a checkout: `.venv/bin/python examples/decision_map_panel.py`; move the mouse over
the map to read the predicted class, click a sample to select it.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.engine.datasets import load_builtin
from backprop_gui.engine.network import Network
from backprop_gui.engine.project import Project, TrainingConfig
from backprop_gui.session.session import Session
from backprop_gui.session.training_clock import TrainingClock
from backprop_gui.ui.regions import DecisionMapPanel


def main() -> QWidget:
    net = Network.build([2, 4, 2], ["tanh", "softmax"], "cross_entropy", seed=2)
    session = Session(Project(network=net, dataset=load_builtin("moons"), selected_sample=4,
                              training=TrainingConfig(learning_rate=0.5, seed=2)))
    clock = TrainingClock(session)
    clock.step_epoch(300)
    panel = DecisionMapPanel(session, clock)
    panel.resize(480, 600)
    return panel


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
