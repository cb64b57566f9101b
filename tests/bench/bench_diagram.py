"""Benchmark: how fast the network diagram repaints and recolours (offscreen, 1280x800).

Run with `make bench` or `python tests/bench/bench_diagram.py`. Prints a table with the
median full repaint (`viewport().repaint()`), the median render into a QImage, and the
median recolour after a parameter change (the signal handler's work plus the repaint),
against the targets from the design brief.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

import numpy as np  # noqa: E402

CASES = [
    # (layer sizes, image shape of the input or None, repaint target in ms)
    ([16, 6, 6, 2], (4, 4), 4.0),
    ([64, 32, 32, 10], (8, 8), 10.0),
    ([784, 128, 64, 10], (28, 28), 33.0),
]
REPEATS = 30


def make_session(sizes: list[int], image_shape: tuple[int, int] | None):
    from backprop_gui.engine.dataset import Dataset
    from backprop_gui.engine.network import Network
    from backprop_gui.engine.project import Project
    from backprop_gui.session.session import Session

    rng = np.random.default_rng(0)
    n_samples, n_classes = 64, sizes[-1]
    dataset = Dataset(
        name="synthetic", title=f"Synthetic {sizes[0]} inputs",
        inputs=rng.uniform(0.0, 1.0, (n_samples, sizes[0])),
        labels=rng.integers(0, n_classes, n_samples),
        class_names=[str(k) for k in range(n_classes)],
        kind="image" if image_shape else "table", image_shape=image_shape)
    net = Network.build(sizes, loss="cross_entropy", seed=0)
    return Session(Project(network=net, dataset=dataset))


def median_ms(fn, repeats: int = REPEATS) -> tuple[float, float]:
    """Median wall-clock and median CPU time of `fn` in ms (CPU time shows the cost even
    when other processes compete for the cores)."""
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return 1000.0 * statistics.median(wall), 1000.0 * statistics.median(cpu)


def measure(sizes, image_shape, app) -> dict[str, float]:
    from PySide6.QtGui import QImage, QPainter

    from backprop_gui.ui.diagram import NetworkView

    session = make_session(sizes, image_shape)
    t0 = time.perf_counter()
    view = NetworkView(session)
    view.resize(1280, 800)
    view.show()
    app.processEvents()
    build = 1000.0 * (time.perf_counter() - t0)

    repaint = median_ms(lambda: view.viewport().repaint())
    image = QImage(1280, 800, QImage.Format.Format_ARGB32_Premultiplied)

    def render() -> None:
        painter = QPainter(image)
        view.render(painter)
        painter.end()

    rendered = median_ms(render)
    W = session.network.weights[-1]
    state = {"sign": 1.0}

    def recolour() -> None:
        state["sign"] = -state["sign"]
        session.set_weight(len(sizes) - 2, 0, 0, state["sign"] * abs(W[0, 0]) + 0.01 * state["sign"])
        app.processEvents()          # the view recolours once per event-loop turn
        view.viewport().repaint()

    recoloured = median_ms(recolour, repeats=15)
    view.set_color_mode("gradients")
    app.processEvents()
    grad_repaint = median_ms(lambda: view.viewport().repaint())
    view.close()
    view.deleteLater()
    app.processEvents()
    return {"build": build, "repaint": repaint, "render": rendered, "recolour": recoloured,
            "grad_repaint": grad_repaint}


def main() -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Network diagram, offscreen 1280x800, median of {REPEATS}, ms as wall / CPU "
          f"(load average {load:.1f} on {os.cpu_count()} cores)")
    header = (f"{'network':<16}{'build':>7}{'repaint':>15}{'target':>7}{'render':>15}"
              f"{'gradients':>15}{'recolour+paint':>17}  ok")
    print(header)
    print("-" * len(header))
    all_ok = True

    def pair(p: tuple[float, float]) -> str:
        return f"{p[0]:6.2f} / {p[1]:5.2f}"

    for sizes, shape, target in CASES:
        r = measure(sizes, shape, app)
        ok = r["repaint"][0] <= target and r["grad_repaint"][0] <= target
        all_ok &= ok
        print(f"{'-'.join(map(str, sizes)):<16}{r['build']:>7.0f}{pair(r['repaint']):>15}{target:>7.0f}"
              f"{pair(r['render']):>15}{pair(r['grad_repaint']):>15}{pair(r['recolour']):>17}"
              f"  {'yes' if ok else 'NO'}")
    print("repaint: viewport().repaint() (target: full repaint); render: view.render() into a QImage;")
    print("gradients: repaint in gradients mode; recolour+paint: session.set_weight, recolour in")
    print("place, repaint (includes the session's forward pass over the dataset for dead ReLUs).")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
