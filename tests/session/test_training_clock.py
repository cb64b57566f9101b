"""TrainingClock: time-sliced training that matches the Trainer exactly, one undo entry per
run, divergence and restore, snapshots, and pausing when the project changes underneath.

The clock is driven deterministically by calling `tick()` directly (the timer only calls it).
"""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine.network import Gradients, Network
from backprop_gui.engine.project import History
from backprop_gui.engine.training import Trainer
from backprop_gui.session.snapshots import SnapshotStore
from backprop_gui.session.gradient_sizes import GradientSizes, gradient_rms
from backprop_gui.session.run_recorder import epoch_range_text
from backprop_gui.session.training_clock import TrainingClock, TrainingFrame


def params(net: Network) -> list[np.ndarray]:
    return [p.copy() for pair in zip(net.weights, net.biases) for p in pair]


def same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


def run_until_paused(clock: TrainingClock, limit: int = 10_000) -> int:
    ticks = 0
    while clock.is_running and ticks < limit:
        clock.tick()
        ticks += 1
    assert not clock.is_running
    return ticks


@pytest.fixture
def clock(session):
    c = TrainingClock(session)
    yield c
    c.pause()


def test_play_for_n_epochs_matches_a_separate_trainer_run(session, clock, qtbot):
    start = session.network.copy()
    clock.set_setting("optimizer", "minibatch")
    clock.set_setting("batch_size", 5)
    clock.set_setting("max_epochs", 40)
    with qtbot.waitSignal(clock.stopped) as stopped:
        clock.play()
        run_until_paused(clock)
    assert "40 epochs" in stopped.args[0]
    history = session.project.history
    assert history.epoch == list(range(1, 41))

    reference = start.copy()
    trainer = Trainer(reference, session.dataset, session.training)
    trainer.train()
    assert history.loss == trainer.history.loss
    assert history.accuracy == trainer.history.accuracy
    assert same(params(session.network), params(reference))


def test_pause_leaves_one_undo_entry_that_restores_the_network_exactly(session, clock):
    before = params(session.network)
    clock.set_setting("max_epochs", 25)
    entries = session.undo_stack.count()
    clock.play()
    run_until_paused(clock)
    assert session.undo_stack.count() == entries + 1
    assert session.undo_stack.undoText() == "Train epochs 1–25"
    assert session.modified
    trained = params(session.network)
    assert not same(trained, before)

    session.undo_stack.undo()
    assert same(params(session.network), before)
    assert len(session.project.history) == 0
    session.undo_stack.redo()
    assert same(params(session.network), trained)
    assert session.project.history.epoch == list(range(1, 26))


def test_training_emits_progress_and_tells_views_the_parameters_changed(session, clock, qtbot):
    clock.set_setting("max_epochs", 3)
    with qtbot.waitSignal(clock.frame), qtbot.waitSignal(session.parameters_changed):
        clock.step_epoch()
    assert len(session.project.history) == 1


def test_one_epoch_steps_merge_into_one_undo_entry(session, clock):
    before = params(session.network)
    for _ in range(3):
        clock.step_epoch()
    assert session.project.history.epoch == [1, 2, 3]
    assert session.undo_stack.undoText() == "Train epochs 1–3"
    session.undo_stack.undo()
    assert same(params(session.network), before)
    assert len(session.project.history) == 0


