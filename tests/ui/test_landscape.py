"""The Landscape panel, driven the way a person uses it: click a start, Step, Play, presets,
and the network's loss slice following training."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QLabel, QPlainTextEdit, QPushButton

from backprop_gui.engine.landscape import TOY_FUNCTIONS
from backprop_gui.engine.selection import Selection
from backprop_gui.session.training_clock import TrainingClock, TrainingFrame
from backprop_gui.ui.landscape.panel import LandscapePanel
from backprop_gui.ui.common.formatting import fmt

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def clock(session):
    c = TrainingClock(session)
    yield c
    c.pause()


@pytest.fixture
def panel(session, clock, qtbot):
    p = LandscapePanel(session, clock)
    qtbot.addWidget(p)
    p.resize(460, 820)
    p.show()
    qtbot.waitExposed(p)
    return p


def click(qtbot, button) -> None:
    """Click a button, or a check box on its box (its middle may be empty space)."""
    if isinstance(button, QCheckBox):
        qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))
    else:
        qtbot.mouseClick(button, LEFT)


def click_plot(qtbot, page, x: float, y: float) -> None:
    """A left click on the plot where the point (x, y) is drawn."""
    where = page.plot.view_to_widget(x, y)
    qtbot.mouseClick(page.plot.graphics.viewport(), LEFT, pos=where)


def choose_preset(page, name: str) -> None:
    """Pick `name` from the Presets list as a person does (the list emits `activated`)."""
    combo = page.preset_combo
    index = combo.findText(name)
    assert index > 0, name
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def all_text(widget) -> str:
    """Every text a person can read in the panel: labels, text areas, lists, spin boxes,
    buttons, and the plots' axis labels."""
    parts = [w.text() for w in widget.findChildren(QLabel)]
    parts += [w.toPlainText() for w in widget.findChildren(QPlainTextEdit)]
    parts += [w.text() for w in widget.findChildren(QPushButton)]
    parts += [w.text() for w in widget.findChildren(QAbstractSpinBox)]
    for combo in widget.findChildren(QComboBox):
        parts += [combo.itemText(i) for i in range(combo.count())] + [combo.currentText()]
    for page in (widget.toy, widget.network):
        for name in ("left", "bottom"):
            parts.append(page.plot.plot.getAxis(name).labelText)
    return "\n".join(parts)


NON_NUMBERS = re.compile(r"\b(nan|inf)\b", re.IGNORECASE)


# ----- the toy functions ---------------------------------------------------------------------

def test_click_places_the_start_and_step_writes_the_numbers(panel, qtbot):
    toy = panel.toy
    assert toy.function.name == "bowl"
    click_plot(qtbot, toy, 1.0, 1.5)
    assert panel.current_point() == (1.0, 1.5)          # snapped to the 0.05 grid
    assert "f(p) = 3.25" in toy.worked.toPlainText()
    panel.set_learning_rate(0.1)
    click(qtbot, toy.step_button)
    assert panel.current_point() == pytest.approx((0.8, 1.2), rel=1e-15)
    lines = toy.worked.toPlainText().splitlines()
    assert lines == [
        "Step 1:  α = 0.1",
        "p = (1, 1.5)",
        "f(p) = 3.25",
        "∇f(p) = (2x, 2y) = (2, 3)",
        "α·∇f = 0.1 × (2, 3) = (0.2, 0.3)",
        "p − α·∇f = (1 − 0.2, 1.5 − 0.3) = (0.8, 1.2)",
        "f: 3.25 → 2.08  (down by 1.17)",
    ]
    # The arrow starts at the current point and points along −∇f = −(1.6, 2.4).
    xs, ys = toy.plot.arrow.getData()
    assert (xs[0], ys[0]) == pytest.approx((0.8, 1.2))
    direction = np.array([xs[1] - xs[0], ys[1] - ys[0]])
    np.testing.assert_allclose(direction / np.linalg.norm(direction),
                               -np.array([1.6, 2.4]) / np.hypot(1.6, 2.4), rtol=1e-12)
    np.testing.assert_allclose(toy.path(), [[1.0, 1.5], [0.8, 1.2]], rtol=1e-15)


def test_learning_rate_is_typed_in(panel, qtbot):
    toy = panel.toy
    panel.place_start(1.0, 1.5)
    toy.rate_spin.selectAll()
    qtbot.keyClicks(toy.rate_spin, "0.25")
    qtbot.keyClick(toy.rate_spin, Qt.Key.Key_Return)
    assert toy.learning_rate() == 0.25
    panel.step()                                       # p ← p − 0.25·2p = p/2
    assert panel.current_point() == (0.5, 0.75)


