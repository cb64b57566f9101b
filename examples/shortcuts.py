"""The Keyboard Shortcuts dialog, read from a main window's menus.

Run from a checkout: `.venv/bin/python examples/shortcuts.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.ui.dialogs.shortcuts import ShortcutsDialog
from backprop_gui.ui.window.main_window import MainWindow


def main() -> QWidget:
    window = MainWindow(remember_layout=False)
    return ShortcutsDialog(window.menuBar())   # reads the menus now, keeps no reference


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
