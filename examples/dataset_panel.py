"""The Dataset panel: every sample of the default dataset as a thumbnail.

Run from a checkout: `.venv/bin/python examples/dataset_panel.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.session.session import Session
from backprop_gui.ui.editors.dataset_panel import DatasetPanel


def main() -> QWidget:
    panel = DatasetPanel(Session())
    panel.resize(300, 400)
    return panel


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
