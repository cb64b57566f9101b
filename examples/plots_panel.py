"""The Plots panel while a new network trains (training starts when the window shows).

Run from a checkout: `.venv/bin/python examples/plots_panel.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.session.session import Session
from backprop_gui.session.training_clock import TrainingClock
from backprop_gui.ui.plots.panel import PlotsPanel


def main() -> QWidget:
    session = Session()
    clock = TrainingClock(session)
    panel = PlotsPanel(session, clock)
    clock.setParent(panel)      # training stops when the panel goes
    # Deleted with the panel: a session with undo steps, freed later by the cyclic collector
    # together with a deleted panel, crashed in QUndoStack::clear().
    session.setParent(panel)
    panel.resize(520, 560)
    return panel


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    window.clock.play()
    sys.exit(app.exec())
