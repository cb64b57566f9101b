"""The input panel: the right editor for each dataset kind and a live output chart."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from backprop_gui.ui.editors.input_panel import InputPanel

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def panel(qtbot, session):
    widget = InputPanel(session)
    qtbot.addWidget(widget)
    widget.resize(300, 460)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def expected_output(session) -> np.ndarray:
    return session.network.forward(session.dataset.inputs[session.selected_sample]).output[0]


def test_image_dataset_shows_the_pixel_editor_and_caption(panel, session):
    assert panel.current_editor is panel.pixel_editor
    session.select_sample(2)
    label = session.dataset.class_names[session.dataset.labels[2]]
    assert panel.caption.text() == f"Sample 3 of 24 · “{label}”"


def test_clicking_a_pixel_updates_the_chart_live(qtbot, panel, session):
    chart = panel.output_chart
    canvas = panel.pixel_editor.canvas
    assert np.array_equal(chart.values, expected_output(session))
    old_pixel = session.dataset.inputs[0, 0]
    panel.edit_button.click()                           # Edit sample: changing it is deliberate
    qtbot.mouseClick(canvas, LEFT, pos=canvas.cell_center(0, 0))
    assert session.dataset.inputs[0, 0] == (0.0 if old_pixel else 1.0)
    new = session.network.forward(session.dataset.inputs[0]).output[0]
    assert np.array_equal(chart.values, new)
    assert chart.value_texts() == [f"{v:.3f}" for v in new]
    net = session.network
    target = session.dataset.targets(net.sizes[-1])[0]
    assert chart.loss == pytest.approx(net.loss(net.forward(session.dataset.inputs[0]), target))
    assert chart.target_class() == session.dataset.labels[0]
    assert chart.predicted_class() == int(np.argmax(new))


def test_output_chart_names_the_classes_and_the_verdict(panel, session):
    chart = panel.output_chart
    assert chart.row_labels() == ["“0”", "“1”"]
    summary = chart.summary()
    assert summary.startswith("Predicts “")
    assert ("✓ correct" in summary) == (chart.predicted_class() == chart.target_class())


def test_page_keys_step_through_samples(qtbot, panel, session):
    panel.pixel_editor.canvas.setFocus()
    qtbot.keyClick(panel.pixel_editor.canvas, Qt.Key.Key_PageDown)
    assert session.selected_sample == 1
    qtbot.mouseClick(panel.previous_button, LEFT)
    assert session.selected_sample == 0
    assert not panel.previous_button.isEnabled()
    assert panel.next_button.isEnabled()


def cell(table, row: int, col: int) -> str:
    """The text the overview shows in a cell (what its view draws)."""
    return table.model.index(row, col).data()


def test_loading_xor_shows_the_table_editor(qtbot, panel, session):
    session.load_builtin_dataset("xor")
    assert panel.current_editor is panel.table_editor
    table = panel.table_editor
    assert len(table.spin_boxes) == 2
    session.select_sample(2)  # inputs (1, 0)
    assert [box.value() for box in table.spin_boxes] == [1.0, 0.0]
    assert table.model.rowCount() == 4
    assert cell(table, 2, 3) == "“1”"
    assert panel.output_chart.row_labels() == ["ŷ = P(“1”)"]


def test_table_editor_edits_are_undoable(qtbot, panel, session):
    session.load_builtin_dataset("xor")
    session.select_sample(1)  # inputs (0, 1)
    count = session.undo_stack.count()
    panel.edit_button.click()
    box = panel.table_editor.spin_boxes[0]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Up)  # one step of 0.1
    assert session.dataset.inputs[1].tolist() == [pytest.approx(0.1), 1.0]
    assert np.array_equal(panel.output_chart.values, expected_output(session))
    y_hat = cell(panel.table_editor, 1, 4)
    assert y_hat == f"{session.network.forward(session.dataset.inputs[1]).output[0, 0]:.3f}"
    box.selectAll()
    qtbot.keyClicks(box, "0.75")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert session.dataset.inputs[1, 0] == pytest.approx(0.75)
    assert session.undo_stack.count() == count + 2
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert session.dataset.inputs[1].tolist() == [0.0, 1.0]
    assert [b.value() for b in panel.table_editor.spin_boxes] == [0.0, 1.0]


def test_clicking_a_row_of_the_overview_selects_that_sample(qtbot, panel, session):
    session.load_builtin_dataset("xor")
    overview = panel.table_editor.overview
    rect = overview.visualRect(overview.model().index(3, 1))
    qtbot.mouseClick(overview.viewport(), LEFT, pos=rect.center())
    assert session.selected_sample == 3


def test_points_dataset_shows_the_points_editor_and_back(panel, session):
    session.load_builtin_dataset("moons")
    assert panel.current_editor is panel.points_editor
    session.undo_stack.undo()
    assert panel.current_editor is panel.pixel_editor


def test_chart_explains_a_network_that_does_not_fit(qtbot):
    from backprop_gui.engine.datasets import load_builtin
    from backprop_gui.engine.network import Network
    from backprop_gui.engine.project import Project, TrainingConfig
    from backprop_gui.session.session import Session

    # Ten classes but two outputs (as while the output layer is being edited): no crash, a note.
    net = Network.build([16, 4, 2], ["relu", "softmax"], "cross_entropy")
    session = Session(Project(network=net, dataset=load_builtin("digits"), training=TrainingConfig()))
    panel = InputPanel(session)
    qtbot.addWidget(panel)
    panel.resize(300, 400)
    panel.show()
    qtbot.waitExposed(panel)
    assert "10 classes" in panel.output_chart.problem
    panel.grab()  # paints the note without raising


def test_chart_follows_training_a_few_times_a_second_and_ends_exact(qtbot, panel, session):
    import time

    from PySide6.QtCore import QEvent, QObject

    from backprop_gui.ui.common.throttle import READABLE_MS

    chart = panel.output_chart
    qtbot.wait(100)

    class Paints(QObject):
        count = 0
        seen: list = []

        def eventFilter(self, _obj, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                Paints.count += 1
                Paints.seen.append(chart.value_texts())
            return False

    paints = Paints()
    chart.installEventFilter(paints)
    start = time.perf_counter()
    for _ in range(30):                              # training frames, 60 a second
        session.network.biases[-1] += 0.05
        session.parameters_updated_in_place()
        assert np.array_equal(chart.values, expected_output(session))   # the state is current
        qtbot.wait(16)
    qtbot.wait(3 * READABLE_MS)
    # Over the whole time watched, so a slow or busy machine cannot push the count past it.
    elapsed = time.perf_counter() - start
    assert 3 <= Paints.count <= elapsed * 1000 / READABLE_MS + 3          # not one per frame (30)
    assert Paints.seen[-1] == [f"{v:.3f}" for v in expected_output(session)]   # the latest


def test_the_overview_shows_the_most_likely_class_for_several_outputs(qtbot):
    from backprop_gui.engine.dataset import Dataset
    from backprop_gui.engine.network import Network
    from backprop_gui.engine.project import Project, TrainingConfig
    from backprop_gui.session.session import Session

    names = ["red", "green", "blue"]
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.5, 0.2]])
    data = Dataset("rgb", "Three colours", X, [2, 0, 1, 0], names, kind="table")
    W, b = np.array([[2.0, 0.0], [0.0, 2.0], [-1.0, -1.0]]), np.array([0.0, 0.0, 1.0])
    net = Network([2, 3], ["softmax"], "cross_entropy", [W], [b])
    session = Session(Project(network=net, dataset=data, training=TrainingConfig()))
    panel = InputPanel(session)
    qtbot.addWidget(panel)
    panel.resize(300, 460)
    panel.show()
    qtbot.waitExposed(panel)
    model = panel.table_editor.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["#", "x₁", "x₂", "target", "ŷ"]
    # Softmax written out here: ŷ names the largest output and shows its probability.
    z = X @ W.T + b
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    shown = [cell(panel.table_editor, row, 4) for row in range(4)]
    assert shown == [f"“{names[k]}” {p[row, k]:.2f}" for row, k in enumerate(p.argmax(axis=1))]
    assert shown[0] == "“blue” 0.58"     # z = (0, 0, 1): e / (2 + e) = 0.576
    assert [s.split("”")[0][1:] for s in shown] == ["blue", "red", "green", "red"]
