"""The page of the last step (the update), with its formula and the worked numbers.

Run from a checkout: `.venv/bin/python examples/step_page.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.session.session import Session
from backprop_gui.session.stepper import StepCursor
from backprop_gui.ui.stepper.step_page import StepPage


def main() -> QWidget:
    cursor = StepCursor(Session())
    page = StepPage(cursor)
    cursor.last()
    page.show_step(cursor.step, cursor.index, len(cursor.steps))
    page.resize(420, 800)
    return page


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
