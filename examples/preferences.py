"""The Preferences dialog with the default preferences.

Run from a checkout: `.venv/bin/python examples/preferences.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.ui.dialogs.preferences import Preferences, PreferencesDialog


def main() -> QWidget:
    return PreferencesDialog(Preferences())


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
