"""The Input panel: the selected sample's pixels, the network's outputs and the loss.

Run from a checkout: `.venv/bin/python examples/input_panel.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.session.session import Session
from backprop_gui.ui.editors.input_panel import InputPanel


def main() -> QWidget:
    panel = InputPanel(Session())
    panel.resize(300, 460)
    return panel


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