def test_a_start_beyond_the_landscape_is_refused(panel):
    panel.place_start(0.5, 0.5)
    for x, y in ((float("nan"), 0.0), (1e300, 0.0), (0.0, float("-inf"))):
        panel.place_start(x, y)
        assert panel.current_point() == (0.5, 0.5)
        assert panel.toy.status.text() == "A start must be two numbers within |x|, |y| ≤ 1,000,000."


def test_reset_goes_back_to_the_start(panel, qtbot):
    panel.place_start(-1.0, 0.5)
    for _ in range(3):
        click(qtbot, panel.toy.step_button)
    click(qtbot, panel.toy.reset_button)
    assert panel.current_point() == (-1.0, 0.5)
    assert len(panel.toy.path()) == 1


def test_play_animates_and_stops_when_it_settles(panel, qtbot):
    toy = panel.toy
    toy.speed_combo.setCurrentIndex(toy.speed_combo.findData(100))
    choose_preset(toy, "Good learning rate")
    click(qtbot, toy.play_button)
    assert toy.playing and toy.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: len(toy.path()) >= 4, timeout=3000)
    assert toy.playing                                 # drawn as it goes
    assert len(toy.plot.path.getData()[0]) == len(toy.path())
    qtbot.waitUntil(lambda: not toy.playing, timeout=5000)
    assert toy.play_button.text() == "Play"
    assert "Reached the minimum: f = 0 at (0, 0)" in toy.status.text()


def test_pause_stops_play(panel, qtbot):
    toy = panel.toy
    choose_preset(toy, "Learning rate too small")
    panel.play()
    qtbot.waitUntil(lambda: len(toy.path()) >= 2, timeout=3000)
    click(qtbot, toy.play_button)
    assert not toy.playing
    steps = len(toy.path())
    qtbot.wait(200)
    assert len(toy.path()) == steps


def test_diverging_preset_stops_with_a_message_and_no_nan(panel, qtbot):
    toy = panel.toy
    toy.speed_combo.setCurrentIndex(toy.speed_combo.findData(100))
    choose_preset(toy, "Diverging")
    assert toy.learning_rate() == 1.1
    messages = []
    panel.message_posted.connect(messages.append)
    click(qtbot, toy.play_button)
    qtbot.waitUntil(lambda: not toy.playing, timeout=5000)
    status = toy.status.text()
    assert status.startswith("Diverged at step 74: the point flew out")
    assert "α = 1.1 is too large" in status and messages == [status]
    assert not NON_NUMBERS.search(all_text(panel)), all_text(panel)
    assert toy.step() is None                          # stopped: Reset to go on
    click(qtbot, toy.play_button)
    assert not toy.playing
    click(qtbot, toy.reset_button)
    assert panel.current_point() == (1.5, 1.0)


def test_too_large_zig_zags(panel, qtbot):
    toy = panel.toy
    choose_preset(toy, "Learning rate too large")
    for _ in range(4):
        click(qtbot, toy.step_button)
    x = toy.path()[:, 0]
    np.testing.assert_allclose(x, 1.5 * (-0.8) ** np.arange(5), rtol=1e-14)


BUMPY_ENDS = [
    ("Bumps: start near the centre", "Reached the global minimum: f = −1 at (0, 0)."),
    ("Bumps: start on a diagonal", "Reached a local minimum: f = −0.53 at (1.49, 1.49)."),
    ("Bumps: start on the right", "Reached a local minimum: f = −0.0604 at (2.99, 0)."),
    ("Bumps: start in a corner", "Reached a local minimum: f = 0.877 at (2.98, 2.98)."),
    ("Bumps: noise shakes it out", "Reached the global minimum: f = −1 at (0, 0)."),
]


def test_bumpy_presets_name_the_minimum_reached(panel, qtbot):
    toy = panel.toy
    for preset, reached in BUMPY_ENDS:
        choose_preset(toy, preset)
        assert toy.function.name == "bumpy"
        click(qtbot, toy.end_button)
        assert reached in toy.status.text(), preset
        if "local" in reached:
            assert "The global minimum, f = −1 at (0, 0), is lower" in toy.status.text()


