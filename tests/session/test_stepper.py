"""StepCursor: moving through the walkthrough, following the session, applying the update."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine.walkthrough import loss_after_update, walkthrough
from backprop_gui.session.stepper import StepCursor, step_key


def _params(net) -> list[np.ndarray]:
    return [p.copy() for pair in zip(net.weights, net.biases) for p in pair]


@pytest.fixture
def cursor(session):
    return StepCursor(session)


def test_steps_are_the_engines_walkthrough_of_the_selected_sample(session, cursor):
    session.select_sample(5)
    expected = walkthrough(session.network, session.sample_input(), session.sample_target(),
                           session.training.learning_rate)
    assert len(cursor.steps) == len(expected) == 24
    for got, want in zip(cursor.steps, expected):
        assert step_key(got) == step_key(want)
        assert np.array_equal(got.result, want.result)
    assert cursor.index == 0 and cursor.step.phase == "forward"


def test_next_previous_and_bounds(cursor, qtbot):
    moves = []
    cursor.step_moved.connect(moves.append)
    assert cursor.previous() is False and cursor.index == 0
    assert cursor.next() and cursor.index == 1
    assert cursor.previous() and cursor.index == 0
    assert moves == [1, 0]
    assert cursor.last() and cursor.index == len(cursor.steps) - 1 and cursor.at_end()
    assert cursor.next() is False and cursor.index == len(cursor.steps) - 1
    assert cursor.first() and cursor.index == 0
    assert cursor.go_to(10_000) and cursor.index == len(cursor.steps) - 1
    assert cursor.go_to(-5) and cursor.index == 0


def test_phase_jumps(cursor):
    starts = cursor.phase_starts()
    assert [cursor.steps[i].phase for i in starts] == ["forward", "loss", "backward", "update"]
    visited = [cursor.index]
    while cursor.next_phase():
        visited.append(cursor.index)
    # Forward → loss → backward → update, then the last step of the update phase.
    assert visited == starts + [len(cursor.steps) - 1]
    cursor.go_to(starts[2] + 3)                  # inside the backward phase
    assert cursor.previous_phase() and cursor.index == starts[2]   # to its start first
    assert cursor.previous_phase() and cursor.index == starts[1]   # then the phase before
    assert cursor.previous_phase() and cursor.index == 0
    assert cursor.previous_phase() is False


def test_recomputes_for_a_new_sample_and_keeps_the_step(session, cursor, qtbot):
    cursor.go_to(12)
    key = step_key(cursor.step)
    with qtbot.waitSignal(cursor.steps_changed):
        session.select_sample(7)
    assert step_key(cursor.step) == key and cursor.index == 12
    first = cursor.steps[0]
    assert np.array_equal(first.operands["a⁰"][0], session.dataset.inputs[7])


def test_goes_back_to_the_start_when_the_step_no_longer_exists(session, cursor):
    cursor.go_to(next(i for i, s in enumerate(cursor.steps) if s.kind == "z" and s.layer == 3))
    session.remove_layer(2)   # the network now has two weight layers: no z³
    assert cursor.index == 0
    assert all(s.layer in (None, 1, 2) for s in cursor.steps)


def test_painting_keeps_the_cursor_on_the_same_kind_of_step(session, cursor):
    cursor.go_to(15)
    key = step_key(cursor.step)
    session.paint(session.selected_sample, {0: 1.0, 1: 0.0}, session.begin_stroke())
    assert step_key(cursor.step) == key


def test_learning_rate_change_is_picked_up(session, cursor):
    cursor.last()
    key = step_key(cursor.step)
    session.training.learning_rate = 0.5
    step = cursor.step
    assert step_key(step) == key
    assert float(step.operands["α"]) == 0.5


def test_apply_update_is_net_apply_on_a_copy_and_one_undo_entry(session, cursor, qtbot):
    session.select_sample(2)
    net = session.network
    before = _params(net)
    expected = net.copy()
    trace = expected.forward(session.sample_input())
    expected.apply(expected.backward(trace, session.sample_target()), session.training.learning_rate)
    count = session.undo_stack.count()
    with qtbot.waitSignal(cursor.update_applied):
        text = cursor.apply_update()
    assert text == "Gradient-descent step on sample 3"
    assert session.undo_stack.count() == count + 1
    assert session.undo_stack.undoText() == text
    for got, want in zip(_params(session.network), _params(expected)):
        assert np.array_equal(got, want)   # exactly, not approximately
    # The walkthrough now shows the new parameters, from the first step.
    assert cursor.index == 0
    assert np.array_equal(cursor.steps[0].operands["W¹"], session.network.weights[0])
    session.undo_stack.undo()
    for got, want in zip(_params(session.network), before):
        assert np.array_equal(got, want)


def test_batch_scope_uses_every_sample(session, cursor):
    cursor.go_to(14)
    key = step_key(cursor.step)
    cursor.set_scope("batch")
    assert step_key(cursor.step) == key
    X = session.dataset.inputs
    assert np.array_equal(cursor.steps[0].operands["a⁰"], X)
    assert cursor.scope_description() == f"all {len(X)} samples"
    net = session.network
    Y = session.dataset.targets(net.sizes[-1])
    grads = net.backward(net.forward(X), Y, input_gradient=False)
    view = cursor.gradients_for_view()
    assert all(np.array_equal(a, b) for a, b in zip(view.dW, grads.dW))
    expected = net.copy()
    expected.apply(grads, session.training.learning_rate)
    assert cursor.apply_update() == f"Gradient-descent step on all {len(X)} samples"
    assert all(np.array_equal(a, b) for a, b in zip(_params(session.network), _params(expected)))


def test_sample_scope_gradients_are_the_sessions(session, cursor):
    assert cursor.gradients_for_view() is session.gradients()


def test_loss_before_after_matches_the_engine(session, cursor):
    X, Y = cursor.scope_data()
    assert cursor.loss_before_after() == loss_after_update(session.network, X, Y,
                                                           session.training.learning_rate)


def test_unknown_scope_is_refused(cursor):
    with pytest.raises(ValueError):
        cursor.set_scope("epoch")


def test_check_settings_recomputes_for_a_new_learning_rate(session, cursor, qtbot):
    _ = cursor.steps
    with qtbot.assertNotEmitted(cursor.steps_changed):
        cursor.check_settings()            # nothing changed
    session.training.learning_rate = 0.25
    with qtbot.waitSignal(cursor.steps_changed):
        cursor.check_settings()
    cursor.last()
    assert float(cursor.step.operands["α"]) == 0.25


def test_a_view_told_of_a_new_structure_first_gets_the_new_steps_and_gradients(session):
    """Found by the undo state machine: the cursor dropped its steps and batch gradients on
    values_changed, which the session sends last; the diagram, which hears structure_changed
    first, coloured its edges with the old layer's gradients (IndexError in edges.py)."""
    seen = []

    def look() -> None:   # connected before the cursor exists, as the diagram is
        grads = cursor.gradients_for_view()
        seen.append(([g.shape for g in grads.dW], [s.result.shape for s in cursor.steps
                                                   if s.kind == "update_W"]))

    session.structure_changed.connect(look)
    session.parameters_changed.connect(look)
    cursor = StepCursor(session)
    cursor.set_scope("batch")
    cursor.last()
    assert cursor.gradients_for_view() is not None
    session.resize_layer(1, 5)
    session.set_bias(0, 0, 0.5)
    shapes = [W.shape for W in session.network.weights]
    assert seen == [(shapes, shapes)] * 3
    shown = cursor.gradients_for_view().dW[0][0, 0]
    expected = session.network.backward(session.network.forward(session.dataset.inputs),
                                        session.dataset.targets(2)).dW[0][0, 0]
    assert shown == expected
