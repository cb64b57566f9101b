"""The loss plot of a network trained for 60 epochs.

Run from a checkout: `.venv/bin/python examples/loss_plot.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.ui.plots.loss_plot import LossPlot

from _trained import trained_session


def main() -> QWidget:
    session, _clock = trained_session()
    plot = LossPlot()
    plot.set_loss_name(f"{session.network.loss_fn.display} loss")
    plot.set_history(session.project.history)
    plot.resize(520, 420)
    return plot


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