def test_one_batch_steps_count_an_epoch_when_the_pass_is_complete(session, clock):
    clock.set_setting("optimizer", "minibatch")
    clock.set_setting("batch_size", 8)
    n = session.dataset.n_samples            # 24 samples: 3 batches per epoch
    for _ in range(n // 8 - 1):
        clock.step_batch()
    assert len(session.project.history) == 0
    clock.step_batch()
    assert session.project.history.epoch == [1]
    assert clock.trainer.steps == n // 8


def test_huge_learning_rate_diverges_pauses_and_restores_the_last_good_weights(session, clock, qtbot):
    clock.set_setting("max_epochs", 10)
    clock.play()
    run_until_paused(clock)
    good = params(session.network)
    clock.set_setting("max_epochs", None)
    clock.set_setting("learning_rate", 1e6)
    with qtbot.waitSignal(clock.diverged) as diverged:
        clock.play()
        run_until_paused(clock)
    message = diverged.args[0]
    assert "learning rate" in message and "1e+06" in message
    assert clock.divergence == message
    assert clock.can_restore_last_good

    clock.restore_last_good()
    assert same(params(session.network), good)
    assert session.project.history.epoch == list(range(1, 11))
    assert session.undo_stack.undoText() == "Restore last good weights (epoch 10)"
    assert clock.divergence is None
    session.undo_stack.undo()                # back to the diverged weights
    assert not same(params(session.network), good)


def test_settings_apply_at_the_next_tick(session, clock):
    clock.play()
    assert clock.trainer.current_learning_rate == pytest.approx(0.1)
    clock.set_setting("learning_rate", 0.05)
    clock.tick()
    assert clock.trainer.current_learning_rate == pytest.approx(0.05)
    assert session.training.learning_rate == 0.05


def test_setting_edits_are_one_merged_undo_step(session, clock, qtbot):
    with qtbot.waitSignal(clock.settings_changed):
        clock.set_setting("learning_rate", 0.2)
    clock.set_setting("learning_rate", 0.3)
    assert session.undo_stack.count() == 1
    assert session.modified
    session.undo_stack.undo()
    assert session.training.learning_rate == 0.1
    with pytest.raises(ValueError):
        clock.set_setting("no_such_setting", 1)


def test_a_structure_change_while_playing_pauses_and_the_next_run_uses_the_new_network(session, clock, qtbot):
    clock.play()
    with qtbot.waitSignal(clock.stopped) as stopped:
        session.add_layer(2, size=3)
    assert not clock.is_running
    assert "layers changed" in stopped.args[0]
    clock.step_epoch()
    assert clock.trainer.net is session.network
    assert session.network.sizes == [16, 6, 3, 6, 2]


def test_a_dataset_change_while_playing_pauses(session, clock):
    clock.play()
    stroke = session.begin_stroke()
    session.paint(0, {0: 1.0 - session.dataset.inputs[0][0]}, stroke)
    assert not clock.is_running


def test_undo_while_playing_pauses_and_returns_to_the_start_of_the_run(session, clock):
    before = params(session.network)
    clock.play()
    clock.tick()
    session.undo_stack.undo()
    assert not clock.is_running
    assert same(params(session.network), before)


def test_a_weight_edit_during_a_run_is_undone_before_the_run(session, clock):
    before = params(session.network)
    clock.set_setting("max_epochs", 5)
    clock.play()
    run_until_paused(clock)
    session.set_weight(0, 0, 0, 0.5)
    session.undo_stack.undo()                # the edit
    session.undo_stack.undo()                # the run
    assert same(params(session.network), before)


def test_training_after_undo_and_redo_is_a_new_undo_entry(session, clock):
    """Found by the undo state machine: after Undo and Redo of a run, training went on in
    that run's entry, whose end state Undo had already taken, so Redo gave back the network
    and history without the later training."""
    clock.step_batch()
    first = params(session.network)
    session.undo_stack.undo()
    session.undo_stack.redo()
    clock.step_batch()
    after, history = params(session.network), list(session.project.history.epoch)
    assert session.undo_stack.count() == 2 and history == [1, 2]
    session.undo_stack.undo()
    assert same(params(session.network), first) and session.project.history.epoch == [1]
    session.undo_stack.redo()
    assert same(params(session.network), after)
    assert session.project.history.epoch == history


def test_reset_is_one_undo_step_with_fresh_weights_and_empty_history(session, clock):
    clock.set_setting("max_epochs", 5)
    clock.play()
    run_until_paused(clock)
    trained, history = params(session.network), list(session.project.history.loss)
    clock.reset()
    net = session.network
    fresh = Network.build(net.sizes, net.activation_names, net.loss_name,
                          seed=session.training.seed, init=session.training.init)
    assert same(params(net), params(fresh))
    assert len(session.project.history) == 0
    assert session.undo_stack.undoText().startswith("Reset training")
    session.undo_stack.undo()
    assert same(params(session.network), trained)
    assert session.project.history.loss == history


def test_play_at_the_epoch_limit_explains_instead_of_training(session, clock, qtbot):
    clock.set_setting("max_epochs", 2)
    clock.play()
    run_until_paused(clock)
    with qtbot.waitSignal(clock.stopped) as stopped:
        clock.play()
    assert not clock.is_running
    assert "limit" in stopped.args[0]


def test_invalid_settings_fail_with_a_message(session, clock, qtbot):
    session.training.validation_fraction = 0.99   # leaves no training sample
    with qtbot.waitSignal(clock.failed) as failed:
        clock.play()
    assert not clock.is_running
    assert failed.args[0].startswith("Cannot train")


def test_speed_limit_trains_whole_epochs_as_time_allows(session, clock):
    clock.set_speed(1)
    clock.play()
    assert session.project.history.epoch == [1]   # the first epoch comes at once
    clock.tick()                                   # far less than a second later
    assert session.project.history.epoch == [1]


def test_snapshots_record_the_run_and_go_back(session, clock):
    clock.set_setting("max_epochs", 30)
    clock.play()
    run_until_paused(clock)
    epochs = clock.recorder.snapshots.epochs
    assert epochs[0] == 0 and epochs[-1] <= 30
    snap = clock.recorder.snapshots.snapshot_at(epochs[-1])
    assert [W.shape for W in snap.grad_weights] == [W.shape for W in session.network.weights]
    first = clock.recorder.snapshots.snapshot_at(0)
    assert clock.restore_snapshot(0)
    assert same(params(session.network), [p for pair in zip(first.weights, first.biases) for p in pair])
    assert len(session.project.history) == 0
    assert session.undo_stack.undoText() == "Go back to epoch 0"


def test_gradient_size_series_has_one_value_per_layer(session, clock):
    clock.step_epoch()
    clock.step_epoch()
    assert clock.recorder.gradient_sizes.epochs == [1, 2]
    assert all(r.shape == (3,) and np.all(r > 0) for r in clock.recorder.gradient_sizes.rms)
    grads = clock.recorder.gradients()
    assert clock.recorder.gradients_from_step
    assert [g.shape for g in grads.dW] == [W.shape for W in session.network.weights]


def test_gradients_before_training_come_from_the_training_set(session, clock):
    grads = clock.recorder.gradients()
    assert not clock.recorder.gradients_from_step
    net, ds = session.network, session.dataset
    _, expected = net.gradients(ds.inputs, ds.targets(net.sizes[-1]))
    assert all(np.allclose(a, b) for a, b in zip(grads.dW, expected.dW))


def test_a_new_project_forgets_the_run(session, clock, qtbot):
    clock.step_epoch()
    clock.play()
    with qtbot.waitSignal(clock.recorder.history_reset):
        session.new_project()
    assert not clock.is_running
    assert len(clock.recorder.snapshots) == 0 and clock.recorder.gradient_sizes.epochs == []
    clock.step_epoch()                              # trains the new project's network
    assert clock.trainer.net is session.network


# ----- pure helpers ------------------------------------------------------------------------


def test_snapshot_store_stays_bounded_and_spread_out():
    net = Network.build([4, 3, 2])
    store = SnapshotStore(capacity=10)
    for epoch in range(1000):
        store.add(epoch, 1.0 / (epoch + 1), net, None)
    assert len(store) <= 10
    assert store.epochs[0] == 0
    gaps = np.diff(store.epochs)
    assert gaps.min() >= store.interval // 2
    assert store.snapshot_at(500).epoch <= 500
    assert store.snapshot_at(-5).epoch == 0


def test_snapshot_store_sizes_itself_to_the_memory_budget():
    store = SnapshotStore()
    store.clear(Network.build([784, 128, 64, 10]))
    assert 16 <= store.capacity < 200


def test_a_gradient_past_float32s_range_is_kept_as_an_infinity_quietly():
    # Gradients are stored as float32 (up to 3.4×10³⁸): 10⁴⁰ is kept as ±∞, the exact
    # overflow the views then explain; the parameters stay float64 and exact.
    net = Network([2, 1], ["linear"], "mse", [np.array([[1e20, -1e20]])], [np.array([1e300])])
    grads = Gradients([np.array([[1e40, -1e40]])], [np.array([3.0])], [None, None], [None, None])
    store = SnapshotStore()
    assert store.add(0, 1e80, net, grads)
    snap = store.snapshots[0]
    assert snap.grad_weights[0].dtype == np.float32
    assert snap.grad_weights[0].tolist() == [[np.inf, -np.inf]] and snap.grad_biases[0][0] == 3.0
    assert snap.weights[0].tolist() == [[1e20, -1e20]] and snap.biases[0][0] == 1e300


def test_gradient_size_of_huge_gradients_is_their_exact_root_mean_square():
    # RMS of (3, 4)×10²⁰⁰ is √((9 + 16)/2)×10²⁰⁰: its squares (10⁴⁰⁰) would overflow.
    grads = Gradients([np.array([[3e200, 4e200]]), np.zeros((1, 1)), np.array([[np.nan]])],
                      [], [], [])
    rms = gradient_rms(grads)
    assert rms[0] == pytest.approx(np.sqrt(12.5) * 1e200, rel=1e-15)
    assert rms[1] == 0.0 and np.isnan(rms[2])


def test_weights_made_huge_between_runs_are_blamed_not_the_learning_rate(session, clock, qtbot):
    # The clock keeps its Trainer across runs: the divergence is explained against the
    # weights where this run began (W¹[1,2] = 10²⁰, typed after the first run), not where
    # the first one did.
    clock.set_setting("max_epochs", 5)
    clock.play()
    run_until_paused(clock)
    clock.set_setting("max_epochs", None)
    trainer = clock._ensure_trainer()       # built for the new setting, before the edit
    session.set_weight(0, 0, 1, 1e20)
    with qtbot.waitSignal(clock.diverged) as diverged:
        clock.play()
        run_until_paused(clock)
    assert clock.trainer is trainer
    assert "The weights were already huge before training: the largest was 1×10²⁰" \
        in diverged.args[0]
    assert "too high" not in diverged.args[0]


def test_play_with_weights_of_1e20_stops_with_the_explanation(session, clock, qtbot):
    # 10²⁰ weights give gradients past float32's range in the first snapshot: no warning
    # may escape (the suite turns RuntimeWarnings into errors), the run stops explained.
    net = session.network.copy()
    net.weights = [1e20 * np.sign(W) for W in net.weights]
    session.replace_network("Huge weights", net)
    with qtbot.waitSignal(clock.diverged) as diverged:
        clock.play()
        run_until_paused(clock)
    assert diverged.args[0].startswith("Training diverged: the loss on the training set exploded")
    assert "The weights were already huge before training" in diverged.args[0]
    assert np.isinf(clock.recorder.snapshots.snapshots[0].grad_weights[0]).any()


def test_undo_entry_names():
    assert epoch_range_text(1, 50, 100) == "Train epochs 1–50"
    assert epoch_range_text(7, 7, 3) == "Train epoch 7"
    assert epoch_range_text(8, 7, 3) == "Train 3 steps"


def test_history_is_the_projects_own_and_saved_with_it(session, clock, tmp_path):
    clock.step_epoch()
    path = session.save(tmp_path / "run.bpnet")
    from backprop_gui.engine.projectfile import load_project

    loaded = load_project(path)
    assert loaded.history.loss == session.project.history.loss
    assert isinstance(session.project.history, History)


def test_a_run_interrupted_by_an_edit_keeps_its_name_and_undoes_in_order(session, clock):
    before = params(session.network)
    clock.play()
    clock.tick()
    n = len(session.project.history)
    session.add_layer(2, size=3)             # pauses the run; the edit goes on top of it
    assert not clock.is_running
    session.undo_stack.undo()                # the layer
    assert session.undo_stack.undoText() == epoch_range_text(1, n, 0)
    session.undo_stack.undo()                # the run
    assert same(params(session.network), before)
    assert len(session.project.history) == 0
    session.undo_stack.redo()
    assert len(session.project.history) == n


def test_playing_in_the_event_loop_paces_frames_by_the_loops_idle_moments(session, clock, qtbot):
    # The pacer hears when the event loop goes idle (the views have redrawn) only while
    # training plays; from those moments it adapts the training budget.
    clock.play()
    qtbot.wait(250)
    assert clock.pacer._idle_from is not None
    assert clock.budget != pytest.approx(0.008)       # adapted from the frames' idle time
    clock.pause()
    heard = clock.pacer._idle_from
    qtbot.wait(50)
    assert clock.pacer._idle_from == heard           # no longer listening once paused


def test_gradient_sizes_of_a_long_run_stay_bounded_and_evenly_spread(session, clock):
    # One point per frame, at irregular epochs (a frame trains ~330 epochs of a small net).
    sizes = GradientSizes(max_points=2_000)
    grads = clock.recorder.gradients()
    epoch = 0
    for frame in range(60_000):
        epoch += 300 + frame % 61
        sizes.record(epoch, grads)
    epochs = np.array(sizes.epochs)
    assert len(epochs) <= 2_000 and len(sizes.rms) == len(epochs)
    assert np.all(np.diff(epochs) > 0)
    # The points since the last thinning are dense; before them, every tenth of the run
    # keeps the same share: the start is not thinned away by repeated halving.
    counts = np.histogram(epochs, bins=10, range=(0, epoch))[0]
    assert counts[:9].min() >= 0.5 * counts[:9].max() > 0


# ----- the training-frame protocol and the run's name on the Undo action -------------------


def frames_of(clock: TrainingClock) -> list[TrainingFrame]:
    seen: list[TrainingFrame] = []
    clock.frame.connect(seen.append)
    return seen


def test_playing_streams_frames_and_pause_ends_the_stream_with_one_exact_frame(session, clock):
    seen = frames_of(clock)
    clock.play()                                    # the first tick trains at once
    clock.tick()
    clock.tick()
    assert len(seen) == 3 and all(f.streaming and f.epoch_ended for f in seen)
    assert [f.epoch for f in seen] == sorted({f.epoch for f in seen})   # each one further
    last = seen[-1]
    assert (last.epoch, last.steps) == (clock.epoch, clock.trainer.steps)
    clock.pause()
    assert seen[3:] == [TrainingFrame(last.epoch, last.steps, epoch_ended=False, streaming=False)]
    clock.pause()
    clock.play()
    session.undo_stack.undo()                       # an undo stops a stream too
    assert len(seen) == 6 and seen[4].streaming and not seen[5].streaming


def test_one_epoch_and_one_batch_are_single_exact_frames(session, clock):
    seen = frames_of(clock)
    clock.step_epoch()
    assert seen == [TrainingFrame(1, clock.trainer.steps, epoch_ended=True, streaming=False)]
    clock.set_setting("optimizer", "minibatch")     # 24 samples: 3 batches of 8 an epoch
    clock.set_setting("batch_size", 8)
    clock.step_batch()
    assert seen[1:] == [TrainingFrame(1, 1, epoch_ended=False, streaming=False)]


def test_a_stop_ends_the_stream_with_its_last_training_frame(session, clock):
    seen = frames_of(clock)
    clock.set_setting("max_epochs", 3_000)          # more than one tick trains
    clock.play()
    run_until_paused(clock)
    assert len(seen) > 1 and seen[-1].epoch == 3_000
    assert [f.streaming for f in seen] == [True] * (len(seen) - 1) + [False]


def test_frames_at_a_readable_speed_are_exact_and_faster_ones_stream(session, clock):
    seen = frames_of(clock)
    clock.set_speed(5)                              # an epoch every 0.2 s: each one is read
    clock.play()
    assert len(seen) == 1 and seen[0].epoch == 1 and not seen[0].streaming
    clock.pause()
    assert len(seen) == 1                           # nothing to end: the last frame was exact
    clock.set_speed(20)                             # an epoch every 0.05 s
    clock.play()
    assert len(seen) == 2 and seen[1].streaming
    clock.set_speed(1)                              # slower while playing: the stream ends
    assert len(seen) == 3 and not seen[2].streaming and seen[2].epoch == seen[1].epoch


def test_the_undo_action_names_the_run_once_it_pauses(session, clock):
    undo = session.undo_stack.createUndoAction(session, "&Undo")
    clock.set_setting("max_epochs", 25)
    clock.play()
    # Played by ticks until it stops at the limit: one tick trains only what fits in a
    # frame's budget, which on a loaded machine is not all 25 epochs.
    run_until_paused(clock)
    assert clock.epoch == 25
    assert undo.text() == "&Undo Train epochs 1–25"
    session.undo_stack.undo()
    for _ in range(3):
        clock.step_batch()                          # batch GD: a step is an epoch
        assert undo.text() == "&Undo " + epoch_range_text(1, clock.epoch, 0)
