"""Train ▸ Compare…: the dialog that picks 2–4 settings to train from the same weights.

Run from a checkout: `.venv/bin/python examples/compare_dialog.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.session.session import Session
from backprop_gui.ui.runs.compare_dialog import CompareDialog


def main() -> QWidget:
    session = Session()
    dialog = CompareDialog(session)
    session.setParent(dialog)   # deleted with the dialog (see plots_panel.py)
    return dialog


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
