"""The diagram's neuron maps: each neuron of a two-input network drawn as a map of its
activation over the input plane. Pixels are checked against activations worked out by hand
at the lattice's points; the option is driven through the View menu as a person would."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QSettings
from PySide6.QtGui import QColor

from backprop_gui.engine.dataset import Dataset
from backprop_gui.engine.network import Network
from backprop_gui.engine.plane import GRID
from backprop_gui.engine.project import Project
from backprop_gui.engine.selection import Selection
from backprop_gui.session.session import Session, default_project
from backprop_gui.session.training_clock import TrainingClock, TrainingFrame
from backprop_gui.ui.common.colors import DIVERGING_LUT, SEQUENTIAL_LUT
from backprop_gui.ui.diagram import NetworkView
from backprop_gui.ui.diagram.layout import MAP_GROWTH
from backprop_gui.ui.diagram.neuron_maps import STREAM_GRID

LIMIT = 1.25   # the plane's half side for points within ±1 (as the points canvas shows)
W1 = [[0.8, -0.5], [0.3, 0.9]]
B1 = [0.1, -0.2]
W2 = [[1.5, -2.0]]
B2 = [0.25]


def small_project() -> Project:
    """A 2-2-1 network (tanh, sigmoid) with known weights on four points within ±1."""
    net = Network.build([2, 2, 1], ["tanh", "sigmoid"], "mse", seed=0)
    net.weights = [np.array(W1), np.array(W2)]
    net.biases = [np.array(B1), np.array(B2)]
    dataset = Dataset(name="four", title="Four points",
                      inputs=np.array([[-1.0, -1.0], [1.0, 1.0], [-0.5, 0.75], [1.0, -1.0]]),
                      labels=np.array([0, 0, 1, 1]), class_names=["A", "B"], kind="points")
    return Project(network=net, dataset=dataset)


def lattice_point(row: int, col: int) -> tuple[float, float]:
    """(x₁, x₂) of the map's pixel (row, col): row 0 at the top (x₂ = +LIMIT), col 0 left."""
    step = 2 * LIMIT / (GRID - 1)
    return -LIMIT + col * step, LIMIT - row * step


def hidden_a(j: int, x1: float, x2: float, w1=W1) -> float:
    return math.tanh(w1[j][0] * x1 + w1[j][1] * x2 + B1[j])


def output_a(x1: float, x2: float) -> float:
    z = sum(W2[0][k] * hidden_a(k, x1, x2) for k in range(2)) + B2[0]
    return 1.0 / (1.0 + math.exp(-z))


def diverging(a: float) -> QColor:
    """The colour of a signed a on the maps' scale −1 … +1 (the app's diverging map)."""
    k = min(255, max(0, round((a / 2.0 + 0.5) * 255)))
    return QColor(*(int(c) for c in DIVERGING_LUT[k]))


def sequential(a: float) -> QColor:
    k = min(255, max(0, round(a * 255)))
    return QColor(*(int(c) for c in SEQUENTIAL_LUT[k]))


CORNERS = [(0, 0), (0, GRID - 1), (GRID - 1, 0), (GRID - 1, GRID - 1), (17, 52)]


@pytest.fixture
def small(qtbot, qapp):
    session = Session(small_project())
    view = NetworkView(session)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    view.legend()   # the recolour done
    return session, view


def neuron(view: NetworkView, layer: int, j: int):
    return view.scene().neurons[layer][j]


def painted(view: NetworkView, layer: int, j: int, fx: float, fy: float) -> QColor:
    """The colour on screen at (fx, fy) of the neuron's square (−1 … 1 across and down)."""
    item = neuron(view, layer, j)
    half = item.radius * MAP_GROWTH
    p = view.mapFromScene(item.pos() + QPointF(fx * half, fy * half))
    return view.viewport().grab().toImage().pixelColor(p)


def close(a: QColor, b: QColor, tol: int = 10) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a.getRgb()[:3], b.getRgb()[:3]))


# ----- what the maps show ------------------------------------------------------------------------

@pytest.mark.parametrize("row,col", CORNERS)
def test_hidden_map_pixel_is_the_activation_at_that_lattice_point(small, row, col):
    _session, view = small
    x1, x2 = lattice_point(row, col)
    for j in range(2):
        image = neuron(view, 1, j).map_image
        assert image is not None and image.width() == image.height() == GRID
        assert image.pixelColor(col, row) == diverging(hidden_a(j, x1, x2)), (j, x1, x2)


