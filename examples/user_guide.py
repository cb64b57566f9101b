"""The User Guide window (Help ▸ User Guide, F1) on its own, at its contents page.

Run from a checkout: `.venv/bin/python examples/user_guide.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.ui.guide.contents import INDEX, Guide
from backprop_gui.ui.guide.dialog import GuideDialog


def main() -> QWidget:
    dialog = GuideDialog(Guide.load())
    dialog.show_page(INDEX)
    return dialog


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
