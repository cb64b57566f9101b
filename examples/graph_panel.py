"""The Graph panel: the computational graph of W¹[2,1] down to the loss, with its chain rule.

A 2-3-1 sigmoid network on XOR, sample (1, 1). Run from a checkout:
`.venv/bin/python examples/graph_panel.py`; ◀ ▶ step through the forward and backward pass
and the boxes fill in as they are computed.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.engine.datasets import load_builtin
from backprop_gui.engine.network import Network
from backprop_gui.engine.project import Project
from backprop_gui.engine.selection import Selection
from backprop_gui.session.session import Session
from backprop_gui.ui.graph import GraphPanel


def main() -> QWidget:
    net = Network.build([2, 3, 1], ["sigmoid", "sigmoid"], "mse", seed=3, init="xavier")
    session = Session(Project(network=net, dataset=load_builtin("xor"), selected_sample=3))
    panel = GraphPanel(session)
    panel.show_parameter(Selection.parse("W1[2,1]"))
    panel.follow_box.setChecked(False)      # every number at once
    panel.resize(420, 720)
    return panel


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
