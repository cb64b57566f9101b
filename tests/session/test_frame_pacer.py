"""FramePacer: ticks on a 16 ms grid, and a training budget that leaves the views their time.

The pacer is pure Python fed with clock readings, so these tests run whole frame sequences
in simulated time: a timer that fires late, views that take a given time, ticks that train
for the budget plus some fixed work."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.session import frame_pacer as fp
from backprop_gui.session.frame_pacer import FramePacer


def run_frames(pacer: FramePacer, n: int, views, overhead: float = 0.001,
               latency: float = 0.0007, idle_known: bool = True, t0: float = 100.0,
               trained=lambda k: True):
    """Simulate n frames; returns the tick start times and the budgets.

    Each tick trains for its budget plus `overhead`; the views then redraw for views(k)
    seconds; the timer fires `latency` late, and never while the views still redraw. As in
    Qt's event loop, when the next tick falls due while the views redraw, the loop runs both
    in one pass: its last idle moment is then before the views, not after them."""
    starts, budgets = [], []
    now = t0
    for k in range(n):
        starts.append(now)
        budget = pacer.begin(now)
        budgets.append(budget)
        end = now + budget + overhead
        interval_ms = pacer.end(end, trained(k))
        assert interval_ms >= 1
        views_done = end + views(k)
        timer = end + interval_ms / 1000.0
        if idle_known:
            pacer.loop_waiting(views_done if views_done < timer else end)
        now = max(timer, views_done) + latency
    return np.array(starts), np.array(budgets)


def test_a_late_timer_does_not_lengthen_frames_on_the_grid():
    # Re-arming "16 ms after this tick" would make every frame 16 ms + the timer's 0.7 ms
    # lateness (59.9 frames/s); on the grid the lateness is taken off the next wait.
    pacer = FramePacer()
    starts, _ = run_frames(pacer, 300, views=lambda k: 0.004, latency=0.0007)
    periods = np.diff(starts)
    assert np.mean(periods) == pytest.approx(fp.FRAME_S, abs=0.00005)
    # The grid does not drift: 299 frames after the first, the tick is within 1 ms of due.
    assert starts[-1] - starts[0] == pytest.approx(299 * fp.FRAME_S, abs=0.001)


def test_the_budget_takes_what_the_views_leave_of_the_frame():
    pacer = FramePacer()
    _, budgets = run_frames(pacer, 300, views=lambda k: 0.005, overhead=0.001)
    # 16 ms - 5 ms of views - 1 ms of work besides training - the spare time kept free.
    # (The timer counts whole milliseconds, so ticks start up to 1 ms either side of due and
    # the budget wavers by a few tenths of a millisecond around that.)
    want = fp.FRAME_S - 0.005 - 0.001 - fp.SPARE_S
    assert np.mean(budgets[-100:]) == pytest.approx(want, abs=0.0004)
    assert np.all(np.abs(budgets[-100:] - want) < 0.0008)

    # Slower views: the budget shrinks to match and the frames stay on the 16 ms grid.
    starts, budgets = run_frames(pacer, 300, views=lambda k: 0.009, overhead=0.001,
                                 t0=200.0)
    want = fp.FRAME_S - 0.009 - 0.001 - fp.SPARE_S
    assert np.mean(budgets[-100:]) == pytest.approx(want, abs=0.0004)
    assert np.mean(np.diff(starts[-100:])) == pytest.approx(fp.FRAME_S, abs=0.00005)


def test_training_keeps_its_share_of_the_frame_when_the_views_are_slow():
    # Views of 14 ms: a frame cannot be 16 ms; training keeps 30 % of it (6 ms) and the
    # frame rate drops instead.
    pacer = FramePacer()
    starts, budgets = run_frames(pacer, 200, views=lambda k: 0.014)
    # (A late tick counts the timer's lateness, 0.7 ms here, with the views.)
    floor = 0.0147 * fp.TRAIN_SHARE / (1.0 - fp.TRAIN_SHARE)
    assert budgets[-50:] == pytest.approx(floor, abs=1e-6)
    assert np.mean(np.diff(starts[-50:])) > fp.FRAME_S + 0.004


def test_without_an_idle_moment_the_budget_stays_as_it_is():
    # tick() called in a loop (no event loop in between): the views' time is unknown.
    pacer = FramePacer()
    _, budgets = run_frames(pacer, 50, views=lambda k: 0.0, idle_known=False)
    assert set(budgets) == {fp.START_BUDGET_S}
    # Nor does an idle moment from before the last tick count for the frame after it.
    run_frames(pacer, 50, views=lambda k: 0.005, t0=200.0)
    _, budgets = run_frames(pacer, 50, views=lambda k: 0.0, idle_known=False, t0=300.0)
    assert budgets[0] != fp.START_BUDGET_S    # adapted to the last frame that had views
    assert set(budgets[1:]) == {budgets[0]}


def test_after_a_stall_a_new_grid_starts_instead_of_a_burst_of_catch_up_frames():
    pacer = FramePacer()
    run_frames(pacer, 20, views=lambda k: 0.004)
    due = pacer._due
    stalled = due + 0.050                     # 50 ms late (a dialog, a slow disk)
    pacer.begin(stalled)
    wait_ms = pacer.end(stalled + 0.005)
    assert wait_ms == 11                      # 16 ms after the late tick, not 1 ms
    # A slightly late tick keeps the grid: the next wait is shorter by the lateness.
    pacer2 = FramePacer()
    run_frames(pacer2, 20, views=lambda k: 0.004)
    due2 = pacer2._due
    pacer2.begin(due2 + 0.003)
    assert pacer2.end(due2 + 0.003 + 0.005) == 8


def test_the_budget_grows_gently_and_stays_within_its_bounds():
    pacer = FramePacer()
    _, budgets = run_frames(pacer, 400, views=lambda k: 0.0001, overhead=0.0)
    growth = np.diff(budgets)
    assert np.all(growth <= budgets[:-1] * fp.MAX_GROWTH + 0.0002 + 1e-12)
    assert budgets.max() <= fp.MAX_BUDGET_S
    # Views that take every frame's time push the budget down to its floor, not below.
    _, budgets = run_frames(pacer, 400, views=lambda k: 0.040, t0=300.0)
    assert budgets.min() >= fp.MIN_BUDGET_S


def test_a_frame_with_heavy_views_lowers_the_next_budget_and_recovers():
    pacer = FramePacer()
    views = lambda k: 0.012 if k == 100 else 0.005  # noqa: E731 (one slow redraw)
    _, budgets = run_frames(pacer, 200, views=views)
    steady = budgets[95]
    assert budgets[101] < steady - 0.001       # the overrun is answered at once
    assert budgets[-1] == pytest.approx(steady, abs=0.0008)


def test_a_short_stall_is_caught_up_and_a_long_one_starts_a_new_grid():
    # One redraw of 30 ms (the machine busy elsewhere): the frames after it are a little
    # shorter until the grid is met again, so the second loses no frames on average.
    pacer = FramePacer()
    views = lambda k: 0.030 if k == 100 else 0.005  # noqa: E731
    starts, budgets = run_frames(pacer, 200, views=views)
    assert starts[101] - starts[100] > 0.035                       # the long frame
    # One slow redraw does not lift training's floor to 30 % of a 43 ms frame (12.9 ms).
    assert budgets[101] < 0.006
    assert starts[199] - starts[0] == pytest.approx(199 * fp.FRAME_S, abs=0.001)
    assert np.min(np.diff(starts)) > fp.FRAME_S - 0.006            # no burst of tiny frames

    # A stall of 60 ms is not caught up: the frames go on 16 ms apart from the late one.
    pacer = FramePacer()
    views = lambda k: 0.060 if k == 100 else 0.005  # noqa: E731
    starts, budgets = run_frames(pacer, 200, views=views)
    assert starts[199] - starts[0] > 199 * fp.FRAME_S + 0.040
    assert budgets[101] == budgets[100]          # a stall says nothing of the views' time
    assert np.mean(np.diff(starts[110:])) == pytest.approx(fp.FRAME_S, abs=0.0001)


def test_frames_that_run_into_the_next_tick_shrink_the_budget():
    # Training starts with 8 ms a tick but the views need 9: each frame runs into the next
    # tick, and the loop's last idle moment comes before the views. The lateness tells the
    # pacer; the budget comes down until frames fit in 16 ms again.
    pacer = FramePacer()
    starts, budgets = run_frames(pacer, 300, views=lambda k: 0.009, overhead=0.001)
    assert budgets[1] < fp.START_BUDGET_S
    want = fp.FRAME_S - 0.009 - 0.001 - fp.SPARE_S
    assert np.mean(budgets[-100:]) == pytest.approx(want, abs=0.0004)
    assert np.mean(np.diff(starts[-100:])) == pytest.approx(fp.FRAME_S, abs=0.00005)


def test_ticks_that_do_not_train_leave_the_budget_as_it_is():
    # At a set number of epochs a second most ticks only wait: their frames are nearly
    # empty, and growing the budget on them would make the next epoch one long frame.
    pacer = FramePacer()
    _, budgets = run_frames(pacer, 200, views=lambda k: 0.0005, overhead=0.0,
                            trained=lambda k: False)
    assert set(budgets) == {fp.START_BUDGET_S}
    # Those that do train adapt it as usual: their views (11 ms) leave training its floor.
    _, budgets = run_frames(pacer, 400, views=lambda k: 0.011 if k % 12 == 0 else 0.0005,
                            trained=lambda k: k % 12 == 0, t0=200.0)
    floor = 0.011 * fp.TRAIN_SHARE / (1.0 - fp.TRAIN_SHARE)
    assert budgets[-1] == pytest.approx(floor, abs=0.0003)


def test_a_frame_that_runs_just_past_its_due_time_is_not_read_as_spare_time():
    # 8 ms of training, 1 ms of other work and 7.2 ms of views: every frame runs 0.2 ms
    # past the next due time, so the loop's last idle moment comes right after the tick,
    # before the views. That moment is not the end of the views: the budget must not grow.
    pacer = FramePacer()
    starts, budgets = run_frames(pacer, 300, views=lambda k: 0.0072, overhead=0.001)
    assert budgets.max() <= fp.START_BUDGET_S
    assert np.mean(np.diff(starts[-100:])) == pytest.approx(fp.FRAME_S, abs=0.0001)
