"""The first layer's weights drawn as images, one per hidden neuron, after 60 epochs.

Run from a checkout: `.venv/bin/python examples/first_layer.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.ui.plots.first_layer import FirstLayerImages

from _trained import trained_session


def main() -> QWidget:
    session, _clock = trained_session()
    images = FirstLayerImages()
    images.set_shape(session.network.sizes[1], session.dataset.image_shape)
    images.set_weights(session.network.weights[0])
    images.resize(520, 420)
    return images


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