@pytest.mark.parametrize("row,col", CORNERS)
def test_output_map_pixel_is_the_output_probability_there(small, row, col):
    _session, view = small
    x1, x2 = lattice_point(row, col)
    assert neuron(view, 2, 0).map_image.pixelColor(col, row) == sequential(output_a(x1, x2))


def test_input_maps_are_x1_across_and_x2_up(small):
    _session, view = small
    x_one, x_two = neuron(view, 0, 0).map_image, neuron(view, 0, 1).map_image
    # x₁ = −1.25 at the left (clipped to −1: the strongest blue), +1.25 at the right.
    assert x_one.pixelColor(0, 40) == diverging(-1.0) and x_one.pixelColor(GRID - 1, 40) == diverging(1.0)
    assert x_two.pixelColor(40, 0) == diverging(1.0) and x_two.pixelColor(40, GRID - 1) == diverging(-1.0)


def test_the_map_is_what_the_neuron_shows_on_screen(small):
    _session, view = small
    # Near the square's top-left corner, outside the circle a plain neuron would fill.
    row = col = round(0.075 * (GRID - 1))
    x1, x2 = lattice_point(row, col)
    assert close(painted(view, 1, 0, -0.85, -0.85), diverging(hidden_a(0, x1, x2)))
    x1, x2 = lattice_point(GRID - 1 - row, GRID - 1 - col)
    assert close(painted(view, 1, 1, 0.85, 0.85), diverging(hidden_a(1, x1, x2)))


def test_toggling_the_option_changes_what_is_painted(small):
    _session, view = small
    background = view.viewport().palette().base().color()
    with_map = painted(view, 1, 0, -0.85, -0.85)
    assert not close(with_map, background)
    view.view_actions.maps.trigger()           # as the context menu's entry does
    view.legend()
    assert not view.neuron_maps_on() and neuron(view, 1, 0).map_image is None
    assert close(painted(view, 1, 0, -0.85, -0.85), background)   # a circle: corner is empty
    view.view_actions.maps.trigger()
    view.legend()
    assert close(painted(view, 1, 0, -0.85, -0.85), with_map)


def test_the_legend_gives_the_maps_scales(small):
    _session, view = small
    titles = view.legend().titles()
    assert "neuron maps: x, Tanh" in titles and "neuron maps: Sigmoid" in titles
    assert not any(t.startswith("neuron colour: activation") for t in titles)
    view.set_neuron_maps(False)
    titles = view.legend().titles()
    assert not any(t.startswith("neuron maps") for t in titles)
    assert any(t.startswith("neuron colour: activation") for t in titles)


def test_a_ring_marks_the_input_shown(small):
    session, view = small
    session.select_sample(2)                   # (−0.5, 0.75)
    view.legend()
    marker = neuron(view, 1, 0).map_marker
    assert marker.x() == pytest.approx((-0.5 / LIMIT + 1) / 2)
    assert marker.y() == pytest.approx((1 - 0.75 / LIMIT) / 2)


def test_a_weight_edit_changes_the_map(small):
    session, view = small
    before = neuron(view, 1, 0).map_image
    session.set_weight(0, 0, 0, -1.2)          # W¹[1,1]: one undo step, as the editor does
    view.legend()
    changed = [[-1.2, -0.5], W1[1]]
    x1, x2 = lattice_point(0, GRID - 1)
    image = neuron(view, 1, 0).map_image
    assert image is not before
    assert image.pixelColor(GRID - 1, 0) == diverging(hidden_a(0, x1, x2, changed))
    assert image.pixelColor(GRID - 1, 0) != diverging(hidden_a(0, x1, x2))
    session.undo_stack.undo()
    view.legend()
    assert neuron(view, 1, 0).map_image.pixelColor(GRID - 1, 0) == diverging(hidden_a(0, x1, x2))


def test_gradients_mode_shows_no_maps(small):
    _session, view = small
    view.set_color_mode("gradients")
    view.legend()
    assert all(item.map_image is None for row in view.scene().neurons for item in row)
    view.set_color_mode("weights")
    view.legend()
    assert neuron(view, 1, 0).map_image is not None


