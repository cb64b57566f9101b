"""Opening the largest projects the limits allow (engine.limits), against the 2 s target.

A hostile or careless file must not freeze a classroom machine: each project here sits at
one of the limits (layers, input width, neurons, parameters, samples), written as compactly
as JSON allows (a weight "0" is two bytes, so a 20 MB file can hold ten million of them),
and is opened in the app's own window the way File ▸ Open does, then painted once. The
table shows the median of 3 opens; the window, the plots and the first file are warmed up
first.

    .venv/bin/python tests/bench/bench_open_limits.py
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time

TARGET_S = 2.0
RUNS = 3


def project_text(sizes: list[int], samples: int, records: int = 0) -> str:
    side = int(round(sizes[0] ** 0.5))
    image = side * side == sizes[0]
    data = {
        "format": "backprop-gui-project", "version": 1,
        "network": {
            "sizes": sizes, "activations": ["relu"] * (len(sizes) - 2) + ["softmax"],
            "loss": "cross_entropy",
            "weights": [[[0] * sizes[l] for _ in range(sizes[l + 1])] for l in range(len(sizes) - 1)],
            "biases": [[0] * n for n in sizes[1:]],
        },
        "dataset": {
            "name": "x", "title": "x", "description": "", "kind": "image" if image else "table",
            "class_names": ["a", "b"], "inputs": [[0] * sizes[0] for _ in range(samples)],
            "labels": [i % 2 for i in range(samples)],
            "image_shape": [side, side] if image else None, "seed": 0,
            "test_inputs": None, "test_labels": None,
        },
        "training": {
            "optimizer": "batch", "learning_rate": 0.1, "batch_size": 8, "momentum": 0, "l1": 0,
            "l2": 0, "schedule": "constant", "step_every": 100, "step_factor": 0.5, "seed": 0,
            "init": "he", "validation_fraction": 0, "max_epochs": None, "target_loss": None,
        },
        "lesson": None, "selected_sample": 0,
        "history": {"epoch": list(range(1, records + 1)), "loss": [1] * records,
                    "accuracy": [0] * records, "val_loss": [None] * records,
                    "val_accuracy": [None] * records},
    }
    return json.dumps(data, separators=(",", ":"))


def cases() -> list[tuple[str, list[int], int, int]]:
    from backprop_gui.engine import limits

    return [
        ("default-sized 16-6-6-2", [16, 6, 6, 2], 24, 0),
        (f"{limits.MAX_LAYERS} layers of 32", [16] + [32] * (limits.MAX_LAYERS - 1) + [2], 24, 0),
        (f"{limits.MAX_INPUTS} inputs (64×64 images)", [limits.MAX_INPUTS, 64, 2], 100, 0),
        (f"{limits.MAX_NEURONS} neurons in a layer", [16, limits.MAX_NEURONS, 2], 24, 0),
        ("784-300-100-10 (266,610 parameters)", [784, 300, 100, 10], 2000, 0),
        (f"{limits.MAX_SAMPLES:,} samples of 2 inputs (table)", [2, 8, 2], limits.MAX_SAMPLES, 0),
        (f"{limits.MAX_SAMPLES:,} samples of 16 pixels", [16, 6, 6, 2], limits.MAX_SAMPLES, 0),
        ("a history of 1,000,000 records", [16, 6, 6, 2], 24, 1_000_000),
    ]


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from backprop_gui.session.session import Session
    from backprop_gui.ui.window.main_window import MainWindow

    tmp = tempfile.mkdtemp()
    window = MainWindow(Session(), settings=QSettings(os.path.join(tmp, "s.ini"),
                                                      QSettings.Format.IniFormat),
                        remember_layout=False)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.training.panel()  # pyqtgraph and the plots: built once, as after the first start

    def open_once(path: str) -> float:
        start = time.perf_counter()
        assert window.files.open_path(path, ask=False), path
        app.processEvents()
        window.grab()
        return time.perf_counter() - start

    rows = []
    for name, sizes, samples, records in cases():
        path = os.path.join(tmp, "p.bpnet")
        with open(path, "w", encoding="utf-8") as f:
            f.write(project_text(sizes, samples, records))
        size_mb = os.path.getsize(path) / 2**20
        open_once(path)  # warm-up
        times = [open_once(path) for _ in range(RUNS)]
        rows.append((name, size_mb, statistics.median(times)))
    print(f"{'project':44} {'file':>8} {'open':>8}  target {TARGET_S:.1f} s")
    for name, size_mb, t in rows:
        verdict = "ok" if t <= TARGET_S else "SLOW"
        print(f"{name:44} {size_mb:6.1f} MB {t:7.2f} s  {verdict}")
    window.files._ask_save_changes = lambda: None
    window.close()


if __name__ == "__main__":
    main()
