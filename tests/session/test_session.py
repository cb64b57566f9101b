"""Session: every edit is one undo command that restores the state exactly."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from backprop_gui.engine.network import Network


def _params(net: Network) -> list[np.ndarray]:
    return [p.copy() for pair in zip(net.weights, net.biases) for p in pair]


def _same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


def test_default_project_is_the_16_6_6_2_network_on_zeros_and_ones(session):
    net = session.network
    assert net.sizes == [16, 6, 6, 2]
    assert net.activation_names == ["relu", "relu", "softmax"]
    assert net.loss_name == "cross_entropy"
    assert net.n_parameters == 158
    assert session.dataset.class_names == ["0", "1"]
    assert session.dataset.image_shape == (4, 4)
    assert not session.modified


def test_trace_and_gradients_follow_the_selected_sample(session):
    session.select_sample(3)
    x = session.dataset.inputs[3]
    assert np.array_equal(session.trace().a[0][0], x)
    expected = session.network.backward(session.network.forward(x), session.sample_target())
    assert np.array_equal(session.gradients().dW[0], expected.dW[0])


def test_add_layer_and_undo_restore_the_exact_network(session, qtbot):
    before = _params(session.network)
    with qtbot.waitSignal(session.structure_changed):
        session.add_layer(2, size=3, activation="tanh")
    assert session.network.sizes == [16, 6, 3, 6, 2]
    assert session.undo_stack.undoText() == "Add hidden layer 2"
    assert session.modified
    session.undo_stack.undo()
    assert session.network.sizes == [16, 6, 6, 2]
    assert _same(_params(session.network), before)
    assert not session.modified
    session.undo_stack.redo()
    assert session.network.sizes == [16, 6, 3, 6, 2]


def test_weight_edits_merge_and_undo(session):
    old = session.network.weights[1][2, 4]
    session.set_weight(1, 2, 4, 0.5)
    session.set_weight(1, 2, 4, -0.25)
    assert session.network.weights[1][2, 4] == -0.25
    assert session.undo_stack.count() == 1, "typing into one field is one edit"
    session.undo_stack.undo()
    assert session.network.weights[1][2, 4] == old


def test_non_finite_weight_is_refused(session):
    with pytest.raises(ValueError, match="finite"):
        session.set_weight(0, 0, 0, float("nan"))
    assert session.undo_stack.count() == 0


def test_a_paint_stroke_is_one_undo_entry(session):
    old = session.dataset.inputs[0].copy()
    stroke = session.begin_stroke()
    for i in (0, 1, 2):
        session.paint(0, {i: 1.0 - old[i]}, stroke)
    assert session.undo_stack.count() == 1
    assert np.array_equal(session.dataset.inputs[0][:3], 1.0 - old[:3])
    session.undo_stack.undo()
    assert np.array_equal(session.dataset.inputs[0], old)


def test_sample_edits_undo_exactly(session):
    inputs, labels = session.dataset.inputs.copy(), session.dataset.labels.copy()
    new = session.duplicate_sample(2)
    assert session.dataset.n_samples == len(labels) + 1 and session.selected_sample == new
    session.relabel_sample(new, 1 - int(labels[2]))
    session.delete_sample(0)
    for _ in range(3):
        session.undo_stack.undo()
    assert np.array_equal(session.dataset.inputs, inputs)
    assert np.array_equal(session.dataset.labels, labels)


def test_last_sample_cannot_be_deleted(session):
    while session.dataset.n_samples > 1:
        session.delete_sample(0)
    with pytest.raises(ValueError, match="at least one sample"):
        session.delete_sample(0)


def test_loading_xor_switches_network_and_undo_brings_back_both(session):
    before = _params(session.network)
    session.load_builtin_dataset("xor")
    assert session.dataset.n_inputs == 2 and session.network.sizes[0] == 2
    session.undo_stack.undo()
    assert session.dataset.name == "digits01"
    assert _same(_params(session.network), before)


def test_loading_ten_digits_keeps_hidden_layers_and_widens_output(session):
    hidden = session.network.weights[1].copy()
    session.load_builtin_dataset("digits")
    assert session.network.sizes == [16, 6, 6, 10]
    assert np.array_equal(session.network.weights[1], hidden)


def test_dead_relu_neurons_are_those_silent_for_every_sample(session):
    session.set_bias(0, 3, -1000.0)
    dead = session.dead_neurons(1)
    assert dead[3] and dead.sum() >= 1
    assert not session.dead_neurons(3).any(), "softmax neurons are never marked dead"


def test_input_layer_size_must_match_dataset(session):
    with pytest.raises(ValueError, match="16 inputs"):
        session.resize_layer(0, 9)


def test_session_imports_no_widgets():
    code = ("import sys; import backprop_gui.session.session; "
            "print(any(m.startswith(('PySide6.QtWidgets', 'pyqtgraph')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_output_layer_keeps_a_neuron_per_class(session):
    session.load_builtin_dataset("digits")
    with pytest.raises(ValueError, match="10 classes"):
        session.resize_layer(3, 1)


def test_moving_a_point_is_not_clipped_and_one_drag_is_one_undo(session):
    session.load_builtin_dataset("moons")
    old = session.dataset.inputs[5].copy()
    stroke = session.begin_stroke()
    session.move_sample(5, [-0.5, 1.25], stroke)
    session.move_sample(5, [-0.75, 1.5], stroke)
    assert np.array_equal(session.dataset.inputs[5], [-0.75, 1.5])
    assert session.undo_stack.undoText() == "Move sample 6"
    session.undo_stack.undo()
    assert np.array_equal(session.dataset.inputs[5], old)


def test_reinitialise_is_one_undo_step_for_the_weights_and_the_settings(session):
    """Before: the seed and initialiser were written outside the undo stack, so after Undo
    the window said "unchanged" while Save would write seed 5 and Reset would use it."""
    from dataclasses import asdict

    weights, settings = _params(session.network), asdict(session.training)
    session.reinitialise(5, "xavier")
    assert (session.training.seed, session.training.init) == (5, "xavier")
    expected = Network.build([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy",
                             seed=5, init="xavier")
    assert _same(_params(session.network), _params(expected))
    assert session.undo_stack.count() == 1
    assert session.undo_stack.undoText() == "Re-initialise weights (seed 5)"
    session.undo_stack.undo()
    assert asdict(session.training) == settings
    assert _same(_params(session.network), weights)
    assert not session.modified
    changes = []
    session.training_changed.connect(lambda: changes.append(session.training.seed))
    session.undo_stack.redo()
    assert (session.training.seed, session.training.init) == (5, "xavier")
    assert _same(_params(session.network), _params(expected))
    assert changes == [5, 5], "the settings' views hear of each setting that changed"


def test_reinitialise_with_an_unknown_initialiser_changes_nothing(session):
    with pytest.raises(ValueError):
        session.reinitialise(3, "nonsense")
    assert session.training.seed == 0 and session.training.init == "he"
    assert session.undo_stack.count() == 0


def test_edits_that_cancel_out_leave_the_project_unmodified(session):
    """Found by the undo state machine: `modified` was the undo stack's clean flag, so after
    loading the dataset already loaded, or changing a label and changing it back, the window
    asked to save a project equal to the saved one."""
    states = []
    session.file_state_changed.connect(lambda: states.append(session.modified))
    label = int(session.dataset.labels[4])
    session.relabel_sample(4, 1 - label)
    assert session.modified and states == [True]
    session.relabel_sample(4, label)
    assert session.undo_stack.count() == 2
    assert not session.modified and states == [True, False]
    session.load_builtin_dataset("digits01")     # the same samples and network again
    assert not session.modified and session.undo_stack.count() == 3
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert session.modified                      # the label is changed again
    session.undo_stack.undo()
    assert not session.modified and states == [True, False, True, False]


def test_a_merged_edit_back_to_the_saved_value_is_unmodified(session, tmp_path):
    """Typing into one field merges into one undo entry without moving the stack: typing the
    saved value back makes the project equal to the saved one again."""
    session.save(tmp_path / "p.bpnet")
    old = float(session.network.weights[1][2, 4])
    session.set_weight(1, 2, 4, 0.5)
    assert session.modified
    session.set_weight(1, 2, 4, old)
    assert session.undo_stack.count() == 1 and not session.modified
    stroke = session.begin_stroke()
    pixel = float(session.dataset.inputs[0][5])
    session.paint(0, {5: 1.0 - pixel}, stroke)
    assert session.modified
    session.paint(0, {5: pixel}, stroke)         # the same stroke paints it back
    assert not session.modified


def test_selecting_a_sample_is_not_an_edit(session, tmp_path):
    session.save(tmp_path / "p.bpnet")
    session.select_sample(5)
    assert not session.modified and session.undo_stack.count() == 0
