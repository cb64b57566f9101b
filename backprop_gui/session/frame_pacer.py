"""FramePacer: when the next training tick is due, and how long it may train; SpeedLimit:
how many epochs it trains at a set speed.

Ticks are due on a fixed grid, one every FRAME_S, rather than FRAME_S after the previous
one. A timer fires a fraction of a millisecond late and counts in whole milliseconds; on a
grid those errors even out (a late tick leaves a shorter wait before the next), where
re-arming "16 ms from now" let every one of them lengthen its frame.

The training budget follows the frame's spare time: what is left of FRAME_S after the tick
and the views' redraw (until the event loop was about to wait). It grows while that spare
time exceeds SPARE_S and shrinks when it does not, so training takes what the views leave
of the frame, but never less than TRAIN_SHARE of it: slow views then lower the frame rate
rather than starve training.

At a set speed (epochs per second), SpeedLimit says how many whole epochs a tick trains.

Pure Python, fed with perf_counter() readings: the TrainingClock owns the timer and tells
the pacer when a tick begins and ends and when the event loop goes idle.
"""

from __future__ import annotations

FRAME_MS = 16
FRAME_S = FRAME_MS / 1000.0
START_BUDGET_S = 0.008
MIN_BUDGET_S = 0.001
MAX_BUDGET_S = 0.025
TRAIN_SHARE = 0.3    # of each frame at least, however long the views take to redraw
# Spare time kept free in each frame: the views' cost varies from frame to frame (a legend
# re-laid out, an epoch's evaluation) and a timer fires up to ~1 ms late.
SPARE_S = 0.0025
GAIN = 0.3           # of the difference from SPARE_S, applied to the budget per frame
MAX_GROWTH = 0.05    # the budget grows by at most 5 % (+0.2 ms) per frame
VIEWS_EMA = 0.2      # one slow redraw does not set the training floor on its own
LATE_S = 0.0015      # a tick later than this had no idle moment before it (timers run <1.1 ms late)
JUST_AFTER_S = 0.0003  # an idle moment this soon after a tick came before the views redrew
# A tick this late starts a new grid instead of rushing the next frames. Up to two frames
# late, the next frames catch up (each a little shorter: they keep SPARE_S free), so a
# moment of contention on a shared machine costs no frames.
LOST_S = 2 * FRAME_S


class FramePacer:
    """The frame grid and the training budget of a running TrainingClock."""

    def __init__(self) -> None:
        self.budget = START_BUDGET_S
        self.restart()

    def restart(self) -> None:
        """Forget the grid (training paused or starts): the next tick begins a new one."""
        self._due: float | None = None
        self._tick_start: float | None = None
        self._tick_end: float | None = None
        self._views: float | None = None    # the views' time per frame, smoothed
        self._trained = False
        self._idle_from: float | None = None

    def loop_waiting(self, now: float) -> None:
        """The event loop is about to wait for events: the views have finished for now."""
        self._idle_from = now

    def begin(self, now: float) -> float:
        """A tick starts at `now`: adapt and return its training budget in seconds."""
        if self._due is None:
            self._due = now
        else:
            self._adapt(now)
            if now - self._due > LOST_S:
                self._due = now
        self._tick_start = now
        return self.budget

    def _adapt(self, now: float) -> None:
        start, end, idle_from = self._tick_start, self._tick_end, self._idle_from
        late = now - self._due
        if start is None or end is None or late > LOST_S or not self._trained:
            # A stall (a modal dialog, a busy machine), or a frame that trained nothing,
            # says nothing of a training frame's views.
            return
        if late > LATE_S:
            # The tick is late: the loop had no time to wait since the last one (and may
            # have run the views and this tick in one pass, after its last idle moment).
            busy_until = now
        elif idle_from is not None and (idle_from - end > JUST_AFTER_S
                                        or (idle_from >= end and late <= 0.0)):
            busy_until = idle_from
        else:
            # No idle moment since the last tick (a test calling tick() in a loop), or only
            # one just after it while this tick is a little late: the loop went idle before
            # the views and ran them and this tick in one pass, or the views took no time
            # and the timer fired late. The views' time is unknown; the budget stays.
            return
        views = busy_until - end
        if self._views is None:
            self._views = views
        else:
            self._views += VIEWS_EMA * (views - self._views)
        # The spare time of the last frame had it started on time: a tick catching up with
        # the grid after a stall is no reason to train less.
        spare = FRAME_S - (busy_until - start)
        step = min(GAIN * (spare - SPARE_S), self.budget * MAX_GROWTH + 0.0002)
        floor = self._views * TRAIN_SHARE / (1.0 - TRAIN_SHARE)
        self.budget = min(MAX_BUDGET_S, max(MIN_BUDGET_S, floor, self.budget + step))

    def end(self, now: float, trained: bool = True) -> int:
        """The tick ended at `now`: the milliseconds to wait until the next one is due.

        At least 1 ms, so the views always get to paint between two ticks. A tick that did
        not train (at a set number of epochs a second, most do not) leaves the budget as
        it is: its frame, with nothing new to draw, says nothing of a training frame's."""
        self._tick_end = now
        self._trained = trained
        if self._due is None:
            self._due = now
        self._due += FRAME_S
        return max(1, int((self._due - now) * 1000.0))


class SpeedLimit:
    """How many whole epochs a tick may train at a set speed (epochs per second).

    Epochs are owed as time passes and trained whole; a tick that stopped inside an epoch
    (the frame's budget ran out) finishes it in the next ticks whatever is owed."""

    def __init__(self) -> None:
        self.speed: float | None = None     # None: no limit
        self.partial_epoch = False          # the last tick stopped inside an epoch
        self._owed = 0.0
        self._last: float | None = None

    def set_speed(self, epochs_per_second: float | None) -> None:
        self.speed = epochs_per_second
        self._owed = 0.0

    def restart(self) -> None:
        """Training starts: the first epoch comes at once."""
        self._last = None
        self._owed = 1.0 if self.speed is not None else 0.0

    def epochs(self, now: float) -> int | None:
        """Whole epochs to train at `now`: None for no limit, 0 to wait for the next tick."""
        if self.speed is None:
            return None
        if self._last is not None:
            self._owed += self.speed * (now - self._last)
        self._last = now
        # After a stall, catch up a quarter of a second at most rather than in one burst.
        self._owed = min(self._owed, max(1.0, self.speed * 0.25))
        want = int(self._owed)
        if want == 0 and self.partial_epoch:
            return 1
        return want

    def trained(self, epochs: int) -> None:
        if self.speed is not None:
            self._owed = max(0.0, self._owed - epochs)

    def next_within(self, seconds: float) -> bool:
        """Whether the next epoch is due within `seconds` (at once without a limit, or to
        finish an epoch begun)."""
        if self.speed is None or self.partial_epoch:
            return True
        return self.speed > 0 and (1.0 - self._owed) / self.speed < seconds
