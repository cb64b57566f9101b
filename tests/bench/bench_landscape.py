"""How long a loss slice of the real network takes: the Landscape panel's Network tab.

Measured: a 101×101 slice of the default network (16-6-6-2 on "Digits 0 and 1", 24 samples)
along two parameters (three pairs: the first and last layer, two weights of the first layer,
the output layer) and along two random filter-normalised directions; the 51×51 slice drawn
while training streams; the panel's whole refresh (slice, image, contour lines). Target: the
101×101 two-parameter slice in ≤ 50 ms. Each figure is the median of REPEATS runs, in CPU
time of this process (time.process_time, one BLAS thread): other programs on a shared
machine disturb it far less than wall-clock time. Nothing is asserted; it always exits 0.

Then training live with the Landscape panel's Network tab visible beside the diagram (as
bench_training_ui.py measures the other views): frames per second, how often each view
painted, and training steps per second, against the targets of the default network
(≥ 60 redraws/s of the diagram while ≥ 10,000 steps/s); the slice repaints a few times a
second by design.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")     # as the app runs (see app.py)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:       # run as a plain script from a source checkout
    sys.path.insert(0, str(ROOT))

REPEATS = 15
TARGET_MS = 50.0
PAIRS = (("W¹[2,4] × b³[1]", ("W", 0, 1, 3), ("b", 2, 0)),
         ("W¹[2,4] × W¹[3,4]", ("W", 0, 1, 3), ("W", 0, 2, 3)),
         ("W³[1,2] × b³[1]", ("W", 2, 0, 1), ("b", 2, 0)))


def median_ms(fn, repeats: int = REPEATS) -> float:
    fn()                                       # warm up
    times = []
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times) * 1e3


def main() -> None:
    from backprop_gui.engine.loss_slice import (direction_loss_surface, network_loss_surface,
                                                random_directions)
    from backprop_gui.session.session import Session

    session = Session()
    net, data = session.network, session.dataset
    X, Y = data.inputs, data.targets(net.sizes[-1])
    print(f"Loss slices of {'-'.join(map(str, net.sizes))} on {data.n_samples} samples "
          f"(median of {REPEATS}, CPU ms; target {TARGET_MS:g} ms for 101×101)")
    rows = []
    for label, a, b in PAIRS:
        for n in (101, 51):
            rows.append((f"two parameters {label}", n,
                         median_ms(lambda: network_loss_surface(net, X, Y, a, b, 1.0, n))))
    directions = random_directions(net, 0, True)
    for n in (101, 51):
        rows.append(("random directions (filter-normalised)", n,
                     median_ms(lambda: direction_loss_surface(net, X, Y, directions, 1.0, n))))

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from backprop_gui.ui.landscape.panel import LandscapePanel

    panel = LandscapePanel(session)
    panel.resize(460, 820)
    panel.show()
    panel.tabs.setCurrentWidget(panel.network)
    app.processEvents()
    page = panel.network

    def refresh(live: bool) -> None:
        page._live = live
        page.refresh()

    rows.append(("panel refresh: slice, image, contours", 101, median_ms(lambda: refresh(False))))
    rows.append(("panel refresh while streaming (no contours)", 51, median_ms(lambda: refresh(True))))
    width = max(len(r[0]) for r in rows)
    for label, n, ms in rows:
        mark = ""
        if n == 101 and label.startswith("two parameters"):
            mark = "  ok" if ms <= TARGET_MS else "  OVER TARGET"
        print(f"  {label:<{width}}  {n:>3}×{n:<3}  {ms:7.1f} ms{mark}")
    panel.close()
    live_training()


def build_with_landscape(session):
    """The diagram and the Landscape panel's Network tab side by side, 1280x800."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMainWindow, QSplitter

    from bench_training_ui import PaintCounter

    from backprop_gui.session.training_clock import TrainingClock
    from backprop_gui.ui.diagram.view import NetworkView
    from backprop_gui.ui.landscape.panel import LandscapePanel

    diagram = NetworkView(session)
    clock = TrainingClock(session)
    clock.frame.connect(diagram.on_training_frame)
    panel = LandscapePanel(session, clock)
    panel.tabs.setCurrentWidget(panel.network)
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(diagram)
    split.addWidget(panel)
    split.setSizes([820, 460])
    window = QMainWindow()
    window.setCentralWidget(split)
    window.resize(1280, 800)
    window.show()
    views = {"diagram": PaintCounter(diagram.viewport()),
             "landscape": PaintCounter(panel.network.plot.graphics.viewport())}
    return window, clock, views


def live_training(seconds: float = 4.0) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_training_ui import CASES, measure

    print()
    print(f"Training live with the Landscape panel (Network tab) beside the diagram, "
          f"{seconds:g} s each, 1280x800:")
    print(f"  {'network':<24}{'frames/s':>9}{'diagram/s':>10}{'slice/s':>9}{'steps/s':>10}   target")
    for case in CASES[:2]:           # the default network, batch GD and SGD
        r = measure(case, seconds, build_with_landscape)
        rates = r["rates"]
        passed = rates["diagram"] >= r["redraw_target"] and r["steps"] >= r["steps_target"]
        print(f"  {r['name']:<24}{r['frames']:>9.1f}{rates['diagram']:>10.1f}"
              f"{rates['landscape']:>9.1f}{r['steps']:>10,.0f}   ≥{r['redraw_target']:g} "
              f"redraws/s, ≥{r['steps_target']:,.0f} steps/s: {'ok' if passed else 'MISSED'}")


if __name__ == "__main__":
    main()
