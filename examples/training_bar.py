"""The Training toolbar in a window of its own, with its Train menu and status messages.

Run from a checkout: `.venv/bin/python examples/training_bar.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from backprop_gui.session.session import Session
from backprop_gui.ui.training.training_bar import TrainingBar


def main() -> QWidget:
    window = QMainWindow()
    bar = TrainingBar(Session())
    window.addToolBar(bar)
    host = QLabel("The diagram goes here")
    host.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.setCentralWidget(host)
    bar.banner.attach(host)
    bar.populate_menu(window.menuBar().addMenu("&Train"))
    bar.message_posted.connect(lambda text: window.statusBar().showMessage(text, 8000))
    window.resize(1280, 300)
    return window


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
