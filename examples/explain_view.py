"""Explain ∂L/∂w for the weight W²[3,4]: every chain-rule path from the loss to it.

Run from a checkout: `.venv/bin/python examples/explain_view.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.engine.selection import Selection
from backprop_gui.session.session import Session
from backprop_gui.ui.stepper.explain_view import ExplainView


def main() -> QWidget:
    session = Session()
    session.select(Selection.parse("W2[3,4]"))
    view = ExplainView(session)
    view.refresh()
    view.resize(420, 640)
    return view


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