def test_momentum_and_noise_options(panel, qtbot):
    toy = panel.toy
    choose_preset(toy, "Ravine without momentum")
    click(qtbot, toy.end_button)
    plain = len(toy.path())
    assert not toy.momentum_spin.isEnabled()
    click(qtbot, toy.momentum_check)                  # μ = 0.6 by default
    assert toy.momentum_spin.isEnabled()
    click(qtbot, toy.reset_button)
    click(qtbot, toy.step_button)
    assert "v = μ·v − α·∇f = 0.6 × (0, 0) − " in toy.worked.toPlainText()
    click(qtbot, toy.end_button)
    assert len(toy.path()) < plain / 2
    # Noise: the worked numbers show it; the same seed replays the same path.
    click(qtbot, toy.noise_check)
    click(qtbot, toy.reset_button)
    click(qtbot, toy.step_button)
    assert "g = ∇f + noise = " in toy.worked.toPlainText()
    for _ in range(5):
        panel.step()
    first = toy.path()
    click(qtbot, toy.reset_button)
    for _ in range(6):
        panel.step()
    np.testing.assert_array_equal(toy.path(), first)


def test_show_function_and_the_arrow_field(panel, qtbot):
    panel.show_function("ravine")
    toy = panel.toy
    assert toy.function_combo.currentText() == "Ravine"
    assert toy.formula.text().startswith(TOY_FUNCTIONS["ravine"].formula)
    assert toy.formula.textFormat() == Qt.TextFormat.PlainText
    assert toy.plot.field.getData()[0] is None                    # no field yet
    click(qtbot, toy.field_check)
    assert len(toy.plot.field.getData()[0]) == 13 * 13 * 6     # shaft and two head strokes
    toy.function_combo.setCurrentIndex(toy.function_combo.findData("bumpy"))
    assert toy.function.name == "bumpy" and toy.preset_combo.currentIndex() == 0


# ----- the network's loss ----------------------------------------------------------------------

def show_network(panel, qtbot):
    panel.tabs.setCurrentWidget(panel.network)
    qtbot.wait(1)
    return panel.network


def test_slice_centre_is_the_networks_loss(panel, session, qtbot):
    a, b = Selection.weight(1, 2, 3), Selection.bias(2, 0)
    panel.show_network_slice(a, b)
    page = panel.network
    assert panel.tabs.currentWidget() is page
    assert page.parameters() == (a, b)
    assert page.plot.plot.getAxis("bottom").labelText == "W¹[3,4]"
    assert page.plot.plot.getAxis("left").labelText == "b²[1]"
    loss = session.loss_on_dataset()
    assert page.centre_loss() == pytest.approx(loss, rel=1e-13, abs=0)
    assert f"Loss at the current point (the red dot): {fmt(loss, 4)}" in page.info.text()
    x, y = page.plot.point.getData()
    assert (x[0], y[0]) == (session.network.weights[0][2, 3], session.network.biases[1][0])


def test_parameters_come_from_the_diagrams_selection(panel, session, qtbot):
    page = show_network(panel, qtbot)
    assert not page.a_selected.isEnabled()
    session.select(Selection.neuron(1, 0))
    assert not page.a_selected.isEnabled()             # a neuron is not a parameter
    session.select(Selection.weight(2, 1, 4))
    click(qtbot, page.a_selected)
    assert page.a_combo.currentText() == "W²[2,5]"
    assert page.parameters()[0] == Selection.weight(2, 1, 4)
    assert page.centre_loss() == pytest.approx(session.loss_on_dataset(), rel=1e-13)


def test_a_typed_name_is_checked(panel, session, qtbot):
    page = show_network(panel, qtbot)
    before = page.parameters()
    page.b_combo.setEditText("W9[1,1]")
    page.b_combo.lineEdit().editingFinished.emit()
    assert page.info.text() == "The network has no weight or bias W⁹[1,1]."
    assert page.parameters() == before
    page.b_combo.setEditText("b3[2]")
    page.b_combo.lineEdit().editingFinished.emit()
    assert page.parameters()[1] == Selection.bias(3, 1)


def test_random_directions_say_which(panel, session, qtbot):
    page = show_network(panel, qtbot)
    page.mode_combo.setCurrentIndex(page.mode_combo.findData("filter"))
    assert "filter-normalised" in page.info.text()
    assert page.centre_loss() == pytest.approx(session.loss_on_dataset(), rel=1e-13)
    assert page.seed_spin.isVisible() and not page.a_combo.isEnabled()
    page.mode_combo.setCurrentIndex(page.mode_combo.findData("plain"))
    assert "plain: each of length 1" in page.info.text()


def test_switching_between_parameters_and_directions_starts_a_new_path(panel, clock, qtbot):
    page = show_network(panel, qtbot)
    page.show_directions(filter_normalised=True)
    clock.step_epoch()
    clock.step_epoch()
    assert page.path_points().shape == (2, 2)
    page.mode_combo.setCurrentIndex(page.mode_combo.findData("parameters"))
    assert page.path_points().shape == (0, 2)         # not all parameters read as two
    clock.step_epoch()
    assert page.path_points().shape == (1, 2)


