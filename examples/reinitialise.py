"""The Re-initialise Weights dialog: a seed and an initialiser.

Run from a checkout: `.venv/bin/python examples/reinitialise.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.ui.dialogs.reinitialise import ReinitialiseDialog


def main() -> QWidget:
    return ReinitialiseDialog(0, "he")


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
