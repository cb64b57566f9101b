"""The update table of the last step: each parameter's old value, α, gradient and new value.

Run from a checkout: `.venv/bin/python examples/update_table.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.engine.walkthrough import walkthrough
from backprop_gui.session.session import Session
from backprop_gui.ui.stepper.update_table import UpdateTable


def main() -> QWidget:
    session = Session()
    steps = walkthrough(session.network, session.sample_input(), session.sample_target(),
                        session.training.learning_rate)
    table = UpdateTable()
    table.set_steps(steps[-2], steps[-1])
    table.resize(420, 360)
    return table


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
