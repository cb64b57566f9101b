"""Session: every edit is one undo command that restores the state exactly."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from backprop_gui.engine.network import Network
from backprop_gui.engine.selection import Selection


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


def test_edits_of_different_parameters_stay_separate_undo_entries(session):
    W, b = session.network.weights, session.network.biases
    old_w, old_other, old_b = W[1][2, 4], W[1][2, 3], b[1][2]
    session.set_weight(1, 2, 4, 0.5)
    session.set_weight(1, 2, 3, 0.75)     # the next cell: its own edit
    session.set_bias(1, 2, -0.125)        # the bias of the same neuron: its own edit too
    assert session.undo_stack.count() == 3
    session.undo_stack.undo()
    assert (W[1][2, 4], W[1][2, 3], b[1][2]) == (0.5, 0.75, old_b)
    session.undo_stack.undo()
    assert (W[1][2, 4], W[1][2, 3]) == (0.5, old_other)
    session.undo_stack.undo()
    assert W[1][2, 4] == old_w


def test_set_parameter_takes_a_selection_in_the_textbook_convention(session):
    session.set_parameter(Selection.parse("W2[3,5]"), 0.5)
    assert session.network.weights[1][2, 4] == 0.5
    assert session.undo_stack.undoText() == "Set W²[3,5] to 0.5"
    session.set_parameter(Selection.bias(3, 1), -0.25)
    assert session.network.biases[2][1] == -0.25
    assert session.undo_stack.undoText() == "Set b³[2] to -0.25"
    session.set_weight(1, 2, 4, 0.75)           # set_weight takes network.weights' index
    assert session.undo_stack.count() == 3 and session.network.weights[1][2, 4] == 0.75
    for target in (Selection.neuron(1, 0), Selection.weight(4, 0, 0), Selection.bias(1, 6)):
        with pytest.raises(ValueError, match="no parameter"):
            session.set_parameter(target, 1.0)
    assert session.undo_stack.count() == 3


def test_select_takes_a_selection_or_none(session, qtbot):
    with qtbot.waitSignal(session.selection_changed) as blocker:
        session.select(Selection.weight(2, 2, 4))
    assert blocker.args == [Selection.weight(2, 2, 4)]
    with qtbot.assertNotEmitted(session.selection_changed):
        session.select(Selection.parse("W2[3,5]"))       # the same selection: no signal
    with pytest.raises(TypeError):
        session.select(("weight", 1, 2, 4))
    assert session.selection == Selection.weight(2, 2, 4)
    session.select(None)
    assert session.selection is None


def test_non_finite_weight_is_refused(session):
    with pytest.raises(ValueError, match="finite"):
        session.set_weight(0, 0, 0, float("nan"))
    assert session.undo_stack.count() == 0


def test_a_value_that_makes_the_forward_pass_overflow_is_refused(session):
    # Sample 1 has x₂ = 1: W¹[1,2] = 10³⁰⁰ makes z¹[1] = 10³⁰⁰ (finite: taken); W²[1,1] = 10³⁰⁰
    # on top of it would make z²[1] = 10³⁰⁰ · 10³⁰⁰ = ∞.
    assert session.dataset.inputs[0, 1] == 1.0
    session.set_weight(0, 0, 1, 1e300)
    before = _params(session.network)
    with pytest.raises(ValueError) as refused:
        session.set_weight(1, 0, 0, 1e300)
    assert str(refused.value) == (
        "1×10³⁰⁰ is too large for W²[1,1]: the forward pass would overflow (z² of sample 1 "
        "would pass 1.8×10³⁰⁸, the largest number the computer can hold). Type a smaller value.")
    assert _same(_params(session.network), before) and session.undo_stack.count() == 1
    session.set_weight(1, 0, 0, 2.0)                    # a smaller value is taken
    assert session.network.weights[1][0, 0] == 2.0


def test_a_bias_that_makes_the_loss_overflow_is_refused(session):
    # b³[1] = 10³⁰⁸ keeps every z and a finite (softmax shifts by the largest z), but each of
    # the twelve “1” samples has −log softmax(z³)₂ = 10³⁰⁸, and their sum passes 1.8×10³⁰⁸.
    with pytest.raises(ValueError, match=r"too large for b³\[1\].*\(the loss would pass"):
        session.set_bias(2, 0, 1e308)
    session.set_bias(2, 0, 1e306)
    assert session.network.biases[2][0] == 1e306


def test_an_overflowing_network_can_still_be_edited_back(session):
    # Loaded from a file (anything finite loads): every edit is taken, even one that keeps
    # it overflowing, so it can be mended one value at a time.
    net = session.network.copy()
    net.weights = [np.full(W.shape, 1e300) for W in net.weights]
    session.replace_network("Huge weights", net)
    session.set_weight(2, 0, 0, -1e300)
    session.set_weight(2, 0, 0, 0.5)
    assert session.network.weights[2][0, 0] == 0.5


def test_a_paint_stroke_is_one_undo_entry(session):
    old = session.dataset.inputs[0].copy()
    stroke = session.begin_stroke()
    for i in (0, 1, 2):
        session.paint(0, {i: 1.0 - old[i]}, stroke)
    assert session.undo_stack.count() == 1
    assert np.array_equal(session.dataset.inputs[0][:3], 1.0 - old[:3])
    session.undo_stack.undo()
    assert np.array_equal(session.dataset.inputs[0], old)


def test_one_stroke_id_on_two_samples_is_two_undo_entries(session):
    first, second = session.dataset.inputs[0].copy(), session.dataset.inputs[1].copy()
    stroke = session.begin_stroke()
    session.paint(0, {0: 1.0 - first[0]}, stroke)
    session.paint(1, {0: 1.0 - second[0]}, stroke)
    assert session.undo_stack.count() == 2
    session.undo_stack.undo()
    assert np.array_equal(session.dataset.inputs[1], second)
    assert session.dataset.inputs[0][0] == 1.0 - first[0]
    session.undo_stack.undo()
    assert np.array_equal(session.dataset.inputs[0], first)


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


@pytest.mark.parametrize("field, value, message", [
    ("optimizer", "adam", "Unknown optimizer 'adam' (known: batch, minibatch, sgd)"),
    ("init", "orthogonal", "Unknown initialiser 'orthogonal'"),
    ("momentum", 1.0, "Momentum must be in 0 … 0.999, got 1.0"),
])
def test_a_training_setting_is_checked_as_the_trainer_checks_it(session, field, value, message):
    # One check (TrainingConfig.validate): a setting the Trainer would refuse never gets in.
    before = getattr(session.training, field)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        session.set_training_setting(field, value)
    assert getattr(session.training, field) == before and session.undo_stack.count() == 0
