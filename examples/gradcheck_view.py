"""The gradient check with W³[2,4] selected: backprop against a numerical estimate.

Run from a checkout: `.venv/bin/python examples/gradcheck_view.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.engine.selection import Selection
from backprop_gui.session.session import Session
from backprop_gui.session.stepper import StepCursor
from backprop_gui.ui.stepper.gradcheck_view import GradCheckView


def main() -> QWidget:
    session = Session()
    session.select(Selection.parse("W3[2,4]"))
    view = GradCheckView(StepCursor(session))
    view.resize(420, 520)
    view.refresh()
    return view


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
