"""The Inspector with the weight W²[3,5] selected: its value and its gradient δ · a.

Run from a checkout: `.venv/bin/python examples/inspector.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.engine.selection import Selection
from backprop_gui.session.session import Session
from backprop_gui.ui.editors.inspector import Inspector


def main() -> QWidget:
    session = Session()
    session.select(Selection.parse("W2[3,5]"))
    inspector = Inspector(session)
    inspector.resize(320, 360)
    return inspector


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
