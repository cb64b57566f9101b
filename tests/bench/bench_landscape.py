"""How long a loss slice of the real network takes: the Landscape panel's Network tab.

Measured: a 101×101 slice of the default network (16-6-6-2 on "Digits 0 and 1", 24 samples)
along two parameters (three pairs: the first and last layer, two weights of the first layer,
the output layer) and along two random filter-normalised directions; the 51×51 slice drawn
while training streams; the panel's whole refresh (slice, image, contour lines). Target: the
101×101 two-parameter slice in ≤ 50 ms. Each figure is the median of REPEATS runs, in CPU
time of this process (time.process_time, one BLAS thread): other programs on a shared
machine disturb it far less than wall-clock time. Nothing is asserted; it always exits 0.
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


if __name__ == "__main__":
    main()
