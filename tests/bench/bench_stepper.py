"""How long the Steps panel takes to follow a change: the walkthrough, one step's page, a refresh.

While training runs with the panel open, every frame may bring new values; the panel
refreshes at most once a frame (16 ms), so each refresh should take well under that.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")


def _best(fn, repeat: int = 30) -> float:
    """The best of `repeat` runs, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from backprop_gui.engine.network import Network
    from backprop_gui.session.session import Session
    from backprop_gui.ui.stepper import StepperPanel

    rows = []
    for label, sizes in (("16-6-6-2 (default)", None), ("16-64-64-2", [16, 64, 64, 2]),
                         ("16-256-256-2", [16, 256, 256, 2])):
        session = Session()
        if sizes is not None:
            session.replace_network("bench", Network.build(sizes, ["relu", "relu", "softmax"],
                                                           "cross_entropy"))
        panel = StepperPanel(session)
        panel.resize(420, 800)
        panel.show()
        app.processEvents()
        cursor = panel.cursor
        for scope in ("sample", "batch"):
            panel.set_scope(scope)
            app.processEvents()

            def recompute() -> None:
                cursor._on_values_changed()
                _ = cursor.steps

            def page() -> None:
                panel._show_current()
                panel.page.canvas.repaint()

            def refresh() -> None:
                cursor._on_values_changed()
                panel._refresh_all()
                panel.page.canvas.repaint()

            cursor.go_to(0)
            rows.append((label, scope, _best(recompute), _best(page), _best(refresh)))
        panel.close()
        panel.deleteLater()
        app.processEvents()

    print(f"{'network':<20} {'scope':<7} {'walkthrough ms':>15} {'step page ms':>13} "
          f"{'full refresh ms':>16}")
    for label, scope, a, b, c in rows:
        print(f"{label:<20} {scope:<7} {a:>15.2f} {b:>13.2f} {c:>16.2f}")


if __name__ == "__main__":
    main()
