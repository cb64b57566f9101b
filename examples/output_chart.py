"""The output chart: the network's outputs ŷ for the selected sample, with its target.

Run from a checkout: `.venv/bin/python examples/output_chart.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.session.session import Session
from backprop_gui.ui.editors.output_chart import OutputChart


def main() -> QWidget:
    chart = OutputChart(Session())
    chart.resize(300, 160)
    return chart


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
