"""Benchmark: how long one autosave holds the GUI thread (offscreen).

Run with `make bench` or `python tests/bench/bench_autosave.py`. A project with a 1000x784
dataset (uniform random pixels, as a normalised image set has: 17-digit numbers) and a
784-32-10 network, without and with a loss history of 100,000 records (a long run).

"before" is what autosave did until the copy moved to a worker thread: save_project on the
GUI thread (the dataset's text cached between copies, as it was). "now" is the AutoSaver as
the timer runs it: the GUI thread's own time, wall clock and CPU (the snapshot when the write
begins, putting the copy in place when it is done), and the longest the event loop went
without running a 1 ms timer while the worker wrote (the worker and a Python slot share the
interpreter lock). "idle" is that longest gap over the same time with no write at all, what
the machine's other load costs anyway, and "busy" beside a thread that only runs Python code,
the least any worker thread costs. The target is one frame, 16.7 ms. The first copy writes
the dataset's text; later copies reuse it.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

import numpy as np  # noqa: E402

FRAME_MS = 1000 / 60
COPIES = 4   # the first, then later ones after a weight edit


def make_project(records: int):
    from backprop_gui.engine.dataset import Dataset
    from backprop_gui.engine.network import Network
    from backprop_gui.engine.project import Project

    rng = np.random.default_rng(0)
    dataset = Dataset(name="synthetic", title="Synthetic 28x28", kind="image",
                      inputs=rng.uniform(0.0, 1.0, (1000, 784)),
                      labels=rng.integers(0, 10, 1000), class_names=[str(k) for k in range(10)],
                      image_shape=(28, 28))
    project = Project(network=Network.build([784, 32, 10], loss="cross_entropy", seed=0),
                      dataset=dataset)
    for epoch in range(1, records + 1):
        project.history.append(epoch, 1.0 / epoch, 0.5, 0.75, 0.25)
    return project


def before_ms(records: int, folder: str) -> list[float]:
    """GUI-thread time of each copy as autosave wrote it before: serialised in place."""
    from backprop_gui.engine.projectfile import DatasetText, save_project

    project, cache, times = make_project(records), DatasetText(), []
    for k in range(COPIES):
        project.network.weights[0][0, 0] = k / 8
        start = time.perf_counter()
        save_project(project, os.path.join(folder, "before.bpnet"), cache)
        times.append((time.perf_counter() - start) * 1000)
    return times


def longest_gap(start: float, ticks: list[float]) -> float:
    moments = [start, *ticks]
    return max((b - a for a, b in zip(moments, moments[1:])), default=0.0)


def probe_timer(ticks: list[float]):
    from PySide6.QtCore import Qt, QTimer

    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.setInterval(1)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    return probe


def gap_ms(seconds: float, busy: bool = False) -> float:
    """The longest gap between 1 ms timer ticks over `seconds`, with nothing else to do or
    (`busy`) beside a thread that only runs Python code: the least any worker costs."""
    from PySide6.QtCore import QEventLoop, QTimer

    def spin() -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            pass

    ticks: list[float] = []
    probe, loop = probe_timer(ticks), QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    worker = threading.Thread(target=spin)
    probe.start()
    start = time.perf_counter()
    if busy:
        worker.start()
    loop.exec()
    probe.stop()
    if busy:
        worker.join()
    return longest_gap(start, ticks) * 1000


def now_ms(records: int, folder: str) -> list[tuple[float, ...]]:
    """(GUI-thread wall time, its CPU time, longest event-loop stall, and the longest gap
    over the same time idle and beside a pure-Python thread) of each copy the AutoSaver writes."""
    from PySide6.QtCore import QEventLoop

    from backprop_gui.session.autosave import AutoSaver
    from backprop_gui.session.session import Session

    session = Session(make_project(records))
    saver = AutoSaver(session, folder=folder, interval_s=3600)
    wall, cpu = [0.0], [0.0]
    finish = saver._finish

    def timed_finish(job):
        w, c = time.perf_counter(), time.thread_time()
        try:
            return finish(job)
        finally:
            wall[0] += time.perf_counter() - w
            cpu[0] += time.thread_time() - c

    saver._finish = timed_finish
    results = []
    for k in range(COPIES):
        session.set_weight(0, 0, 0, k / 8 + 0.0625)
        ticks: list[float] = []
        probe, loop = probe_timer(ticks), QEventLoop()
        saver.autosaved.connect(loop.quit)
        probe.start()
        start, c = time.perf_counter(), time.thread_time()
        if not saver.begin_autosave():
            raise RuntimeError("the autosave did not begin")
        wall[0], cpu[0] = time.perf_counter() - start, time.thread_time() - c
        loop.exec()
        took = time.perf_counter() - start
        probe.stop()
        saver.autosaved.disconnect(loop.quit)
        results.append((wall[0] * 1000, cpu[0] * 1000, longest_gap(start, ticks) * 1000,
                        gap_ms(took), gap_ms(took, busy=True)))
    saver.shutdown()
    return results


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 (kept alive)
    print("One autosave of a 1000x784 dataset, 784-32-10 network: time on the GUI thread (ms)")
    print(f"{'':17} {'before':>8} {'now:':>5} {'wall':>6} {'cpu':>6} {'stall':>7} {'idle':>6} "
          f"{'busy':>6}")
    worst = 0.0
    for records in (0, 100_000):
        with tempfile.TemporaryDirectory() as folder:
            before = before_ms(records, folder)
            now = now_ms(records, folder)
        print(f"history of {records:,} records")
        for k, (b, row) in enumerate(zip(before, now)):
            label = "  first copy" if k == 0 else f"  copy {k + 1}"
            print(f"{label:<17} {b:8.1f} {'':5} {row[0]:6.1f} {row[1]:6.1f} {row[2]:7.1f} "
                  f"{row[3]:6.1f} {row[4]:6.1f}")
            worst = max(worst, row[1])
        print(f"{'  median':<17} {statistics.median(before):8.1f} {'':5} "
              + " ".join(f"{statistics.median(r[i] for r in now):{w}.1f}"
                         for i, w in ((0, 6), (1, 6), (2, 7), (3, 6), (4, 6))))
    verdict = "within" if worst <= FRAME_MS else "OVER"
    print(f"most GUI-thread CPU time now: {worst:.1f} ms, {verdict} one frame ({FRAME_MS:.1f} ms)")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (stalls grow with it)")


if __name__ == "__main__":
    main()
