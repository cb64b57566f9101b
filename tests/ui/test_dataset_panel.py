"""The dataset panel: select, add, duplicate, delete, relabel and load, each undoable."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from backprop_gui.ui.editors.dataset_panel import DatasetPanel
from backprop_gui.ui.editors.input_panel import InputPanel

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def panel(qtbot, session):
    widget = DatasetPanel(session)
    qtbot.addWidget(widget)
    widget.resize(300, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Open the combo box with the keyboard, walk to `text` and press Return, as a person would."""
    target = combo.findText(text)
    assert target >= 0, f"{text!r} is not in the combo box"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Space)
    view = combo.view()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    for _ in range(target):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)


def snapshot(session):
    ds = session.dataset
    return ds.inputs.copy(), ds.labels.copy(), session.selected_sample


def assert_state(session, state) -> None:
    inputs, labels, selected = state
    assert np.array_equal(session.dataset.inputs, inputs)
    assert np.array_equal(session.dataset.labels, labels)
    assert session.selected_sample == selected


def click_row(qtbot, panel, row: int) -> None:
    index = panel.model.index(row)
    panel.view.scrollTo(index)
    qtbot.mouseClick(panel.view.viewport(), LEFT, pos=panel.view.visualRect(index).center())


def test_header_and_thumbnails(panel, session):
    ds = session.dataset
    assert panel.model.rowCount() == ds.n_samples
    text = panel.header.text()
    assert ds.title in text and f"{ds.n_samples} samples" in text
    assert panel.header.toolTip().startswith(ds.description)
    counts = np.bincount(ds.labels)
    assert f"“0” × {counts[0]}" in text
    icon = panel.model.data(panel.model.index(0), Qt.ItemDataRole.DecorationRole)
    assert not icon.isNull()
    assert panel.model.data(panel.model.index(2), Qt.ItemDataRole.DisplayRole) == \
        f"3 · “{ds.class_names[ds.labels[2]]}”"


def test_clicking_a_thumbnail_selects_the_sample_and_the_view_follows(qtbot, panel, session):
    click_row(qtbot, panel, 5)
    assert session.selected_sample == 5
    session.select_sample(11)
    assert panel.view.currentIndex().row() == 11
    assert panel.label_combo.currentIndex() == session.dataset.labels[11]


def test_add_duplicate_delete_through_the_buttons_undo_exactly(qtbot, panel, session):
    click_row(qtbot, panel, 3)
    states = [snapshot(session)]
    qtbot.mouseClick(panel.add_button, LEFT)
    ds = session.dataset
    assert ds.n_samples == 25 and np.all(ds.inputs[-1] == 0.0)
    assert ds.labels[-1] == states[0][1][3]  # a new sample takes the selected sample's label
    assert session.selected_sample == 24 and panel.view.currentIndex().row() == 24
    states.append(snapshot(session))

    click_row(qtbot, panel, 6)
    states.append(snapshot(session))  # selecting is not an edit
    qtbot.mouseClick(panel.duplicate_button, LEFT)
    assert session.dataset.n_samples == 26
    assert np.array_equal(session.dataset.inputs[7], session.dataset.inputs[6])
    assert session.selected_sample == 7
    states.append(snapshot(session))

    qtbot.mouseClick(panel.delete_button, LEFT)
    assert session.dataset.n_samples == 25
    assert panel.model.rowCount() == 25
    assert session.undo_stack.count() == 3
    for state in reversed(states[1:]):
        if state is states[2]:
            continue  # the selection change has no undo entry of its own
        session.undo_stack.undo()
        assert np.array_equal(session.dataset.inputs, state[0])
        assert np.array_equal(session.dataset.labels, state[1])
    session.undo_stack.undo()
    assert_state(session, states[0])
    assert panel.model.rowCount() == 24


def test_delete_key_on_the_list(qtbot, panel, session):
    before = snapshot(session)
    click_row(qtbot, panel, 2)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert session.dataset.n_samples == 23
    assert np.array_equal(session.dataset.inputs, np.delete(before[0], 2, axis=0))
    session.undo_stack.undo()
    assert np.array_equal(session.dataset.inputs, before[0])


def test_relabel_through_the_combo_box(qtbot, panel, session):
    click_row(qtbot, panel, 4)
    before = snapshot(session)
    old = int(session.dataset.labels[4])
    new = 1 - old
    choose(qtbot, panel.label_combo, f"“{session.dataset.class_names[new]}”")
    assert session.dataset.labels[4] == new
    assert np.count_nonzero(session.dataset.labels != before[1]) == 1
    assert panel.model.data(panel.model.index(4), Qt.ItemDataRole.DisplayRole).endswith(
        f"“{session.dataset.class_names[new]}”")
    session.undo_stack.undo()
    assert_state(session, before)
    assert panel.label_combo.currentIndex() == old


def test_deleting_the_last_sample_posts_a_message(qtbot, panel, session):
    messages = []
    panel.message_posted.connect(messages.append)
    while session.dataset.n_samples > 1:
        session.delete_sample(0)
    qtbot.mouseClick(panel.delete_button, LEFT)
    assert session.dataset.n_samples == 1
    assert messages == ["A dataset needs at least one sample."]


