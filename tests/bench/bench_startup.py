"""Start-up time: interpreter start to the main window's first paint, against the 1.0 s target.

Each run is a fresh subprocess (offscreen Qt, a throwaway settings folder) started with
BACKPROP_GUI_EXIT_AFTER_SHOW=1: the app prints "shown" when the window first paints and
then quits. The time is taken here, from just before the subprocess starts to the moment
that line arrives, so it includes the interpreter's own start. The table shows the median
(and best) of 5 runs beside what the big imports alone cost, to see where the time goes.

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


def _time_process(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _time_first_paint(env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "backprop_gui"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    shown = time.perf_counter() - start
    proc.wait(timeout=60)
    if not line.startswith("shown"):
        raise RuntimeError(f"the app did not report its first paint (got {line!r})")
    return shown, line.split()[-1]


def _row(label: str, times: list[float]) -> None:
    print(f"{label:<42} {statistics.median(times) * 1000:7.0f} ms {min(times) * 1000:6.0f} ms")


def main() -> None:
    with tempfile.TemporaryDirectory() as config:
        env = _env(config)
        print(f"Start-up, median (best) of {RUNS} runs, QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}")
        print(f"{'what':<42} {'median':>9} {'best':>9}")
        imports = [
            ("python -c pass (interpreter alone)", ["-c", "pass"]),
            ("import numpy", ["-c", "import numpy"]),
            ("import PySide6.QtWidgets", ["-c", "import PySide6.QtWidgets"]),
            ("import pyqtgraph", ["-c", "import pyqtgraph"]),
            ("import backprop_gui.ui.window.main_window", ["-c", "import backprop_gui.ui.window.main_window"]),
        ]
        for label, args in imports:
            _row(label, [_time_process(args, env) for _ in range(RUNS)])
        runs = [_time_first_paint(env) for _ in range(RUNS)]
        shown = [t for t, _ in runs]
        _row("backprop-gui: start to first paint", shown)
        _row("backprop-gui --screenshot 1280x800", [
            _time_process(["-m", "backprop_gui", "--screenshot", os.path.join(config, "s.png")], env)
            for _ in range(RUNS)])
        print(f"pyqtgraph loaded before the first paint: {runs[0][1].removeprefix('pyqtgraph=')}")
        median = statistics.median(shown)
        verdict = "within" if median <= TARGET_S else "OVER"
        print(f"first paint after {median:.3f} s (median): {verdict} the {TARGET_S:.1f} s target")


if __name__ == "__main__":
    main()
