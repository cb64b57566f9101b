"""Runs a CompareJob (engine.compare) on the GUI thread in slices of a few milliseconds,
so the window keeps painting and answering clicks, then keeps the runs in the session.

The Trainer holds the interpreter lock while it computes, so a worker thread would not
spare the window anything; slices do, and they leave no thread to stop on Cancel.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from ..engine.compare import CompareJob
from .session import Session

SLICE_SECONDS = 0.012   # of each 16 ms frame: the rest is the window's


class CompareRunner(QObject):
    """Trains `job` slice by slice; `finished(message)` once the runs are kept (or not)."""

    progressed = Signal(int, int, str)   # steps done, steps in all, what trains now
    finished = Signal(str)               # what happened, for the status bar

    def __init__(self, session: Session, job: CompareJob, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.job = job
        self.running = False
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)

    def start(self) -> None:
        self.running = True
        self._timer.start()

    def cancel(self) -> None:
        """Stop and keep nothing."""
        if self.running:
            self._timer.stop()
            self.running = False
            self.finished.emit("Comparison cancelled: no runs were kept.")

    def run_to_end(self) -> None:
        """Train what is left at once (for tests and scripts)."""
        self.job.advance()
        self._conclude()

    def _slice(self) -> None:
        deadline = time.perf_counter() + SLICE_SECONDS
        if self.job.advance(lambda: time.perf_counter() > deadline):
            self._conclude()
            return
        job = self.job
        self.progressed.emit(job.steps_done, job.total_steps,
                             job.variants[job.current].name)

    def _conclude(self) -> None:
        self._timer.stop()
        self.running = False
        job = self.job
        self.progressed.emit(job.total_steps, job.total_steps, "")
        try:
            kept = self.session.runs.add(job.runs, f"Compare {len(job.runs)} settings "
                                                   f"over {job.epochs} epochs")
        except ValueError as exc:
            self.finished.emit(str(exc))
            return
        diverged = [run.name for run, stop in zip(kept, job.stops) if stop is not None]
        message = f"Kept {len(kept)} runs: {', '.join(run.name for run in kept)}."
        if diverged:
            message += f" Diverged (stopped early): {', '.join(diverged)}."
        self.finished.emit(message)