def test_painting_updates_only_that_thumbnail(qtbot, panel, session):
    changed = []
    panel.model.dataChanged.connect(lambda top, bottom, *_: changed.append((top.row(), bottom.row())))
    session.paint(3, {0: 1.0 - session.dataset.inputs[3, 0]}, session.begin_stroke())
    assert changed == [(3, 3)]


def test_load_xor_and_moons_via_the_panel_switches_the_input_editor(qtbot, panel, session):
    inputs_panel = InputPanel(session)
    qtbot.addWidget(inputs_panel)
    inputs_panel.resize(300, 460)
    inputs_panel.show()
    messages = []
    panel.message_posted.connect(messages.append)
    before = snapshot(session)

    choose(qtbot, panel.dataset_combo, "XOR (4 samples)")
    assert session.dataset.name == "xor"
    assert inputs_panel.current_editor is inputs_panel.table_editor
    assert panel.model.rowCount() == 4
    assert panel.view.viewMode() == panel.view.ViewMode.ListMode
    assert panel.model.data(panel.model.index(1), Qt.ItemDataRole.DisplayRole) == "2   (0, 1) → “1”"
    assert messages[-1].startswith("Loaded “XOR (4 samples)”: 4 samples. The network is now 2-2-1.")

    choose(qtbot, panel.dataset_combo, "Two moons (2-D points)")
    assert session.dataset.name == "moons"
    assert inputs_panel.current_editor is inputs_panel.points_editor
    assert panel.dataset_combo.currentText() == "Two moons (2-D points)"

    # A point added on the plot appears in the list, selected.
    canvas = inputs_panel.points_editor.canvas
    qtbot.waitExposed(inputs_panel)
    inputs_panel.edit_button.click()                    # Edit sample: points are added only then
    pos = canvas.data_to_widget(-1.2, 1.2).toPoint()
    qtbot.mouseClick(canvas, LEFT, pos=pos)
    n = session.dataset.n_samples
    assert panel.model.rowCount() == n
    assert panel.view.currentIndex().row() == n - 1
    assert session.dataset.inputs[-1] == pytest.approx(canvas.widget_to_data(pos), abs=1e-3)

    for _ in range(3):
        session.undo_stack.undo()
    assert_state(session, before)
    assert inputs_panel.current_editor is inputs_panel.pixel_editor
    assert panel.view.viewMode() == panel.view.ViewMode.IconMode


def test_context_menu_offers_every_action(qtbot, panel, session, monkeypatch):
    from PySide6.QtWidgets import QMenu

    shown = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, *_: shown.append(menu))
    rect = panel.view.visualRect(panel.model.index(2))
    panel.view.customContextMenuRequested.emit(rect.center())
    assert session.selected_sample == 2
    menu = shown[0]
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[:3] == ["Add blank sample", "Duplicate", "Delete\tDel"]
    assert "Label as" in texts and "Load built-in dataset" in texts
    label_menu = next(a.menu() for a in menu.actions() if a.text() == "Label as")
    new = 1 - int(session.dataset.labels[2])
    label_menu.actions()[new].trigger()
    assert session.dataset.labels[2] == new


def test_three_hundred_samples(qtbot, panel, session):
    from backprop_gui.engine.datasets import load_builtin

    session.load_builtin_dataset("moons")

    big = load_builtin("spiral", n_samples=400)
    for x, label in zip(big.inputs[:150], big.labels[:150]):
        session.add_sample(x, int(label))
    assert session.dataset.n_samples == 300
    assert panel.model.rowCount() == 300
    click_row(qtbot, panel, 299)
    assert session.selected_sample == 299
    assert panel.view.currentIndex().row() == 299
    panel.grab()


def test_new_project_and_a_custom_dataset(qtbot, panel, session, tmp_path):
    session.new_project("circle")
    assert panel.model.rowCount() == session.dataset.n_samples
    assert panel.dataset_combo.currentText() == "Disc and ring (2-D points)"
    # A dataset that is not built in (e.g. from a project file) shows the placeholder.
    from backprop_gui.engine.dataset import Dataset
    from backprop_gui.engine.network import Network
    from backprop_gui.engine.project import Project, TrainingConfig

    ds = Dataset(name="mine", title="My points", inputs=[[0.1, 0.2], [0.3, -0.4], [-0.5, 0.6]],
                 labels=[0, 1, 2], class_names=["p", "q", "r"], kind="points")
    net = Network.build([2, 4, 3], ["tanh", "softmax"], "cross_entropy")
    from backprop_gui.engine.projectfile import save_project

    path = tmp_path / "mine.bpnet"
    save_project(Project(network=net, dataset=ds, training=TrainingConfig()), path)
    session.open_file(path)
    assert panel.dataset_combo.currentIndex() == -1
    assert "My points" in panel.header.text()
    assert [panel.label_combo.itemText(i) for i in range(3)] == ["“p”", "“q”", "“r”"]
    assert panel.model.data(panel.model.index(1), Qt.ItemDataRole.DisplayRole) == "2   “q”   (0.30, −0.40)"


def test_header_has_no_stale_count_in_the_title(qtbot, panel, session):
    """"XOR (4 samples)" stayed in the header after a sample was deleted."""
    session.load_builtin_dataset("xor")
    session.delete_sample(0)
    text = panel.header.text()
    assert "(4 samples)" not in text
    assert "XOR" in text and "3 samples" in text
