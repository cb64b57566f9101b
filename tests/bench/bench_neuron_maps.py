"""Benchmark: live training with the diagram's neuron maps on and off (offscreen, 1280x800).

Run with `make bench` or `python tests/bench/bench_neuron_maps.py [seconds] [repeats]`. The
2-8-8-2 network of the spiral dataset trains "as fast as possible" while the diagram, the
loss plot and the gradient heatmaps are on screen (bench_training_ui.py's window), first with
neuron maps on (every neuron drawn as a map of its activation over the input plane), then
off. Three windows: the application's own as it opens (its Plots dock comes forward with
the Loss tab when training starts), the bench window with the loss plot and the gradient
heatmaps both on screen, and the diagram alone. Each setting runs `repeats`
times; the tables give the medians of:

    diagram/s   frames the diagram really painted (target with maps on: >= 60)
    maps/s      times the maps were computed (a forward pass of the 80x80 lattice and the
                pictures): a few a second while training streams
    steps/s     training steps taken

BLAS is limited to one thread, as in the app.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from bench_training_ui import build_main_window, build_window  # noqa: E402  (tests/bench is the script's folder)

SECONDS = 3.0
REPEATS = 3
TARGET = 60.0     # diagram redraws a second with maps on


def build_diagram_alone(session):
    """The diagram alone in a 1280x800 window, a TrainingClock driving it."""
    from PySide6.QtWidgets import QMainWindow, QSplitter

    from backprop_gui.session.training_clock import TrainingClock
    from backprop_gui.ui.diagram import NetworkView
    from bench_training_ui import PaintCounter

    view = NetworkView(session)
    clock = TrainingClock(session)
    clock.frame.connect(view.on_training_frame)
    split = QSplitter()          # as build_window: the view is the splitter's first widget
    split.addWidget(view)
    window = QMainWindow()
    window.setCentralWidget(split)
    window.resize(1280, 800)
    window.show()
    return window, clock, {"diagram": PaintCounter(view.viewport())}


def measure(maps: bool, seconds: float, build=build_window) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from backprop_gui.session.session import Session, default_project
    from backprop_gui.ui.diagram import neuron_maps

    app = QApplication.instance()
    session = Session(default_project("spiral"))
    window, clock, views = build(session)
    central = window.centralWidget()
    view = central.widget(0) if hasattr(central, "widget") else central   # MainWindow: the view
    view.set_neuron_maps(maps)
    clock.set_speed(None)                  # as fast as possible
    computed = {"n": 0}
    plain = neuron_maps.map_images

    def counting(*args, **kwargs):
        computed["n"] += 1
        return plain(*args, **kwargs)

    neuron_maps.map_images = counting
    try:
        for _ in range(5):
            app.processEvents()
        clock.play()
        warm = time.perf_counter() + 0.5   # imports, first layout
        while time.perf_counter() < warm:
            app.processEvents()
        paints0, maps0, steps0 = views["diagram"].count, computed["n"], clock.trainer.steps
        t0 = time.perf_counter()
        QTimer.singleShot(int(seconds * 1000), app.quit)
        app.exec()
        elapsed = time.perf_counter() - t0
        result = {"diagram": (views["diagram"].count - paints0) / elapsed,
                  "maps": (computed["n"] - maps0) / elapsed,
                  "steps": (clock.trainer.steps - steps0) / elapsed}
        clock.pause()
        app.processEvents()
        result["drawn"] = sum(item.map_shown for row in view.scene().neurons for item in row)
    finally:
        neuron_maps.map_images = plain
        window.close()
        window.deleteLater()
        app.processEvents()
    return result


def main() -> int:
    from PySide6.QtWidgets import QApplication

    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else SECONDS
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else REPEATS
    app = QApplication.instance() or QApplication([])  # noqa: F841 (keeps the app alive)
    print(f"Neuron maps while training live: spiral 2-8-8-2, {seconds:g} s x {repeats} runs "
          f"per setting (medians), offscreen 1280x800, BLAS threads "
          f"{os.environ.get('OPENBLAS_NUM_THREADS')}")
    header = f"{'neuron maps':<14}{'diagram/s':>10}{'maps/s':>8}{'steps/s':>10}{'maps drawn':>12}   target"
    print(header)
    print("-" * len(header))
    for title, build in (("the application's window as it opens (Plots in front)", build_main_window),
                         ("with the loss plot and the gradient heatmaps both on screen",
                          build_window),
                         ("the diagram alone", build_diagram_alone)):
        print(f"  {title}:")
        for maps in (True, False):
            runs = [measure(maps, seconds, build) for _ in range(repeats)]
            med = {k: statistics.median(r[k] for r in runs) for k in ("diagram", "maps", "steps")}
            drawn = min(r["drawn"] for r in runs)
            target = (f"≥{TARGET:g} redraws/s: {'ok' if med['diagram'] >= TARGET else 'MISSED'}"
                      if maps else "(for comparison)")
            print(f"{'on' if maps else 'off':<14}{med['diagram']:>10.1f}{med['maps']:>8.1f}"
                  f"{med['steps']:>10,.0f}{drawn:>12}   {target}")
    print("diagram/s: frames the diagram painted; maps/s: lattice forward passes and pictures "
          "(a few a second while training streams, then one exact); maps drawn: neurons "
          "painted as maps at the end (20 = every neuron of 2-8-8-2)")
    return 0   # a benchmark reports; it does not fail the build


if __name__ == "__main__":
    sys.exit(main())
