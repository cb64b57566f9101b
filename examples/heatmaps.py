"""The gradients of every weight layer as heat maps, after 60 epochs of training.

Run from a checkout: `.venv/bin/python examples/heatmaps.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.ui.plots.heatmaps import LayerHeatmaps

from _trained import trained_session


def main() -> QWidget:
    session, clock = trained_session()
    heat = LayerHeatmaps("gradients")
    heat.set_shape(session.network.sizes)
    grads = clock.recorder.gradients()
    heat.set_values(grads.dW, grads.db)
    heat.resize(520, 560)
    return heat


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
