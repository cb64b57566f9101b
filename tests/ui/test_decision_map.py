"""The Decision map panel: its colours are the engine's predictions, it shows XOR, it says why
there is no map for a 16-input network, and it follows training, undo and the theme."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor

from backprop_gui.engine.datasets import make_xor
from backprop_gui.engine.network import Network
from backprop_gui.engine.project import Project, TrainingConfig
from backprop_gui.engine.selection import Selection
from backprop_gui.session.session import Session
from backprop_gui.session.training_clock import TrainingClock, TrainingFrame
from backprop_gui.ui.editors.class_colors import class_rgb
from backprop_gui.ui.editors.decision_regions import REGION_ALPHA
from backprop_gui.ui.regions import DOCK_NAME, DecisionMapPanel


def xor_by_hand() -> Network:
    """2-2-1 sigmoid solving XOR: h₁ = σ(20x₁ + 20x₂ − 10) (OR), h₂ = σ(−20x₁ − 20x₂ + 30)
    (NAND), ŷ = σ(20h₁ + 20h₂ − 30) (AND): class 1 in the band 0.5 < x₁ + x₂ < 1.5."""
    return Network([2, 2, 1], ["sigmoid", "sigmoid"], "mse",
                   [np.array([[20.0, 20.0], [-20.0, -20.0]]), np.array([[20.0, 20.0]])],
                   [np.array([-10.0, 30.0]), np.array([-30.0])])


def make_panel(qtbot, net: Network, clock: bool = False) -> DecisionMapPanel:
    session = Session(Project(network=net, dataset=make_xor(),
                              training=TrainingConfig(optimizer="batch", learning_rate=0.5, seed=1)))
    panel = DecisionMapPanel(session, TrainingClock(session) if clock else None)
    qtbot.addWidget(panel)
    panel.resize(460, 560)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def pixel(panel: DecisionMapPanel, x: float, y: float) -> QColor:
    canvas = panel.canvas
    image = canvas.grab().toImage()
    p = canvas.data_to_widget(x, y) * canvas.devicePixelRatioF()
    return QColor(image.pixel(int(p.x()), int(p.y())))


def channels(c: QColor) -> np.ndarray:
    return np.array([c.red(), c.green(), c.blue()])


# Points away from the samples, the boundary lines x₁ + x₂ = 0.5 and 1.5, and the readout.
BY_HAND = [((0.05, -0.1), 0), ((1.1, 1.15), 0), ((0.5, 0.5), 1), ((0.95, 0.3), 1),
           ((-0.15, 1.05), 1), ((0.3, -0.2), 0)]


@pytest.mark.parametrize("point,expected", BY_HAND)
def test_the_colour_at_a_point_is_the_class_the_engine_predicts_there(qtbot, point, expected):
    panel = make_panel(qtbot, xor_by_hand())
    assert (panel.canvas.plane.cx, panel.canvas.plane.cy, panel.canvas.plane.half) == (0.5, 0.5, 0.75)
    y_hat = float(panel.session.network.predict(np.array([point]))[0, 0])
    assert int(y_hat > 0.5) == expected == panel.canvas.predicted_class(*point)
    # region_image's tint: the class's colour over the base, as strong as the certainty.
    alpha = abs(2 * y_hat - 1) * REGION_ALPHA
    base = channels(panel.canvas.palette().base().color())
    want = base * (1 - alpha) + np.array(class_rgb(expected, 2)) * alpha
    got = channels(pixel(panel, *point))
    assert np.abs(got - want).max() <= 3, (got, want)
    other = base * (1 - alpha) + np.array(class_rgb(1 - expected, 2)) * alpha
    assert np.abs(got - other).max() > 40


def test_the_boundary_of_a_single_neuron_is_its_straight_line(qtbot):
    net = Network([2, 1], ["sigmoid"], "mse", [np.array([[1.0, 2.0]])], [np.array([-1.0])])
    panel = make_panel(qtbot, net)
    panel.canvas.grab()
    segments = panel.canvas.boundary()
    assert len(segments) > 10
    points = segments.reshape(-1, 2)
    np.testing.assert_allclose(points @ [1.0, 2.0] - 1.0, 0.0, atol=1e-6)   # x₁ + 2x₂ = 1
    # (0, 0) and (1, 0) lie below the line: class 0; (0, 1) and (1, 1) above it: class 1.
    assert panel.canvas.summary() == "2 of 4 samples lie in their own class's region"


def test_an_xor_project_in_the_window_shows_a_map_and_a_16_input_one_says_why_not(main_window, qtbot):
    window = main_window
    panel = window.panel(DOCK_NAME)
    assert window.session.network.sizes[0] == 16
    assert not panel.has_map()
    assert "it has 16 inputs (4×4 images)" in panel.note()
    assert "needs exactly 2" in panel.note()
    window.dock(DOCK_NAME).raise_()
    window.session.load_builtin_dataset("xor")
    assert panel.has_map() and panel.note() == ""
    qtbot.waitUntil(lambda: not panel.canvas.grab().isNull() and panel.canvas.region() is not None)
    assert not panel.canvas.region().isNull()
    assert panel.canvas.summary().endswith("of 4 samples lie in their own class's region")
    window.session.undo_stack.undo()           # back to the 16 inputs
    assert not panel.has_map() and "16 inputs" in panel.note()


def test_a_regression_table_has_no_classes_to_map(qtbot):
    from backprop_gui.engine.dataset import Dataset

    data = Dataset("t", "Two inputs, a number", [[0.0, 1.0], [1.0, 0.0]], [0, 0], ["y"],
                   values=[[0.5], [1.5]])
    session = Session(Project(network=Network.build([2, 2, 1], ["sigmoid", "linear"], "mse"),
                              dataset=data))
    panel = DecisionMapPanel(session)
    qtbot.addWidget(panel)
    assert not panel.has_map() and "numbers, not classes" in panel.note()


def test_the_map_follows_training_frames_a_few_times_a_second_and_exactly_at_the_end(qtbot):
    panel = make_panel(qtbot, Network.build([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=1), clock=True)
    canvas, clock = panel.canvas, panel.clock
    before = pixel(panel, 0.5, 0.5)
    count = canvas.refreshes
    clock.step_epoch(200)                         # trains, then one exact frame (not streaming)
    qtbot.waitUntil(lambda: canvas.refreshes > count)
    assert pixel(panel, 0.5, 0.5) != before
    # While frames stream, a frame within LIVE_MS of the last map waits for its turn (one
    # map for all the frames meanwhile); the frame that ends the stream draws at once.
    frame = TrainingFrame(epoch=201, steps=201, epoch_ended=True, streaming=True)
    panel.on_training_frame(frame)
    assert not canvas.is_stale and panel._live.pending
    count = canvas.refreshes
    panel.on_training_frame(frame)
    qtbot.waitUntil(lambda: canvas.refreshes > count)       # its turn came: one map for both
    qtbot.wait(20)
    assert canvas.refreshes == count + 1 and not canvas.is_stale
    panel.on_training_frame(frame)
    assert not canvas.is_stale and panel._live.pending
    panel.on_training_frame(TrainingFrame(epoch=202, steps=202, epoch_ended=True, streaming=False))
    assert canvas.is_stale and not panel._live.pending


def test_the_map_follows_a_weight_edit_and_its_undo(qtbot):
    panel = make_panel(qtbot, xor_by_hand())
    session = panel.session
    original = pixel(panel, 0.5, 0.5)
    session.set_parameter(Selection.bias(2, 0), 30.0)      # ŷ = σ(20h₁ + 20h₂ + 30): class 1
    qtbot.waitUntil(lambda: panel.canvas.predicted_class(1.1, 1.15) == 1 and
                    np.abs(channels(pixel(panel, 1.1, 1.15)) - channels(original)).max() <= 3)
    session.undo_stack.undo()
    qtbot.waitUntil(lambda: np.abs(channels(pixel(panel, 1.1, 1.15)) - channels(original)).max() > 40)
    assert pixel(panel, 0.5, 0.5) == original


def test_clicking_a_sample_selects_it(qtbot):
    from PySide6.QtCore import Qt

    panel = make_panel(qtbot, xor_by_hand())
    qtbot.mouseClick(panel.canvas, Qt.MouseButton.LeftButton,
                     pos=panel.canvas.data_to_widget(1.0, 0.0).toPoint())
    assert panel.session.selected_sample == 2


def test_a_change_of_theme_restyles_the_map(qtbot, qapp):
    from backprop_gui.ui.common.theme import dark_palette

    zeros = Network([2, 1], ["sigmoid"], "mse", [np.zeros((1, 2))], [np.zeros(1)])
    panel = make_panel(qtbot, zeros)           # ŷ = 0.5 everywhere: no tint, the bare base
    light = pixel(panel, 0.5, 0.25)
    assert light.lightness() > 200
    qtbot.wait(20)
    assert not panel.canvas.is_stale          # nothing else would draw it again
    old = qapp.palette()
    try:
        qapp.setPalette(dark_palette())
        qtbot.wait(1)
        dark = pixel(panel, 0.5, 0.25)
        assert dark == dark_palette().base().color()
    finally:
        qapp.setPalette(old)


def test_huge_numbers_and_no_samples_draw_without_a_warning(qtbot):
    from backprop_gui.engine.dataset import Dataset

    far = Dataset("far", "Far", [[1e300, -1e300], [0.0, 1e-300], [-1.7e308, 1.7e308]], [0, 1, 0],
                  ["a", "b"], kind="points")
    huge = Network([2, 2, 1], ["sigmoid", "sigmoid"], "mse",
                   [np.full((2, 2), 1e300), np.full((1, 2), -1e300)], [np.zeros(2), np.zeros(1)])
    session = Session(Project(network=huge, dataset=far))
    panel = DecisionMapPanel(session)
    qtbot.addWidget(panel)
    panel.resize(400, 500)
    panel.show()
    qtbot.waitExposed(panel)
    assert not panel.canvas.grab().isNull() and panel.has_map()
    empty = Dataset("none", "No samples", np.empty((0, 2)), [], ["a", "b"], kind="points")
    lonely = DecisionMapPanel(Session(Project(network=xor_by_hand(), dataset=empty)))
    qtbot.addWidget(lonely)
    lonely.show()
    qtbot.waitExposed(lonely)
    assert lonely.has_map() and not lonely.canvas.grab().isNull()
    assert lonely.canvas.summary() == "" and lonely.canvas.plane.half == 1.25
