"""The list of steps of one gradient-descent step: forward pass, loss, backprop, update.

Run from a checkout: `.venv/bin/python examples/step_list.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.session.session import Session
from backprop_gui.session.stepper import StepCursor
from backprop_gui.ui.stepper.step_list import StepList


def main() -> QWidget:
    step_list = StepList(StepCursor(Session()))
    step_list.rebuild()
    step_list.resize(380, 560)
    return step_list


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
