"""The inspector: shows the selected neuron, weight or bias and edits it like a person would."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from backprop_gui.engine.selection import Selection
from backprop_gui.ui.editors.inspector import HINT, Inspector, edit_text, format_number, parse_number


@pytest.fixture
def inspector(qtbot, session):
    widget = Inspector(session)
    qtbot.addWidget(widget)
    widget.resize(320, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _type_value(qtbot, inspector, text: str) -> None:
    editor = inspector.editor
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_nothing_selected_shows_the_hint(inspector):
    assert inspector.subtitle.text() == HINT
    assert not inspector.edit_row.isVisible()


def test_weight_shows_name_value_and_gradient(inspector, session):
    session.select(Selection.weight(2, 2, 4))
    assert "W²[3,5]" in inspector.title.text()
    assert "neuron 5 of layer 1" in inspector.subtitle.text()
    assert "neuron 3 of layer 2" in inspector.subtitle.text()
    assert inspector.editor.text() == edit_text(session.network.weights[1][2, 4])
    grad = float(session.gradients().dW[1][2, 4])
    assert format_number(grad) in inspector.readouts.text()
    # The gradient is shown as the product it is: δ of the target neuron times the input.
    delta = float(session.gradients().dz[2][0, 2])
    a_in = float(session.trace().a[1][0, 4])
    assert grad == delta * a_in
    assert f"δ²[3] · a¹[5] = {format_number(delta)} × {format_number(a_in)}" in inspector.readouts.text()
    assert "sample 1" in inspector.note.text()


def test_editing_a_weight_changes_the_network_and_undo_restores_it(qtbot, inspector, session):
    session.select(Selection.weight(2, 2, 4))
    before = [W.copy() for W in session.network.weights]
    _type_value(qtbot, inspector, "0.5")
    assert session.network.weights[1][2, 4] == 0.5
    assert session.undo_stack.undoText().startswith("Set W²[3,5] to 0.5")
    changed = np.argwhere(session.network.weights[1] != before[1])
    assert changed.tolist() == [[2, 4]]
    assert inspector.editor.text() == "0.5"
    session.undo_stack.undo()
    for W, W0 in zip(session.network.weights, before):
        assert np.array_equal(W, W0)
    assert inspector.editor.text() == edit_text(before[1][2, 4])


def test_comma_and_unicode_minus_are_accepted(qtbot, inspector, session):
    session.select(Selection.bias(1, 1))
    # QTest cannot type "−" (U+2212) as a key; paste it as a person would.
    inspector.editor.setFocus()
    inspector.editor.setText("−1,25")
    qtbot.keyClick(inspector.editor, Qt.Key.Key_Return)
    assert session.network.biases[0][1] == -1.25


def test_invalid_text_is_rejected_without_an_edit(qtbot, inspector, session):
    session.select(Selection.weight(1, 0, 0))
    old = float(session.network.weights[0][0, 0])
    messages = []
    inspector.message_posted.connect(messages.append)
    _type_value(qtbot, inspector, "abc")
    assert session.network.weights[0][0, 0] == old
    assert session.undo_stack.count() == 0
    assert inspector.error.isVisible()
    assert "not a number" in inspector.error.text()
    assert messages and "not a number" in messages[-1]
    for bad in ("inf", "nan", ""):
        with pytest.raises(ValueError):
            parse_number(bad)


def test_escape_restores_the_shown_value(qtbot, inspector, session):
    session.select(Selection.weight(1, 0, 0))
    shown = inspector.editor.text()
    qtbot.mouseClick(inspector.editor, Qt.MouseButton.LeftButton)
    inspector.editor.selectAll()
    qtbot.keyClicks(inspector.editor, "7")
    qtbot.keyClick(inspector.editor, Qt.Key.Key_Escape)
    assert inspector.editor.text() == shown
    assert session.undo_stack.count() == 0


def test_neuron_shows_z_a_delta_and_edits_its_bias(qtbot, inspector, session):
    session.select(Selection.neuron(2, 1))
    trace, grads = session.trace(), session.gradients()
    text = inspector.readouts.text()
    assert format_number(float(trace.z[2][0, 1])) in text
    assert format_number(float(trace.a[2][0, 1])) in text
    assert format_number(float(grads.dz[2][0, 1])) in text
    assert "δ = ∂L/∂z²[2]" in text
    assert "Neuron 2 of layer 2 (hidden)" in inspector.title.text()
    _type_value(qtbot, inspector, "0.25")
    assert session.network.biases[1][1] == 0.25
    session.undo_stack.undo()
    assert session.network.biases[1][1] == 0.0


def test_output_neuron_shows_its_target(inspector, session):
    session.select(Selection.neuron(3, 0))
    assert "target y[1]" in inspector.readouts.text()
    assert "output" in inspector.title.text()


def test_input_neuron_names_its_pixel_and_has_no_editor(inspector, session):
    session.select(Selection.neuron(0, 5))
    assert "row 2, column 2" in inspector.subtitle.text()
    assert not inspector.edit_row.isVisible()


def test_selection_that_no_longer_exists_falls_back_to_the_hint(inspector, session):
    session.select(Selection.neuron(2, 5))
    session.resize_layer(2, 3)  # neuron 6 of layer 2 is gone
    assert inspector.subtitle.text() == HINT


def test_values_follow_the_selected_sample(inspector, session):
    session.select(Selection.weight(3, 0, 0))
    session.select_sample(13)
    grad = float(session.gradients().dW[2][0, 0])
    assert format_number(grad) in inspector.readouts.text()
    assert "sample 14" in inspector.note.text()


def test_a_weight_offers_its_chain_rule_explanation(qtbot, inspector, session):
    assert not inspector.explain_button.isVisible()
    session.select(Selection.weight(2, 2, 4))
    assert inspector.explain_button.isVisible()
    with qtbot.waitSignal(inspector.explain_requested) as blocker:
        qtbot.mouseClick(inspector.explain_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [Selection.weight(2, 2, 4)]
    session.select(Selection.neuron(2, 0))
    assert not inspector.explain_button.isVisible()


def test_value_field_is_short_and_an_untouched_field_changes_nothing(qtbot, inspector, session):
    """It showed repr's 17 digits ("-0.7360491009533014") beside the readouts' four."""
    session.select(Selection.weight(2, 2, 4))
    exact = float(session.network.weights[1][2, 4])
    assert inspector.editor.text() == edit_text(exact)
    assert len(inspector.editor.text()) <= 10 and inspector.editor.text().startswith("−0.73")
    qtbot.mouseClick(inspector.editor, Qt.MouseButton.LeftButton)
    qtbot.keyClick(inspector.editor, Qt.Key.Key_Return)
    assert session.undo_stack.count() == 0
    assert float(session.network.weights[1][2, 4]) == exact
