"""Throttle: at most one run per interval, the first at once, and one trailing run that
shows the latest; `ran()` restarts the interval; as a gate, `ready()` and `ran()`.

The intervals are long (hundreds of milliseconds) and the checks are about order and
count, so a busy machine slows the tests down without making them fail.
"""

from __future__ import annotations

import time
from typing import Callable

from backprop_gui.ui.common.throttle import Throttle


def recorder(state: dict) -> tuple[list, Callable[[], None]]:
    runs: list[tuple[int, float]] = []
    return runs, lambda: runs.append((state["value"], time.perf_counter()))


def test_a_call_runs_at_once_and_the_calls_within_the_interval_make_one_trailing_run(qtbot):
    state = {"value": 0}
    runs, callback = recorder(state)
    throttle = Throttle(200, callback)
    throttle()
    assert [v for v, _ in runs] == [0]             # the leading call: at once
    for value in range(1, 6):                      # five more within the interval
        state["value"] = value
        throttle()
    assert len(runs) == 1 and throttle.pending
    qtbot.waitUntil(lambda: len(runs) == 2, timeout=3000)
    assert runs[1][0] == 5                         # the trailing run shows the latest
    assert runs[1][1] - runs[0][1] >= 0.9 * 0.2    # a whole interval later (timers may be 5 % early)
    qtbot.wait(300)
    assert len(runs) == 2 and not throttle.pending
    throttle()                                     # the interval has passed: at once again
    assert len(runs) == 3


def test_a_run_some_other_way_restarts_the_interval_and_drops_the_waiting_call(qtbot):
    state = {"value": 0}
    runs, callback = recorder(state)
    throttle = Throttle(150, callback)
    throttle()
    throttle()                                     # waits its turn
    assert throttle.pending
    throttle.ran()                                 # e.g. the widget painted for another reason
    assert not throttle.pending and not throttle.ready()
    qtbot.wait(300)
    assert len(runs) == 1
    throttle()
    throttle.cancel()
    qtbot.wait(50)
    assert len(runs) == 2                          # ready again: ran at once; nothing waited


def test_deferred_calls_in_one_turn_of_the_event_loop_make_one_run(qtbot):
    state = {"value": 0}
    runs, callback = recorder(state)
    throttle = Throttle(150, callback, defer=True)
    for value in range(3):                         # one change, three signals
        state["value"] = value
        throttle()
    assert runs == []                              # not yet: on the next turn of the loop
    qtbot.waitUntil(lambda: len(runs) == 1, timeout=1000)
    assert runs[0][0] == 2
    state["value"] = 7
    throttle()                                     # a stream of changes: its turn comes later
    qtbot.wait(20)
    assert len(runs) == 1
    qtbot.waitUntil(lambda: len(runs) == 2, timeout=3000)
    assert runs[1][0] == 7 and runs[1][1] - runs[0][1] >= 0.9 * 0.15


def test_as_a_gate_it_says_when_the_interval_has_passed(qtbot):
    gate = Throttle(200)
    assert gate.ready() and gate.elapsed_ms() == float("inf")   # nothing ran yet
    gate.ran()
    assert not gate.ready() and 0 <= gate.elapsed_ms() < 200
    qtbot.wait(250)
    assert gate.ready()
    gate.ran()
    gate.interval_ms = 0                           # an interval may change as it goes
    assert gate.ready()
    gate()                                         # no callback: a call only counts as a run
    assert not gate.pending

