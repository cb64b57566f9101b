"""Throttle: do something at most once per interval, and always end with the latest.

Training changes numbers up to 60 times a second; numbers and small charts changing that
fast cannot be read, and their layout and drawing take time the frame needs for training.
Whatever follows such a stream a few times a second goes through a Throttle (in the spirit
of superqt's `qthrottled`):

- as a call: `throttle()` runs the callback at once if the interval has passed since it
  last ran, else once it has, a single time however many calls came meanwhile (a trailing
  call, so the latest content always shows). `ran()` says it ran some other way (a paint
  for another reason): the interval starts again and a waiting call is dropped.
- as a gate, for part of a training frame's work: `ready()` says whether the interval has
  passed, `ran()` that the part was done. The frame with `streaming` False that ends every
  stream (see session.training_clock) is then the trailing call: it draws exactly.
"""

from __future__ import annotations

from time import perf_counter
from typing import Callable

from PySide6.QtCore import QObject, QTimer

READABLE_MS = 50    # numbers a person reads while they change: 20 repaints a second at most


class Throttle(QObject):
    """At most one run per `interval_ms`; with a `callback`, calls wait for their turn.

    `defer`: the first call waits for the event loop too (a zero-delay timer), so several
    calls in one turn of the loop (one per signal of a change) make one run."""

    def __init__(self, interval_ms: float, callback: Callable[[], None] | None = None,
                 parent: QObject | None = None, defer: bool = False) -> None:
        super().__init__(parent)
        self.interval_ms = float(interval_ms)
        self._callback = callback
        self._defer = defer
        self._ran_at: float | None = None
        self._timer: QTimer | None = None

    def ready(self) -> bool:
        """Whether the interval has passed since the last run (or nothing ran yet)."""
        return self._ran_at is None or self.elapsed_ms() >= self.interval_ms

    def elapsed_ms(self) -> float:
        """Milliseconds since the last run (infinite before the first)."""
        if self._ran_at is None:
            return float("inf")
        return (perf_counter() - self._ran_at) * 1000.0

    def ran(self) -> None:
        """It ran now (here or some other way): the interval starts again, and a call
        waiting for its turn is dropped (the run showed the latest already)."""
        self._ran_at = perf_counter()
        if self._timer is not None:
            self._timer.stop()

    @property
    def pending(self) -> bool:
        """Whether a call waits for its turn."""
        return self._timer is not None and self._timer.isActive()

    def __call__(self) -> None:
        """Run the callback now if its turn has come, else once it comes (one run for any
        number of calls meanwhile)."""
        if self.pending:
            return
        wait = 0.0 if self.ready() else self.interval_ms - self.elapsed_ms()
        if wait <= 0.0 and not self._defer:
            self._run()
            return
        if self._timer is None:
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.timeout.connect(self._run)
        self._timer.start(max(0, round(wait)) if self._defer else max(1, round(wait)))

    def cancel(self) -> None:
        """Drop a call waiting for its turn."""
        if self._timer is not None:
            self._timer.stop()

    def _run(self) -> None:
        self.ran()
        if self._callback is not None:
            self._callback()
