"""Benchmark: training live with the views on screen (offscreen, 1280x800).

Run with `make bench` or `python tests/bench/bench_training_ui.py [seconds]`. For each
network the TrainingClock plays "as fast as possible" for a few seconds while the network
diagram, the loss plot and the gradient heatmaps are visible and redraw as training moves.
It counts the frames each view really painted (paint events of its viewport) and the
training steps taken, and prints them per second against the targets:

    16-6-6-2 (digits01)      ≥ 60 redraws/s while ≥ 10,000 steps/s (batch GD and SGD)
    64-32-32-10 (synthetic)  ≥ 60 redraws/s
    784-128-64-10 (synthetic) ≥ 20 redraws/s

A second table runs the same networks in the application's own window as it opens (its
Plots dock shows the Loss tab, the heatmaps are a tab away): what a student sees.

BLAS is limited to one thread (docs/ARCHITECTURE.md: two never help small nets, and the GUI needs
the other core); set OPENBLAS_NUM_THREADS yourself to measure otherwise.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

SECONDS = 4.0
CASES = [
    # (name, layer sizes, image shape or None, samples, optimizer, batch, redraw target, steps target)
    ("16-6-6-2 digits01", [16, 6, 6, 2], None, 0, "batch", 8, 60.0, 10_000.0),
    ("16-6-6-2 digits01 SGD", [16, 6, 6, 2], None, 0, "sgd", 1, 60.0, 10_000.0),
    ("64-32-32-10 synthetic", [64, 32, 32, 10], (8, 8), 1000, "minibatch", 32, 60.0, None),
    ("784-128-64-10 synthetic", [784, 128, 64, 10], (28, 28), 2000, "minibatch", 64, 20.0, None),
]


def make_session(sizes, image_shape, n_samples, optimizer, batch):
    from backprop_gui.engine.dataset import Dataset
    from backprop_gui.engine.network import Network
    from backprop_gui.engine.project import Project, TrainingConfig
    from backprop_gui.session.session import Session

    config = TrainingConfig(optimizer=optimizer, batch_size=batch, learning_rate=0.1)
    if n_samples == 0:  # the built-in digits01 and its default network
        session = Session()
        session.project.training = config
        return session
    rng = np.random.default_rng(0)
    n_classes = sizes[-1]
    inputs = rng.uniform(0.0, 1.0, (n_samples, sizes[0]))
    teacher = rng.normal(size=(sizes[0], n_classes))  # learnable labels, not noise
    labels = np.argmax(inputs @ teacher, axis=1)
    dataset = Dataset(name="synthetic", title=f"Synthetic {sizes[0]} inputs", inputs=inputs,
                      labels=labels, class_names=[str(k) for k in range(n_classes)],
                      kind="image", image_shape=image_shape)
    net = Network.build(sizes, loss="cross_entropy", seed=0)
    return Session(Project(network=net, dataset=dataset, training=config))


class PaintCounter:
    """Counts paint events of a widget (one per frame the view really redrew)."""

    def __init__(self, widget) -> None:
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            def __init__(self, outer) -> None:
                super().__init__()
                self.outer = outer

            def eventFilter(self, _obj, event) -> bool:
                if event.type() == QEvent.Type.Paint:
                    self.outer.count += 1
                return False

        self.count = 0
        self._filter = Filter(self)
        widget.installEventFilter(self._filter)


def build_window(session):
    """Diagram in the middle, loss plot and gradient heatmaps on the right, 1280x800."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

    from backprop_gui.session.training_clock import TrainingClock
    from backprop_gui.ui.plots.panel import TABS, PlotsPanel

    try:
        from backprop_gui.ui.diagram.view import NetworkView
        diagram: QWidget = NetworkView(session)
    except ImportError:  # the diagram is optional for this benchmark
        diagram = QWidget()
    clock = TrainingClock(session)
    if hasattr(diagram, "on_training_frame"):
        clock.frame.connect(diagram.on_training_frame)
    loss_panel = PlotsPanel(session, clock)
    heat_panel = PlotsPanel(session, clock)
    heat_panel.tabs.setCurrentIndex(TABS.index("Gradients"))
    right = QSplitter(Qt.Orientation.Vertical)
    right.addWidget(loss_panel)
    right.addWidget(heat_panel)
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(diagram)
    split.addWidget(right)
    split.setSizes([760, 520])
    window = QMainWindow()
    window.setCentralWidget(split)
    window.resize(1280, 800)
    window.show()
    viewport = getattr(diagram, "viewport", lambda: diagram)()
    views = {
        "diagram": PaintCounter(viewport),
        "loss": PaintCounter(loss_panel.loss.graphics.viewport()),
        "heatmaps": PaintCounter(heat_panel.gradients.graphics.viewport()),
    }
    return window, clock, views


