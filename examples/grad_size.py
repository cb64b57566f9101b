"""The gradient sizes per layer over 60 epochs of training.

Run from a checkout: `.venv/bin/python examples/grad_size.py`.
"""

from __future__ import annotations

import sys

import numpy as np
from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.ui.plots.grad_size import GradientSizePlot

from _trained import trained_session


def main() -> QWidget:
    session, clock = trained_session()
    plot = GradientSizePlot()
    plot.set_shape(session.network.sizes)
    sizes = clock.recorder.gradient_sizes
    plot.set_series(sizes.epochs, np.array(sizes.rms))
    plot.resize(520, 420)
    return plot


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
