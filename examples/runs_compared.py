"""The Loss plot with three runs side by side (batch GD, mini-batch, SGD) and the runs list
under it, counted in weight updates; Train ▸ Compare… makes such runs.

Run from a checkout: `.venv/bin/python examples/runs_compared.py`.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.engine.compare import CompareJob, preset_variants
from backprop_gui.ui.plots.panel import PlotsPanel

from _trained import trained_session


def main() -> QWidget:
    session, clock = trained_session()
    job = CompareJob(session.network, session.dataset, session.training,
                     preset_variants("optimizers", session.training), epochs=60)
    job.advance()
    session.runs.add(job.runs, "Compare 3 settings")
    panel = PlotsPanel(session, clock)
    panel.set_x_axis("updates")
    session.setParent(panel)    # deleted with the panel (see plots_panel.py)
    clock.setParent(panel)
    panel.resize(560, 640)
    return panel


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