def build_main_window(session):
    """The application's own window as it opens (1280x800): diagram, Input and Dataset
    panels, and the Plots dock, which comes forward with its Loss tab when training starts."""
    import tempfile

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from backprop_gui.ui.window.main_window import MainWindow

    folder = tempfile.mkdtemp(prefix="bench-settings-")
    settings = QSettings(os.path.join(folder, "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(session, settings=settings, remember_layout=False)
    # Closing at the end must not ask whether to save the trained network.
    window.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(1280, 800)
    window.show()
    clock = window.training.clock
    # The window starts at a watchable 10 epochs a second; measure it flat out (Full Speed),
    # as the table above measures the bare views.
    clock.set_speed(None)
    panel = window.training.panel()
    views = {
        "diagram": PaintCounter(window.view.viewport()),
        "loss": PaintCounter(panel.loss.graphics.viewport()),
        "heatmaps": PaintCounter(panel.gradients.graphics.viewport()),   # on a hidden tab
    }
    return window, clock, views


def measure(case, seconds: float, build=None) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    name, sizes, shape, n, optimizer, batch, redraw_target, steps_target = case
    app = QApplication.instance()
    session = make_session(sizes, shape, n, optimizer, batch)
    window, clock, views = (build or build_window)(session)
    for _ in range(5):
        app.processEvents()
    budgets: list[float] = []
    # Frames (the clock's ticks that trained) and those in which an epoch finished: the
    # loss plot has nothing new to draw in the others, and rightly does not repaint.
    frames = {"counting": False, "all": 0, "epoch": 0, "last_epoch": clock.epoch}

    def on_frame(_frame=None) -> None:
        budgets.append(clock.budget)
        if frames["counting"]:
            frames["all"] += 1
            frames["epoch"] += clock.epoch != frames["last_epoch"]
        frames["last_epoch"] = clock.epoch

    clock.frame.connect(on_frame)
    clock.play()
    # Let the first frames settle (imports, first layout) before counting.
    warm = time.perf_counter() + 0.5
    while time.perf_counter() < warm:
        app.processEvents()
    start_counts = {k: v.count for k, v in views.items()}
    frames["counting"] = True
    steps0, epochs0, t0 = clock.trainer.steps, clock.epoch, time.perf_counter()
    c0 = time.process_time()
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    steps, epochs = clock.trainer.steps - steps0, clock.epoch - epochs0
    clock.pause()
    rates = {k: (v.count - start_counts[k]) / elapsed for k, v in views.items()}
    window.close()
    window.deleteLater()
    app.processEvents()
    budget = float(np.median(budgets)) if budgets else clock.budget
    return {"name": name, "rates": rates, "steps": steps / elapsed, "epochs": epochs / elapsed,
            "frames": frames["all"] / elapsed, "epoch_frames": frames["epoch"] / elapsed,
            "budget_ms": budget * 1000, "cpu": cpu / elapsed,
            "redraw_target": redraw_target, "steps_target": steps_target}


def main() -> int:
    from PySide6.QtWidgets import QApplication

    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else SECONDS
    app = QApplication.instance() or QApplication([])  # noqa: F841 (keeps the app alive)
    print(f"Training live, {seconds:g} s per network, offscreen 1280x800, "
          f"BLAS threads {os.environ.get('OPENBLAS_NUM_THREADS')}")
    header = (f"{'network':<26}{'frames/s':>9}{'diagram/s':>10}{'loss/s (due)':>14}{'heat/s':>8}"
              f"{'steps/s':>10}{'epochs/s':>10}{'budget':>8}{'cpu':>6}   target")
    print(header)
    print("-" * len(header))
    ok = True
    for case in CASES:
        r = measure(case, seconds)
        rates = r["rates"]
        # The loss plot is due a redraw only in frames that finished an epoch.
        loss_due = min(r["redraw_target"], r["epoch_frames"])
        passed = (min(rates["diagram"], rates["heatmaps"]) >= r["redraw_target"]
                  and rates["loss"] >= 0.97 * loss_due
                  and (r["steps_target"] is None or r["steps"] >= r["steps_target"]))
        ok &= passed
        target = f"≥{r['redraw_target']:g} redraws/s"
        if r["steps_target"]:
            target += f", ≥{r['steps_target']:,.0f} steps/s"
        loss = f"{rates['loss']:.1f} ({r['epoch_frames']:.0f})"
        print(f"{r['name']:<26}{r['frames']:>9.1f}{rates['diagram']:>10.1f}{loss:>14}"
              f"{rates['heatmaps']:>8.1f}{r['steps']:>10,.0f}{r['epochs']:>10,.0f}"
              f"{r['budget_ms']:>6.1f}ms{r['cpu']:>6.0%}   {target}: "
              f"{'ok' if passed else 'MISSED'}")
    print("frames/s: the training clock's frames; redraws/s: frames each view really painted; "
          "due: frames that finished an epoch (the loss plot has nothing new in the others); "
          "budget: median training time per frame (the clock gives training at least 30 % of "
          "each frame, so slow views lower the frame rate rather than starve training)")
    print()
    print("The application's window as it opens (diagram, Input panel, Plots dock on its Loss "
          "tab), 1280x800, for comparison:")
    print(f"{'network':<26}{'diagram/s':>10}{'loss/s':>8}{'steps/s':>10}")
    for case in CASES:
        r = measure(case, seconds, build_main_window)
        print(f"{r['name']:<26}{r['rates']['diagram']:>10.1f}{r['rates']['loss']:>8.1f}"
              f"{r['steps']:>10,.0f}")
    return 0 if ok else 0  # a benchmark reports; it does not fail the build


if __name__ == "__main__":
    sys.exit(main())
