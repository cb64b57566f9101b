"""The pixel editor: paint the selected 4×4 image with the mouse or the keys.

Run from a checkout: `.venv/bin/python examples/pixel_editor.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.session.session import Session
from backprop_gui.ui.editors.pixel_editor import PixelEditor


def main() -> QWidget:
    editor = PixelEditor(Session())
    editor.resize(300, 340)
    return editor


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
