"""The Lesson panel on page 3 of “Softmax and cross-entropy”, outside a window (the page's
setup then changes only the project: there is no diagram or step-through to set up).

Run from a checkout: `.venv/bin/python examples/lesson_panel.py`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from backprop_gui.session.session import Session
from backprop_gui.ui.lesson import LessonController


def main() -> QWidget:
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    # The host stands in for the main window: it owns the controller, the session and the
    # panel (no Python reference cycle, which the garbage collector may break in any order).
    host = QWidget()
    controller = LessonController(host, Session(parent=host), settings)
    controller.open_bundled("softmax", page=3)
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(controller.panel)
    host.resize(340, 560)
    return host


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
