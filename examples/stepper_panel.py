"""The Steps panel: step through one gradient-descent step (its messages are printed).

Run from a checkout: `.venv/bin/python examples/stepper_panel.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.session.session import Session
from backprop_gui.ui.stepper import StepperPanel


def main() -> QWidget:
    panel = StepperPanel(Session())
    panel.message_posted.connect(print)
    panel.resize(420, 760)
    return panel


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
