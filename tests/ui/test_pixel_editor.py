"""The pixel editor, driven with the mouse and the keyboard like a person would."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from backprop_gui.ui.editors.pixel_editor import PixelEditor

LEFT, RIGHT = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton


@pytest.fixture
def editor(qtbot, session):
    widget = PixelEditor(session)
    qtbot.addWidget(widget)
    widget.resize(300, 340)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def flat(session, row: int, col: int) -> int:
    return row * session.dataset.image_shape[1] + col


def pixel(session, row: int, col: int) -> float:
    return float(session.sample_input()[flat(session, row, col)])


def find_cell(session, value: float) -> tuple[int, int]:
    rows, cols = session.dataset.image_shape
    image = session.dataset.image(session.selected_sample)
    hits = np.argwhere(image == value)
    assert hits.size, f"the sample has no pixel equal to {value}"
    return int(hits[0][0]), int(hits[0][1])


def test_click_toggles_a_pixel_of_the_selected_sample(qtbot, editor, session):
    session.select_sample(2)
    row, col = find_cell(session, 0.0)
    before = session.dataset.inputs.copy()
    qtbot.mouseClick(editor.canvas, LEFT, pos=editor.canvas.cell_center(row, col))
    after = session.dataset.inputs
    assert after[2, flat(session, row, col)] == 1.0
    changed = np.argwhere(after != before)
    assert changed.tolist() == [[2, flat(session, row, col)]]
    # A second click turns the ink back into paper: two undo entries, one per click.
    qtbot.mouseClick(editor.canvas, LEFT, pos=editor.canvas.cell_center(row, col))
    assert np.array_equal(session.dataset.inputs, before)
    assert session.undo_stack.count() == 2


def test_drag_paints_three_pixels_as_one_undo_entry(qtbot, editor, session):
    session.dataset.inputs[0] = 0.0  # a blank sample, so each painted pixel visibly changes
    before = session.dataset.inputs.copy()
    canvas = editor.canvas
    qtbot.mousePress(canvas, LEFT, pos=canvas.cell_center(1, 0))
    qtbot.mouseMove(canvas, canvas.cell_center(1, 1))
    qtbot.mouseMove(canvas, canvas.cell_center(1, 2))
    qtbot.mouseRelease(canvas, LEFT, pos=canvas.cell_center(1, 2))
    painted = [flat(session, 1, c) for c in range(3)]
    assert session.dataset.inputs[0, painted].tolist() == [1.0, 1.0, 1.0]
    assert np.count_nonzero(session.dataset.inputs != before) == 3
    assert session.undo_stack.count() == 1
    session.undo_stack.undo()
    assert np.array_equal(session.dataset.inputs, before)
    session.undo_stack.redo()
    assert session.dataset.inputs[0, painted].tolist() == [1.0, 1.0, 1.0]


def test_a_fast_drag_leaves_no_gaps(qtbot, editor, session):
    session.dataset.inputs[0] = 0.0
    canvas = editor.canvas
    qtbot.mousePress(canvas, LEFT, pos=canvas.cell_center(0, 0))
    qtbot.mouseMove(canvas, canvas.cell_center(3, 3))  # skips (1, 1) and (2, 2)
    qtbot.mouseRelease(canvas, LEFT, pos=canvas.cell_center(3, 3))
    assert [pixel(session, k, k) for k in range(4)] == [1.0] * 4
    assert session.undo_stack.count() == 1


def test_drag_starting_on_ink_erases(qtbot, editor, session):
    session.dataset.inputs[0] = 1.0
    canvas = editor.canvas
    qtbot.mousePress(canvas, LEFT, pos=canvas.cell_center(2, 1))
    qtbot.mouseMove(canvas, canvas.cell_center(2, 3))
    qtbot.mouseRelease(canvas, LEFT, pos=canvas.cell_center(2, 3))
    assert [pixel(session, 2, c) for c in range(4)] == [1.0, 0.0, 0.0, 0.0]


def test_right_drag_erases_and_undoes_exactly(qtbot, editor, session):
    session.select_sample(5)
    before = session.dataset.inputs.copy()
    canvas = editor.canvas
    qtbot.mousePress(canvas, RIGHT, pos=canvas.cell_center(0, 0))
    for col in (1, 2, 3):
        qtbot.mouseMove(canvas, canvas.cell_center(0, col))
    qtbot.mouseRelease(canvas, RIGHT, pos=canvas.cell_center(0, 3))
    assert [pixel(session, 0, c) for c in range(4)] == [0.0] * 4
    assert session.undo_stack.count() <= 1  # nothing to erase means no entry at all
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert np.array_equal(session.dataset.inputs, before)


def test_brush_sets_the_grey_level_of_new_ink(qtbot, editor, session):
    session.dataset.inputs[0] = 0.0
    bar = editor.brush_bar
    strip = bar._strip()
    qtbot.mouseClick(bar, LEFT, pos=QPoint(strip.left() + strip.width() // 2, strip.center().y()))
    assert bar.value() == pytest.approx(0.5)
    qtbot.mouseClick(editor.canvas, LEFT, pos=editor.canvas.cell_center(3, 0))
    assert pixel(session, 3, 0) == pytest.approx(0.5)
    bar.setFocus()
    qtbot.keyClick(bar, Qt.Key.Key_Right)
    assert bar.value() == pytest.approx(0.6)
    qtbot.keyClick(bar, Qt.Key.Key_End)
    assert bar.value() == 1.0


def test_keyboard_moves_the_cursor_and_toggles(qtbot, editor, session):
    session.dataset.inputs[0] = 0.0
    canvas = editor.canvas
    canvas.setFocus()
    assert canvas.cursor_cell == (0, 0)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    assert canvas.cursor_cell == (1, 2)
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    assert pixel(session, 1, 2) == 1.0
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    assert pixel(session, 1, 2) == 0.0
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    qtbot.keyClick(canvas, Qt.Key.Key_9)
    assert pixel(session, 1, 1) == 1.0
    qtbot.keyClick(canvas, Qt.Key.Key_3)
    assert pixel(session, 1, 1) == pytest.approx(3 / 9)
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert pixel(session, 1, 1) == 0.0
    assert session.undo_stack.count() == 5
    # The cursor stops at the edge of the grid.
    for _ in range(6):
        qtbot.keyClick(canvas, Qt.Key.Key_Up)
    assert canvas.cursor_cell == (0, 1)


def test_grid_keeps_square_pixels_and_follows_the_image_shape(qtbot, editor, session):
    canvas = editor.canvas
    r00, r33 = canvas.cell_rect(0, 0), canvas.cell_rect(3, 3)
    assert r00.width() == r00.height() > 20
    assert r33.right() <= canvas.width() and r33.bottom() <= canvas.height()

def test_any_small_image_shape_works(qtbot):
    from backprop_gui.engine.dataset import Dataset
    from backprop_gui.engine.network import Network
    from backprop_gui.engine.project import Project, TrainingConfig
    from backprop_gui.session.session import Session

    ds = Dataset(name="bars", title="Bars", inputs=np.zeros((2, 15)), labels=[0, 1],
                 class_names=["a", "b"], kind="image", image_shape=(3, 5))
    net = Network.build([15, 3, 2], ["relu", "softmax"], "cross_entropy")
    session = Session(Project(network=net, dataset=ds, training=TrainingConfig()))
    editor = PixelEditor(session)
    qtbot.addWidget(editor)
    editor.resize(300, 240)
    editor.show()
    qtbot.waitExposed(editor)
    canvas = editor.canvas
    assert canvas.cell_at(canvas.cell_center(2, 4)) == (2, 4)
    qtbot.mouseClick(canvas, LEFT, pos=canvas.cell_center(2, 4))
    assert session.dataset.inputs[0, 14] == 1.0
