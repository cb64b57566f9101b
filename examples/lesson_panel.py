"""The Lesson panel on page 3 of “Softmax and cross-entropy”, outside a window (the page's
setup then changes only the project: there is no diagram or step-through to set up).

Run from a checkout: `.venv/bin/python examples/lesson_panel.py`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.session.session import Session
from backprop_gui.ui.lesson import LessonController


def main() -> QWidget:
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    host = QWidget()        # stands in for the main window: the controller's parent
    controller = LessonController(host, Session(parent=host), settings)
    controller.open_bundled("softmax", page=3)
    panel = controller.panel
    panel.setParent(None)
    panel.host = host       # keeps the controller alive with the panel
    panel.resize(340, 560)
    return panel


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