def test_the_slice_follows_training_frames(panel, session, clock, qtbot):
    page = show_network(panel, qtbot)
    a, b = page.parameters()
    for _ in range(3):
        clock.step_epoch()                                  # one frame each, not streaming
    path = page.path_points()
    assert len(path) == 3
    net = session.network
    np.testing.assert_array_equal(path[-1], [a.array_in(net)[a.index], b.array_in(net)[b.index]])
    assert page.centre_loss() == pytest.approx(session.loss_on_dataset(), rel=1e-13)
    xs, _ = page.plot.path.getData()
    assert len(xs) == 3


def test_streaming_frames_recompute_at_most_a_few_times_a_second(panel, session, clock, qtbot):
    page = show_network(panel, qtbot)
    slices = []
    page.plot.image.sigImageChanged.connect(lambda: slices.append(page._grid[2].shape))

    def tick(streaming: bool = True) -> None:
        """What a training tick does: change the network in place, then say so."""
        session.network.weights[2] *= 1.01
        session.parameters_updated_in_place()
        clock.frame.emit(TrainingFrame(1, 1, False, streaming=streaming))

    for _ in range(10):
        tick()
    assert slices == [] and len(page.path_points()) == 10    # each frame on the path …
    qtbot.waitUntil(lambda: len(slices) == 1)                  # … one slice for them all
    assert slices == [(51, 51)]                                # coarser while streaming
    tick()
    assert page._refresh.pending and page._refresh.interval_ms == 250
    tick(streaming=False)                                      # the stream ends: exact, now
    assert slices == [(51, 51), (101, 101)] and not page._refresh.pending
    assert page.centre_loss() == pytest.approx(session.loss_on_dataset(), rel=1e-13)


def test_a_hidden_page_waits_until_shown(panel, session, clock, qtbot):
    page = show_network(panel, qtbot)
    panel.tabs.setCurrentWidget(panel.toy)
    before = page.centre_loss()
    clock.step_epoch()
    assert page.centre_loss() == before                # not recomputed while hidden
    show_network(panel, qtbot)
    assert page.centre_loss() == pytest.approx(session.loss_on_dataset(), rel=1e-13)


def test_a_new_network_shape_keeps_the_lists_right(panel, session, clock, qtbot):
    page = show_network(panel, qtbot)
    page.show_directions(filter_normalised=False, seed=3)
    clock.step_epoch()
    assert len(page.path_points()) == 1
    session.load_builtin_dataset("xor")
    qtbot.wait(300)
    names = [page.a_combo.itemText(i) for i in range(page.a_combo.count())]
    net = session.network
    assert len(names) == net.n_parameters
    assert page.centre_loss() == pytest.approx(session.loss_on_dataset(), rel=1e-13)
    assert len(page.path_points()) == 0          # the old network's path is gone
    clock.step_epoch()
    assert len(page.path_points()) == 1


# ----- in the main window ------------------------------------------------------------------------

def test_installed_as_a_dock_built_when_first_used(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from backprop_gui.ui.window.main_window import MainWindow

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, remember_layout=False)
    qtbot.addWidget(window)
    host = window.panel("Landscape")
    assert host is window.landscape and not host.is_built
    host.place_start(1.0, 1.5)
    assert host.is_built
    host.step()
    assert host.current_point() == pytest.approx((0.8, 1.2))
    assert window.dock("Landscape").toggleViewAction() in window.window_actions.panels_menu.actions()
    # The panel's messages reach the status bar through the host.
    host.show_function("bowl")
    host.set_learning_rate(1.1)
    for _ in range(80):
        host.step()
    assert window.statusBar().currentMessage().startswith("Diverged at step")


def test_the_first_slice_is_along_the_steepest_parameters(panel, session, qtbot):
    from backprop_gui.engine.loss_slice import steepest_parameters

    page = show_network(panel, qtbot)
    net, data = session.network, session.dataset
    assert page.parameters() == tuple(steepest_parameters(net, data.inputs,
                                                          data.targets(net.sizes[-1])))
    assert "does not change" not in page.info.text()


def test_the_plots_follow_a_change_of_theme(panel, qapp, qtbot):
    from backprop_gui.ui.common.theme import dark_palette

    plot = panel.toy.plot
    before = plot.graphics.backgroundBrush().color().name()
    old = qapp.palette()
    try:
        qapp.setPalette(dark_palette())
        qtbot.wait(1)
        dark = plot.graphics.backgroundBrush().color()
        assert dark.lightness() < 128 and dark.name() != before
        assert plot.bar.axis.textPen().color().lightness() > 128     # light text on dark
    finally:
        qapp.setPalette(old)


