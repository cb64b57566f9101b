"""The points editor on the moons dataset: add, move and delete 2-D points over the
network's decision regions.

Run from a checkout: `.venv/bin/python examples/points_editor.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.session.session import Session, default_project
from backprop_gui.ui.editors.points_editor import PointsEditor


def main() -> QWidget:
    editor = PointsEditor(Session(default_project("moons")))
    editor.resize(320, 360)
    return editor


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