def test_too_small_on_screen_the_neurons_are_plain_circles_and_say_why(small, qtbot):
    _session, view = small
    view.resize(320, 240)
    view.fit_to_view()
    view.legend()
    assert view.zoom_level() * 2 * MAP_GROWTH * neuron(view, 1, 0).radius < 18
    assert neuron(view, 1, 0).map_image is None
    assert any(t.startswith("neuron colour: activation") for t in view.legend().titles())
    assert "too small on screen" in view.tooltip_for(Selection.neuron(1, 0))
    view.zoom_in()
    view.zoom_in()
    view.zoom_in()
    qtbot.waitUntil(lambda: view.legend() and neuron(view, 1, 0).map_image is not None)
    assert "a over x₁ (across) and x₂ (up)" in view.tooltip_for(Selection.neuron(1, 0))


# ----- live training ------------------------------------------------------------------------------

def frame(view: NetworkView, session: Session, streaming: bool) -> None:
    """What a training slice does: the network changes in place, the session says so, the
    clock's frame follows; then the view's recolour."""
    session.parameters_updated_in_place()
    view.on_training_frame(TrainingFrame(epoch=1, steps=1, epoch_ended=False, streaming=streaming))
    view.legend()


def test_while_training_streams_maps_follow_a_few_times_a_second(small):
    session, view = small
    x1, x2 = lattice_point(0, 0)
    first = neuron(view, 1, 0).map_image
    session.network.weights[0][0, 0] = -1.2     # a training slice changes W¹ in place
    view.neuron_maps.throttle.ran()              # the maps were just drawn
    frame(view, session, streaming=True)
    assert neuron(view, 1, 0).map_image is first  # not their turn yet
    view.neuron_maps.throttle.interval_ms = 0    # their turn comes
    frame(view, session, streaming=True)
    changed = [[-1.2, -0.5], W1[1]]
    streamed = neuron(view, 1, 0).map_image
    assert streamed.pixelColor(0, 0) == diverging(hidden_a(0, x1, x2, changed))
    assert streamed.width() == STREAM_GRID      # a coarser lattice over the same square
    view.neuron_maps.throttle.interval_ms = 1e9  # never their turn again while streaming …
    session.network.weights[0][0, 0] = 2.0
    frame(view, session, streaming=True)
    assert neuron(view, 1, 0).map_image.pixelColor(0, 0) == diverging(hidden_a(0, x1, x2, changed))
    frame(view, session, streaming=False)        # … but the frame that ends the stream is exact
    exact = [[2.0, -0.5], W1[1]]
    image = neuron(view, 1, 0).map_image
    assert image.width() == GRID and image.pixelColor(0, 0) == diverging(hidden_a(0, x1, x2, exact))
    row, col = 30, 61
    x1, x2 = lattice_point(row, col)
    assert image.pixelColor(col, row) == diverging(hidden_a(0, x1, x2, exact))


def test_the_training_clock_frames_bring_the_trained_maps(small, qtbot):
    session, view = small
    clock = TrainingClock(session)
    clock.frame.connect(view.on_training_frame)
    before = neuron(view, 2, 0).map_image.copy()
    clock.step_epoch(20)     # on a busy machine, in several frames that stream
    qtbot.waitUntil(lambda: not clock.is_running)
    view.legend()
    net = session.network
    x1, x2 = lattice_point(5, 70)
    h = np.tanh(net.weights[0] @ [x1, x2] + net.biases[0])
    y = 1.0 / (1.0 + math.exp(-(float(net.weights[1][0] @ h) + net.biases[1][0])))
    after = neuron(view, 2, 0).map_image
    assert after.pixelColor(70, 5) == sequential(y)
    assert after != before


# ----- the option in the window -------------------------------------------------------------------

def window_for(qtbot, session: Session, settings: QSettings):
    from PySide6.QtWidgets import QMessageBox

    from backprop_gui.ui.window.main_window import MainWindow

    window = MainWindow(session, settings=settings, remember_layout=False)
    qtbot.addWidget(window)
    window.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.view.legend()
    return window


def view_menu_entry(window):
    entries = [a for a in window.menu("View").actions() if a.text() == "Neuron &Maps"]
    assert len(entries) == 1
    return entries[0]