def test_bigger_networks_and_datasets_get_coarser_grids():
    from backprop_gui.ui.landscape.network_slice import grid_points

    assert grid_points(24 * 6, live=False) == 101 and grid_points(24 * 6, live=True) == 51
    # 400 samples, 32 neurons: √(4,000,000 / 12,800) = 17.7 → 17 (odd); streaming: 8 → 11.
    assert grid_points(400 * 32, live=False) == 17 and grid_points(400 * 32, live=True) == 11
    assert grid_points(10 ** 9, live=False) == 11                 # never fewer than 11


def test_the_hover_reads_the_nearest_grid_point_clamped_to_the_grid():
    from backprop_gui.ui.landscape.network_slice import nearest

    A, B = np.meshgrid([0.0, 1.0, 2.0], [10.0, 20.0])
    grid = (A, B, A + 100 * B)
    assert nearest(grid, 1.4, 16.0) == (1.0, 20.0, 2001.0)        # 1.4 → 1, 16 → 20
    assert nearest(grid, 0.6, 14.0) == (1.0, 10.0, 1001.0)        # 0.6 → 1, 14 → 10
    assert nearest(grid, -5.0, 99.0) == (0.0, 20.0, 2000.0)       # outside: the edge


def test_a_slice_along_parameters_that_reach_nothing_says_so(panel, session, qtbot):
    page = show_network(panel, qtbot)
    session.network.weights[-1][:] = 0.0          # no hidden neuron reaches the output
    session.parameters_updated_in_place()
    page.show_parameters(Selection.weight(1, 0, 0), Selection.bias(1, 0))
    assert page.info.text().endswith(" Here the loss does not change along them at all: nothing "
                                     "they feed reaches the output (a dead ReLU, for example).")


def test_the_3d_view_turns_when_dragged(panel, qtbot):
    toy = panel.toy
    panel.place_start(1.0, 1.5)
    panel.set_learning_rate(0.1)
    panel.step()
    click(qtbot, toy.view3d_check)
    view = toy.plot.surface3d
    assert toy.plot.is_3d and view.isVisible()
    # The path lies on the surface: (1, 1.5) and (0.8, 1.2) at the heights 3.25 and 2.08
    # (grid points of the bowl's 161×161 grid, so the interpolation is exact).
    np.testing.assert_allclose(view._path, [[1.0, 1.5, 3.25], [0.8, 1.2, 2.08]], rtol=1e-12)
    assert view._point == pytest.approx((0.8, 1.2, 2.08))
    azimuth, elevation = view.azimuth, view.elevation
    qtbot.mousePress(view, LEFT, pos=QPoint(100, 100))
    qtbot.mouseMove(view, QPoint(140, 90))
    qtbot.mouseRelease(view, LEFT, pos=QPoint(140, 90))
    assert view.azimuth == pytest.approx(azimuth + 20.0)
    assert view.elevation == pytest.approx(elevation - 5.0)
    assert not view.grab().isNull()
    click(qtbot, toy.view3d_check)
    assert not toy.plot.is_3d


def test_heights_between_grid_points_are_interpolated(panel):
    plot = panel.toy.plot                       # the bowl on a 161×161 grid over ±2
    xs, ys = np.array([0.0, 0.0125, 5.0]), np.array([0.0, 0.0, 0.0])
    h = plot.height_at(xs, ys)
    # Halfway between x = 0 and 0.025: (0 + 0.025²)/2; off the grid: NaN.
    assert h[0] == 0.0 and h[1] == pytest.approx(0.025 ** 2 / 2, rel=1e-12) and np.isnan(h[2])


def test_a_project_with_fewer_layers_replacing_a_running_one_is_followed(panel, session, clock,
                                                                         qtbot):
    """Training is running when a lesson opens a smaller project: the clock's last frame
    reaches the page before the page hears of the new project, and the slice's two
    parameters (in layer 3) do not exist there. The page chooses new ones, no exception."""
    from backprop_gui.resources import resource_path

    page = show_network(panel, qtbot)
    page.show_parameters(Selection.weight(3, 0, 0), Selection.bias(3, 1))
    clock.play()
    qtbot.waitUntil(lambda: clock.epoch > 2)
    session.open_copy(resource_path("lessons", "xor_no_hidden.bpnet"))
    assert session.network.sizes == [2, 1] and not clock.is_running
    assert all(p.exists_in(session.network.sizes) for p in page.parameters())
    qtbot.waitUntil(lambda: page.centre_loss() == pytest.approx(session.loss_on_dataset(),
                                                                 rel=1e-13))
