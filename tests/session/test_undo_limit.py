"""The undo stack keeps the last UNDO_LIMIT steps: the oldest go, and with them possibly the
saved state (the project then stays modified) or a training run the clock still knows."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.session.session import UNDO_LIMIT
from backprop_gui.session.training_clock import TrainingClock
from backprop_gui.session.training_commands import TrainingStateCommand


def paint_steps(session, n: int) -> list[np.ndarray]:
    """`n` paint strokes on sample 0, each its own undo step; the inputs after each one."""
    states = []
    for k in range(n):
        pixel = k % session.dataset.n_inputs
        value = 0.25 if session.dataset.inputs[0, pixel] != 0.25 else 0.75
        session.paint(0, {pixel: value}, session.begin_stroke())
        states.append(session.dataset.inputs[0].copy())
    return states


def undo_all(session) -> int:
    stack, undone = session.undo_stack, 0
    while stack.canUndo():
        stack.undo()
        undone += 1
    return undone


def test_the_stack_keeps_the_last_steps_and_undoes_them_exactly(session):
    assert UNDO_LIMIT == 200
    assert session.undo_stack.undoLimit() == UNDO_LIMIT
    states = paint_steps(session, UNDO_LIMIT + 50)
    stack = session.undo_stack
    assert stack.count() == UNDO_LIMIT and stack.index() == UNDO_LIMIT
    assert undo_all(session) == UNDO_LIMIT
    # Back to just after step 50: steps 1 … 50 were dropped, so they stay done.
    assert np.array_equal(session.dataset.inputs[0], states[49])
    while stack.canRedo():
        stack.redo()
    assert np.array_equal(session.dataset.inputs[0], states[-1])


def test_when_the_saved_state_is_dropped_the_project_stays_modified(session, tmp_path):
    stack = session.undo_stack
    states_changed: list[bool] = []
    session.file_state_changed.connect(lambda: states_changed.append(session.modified))
    paint_steps(session, 10)
    session.save(tmp_path / "p.bpnet")
    assert not session.modified and stack.cleanIndex() == 10
    paint_steps(session, UNDO_LIMIT)
    # The bottom of the stack is now the saved state itself: undo still reaches it.
    assert stack.cleanIndex() == 0 and session.modified
    paint_steps(session, 1)
    assert stack.cleanIndex() == -1 and session.modified
    undo_all(session)  # back as far as undo goes: still not what is on disk
    assert session.modified and states_changed[-1] is True

    # A save the limit has not reached yet stays found, at its shifted position.
    while stack.canRedo():
        stack.redo()
    assert stack.index() == UNDO_LIMIT
    session.save(tmp_path / "p.bpnet")
    saved = session.dataset.inputs[0].copy()
    paint_steps(session, 30)
    assert stack.cleanIndex() == UNDO_LIMIT - 30 and session.modified
    for _ in range(30):
        assert session.modified
        stack.undo()
    assert not session.modified and states_changed[-1] is False
    assert np.array_equal(session.dataset.inputs[0], saved)


@pytest.fixture
def clock(session):
    c = TrainingClock(session)
    yield c
    c.pause()


def test_training_runs_dropped_by_the_limit_leave_the_clock_working(session, clock):
    stack = session.undo_stack
    clock.step_epoch()
    first_run = stack.command(stack.index() - 1)
    assert isinstance(first_run, TrainingStateCommand) and clock.recorder._run_command is first_run
    paint_steps(session, UNDO_LIMIT)   # pushes the run off the bottom: Qt deletes it
    assert stack.count() == UNDO_LIMIT
    assert all(not isinstance(stack.command(i), TrainingStateCommand) for i in range(stack.count()))
    clock.recorder._name_run(1)         # the recorder's link to the deleted run is harmless
    assert clock.recorder._run_command is None

    for _ in range(UNDO_LIMIT + 5):     # more runs than the stack holds, each its own step
        clock.play()
        clock.tick()
        clock.pause()
        session.paint(0, {0: 0.5 if session.dataset.inputs[0, 0] != 0.5 else 0.0},
                      session.begin_stroke())
    assert stack.count() == UNDO_LIMIT
    clock.step_epoch()
    top = stack.command(stack.index() - 1)
    assert isinstance(top, TrainingStateCommand) and clock.recorder._run_command is top
    assert stack.undoText() == top.text() and top.text().startswith("Train epoch")
    epochs = clock.epoch
    assert undo_all(session) == UNDO_LIMIT
    assert 0 < clock.epoch < epochs and session.modified