def test_on_by_default_for_a_two_input_network(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = window_for(qtbot, Session(default_project("spiral")), settings)
    entry = view_menu_entry(window)
    assert entry.isEnabled() and entry.isChecked()
    assert all(item.map_image is not None for row in window.view.scene().neurons for item in row)


def test_off_and_disabled_for_the_default_sixteen_input_project(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = window_for(qtbot, Session(), settings)
    entry = view_menu_entry(window)
    assert not entry.isEnabled()
    assert "2 inputs" in entry.toolTip() and "has 16" in entry.toolTip()
    assert all(item.map_image is None for row in window.view.scene().neurons for item in row)
    # A change to a two-input dataset makes it possible (and on, as chosen).
    window.session.load_builtin_dataset("moons")
    window.view.legend()
    assert entry.isEnabled() and entry.isChecked()
    assert neuron(window.view, 1, 0).map_image is not None


def test_the_choice_is_remembered(qtbot, tmp_path):
    path = str(tmp_path / "settings.ini")
    window = window_for(qtbot, Session(default_project("moons")),
                        QSettings(path, QSettings.Format.IniFormat))
    view_menu_entry(window).trigger()
    window.view.legend()
    assert neuron(window.view, 1, 0).map_image is None
    window.close()
    again = window_for(qtbot, Session(default_project("moons")),
                       QSettings(path, QSettings.Format.IniFormat))
    assert not view_menu_entry(again).isChecked() and not again.view.neuron_maps_on()
    assert neuron(again.view, 1, 0).map_image is None


def test_a_layer_too_small_for_maps_is_circles_coloured_on_the_maps_scale(qtbot):
    net = Network.build([2, 40, 1], ["tanh", "sigmoid"], "mse", seed=3)
    session = Session(Project(network=net, dataset=small_project().dataset))
    view = NetworkView(session)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    view.legend()
    hidden, first = neuron(view, 1, 7), neuron(view, 0, 0)
    assert 2 * MAP_GROWTH * hidden.radius * view.zoom_level() < 18 <= \
        2 * MAP_GROWTH * first.radius * view.zoom_level()
    a = float(session.trace().a[1][0, 7])
    centre = view.viewport().grab().toImage().pixelColor(view.mapFromScene(hidden.pos()))
    assert close(centre, diverging(a), tol=3)                # the map's scale, not viridis
    assert not close(centre, hidden.fill, tol=3)
    assert "neuron maps: x, Tanh" in view.legend().titles()


def test_the_whole_square_of_a_map_is_the_neuron_under_the_pointer(small):
    _session, view = small
    item = neuron(view, 1, 1)
    corner = item.pos() + QPointF(0.9, 0.9) * item.radius * MAP_GROWTH
    assert view.item_at(view.mapFromScene(corner)) == Selection.neuron(1, 1)
    view.set_neuron_maps(False)
    view.legend()
    assert view.item_at(view.mapFromScene(corner)) != Selection.neuron(1, 1)   # past the circle


def test_an_exported_picture_shows_the_maps(small, tmp_path):
    from PySide6.QtGui import QImage

    _session, view = small
    view.export_png(tmp_path / "maps.png", scale=1.0)
    picture = QImage(str(tmp_path / "maps.png"))
    item = neuron(view, 0, 0)          # x₁'s map: blue at its left edge, red at its right
    from backprop_gui.ui.diagram.export import MARGIN
    rect = view.scene().content_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)   # as exported
    for fx, expected in ((-0.8, diverging(-1.0)), (0.8, diverging(1.0))):
        p = item.pos() + QPointF(fx * item.radius * MAP_GROWTH, 0.0) - rect.topLeft()
        assert close(picture.pixelColor(round(p.x()), round(p.y())), expected, tol=40)


def test_the_end_of_a_stream_redraws_coarse_maps_exactly_even_with_no_new_weights(small):
    session, view = small
    session.network.weights[0][1, 1] = -0.7
    view.neuron_maps.throttle.interval_ms = 0
    frame(view, session, streaming=True)
    assert neuron(view, 1, 1).map_image.width() == STREAM_GRID
    frame(view, session, streaming=False)         # the last slice changed nothing more
    assert neuron(view, 1, 1).map_image.width() == GRID
