"""The network diagram (NetworkView) of the default project, in a window whose status bar
shows the diagram's messages. Hover, click, right-click, zoom and edit as in the app.

Run from a checkout: `.venv/bin/python examples/diagram_view.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from backprop_gui.session.session import Session
from backprop_gui.ui.diagram import NetworkView


def main() -> QWidget:
    session = Session()
    window = QMainWindow()
    view = NetworkView(session)
    window.setCentralWidget(view)
    view.message_posted.connect(lambda text: window.statusBar().showMessage(text, 5000))
    window.resize(1280, 800)
    window.setWindowTitle("Network diagram preview")
    return window


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
