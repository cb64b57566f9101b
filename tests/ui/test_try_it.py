"""The Input panel's Try it input and Edit sample, driven as a student would: paint, place,
type, choose a class, Add; then check the dataset, the project's modified state, the
prediction shown and what the step-through offers."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from backprop_gui.ui.diagram.highlight import fmt
from backprop_gui.ui.editors.input_panel import InputPanel

from .test_main_window import make_window, private_settings  # noqa: F401  (a fixture)

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def panel(qtbot, session):
    widget = InputPanel(session)
    qtbot.addWidget(widget)
    widget.resize(300, 520)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def window(qtbot, session, private_settings):  # noqa: F811
    return make_window(qtbot, session, private_settings)


def untouched(session, inputs: np.ndarray, labels: np.ndarray) -> bool:
    """The dataset as it was, nothing on the undo stack and the project not modified."""
    ds = session.dataset
    return (np.array_equal(ds.inputs, inputs) and np.array_equal(ds.labels, labels)
            and session.undo_stack.count() == 0 and not session.modified)


def paint_diagonal(qtbot, canvas, n: int = 4) -> None:
    for k in range(n):
        qtbot.mouseClick(canvas, LEFT, pos=canvas.cell_center(k, k))


def test_painting_a_shown_sample_changes_nothing_until_edit_sample_is_on(qtbot, panel, session):
    """The reported problem: a click on the pixel grid changed training sample 1."""
    inputs, labels = session.dataset.inputs.copy(), session.dataset.labels.copy()
    canvas = panel.pixel_editor.canvas
    messages = []
    panel.message_posted.connect(messages.append)
    assert panel.mode_switch.sample_button.isChecked() and not panel.edit_button.isChecked()
    qtbot.mouseClick(canvas, LEFT, pos=canvas.cell_center(0, 0))
    assert untouched(session, inputs, labels)
    assert messages and "Edit sample" in messages[-1] and "Try it" in messages[-1]
    panel.edit_button.click()                       # the deliberate act
    qtbot.mouseClick(canvas, LEFT, pos=canvas.cell_center(0, 0))
    assert session.dataset.inputs[0, 0] == 1.0 - inputs[0, 0]
    assert session.modified and session.undo_stack.count() == 1


def test_painting_the_try_it_input_leaves_the_dataset_and_modified_state_alone(qtbot, panel, session):
    inputs, labels = session.dataset.inputs.copy(), session.dataset.labels.copy()
    panel.mode_switch.try_button.click()
    assert session.trying and panel.try_bar.isVisible() and not panel.sample_bar.isVisible()
    canvas = panel.pixel_editor.canvas
    assert not session.sample_input().any()         # a blank grid to draw on
    paint_diagonal(qtbot, canvas)
    expected = np.zeros(16)
    expected[[0, 5, 10, 15]] = 1.0
    assert np.array_equal(session.try_input.values, expected)
    assert untouched(session, inputs, labels)
    # The prediction shown is the network's output for the drawing.
    forward = session.network.forward(expected).output[0]
    assert np.array_equal(panel.output_chart.values, forward)
    assert panel.output_chart.value_texts() == [f"{v:.3f}" for v in forward]


def test_the_diagram_and_the_step_through_show_the_try_it_forward_pass(qtbot, window, session):
    inputs, labels = session.dataset.inputs.copy(), session.dataset.labels.copy()
    panel = window.panel("Input")
    panel.mode_switch.try_button.click()
    paint_diagonal(qtbot, panel.pixel_editor.canvas)
    x = session.try_input.values
    trace = session.network.forward(x)
    y_hat = trace.output[0]

    def shows_y_hat() -> bool:   # the labels follow edits a few times a second
        texts = [item.text() for item in window.view.scene().labels.output_labels]
        return fmt(y_hat[0], 2) in texts[0] and fmt(y_hat[1], 2) in texts[1]

    qtbot.waitUntil(shows_y_hat, timeout=3000)
    assert y_hat[0] != pytest.approx(session.network.forward(inputs[0]).output[0, 0])
    cursor = window.stepper.cursor
    # Forward steps only: the Try it input trains nothing, so no loss, backward or update.
    assert [s.phase for s in cursor.steps] == ["forward"] * 2 * session.network.n_layers
    assert np.array_equal(cursor.steps[-1].result, trace.output)
    assert not window.stepper.commands.apply.isEnabled()
    with pytest.raises(ValueError, match="Try it"):
        cursor.apply_update()
    assert untouched(session, inputs, labels)
    panel.mode_switch.sample_button.click()         # back to sample 1 and its full walkthrough
    assert not session.trying and len(cursor.steps) > 2 * session.network.n_layers
    assert np.array_equal(session.trace().output, session.network.forward(inputs[0:1]).output)


def test_add_to_dataset_appends_the_input_with_the_chosen_class_and_undo_removes_it(qtbot, panel, session):
    inputs, labels = session.dataset.inputs.copy(), session.dataset.labels.copy()
    n = session.dataset.n_samples
    panel.mode_switch.try_button.click()
    paint_diagonal(qtbot, panel.pixel_editor.canvas)
    drawing = session.try_input.values.copy()
    bar = panel.try_bar
    bar.label_combo.setCurrentIndex(1)              # “1”
    assert session.try_input.label == 1
    assert panel.output_chart.target_class() == 1
    bar.add_button.click()
    ds = session.dataset
    assert ds.n_samples == n + 1
    assert np.array_equal(ds.inputs[-1], drawing) and ds.labels[-1] == 1
    assert np.array_equal(ds.inputs[:n], inputs) and session.modified
    assert session.undo_stack.undoText() == "Add Try it input as sample 25 “1”"
    assert session.trying                           # ready for the next drawing
    session.undo_stack.undo()
    assert np.array_equal(session.dataset.inputs, inputs)
    assert np.array_equal(session.dataset.labels, labels) and not session.modified


def test_a_try_it_point_is_placed_by_clicking_and_no_sample_moves(qtbot, panel, session):
    session.load_builtin_dataset("moons")
    session.undo_stack.clear()
    inputs, labels = session.dataset.inputs.copy(), session.dataset.labels.copy()
    panel.mode_switch.try_button.click()
    canvas = panel.points_editor.canvas
    hit = canvas.data_to_widget(*inputs[0]).toPoint()   # on a sample: still only the Try it point
    qtbot.mouseClick(canvas, LEFT, pos=hit)
    assert session.try_input.values == pytest.approx(canvas.widget_to_data(hit), abs=1e-3)
    assert np.array_equal(session.dataset.inputs, inputs) and session.undo_stack.count() == 0
    assert np.array_equal(session.dataset.labels, labels)
    assert np.array_equal(panel.output_chart.values,
                          session.network.forward(session.try_input.values).output[0])


def test_in_sample_mode_a_click_on_the_plot_only_selects(qtbot, panel, session):
    session.load_builtin_dataset("moons")
    session.undo_stack.clear()
    inputs = session.dataset.inputs.copy()
    canvas = panel.points_editor.canvas
    qtbot.mouseClick(canvas, LEFT, pos=canvas.data_to_widget(-1.2, 1.2).toPoint())  # empty space
    pos = canvas.data_to_widget(*inputs[5]).toPoint()
    qtbot.mouseClick(canvas, LEFT, pos=pos)
    assert session.selected_sample == canvas.point_at(pos) != 0   # (5 or one drawn over it)
    assert np.array_equal(session.dataset.inputs, inputs) and session.undo_stack.count() == 0


def test_typed_try_it_values_for_a_table_dataset(qtbot, panel, session):
    session.load_builtin_dataset("xor")
    session.undo_stack.clear()
    inputs = session.dataset.inputs.copy()
    boxes = panel.table_editor.spin_boxes
    assert all(box.isReadOnly() for box in boxes)   # a sample: shown, not edited
    panel.mode_switch.try_button.click()
    assert not any(box.isReadOnly() for box in boxes)
    boxes[0].setValue(0.25)
    boxes[1].setValue(0.75)
    assert np.array_equal(session.try_input.values, [0.25, 0.75])
    assert np.array_equal(session.dataset.inputs, inputs) and session.undo_stack.count() == 0
    assert np.array_equal(panel.output_chart.values, session.network.forward([0.25, 0.75]).output[0])


def test_choosing_a_sample_leaves_try_it_and_keeps_the_drawing(qtbot, panel, session):
    panel.mode_switch.try_button.click()
    paint_diagonal(qtbot, panel.pixel_editor.canvas, 2)
    drawing = session.try_input.values.copy()
    session.select_sample(3)
    assert not session.trying and panel.mode_switch.sample_button.isChecked()
    assert panel.sample_bar.isVisible() and not panel.try_bar.isVisible()
    panel.mode_switch.try_button.click()
    assert np.array_equal(session.sample_input(), drawing)
    panel.try_bar.clear_button.click()
    assert not session.sample_input().any() and session.undo_stack.count() == 0


def test_a_regression_try_it_input_has_no_target_loss_or_verdict(qtbot, window, session):
    """The `line` table predicts a number y: the selected sample's y means nothing for an
    input of the student's own, so no view compares the prediction with it."""
    session.load_builtin_dataset("line")
    session.select_sample(2)
    ds = session.dataset
    panel, chart = window.panel("Input"), window.panel("Input").output_chart
    sample_y = ds.target_text(2)
    assert chart.summary() == f"Target {sample_y}" and chart.loss is not None

    def output_label() -> str:
        return window.view.scene().labels.output_labels[0].text()

    qtbot.waitUntil(lambda: "   y = " in output_label(), timeout=3000)   # a sample: ŷ and y
    panel.mode_switch.try_button.click()
    panel.table_editor.spin_boxes[0].setValue(0.9)
    assert session.trying
    y_hat = session.network.forward([0.9]).output[0, 0]
    assert chart.values[0] == y_hat
    assert chart.summary() == "Your input has no target y"
    assert chart.loss is None
    assert np.isnan(chart.targets).all()             # no target tick is drawn
    target_box = panel.table_editor.target_boxes[0]   # the sample's y: not the input's
    assert not target_box.isVisible()
    qtbot.waitUntil(lambda: output_label() == f"ŷ = {fmt(y_hat, 2)}", timeout=3000)
    # No class to choose: the new sample's y is typed in the table afterwards.
    bar = panel.try_bar
    assert not bar.label_combo.isVisible() and bar.add_button.text() == "Add to dataset"
    bar.add_button.click()
    assert session.undo_stack.undoText() == f"Add Try it input as sample {ds.n_samples + 1}"
    assert not session.target_known
    # Back to a sample: its y is the target again.
    session.select_sample(2)
    assert session.target_known and chart.summary() == f"Target {sample_y}"
    assert target_box.isVisible()


def test_a_classification_try_it_input_keeps_its_chosen_class_as_target(qtbot, panel, session):
    session.load_builtin_dataset("xor")
    panel.mode_switch.try_button.click()
    panel.table_editor.spin_boxes[0].setValue(1.0)
    bar = panel.try_bar
    assert bar.label_combo.isVisible() and bar.add_button.text() == "Add to dataset as"
    bar.label_combo.setCurrentIndex(1)
    assert np.array_equal(session.sample_target(), session.dataset.label_target(
        session.network.sizes[-1], 1))
    chart = panel.output_chart
    names = session.dataset.class_names
    predicted = names[chart.predicted_class()]
    verdict = "✓ correct" if chart.predicted_class() == 1 else f"✗ wrong, the target is “{names[1]}”"
    assert chart.summary() == f"Predicts “{predicted}” {verdict}" and chart.loss is not None
