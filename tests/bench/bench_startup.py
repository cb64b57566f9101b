"""Start-up time: interpreter start to a shown main window, against the 1.0 s target.

Each run is a fresh subprocess (offscreen Qt, a throwaway settings folder) that exits as
soon as the window is shown (BACKPROP_GUI_EXIT_AFTER_SHOW=1); the table shows the median
of 5 runs, beside what the big imports alone cost, to see where the time goes.

    .venv/bin/python tests/bench/bench_startup.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_S = 1.0
RUNS = 5


def _env(config: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("LANG", "C.UTF-8")
    env["XDG_CONFIG_HOME"] = config
    env["BACKPROP_GUI_EXIT_AFTER_SHOW"] = "1"
    return env


def _median_wall(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as config:
        env = _env(config)
        rows = [
            ("python -c pass (interpreter alone)", ["-c", "pass"]),
            ("import numpy", ["-c", "import numpy"]),
            ("import PySide6.QtWidgets", ["-c", "import PySide6.QtWidgets"]),
            ("import pyqtgraph", ["-c", "import pyqtgraph"]),
            ("import backprop_gui.ui.main_window", ["-c", "import backprop_gui.ui.main_window"]),
            ("backprop-gui: window shown", ["-m", "backprop_gui"]),
            ("backprop-gui --screenshot 1280x800",
             ["-m", "backprop_gui", "--screenshot", os.path.join(config, "s.png")]),
        ]
        print(f"Start-up, median (min) of {RUNS} runs, QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}")
        print(f"{'what':<40} {'median':>9} {'min':>9}")
        shown = None
        for label, args in rows:
            median, best = _median_wall(args, env)
            if label.endswith("window shown"):
                shown = median
            print(f"{label:<40} {median * 1000:7.0f} ms {best * 1000:6.0f} ms")
        loaded = subprocess.run(
            [sys.executable, "-c",
             "import sys, backprop_gui.ui.main_window; "
             "print('pyqtgraph' in sys.modules)"],
            env=env, capture_output=True, text=True).stdout.strip()
        print(f"main window module loads pyqtgraph: {loaded}")
        verdict = "within" if shown is not None and shown <= TARGET_S else "OVER"
        print(f"window shown after {shown:.3f} s: {verdict} the {TARGET_S:.1f} s target")


if __name__ == "__main__":
    main()
