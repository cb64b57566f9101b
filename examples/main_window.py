"""The whole window around the default project.

Run from a checkout: `.venv/bin/python examples/main_window.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.ui.window.main_window import MainWindow


def main() -> QWidget:
    window = MainWindow(remember_layout=False)
    window.resize(1280, 800)
    return window


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
