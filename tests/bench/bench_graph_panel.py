"""Benchmark: training live in the application's window with the Graph panel in front.

Run with `make bench` or `python tests/bench/bench_graph_panel.py [seconds]`. The window as
it opens (1280x800), with the Graph dock raised over Steps and a weight selected, plays
training "as fast as possible"; it prints the diagram's redraws, the Graph panel's redraws
(it refreshes at most every `panel.REFRESH_MS` while numbers stream) and the training steps
per second, beside the same window with the Graph panel hidden behind its tab. The targets are
bench_training_ui.py's: the diagram keeps ≥ 60 redraws/s and training ≥ 10,000 steps/s on
16-6-6-2.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_training_ui import (  # noqa: E402
    CASES, SECONDS, PaintCounter, build_main_window, measure)


def with_graph(shown: bool):
    def build(session):
        from backprop_gui.engine.selection import Selection

        window, clock, views = build_main_window(session)
        session.select(Selection.weight(2, 0, 0))
        if shown:
            window.dock("Graph").raise_()
            # Plots comes forward when training starts: bring the Graph back in front of it.
            clock.running_changed.connect(lambda on: on and window.dock("Graph").raise_())
        views["graph"] = PaintCounter(window.graph_panel.canvas)
        return window, clock, views
    return build


def main() -> int:
    from PySide6.QtWidgets import QApplication

    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else SECONDS
    app = QApplication.instance() or QApplication([])  # noqa: F841 (keeps the app alive)
    print(f"Training live in the window, {seconds:g} s per network, offscreen 1280x800")
    print(f"{'network':<26}{'Graph panel':>12}{'diagram/s':>10}{'graph/s':>9}{'steps/s':>10}")
    for case in CASES[:3]:
        for shown in (False, True):
            r = measure(case, seconds, with_graph(shown))
            print(f"{r['name']:<26}{'in front' if shown else 'hidden':>12}"
                  f"{r['rates']['diagram']:>10.1f}{r['rates']['graph']:>9.1f}"
                  f"{r['steps']:>10,.0f}")
    return 0   # a benchmark reports; it does not fail the build


if __name__ == "__main__":
    sys.exit(main())
