"""The training settings (optimiser, batch size, momentum, …) of a new project.

Run from a checkout: `.venv/bin/python examples/training_settings.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.session.session import Session
from backprop_gui.session.training_clock import TrainingClock
from backprop_gui.ui.training.training_settings import TrainingSettings


def main() -> QWidget:
    return TrainingSettings(TrainingClock(Session()))


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
