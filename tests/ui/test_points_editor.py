"""The points editor: add, move and delete points with the mouse and keys, each undoable."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from backprop_gui.ui.editors.decision_regions import class_probabilities
from backprop_gui.ui.editors.points_editor import PointsEditor

LEFT, RIGHT = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton


@pytest.fixture
def editor(qtbot, session):
    session.load_builtin_dataset("moons")
    session.undo_stack.clear()
    widget = PointsEditor(session)
    qtbot.addWidget(widget)
    widget.resize(320, 380)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def screen_pos(canvas, x: float, y: float) -> QPoint:
    return canvas.data_to_widget(x, y).toPoint()


def empty_spot(session) -> tuple[float, float]:
    """A place in the plot at least 0.2 away from every sample."""
    for x, y in [(-1.1, 1.1), (1.1, -1.1), (1.1, 1.1), (-1.1, -1.1), (0.0, 1.15)]:
        if np.min(np.hypot(*(session.dataset.inputs - [x, y]).T)) > 0.2:
            return x, y
    raise AssertionError("no empty spot")


def test_widget_and_data_coordinates_map_both_ways(editor):
    canvas = editor.canvas
    for x, y in [(0.0, 0.0), (-1.0, 0.5), (1.2, -1.2)]:
        back = canvas.widget_to_data(canvas.data_to_widget(x, y))
        assert back == pytest.approx([x, y])
    rect = canvas.plot_rect()
    assert canvas.data_to_widget(-canvas.limit, canvas.limit) == rect.topLeft()
    assert rect.width() == rect.height()  # square plot: distances look like distances


def test_click_on_empty_space_adds_a_point_of_the_chosen_class(qtbot, editor, session):
    canvas = editor.canvas
    n = session.dataset.n_samples
    x, y = empty_spot(session)
    combo = editor.class_combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # choose class "B"
    assert canvas.new_label == 1
    pos = screen_pos(canvas, x, y)
    qtbot.mouseClick(canvas, LEFT, pos=pos)
    assert session.dataset.n_samples == n + 1
    added = session.dataset.inputs[-1]
    # One screen pixel is 2·limit / plot width in data units; the click lands within it.
    tolerance = 2 * canvas.limit / canvas.plot_rect().width()
    assert added == pytest.approx(canvas.widget_to_data(QPointF(pos)), abs=1e-3)
    assert added == pytest.approx([x, y], abs=tolerance)
    assert session.dataset.labels[-1] == 1
    assert session.selected_sample == n
    session.undo_stack.undo()
    assert session.dataset.n_samples == n


def test_drag_moves_a_point_in_one_undo_entry(qtbot, editor, session):
    canvas = editor.canvas
    before = session.dataset.inputs.copy()
    start = screen_pos(canvas, *before[7])
    index = canvas.point_at(QPointF(start))  # sample 7 or one drawn on top of it
    assert index is not None
    qtbot.mousePress(canvas, LEFT, pos=start)
    assert session.selected_sample == index
    for k in range(1, 6):
        qtbot.mouseMove(canvas, start + QPoint(8 * k, -5 * k))
    end = start + QPoint(40, -25)
    qtbot.mouseRelease(canvas, LEFT, pos=end)
    moved = session.dataset.inputs[index]
    shift = canvas.widget_to_data(QPointF(end)) - canvas.widget_to_data(QPointF(start))
    assert moved == pytest.approx(before[index] + shift, abs=2e-3)
    others = np.delete(np.arange(len(before)), index)
    assert np.array_equal(session.dataset.inputs[others], before[others])
    assert session.undo_stack.count() == 1
    session.undo_stack.undo()
    assert np.array_equal(session.dataset.inputs, before)


def test_points_can_move_to_negative_coordinates(qtbot, editor, session):
    canvas = editor.canvas
    index = canvas.point_at(QPointF(screen_pos(canvas, *session.dataset.inputs[3])))
    start = screen_pos(canvas, *session.dataset.inputs[index])
    target = screen_pos(canvas, -1.0, -1.0)
    qtbot.mousePress(canvas, LEFT, pos=start)
    qtbot.mouseMove(canvas, (start + target) / 2)
    qtbot.mouseMove(canvas, target)
    qtbot.mouseRelease(canvas, LEFT, pos=target)
    # Unlike pixels, point coordinates are not clipped to 0 … 1.
    assert session.dataset.inputs[index] == pytest.approx([-1.0, -1.0], abs=0.03)


def test_a_click_on_a_point_selects_it_without_moving_it(qtbot, editor, session):
    canvas = editor.canvas
    before = session.dataset.inputs.copy()
    index = canvas.point_at(QPointF(screen_pos(canvas, *before[10])))
    qtbot.mouseClick(canvas, LEFT, pos=screen_pos(canvas, *before[index]))
    assert session.selected_sample == index
    assert np.array_equal(session.dataset.inputs, before)
    assert session.undo_stack.count() == 0


def test_right_click_deletes_a_point(qtbot, editor, session):
    canvas = editor.canvas
    before = session.dataset.inputs.copy()
    labels = session.dataset.labels.copy()
    index = canvas.point_at(QPointF(screen_pos(canvas, *before[20])))
    qtbot.mouseClick(canvas, RIGHT, pos=screen_pos(canvas, *before[index]))
    assert session.dataset.n_samples == len(before) - 1
    assert np.array_equal(session.dataset.inputs, np.delete(before, index, axis=0))
    session.undo_stack.undo()
    assert np.array_equal(session.dataset.inputs, before)
    assert np.array_equal(session.dataset.labels, labels)


def test_right_click_on_empty_space_does_nothing(qtbot, editor, session):
    qtbot.mouseClick(editor.canvas, RIGHT, pos=screen_pos(editor.canvas, *empty_spot(session)))
    assert session.undo_stack.count() == 0


def test_keys_nudge_delete_and_add(qtbot, editor, session):
    canvas = editor.canvas
    session.select_sample(4)
    before = session.dataset.inputs.copy()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    assert session.dataset.inputs[4] == pytest.approx(before[4] + [0.02, 0.1], abs=1e-3)
    n = session.dataset.n_samples
    qtbot.keyClick(canvas, Qt.Key.Key_Insert)
    assert session.dataset.n_samples == n + 1
    assert session.dataset.inputs[-1].tolist() == [0.0, 0.0]
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert session.dataset.n_samples == n
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert np.array_equal(session.dataset.inputs, before)


def test_deleting_the_last_point_posts_a_message(qtbot, editor, session):
    messages = []
    editor.message_posted.connect(messages.append)
    while session.dataset.n_samples > 1:
        session.delete_sample(0)
    canvas = editor.canvas
    qtbot.mouseClick(canvas, RIGHT, pos=screen_pos(canvas, *session.dataset.inputs[0]))
    assert session.dataset.n_samples == 1
    assert messages and "at least one sample" in messages[-1]


def test_decision_region_follows_the_network(qtbot, editor, session):
    canvas = editor.canvas
    canvas.grab()
    assert canvas._region is not None and canvas._region.width() == 80
    # Probabilities: softmax passes through; one sigmoid output means two classes.
    assert class_probabilities(np.array([[0.2, 0.8]]), "softmax").tolist() == [[0.2, 0.8]]
    assert class_probabilities(np.array([[0.75]]), "sigmoid").tolist() == [[0.25, 0.75]]
    net = session.network.copy()
    net.biases[-1][:] = [5.0, -5.0]  # the network now says "A" nearly everywhere
    net.weights[-1][:] = 0.0
    session.replace_network("Bias towards A", net)
    assert canvas._region is None  # recomputed on the next paint
    image = canvas.grab().toImage()
    colour = image.pixelColor(canvas.data_to_widget(0.9, -0.9).toPoint())
    assert colour.blue() > colour.red()  # class A is blue


def test_axis_tick_labels_never_touch_in_a_small_plot(qtbot, session):
    """At 1024×600 the plot is ~75-110 px wide: "−1 −0.5 0 0.5 1" ran together."""
    from backprop_gui.ui.editors.points_canvas import axis_ticks, tick_label

    session.load_builtin_dataset("moons")
    widget = PointsEditor(session)
    qtbot.addWidget(widget)
    fm = widget.canvas.fontMetrics()
    for width, height in ((110, 140), (150, 190), (320, 380)):
        widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        canvas = widget.canvas
        ticks = axis_ticks(canvas.limit, canvas.plot_rect().width(), fm.horizontalAdvance)
        labels = [tick_label(t) for t in ticks]
        assert "−0" not in labels and "0" in labels and len(ticks) >= 3
        xs = [canvas.data_to_widget(t, 0).x() for t in ticks]
        widths = [fm.horizontalAdvance(label) for label in labels]
        for x0, x1, w0, w1 in zip(xs, xs[1:], widths, widths[1:]):
            assert x1 - x0 > (w0 + w1) / 2 + 2, (width, labels)
    # A roomy plot keeps the fine steps.
    assert list(axis_ticks(canvas.limit, 300, fm.horizontalAdvance)) == [-1.0, -0.5, 0.0, 0.5, 1.0]


def test_the_shading_follows_training_a_few_times_a_second_and_ends_exact(qtbot, editor, session,
                                                                         monkeypatch):
    """Each training frame changes the weights; the shading (a forward pass of the whole
    lattice) took ~4 ms of every frame. It follows at most every REGION_FOLLOW_MS, and the
    last change always shows."""
    from backprop_gui.ui.editors import points_canvas

    computed = []
    plain = points_canvas.region_image
    monkeypatch.setattr(points_canvas, "region_image",
                        lambda net, *a, **k: (computed.append(net.get_flat().copy()),
                                              plain(net, *a, **k))[1])
    canvas = editor.canvas
    canvas.grab()
    computed.clear()
    for _ in range(20):                       # twenty frames in a row, as training sends them
        session.network.weights[-1] *= 1.05
        session.parameters_updated_in_place()
        canvas.grab()
    assert len(computed) == 1                 # the first at once, the rest wait their turn
    qtbot.waitUntil(lambda: canvas.grab() is not None and len(computed) == 2,
                    timeout=4 * points_canvas.REGION_FOLLOW_MS)
    np.testing.assert_array_equal(computed[-1], session.network.get_flat())   # the latest
