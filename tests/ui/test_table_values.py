"""Table datasets take numbers outside 0 … 1: typed into the Input panel, they are kept as typed
(within engine.limits' TABLE_VALUE range), not clipped like an image's ink."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine.limits import TABLE_VALUE
from backprop_gui.ui.editors.input_panel import InputPanel


@pytest.fixture
def panel(qtbot, session):
    widget = InputPanel(session)
    qtbot.addWidget(widget)
    widget.resize(300, 460)
    widget.show()
    qtbot.waitExposed(widget)
    session.load_builtin_dataset("xor")
    session.select_sample(1)  # inputs (0, 1)
    widget.edit_button.click()  # Edit sample: typing changes the sample
    return widget


@pytest.mark.parametrize("text, value", [("1.5", 1.5), ("-2.25", -2.25), ("37", 37.0)])
def test_a_typed_input_outside_0_to_1_is_kept(type_into, panel, session, text, value):
    box = panel.table_editor.spin_boxes[0]
    type_into(box, text)
    assert session.dataset.inputs[1].tolist() == [value, 1.0]
    assert box.value() == value and box.text() == f"{value:.3f}"
    np.testing.assert_array_equal(panel.output_chart.values,
                                  session.network.forward(np.array([value, 1.0])).output[0])
    session.undo_stack.undo()
    assert session.dataset.inputs[1].tolist() == [0.0, 1.0]


def test_the_boxes_stop_at_the_table_limits(type_into, panel, session):
    box = panel.table_editor.spin_boxes[1]
    assert (box.minimum(), box.maximum()) == (TABLE_VALUE.low, TABLE_VALUE.high) == (-1000, 1000)
    type_into(box, "5000")       # the box cannot take more than its maximum
    assert session.dataset.inputs[1, 1] <= TABLE_VALUE.high


def test_the_session_refuses_a_table_value_beyond_the_limits(session):
    session.load_builtin_dataset("xor")
    with pytest.raises(ValueError, match=r"input x₁ must be in -1,000 … 1,000, got 1e\+06"):
        session.set_inputs(0, {0: 1e6}, session.begin_stroke())
    with pytest.raises(ValueError, match=r"input x₂ must be in .*, got nan"):
        session.set_inputs(0, {1: float("nan")}, session.begin_stroke())
    assert session.dataset.inputs[0].tolist() == [0.0, 0.0]


def test_an_image_is_still_painted_within_0_to_1(session):
    session.paint(0, {0: 1.5, 1: -0.5}, session.begin_stroke())
    assert session.dataset.inputs[0][:2].tolist() == [1.0, 0.0]
