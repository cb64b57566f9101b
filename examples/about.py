"""The About dialog: the version and the libraries Backprop GUI is built on.

Run from a checkout: `.venv/bin/python examples/about.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.ui.dialogs.about import AboutDialog


def main() -> QWidget:
    return AboutDialog()


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
