"""The worked calculation of the first step, z¹ = W¹ a⁰ + b¹, with the actual numbers.

Run from a checkout: `.venv/bin/python examples/worked_view.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.engine.walkthrough import walkthrough
from backprop_gui.session.session import Session
from backprop_gui.ui.stepper.expression import build_expression
from backprop_gui.ui.stepper.worked_view import WorkedCanvas


def main() -> QWidget:
    session = Session()
    step = walkthrough(session.network, session.sample_input(), session.sample_target(),
                       session.training.learning_rate)[0]
    canvas = WorkedCanvas()
    canvas.set_expression(build_expression(step, session.network.n_layers, [0]))
    canvas.entry_hovered.connect(print)
    canvas.resize(520, 420)
    return canvas


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
