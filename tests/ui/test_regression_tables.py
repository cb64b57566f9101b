"""One-input regression tables (line, bump) in the window: chosen from the Dataset panel, they
give a 1-1-1 chain; the Network menu makes it 1-1-1-1; the Input panel sets the selected
sample's x and y; the diagram, the output chart and the step-through cope with one input and
one output."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine.selection import Selection
from backprop_gui.ui.training.training_bar import progress_text


@pytest.fixture
def window(main_window):
    return main_window


def menu_action(window, text: str):
    for action in window.menu("Network").actions():
        if action.text().replace("&", "").startswith(text):
            return action
    raise AssertionError(text)


def choose_dataset(window, name: str) -> None:
    from backprop_gui.ui.editors.dataset_panel import DatasetPanel

    panel = window.findChild(DatasetPanel)
    combo = panel.dataset_combo
    combo.setCurrentIndex(combo.findData(name))
    combo.activated.emit(combo.currentIndex())


def test_line_gives_a_one_neuron_chain_that_the_menu_deepens_to_1_1_1_1(window, session):
    choose_dataset(window, "line")
    assert session.dataset.name == "line"
    net = session.network
    assert net.sizes == [1, 1, 1] and net.activation_names == ["sigmoid", "linear"]
    session.select(Selection.neuron(1, 0))
    assert not menu_action(window, "Remove a Neuron").isEnabled()     # 1 is the least
    menu_action(window, "Add Hidden Layer").trigger()
    assert session.network.sizes == [1, 1, 1, 1]
    # A wider layer comes back down to one neuron from the menu.
    session.select(Selection.neuron(2, 0))
    menu_action(window, "Add a Neuron").trigger()
    assert session.network.sizes == [1, 1, 2, 1]
    session.select(Selection.neuron(2, 0))
    remove = menu_action(window, "Remove a Neuron")
    assert remove.isEnabled()
    remove.trigger()
    assert session.network.sizes == [1, 1, 1, 1]
    # The output layer must stay one neuron: one target value per sample.
    session.select(Selection.neuron(3, 0))
    menu_action(window, "Add a Neuron").trigger()
    assert session.network.sizes == [1, 1, 1, 1]


def test_every_view_copes_with_one_input_and_one_output(window, session, qtbot):
    choose_dataset(window, "line")
    session.select_sample(1)                       # x = 0.25, y = −0.5
    from backprop_gui.ui.editors.input_panel import InputPanel, sample_caption

    inputs = window.findChild(InputPanel)
    assert sample_caption(session) == "Sample 2 of 5 · y = −0.5"
    y_hat = float(session.trace().output[0, 0])
    assert inputs.output_chart.row_labels() == ["ŷ"]
    assert inputs.output_chart.summary() == "Target y = −0.5"
    # The step-through walks the whole 1-1-1 pass and its numbers are the engine's.
    panel = window.stepper
    panel.cursor.go_to(len(panel.cursor.steps) - 1)
    loss = next(s for s in panel.cursor.steps if s.kind == "loss")
    assert float(loss.result) == pytest.approx((y_hat + 0.5) ** 2, rel=1e-12)
    grads = session.gradients()
    assert [g.shape for g in grads.dW] == [(1, 1), (1, 1)]
    assert "accuracy" not in progress_text(session)


def test_the_input_panel_sets_x_and_y_of_the_selected_sample(window, session, type_into):
    choose_dataset(window, "line")
    session.select_sample(2)                       # x = 0.5, y = 0
    from backprop_gui.ui.editors.input_panel import InputPanel

    panel = window.findChild(InputPanel)
    table = panel.table_editor
    panel.edit_button.click()                      # a sample changes only with Edit sample on
    assert [b.value() for b in table.spin_boxes] == [0.5]
    assert [b.value() for b in table.target_boxes] == [0.0]
    type_into(table.target_boxes[0], "0.25")
    assert session.dataset.values[2, 0] == 0.25
    assert session.sample_target().tolist() == [0.25]
    assert session.undo_stack.undoText() == "Set the target of sample 3"
    type_into(table.spin_boxes[0], "1.5")
    assert session.dataset.inputs[2, 0] == 1.5
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert session.dataset.inputs[2, 0] == 0.5 and session.dataset.values[2, 0] == 0.0
    assert table.target_boxes[0].value() == 0.0
    # Another sample shows its own numbers.
    session.select_sample(4)
    assert [table.spin_boxes[0].value(), table.target_boxes[0].value()] == [1.0, 1.0]


def test_xor_has_no_target_boxes_and_the_session_refuses_a_target_for_classes(window, session):
    choose_dataset(window, "xor")
    from backprop_gui.ui.editors.input_panel import InputPanel

    table = window.findChild(InputPanel).table_editor
    assert len(table.spin_boxes) == 2 and table.target_boxes == []
    with pytest.raises(ValueError, match="classes"):
        session.set_target_values(0, {0: 1.0})
    assert np.array_equal(session.dataset.labels, [0, 1, 1, 0])
