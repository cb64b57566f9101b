"""The Landscape panel on its own: descent on the bumpy surface, and the loss of a network
trained for a few epochs around its current weights.

Run from a checkout: `.venv/bin/python examples/landscape_panel.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.ui.landscape.panel import LandscapePanel

from _trained import trained_session


def main() -> QWidget:
    session, clock = trained_session(20)
    panel = LandscapePanel(session, clock)
    panel.toy.apply_preset("Bumps: start on a diagonal")
    for _ in range(15):
        panel.step()
    panel.resize(480, 820)
    return panel


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
