"""The Plots panel: curves equal the history, heatmaps show the parameters and gradients with
symmetric colour scales, the history slider shows stored snapshots, redraws are coalesced,
and export writes what it says."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor

from backprop_gui.engine.project import History
from backprop_gui.session.training_clock import TrainingClock, TrainingFrame
from backprop_gui.ui.plots.export import CSV_COLUMNS, export_history_csv, history_rows
from backprop_gui.ui.plots.first_layer import grid_shape, mosaic
from backprop_gui.ui.plots.epoch_axis import log_ticks
from backprop_gui.ui.plots.panel import TABS, PlotsPanel
from backprop_gui.ui.common.colors import DIVERGING_LUT, diverging_indices
from backprop_gui.ui.plots.heatmaps import short_number
from backprop_gui.ui.plots.style import nice_ceiling


def train(clock: TrainingClock, epochs: int) -> None:
    clock.set_setting("max_epochs", epochs)
    clock.play()
    while clock.is_running:
        clock.tick()


@pytest.fixture
def clock(session):
    c = TrainingClock(session)
    yield c
    c.pause()


@pytest.fixture
def panel(session, clock, qtbot):
    p = PlotsPanel(session, clock)
    qtbot.addWidget(p)
    p.resize(560, 600)
    p.show()
    qtbot.waitExposed(p)
    return p


def frame(streaming: bool = True) -> TrainingFrame:
    return TrainingFrame(epoch=1, steps=1, epoch_ended=False, streaming=streaming)


def show_tab(panel: PlotsPanel, name: str, qtbot) -> None:
    panel.tabs.setCurrentIndex(TABS.index(name))
    qtbot.wait(1)


def test_loss_curve_has_one_point_per_epoch_equal_to_the_history(session, clock, panel, qtbot):
    clock.set_setting("validation_fraction", 0.25)
    train(clock, 20)
    qtbot.waitUntil(lambda: panel.loss.train_loss.getData()[0] is not None
                    and len(panel.loss.train_loss.getData()[0]) == 20)
    x, y = panel.loss.train_loss.getData()
    h = session.project.history
    np.testing.assert_array_equal(x, np.log10(h.epoch))     # on the log epoch axis (default)
    assert list(y) == h.loss
    assert list(panel.loss.val_loss.getData()[1]) == h.val_loss
    assert list(panel.loss.train_acc.getData()[1]) == [100 * a for a in h.accuracy]
    assert panel.loss.readout.text().startswith("Latest: Epoch 20 · loss ")
    assert not panel.loss.empty_text.isVisible()


def test_loss_curves_are_set_again_only_when_an_epoch_was_added(qtbot):
    from backprop_gui.ui.plots.loss_plot import LossPlot

    plot = LossPlot()
    qtbot.addWidget(plot)
    history = History()
    for epoch in range(1, 4):
        history.append(epoch, 1.0 / epoch, 0.5)
    plot.set_history(history)
    calls = []
    plot.train_loss.setData = lambda *a, **k: calls.append(a)
    plot.set_history(history)              # a frame in which no epoch finished
    assert calls == []
    history.append(4, 0.2, 0.75)
    plot.set_history(history)
    assert len(calls) == 1 and list(calls[0][0]) == list(np.log10([1, 2, 3, 4]))
    assert plot.readout.text().startswith("Latest: Epoch 4 · loss 0.2")
    plot.set_log_scale(True)               # same epochs, new axis: drawn again
    assert len(calls) == 2


def test_the_epoch_axis_follows_a_run_of_any_length(qtbot):
    """12,451 epochs (3 s of Play without a speed limit) whose accuracy reaches 100 % at
    epoch 30: on the default log epoch axis the rise fills a third of the width, and the
    linear axis ends just past the last epoch, not at 20,000."""
    from backprop_gui.ui.plots.loss_plot import LossPlot

    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(560, 500)
    plot.show()
    qtbot.waitExposed(plot)
    history = History()
    for epoch in range(1, 12_452):
        history.append(epoch, 0.6 / epoch, 1.0 if epoch >= 30 else 0.5)
    plot.set_history(history)
    assert plot.log_epochs and plot.log_epochs_check.isChecked()
    low, high = plot.accuracy_plot.getViewBox().viewRange()[0]      # the axes are linked
    assert low <= 0.0 and np.log10(12_451) <= high <= np.log10(15_000) + 0.1
    assert (np.log10(30) - low) / (high - low) > 0.33               # where the accuracy climbs
    labels = [text for value, text in plot.accuracy_plot.getAxis("bottom")._tickLevels[0]]
    assert labels == ["1", "10", "100", "1000", "10000"]
    x, _ = plot.train_acc.getData()
    assert len(x) <= 2_000 and x[0] == 0.0                          # thinned, from epoch 1
    qtbot.mouseClick(plot.log_epochs_check, Qt.MouseButton.LeftButton)
    assert not plot.log_epochs
    low, high = plot.loss_plot.getViewBox().viewRange()[0]
    assert 12_451 <= high <= 15_000 * 1.05                          # was 20,000: 38 % empty
    assert plot.accuracy_plot.getViewBox().viewRange()[1] == [-8, 108]  # still 0 … 100 %


def test_empty_history_shows_how_to_start(panel):
    assert panel.loss.empty_text.isVisible()
    assert "Play" in panel.loss.empty_text.toPlainText()


def test_redraws_are_coalesced_to_one_per_event_loop_turn(session, clock, panel, qtbot):
    qtbot.wait(5)
    before = panel.redraws
    for _ in range(20):
        session.parameters_changed.emit()
        session.values_changed.emit()
    assert panel.redraws == before
    qtbot.waitUntil(lambda: panel.redraws == before + 1)
    qtbot.wait(5)
    assert panel.redraws == before + 1


def test_a_training_frame_redraws_once_at_its_end(session, clock, panel, qtbot):
    qtbot.wait(5)
    before = panel.redraws
    session.parameters_changed.emit()       # what a tick emits first …
    clock.frame.emit(frame())               # … and last: the redraw happens now, once
    assert panel.redraws == before + 1
    qtbot.wait(5)
    assert panel.redraws == before + 1


def test_log_scale_toggle(session, clock, panel, qtbot):
    train(clock, 5)
    qtbot.mouseClick(panel.log_check, Qt.MouseButton.LeftButton)
    assert panel.loss.log_scale
    assert panel.loss.loss_plot.getAxis("left").logMode
    h = session.project.history
    x, y = panel.loss.train_loss.getData()           # on the log axis: log10 of the loss
    np.testing.assert_array_equal(x, np.log10(h.epoch))
    np.testing.assert_allclose(y, np.log10(h.loss), rtol=1e-12)
    low, high = panel.loss.loss_plot.getViewBox().viewRange()[1]
    assert low <= np.log10(min(h.loss)) and np.log10(max(h.loss)) <= high   # all in view
    panel.loss.set_history(h)                        # a frame without a new epoch: unchanged
    assert list(panel.loss.train_loss.getData()[1]) == list(y)
    qtbot.mouseClick(panel.log_check, Qt.MouseButton.LeftButton)
    assert list(panel.loss.train_loss.getData()[1]) == h.loss     # back to the plain values


def assert_drawn_diverging(image, values: np.ndarray, limit: float) -> None:
    """The image shows `values` in the diverging map on ±limit: every cell within one
    step of the map of its exact colour; NaN cells clear."""
    image.render()
    qimage = image.qimage
    assert (qimage.height(), qimage.width()) == values.shape
    exact = diverging_indices(values, limit)
    for (j, i), k in np.ndenumerate(exact):
        if not np.isfinite(values[j, i]):
            assert QColor.fromRgba(qimage.pixel(i, j)).alpha() == 0
            continue
        near = {tuple(DIVERGING_LUT[m]) for m in range(max(0, k - 1), min(255, k + 1) + 1)}
        rgb = QColor.fromRgba(qimage.pixel(i, j))
        assert (rgb.red(), rgb.green(), rgb.blue()) in near, (j, i)


def test_big_heatmaps_are_drawn_as_indexed_images_in_the_same_colours(qtbot):
    from backprop_gui.ui.plots.heatmaps import INDEXED_FROM, LayerHeatmaps

    heat = LayerHeatmaps("weights")
    qtbot.addWidget(heat)
    heat.set_shape([784, 8, 2])
    rng = np.random.default_rng(5)
    W = [rng.normal(size=(8, 784)), rng.normal(size=(2, 8))]
    b = [rng.normal(size=8), rng.normal(size=2)]
    W[0][3, 100] = np.nan                                  # a diverged weight
    heat.set_values(W, b)
    big, small = heat._layers
    assert W[0].size >= INDEXED_FROM and big.image_w.image.dtype == np.float64  # values as such
    assert small.image_w.image.shape == (2, 8, 4)          # small: RGBA made here
    for items, Wl in ((big, W[0]), (small, W[1])):
        assert_drawn_diverging(items.image_w, Wl, items.limit)


def test_heatmap_scales_follow_training_frames_a_few_times_a_second(qtbot):
    import backprop_gui.ui.plots.heatmaps as heatmaps_module

    heat = heatmaps_module.LayerHeatmaps("gradients")
    qtbot.addWidget(heat)
    heat.set_shape([4, 3, 2])
    rng = np.random.default_rng(2)
    W, b = [rng.normal(size=(3, 4)), rng.normal(size=(2, 3))], [rng.normal(size=3), rng.normal(size=2)]
    heat.set_values(W, b)
    first = heat.limits()
    big_W, big_b = [10 * w for w in W], [10 * v for v in b]
    heat.set_values(big_W, big_b, live=True)       # the next training frame, at once
    assert heat.limits() == first                  # the scale (and its numbers) waits…
    assert heat.shown_values()[0] is big_W         # … the colours do not
    assert_drawn_diverging(heat._layers[0].image_w, big_W[0], first[0])   # saturated ends
    heat._rescale.interval_ms = 0.0                # a quarter second later
    heat.set_values(big_W, big_b, live=True)
    rescaled = heat.limits()
    assert all(new > old for new, old in zip(rescaled, first))
    heat.set_values(W, b)                          # not live (paused, a step): exact at once
    assert heat.limits() == first


def test_gradient_heatmaps_show_the_last_step_with_symmetric_levels(session, clock, panel, qtbot):
    clock.step_epoch()
    show_tab(panel, "Gradients", qtbot)
    grads = clock.recorder.gradients()
    heat = panel.gradients
    shown_w, shown_b = heat.shown_values()
    n_layers = session.network.n_layers
    assert n_layers == 3
    assert len(heat._layers) == len(shown_w) == len(shown_b) == n_layers   # the loop sees each
    for l, items in enumerate(heat._layers):
        assert np.array_equal(shown_w[l], grads.dW[l])
        assert np.array_equal(shown_b[l], grads.db[l])
        largest = max(np.abs(grads.dW[l]).max(), np.abs(grads.db[l]).max())
        high = items.limit
        assert largest <= high <= 1.25 * largest             # ±max|g|, rounded up
        assert_drawn_diverging(items.image_w, grads.dW[l], high)
        assert_drawn_diverging(items.image_b, grads.db[l].reshape(-1, 1), high)
        # The bar: the same map from −1 to 1, labelled −high, 0, +high (symmetric on white).
        assert tuple(items.bar.levels()) == (-1.0, 1.0)
        ticks = items.bar.axis._tickLevels[0]
        assert [text for _, text in ticks] == ["−" + short_number(high), "0",
                                               "+" + short_number(high)]
        assert [round(v, 6) for v, _ in ticks] == [-1.0, 0.0, 1.0]


def test_weight_heatmap_rows_are_to_neurons_and_hover_names_the_weight(session, panel, qtbot):
    show_tab(panel, "Weights", qtbot)
    items = panel.weights._layers[0]
    assert items.image_w.image.shape[:2] == (6, 16)       # rows: to-neurons of layer 1
    W = session.network.weights[0]
    vb = items.plot_w.getViewBox()
    text = panel.weights.describe_at(vb.mapViewToScene(QPointF(5, 3)))
    assert text.startswith("W¹[3,5]") and "from neuron 5" in text and "to neuron 3" in text
    assert text.endswith(f"{W[2, 4]:.4g}".replace("-", "−"))


def step_epochs(clock: TrainingClock, n: int, qtbot) -> None:
    for _ in range(n):
        clock.step_epoch()           # one tick each: one snapshot per epoch
    qtbot.wait(1)


def test_history_slider_shows_the_stored_weights_of_an_epoch(session, clock, panel, qtbot):
    step_epochs(clock, 8, qtbot)
    epochs = clock.recorder.snapshots.epochs
    assert panel.slider.maximum() == len(epochs)          # the last position is "now"
    show_tab(panel, "Weights", qtbot)
    panel.slider.setValue(1)
    snap = clock.recorder.snapshots.snapshot_at(epochs[1])
    assert panel.shown_snapshot() is snap
    shown_w, _ = panel.weights.shown_values()
    for l in range(len(panel.weights._layers)):
        assert np.array_equal(shown_w[l], snap.weights[l])
    assert not np.array_equal(shown_w[0], session.network.weights[0])
    assert panel.slider_label.text().startswith(f"Epoch {snap.epoch}")
    show_tab(panel, "Loss", qtbot)                      # redrawn when it comes into view
    assert panel.loss.marks.marker_lines[0].value() == np.log10(snap.epoch)
    assert panel.loss.marks.marker_lines[0].isVisible()
    show_tab(panel, "Gradients", qtbot)
    assert np.array_equal(panel.gradients.shown_values()[0][0], snap.grad_weights[0])

    qtbot.mouseClick(panel.live_button, Qt.MouseButton.LeftButton)
    assert panel.shown_snapshot() is None
    assert panel.slider.value() == panel.slider.maximum()


def test_history_slider_range_follows_training_frames_lazily_then_exactly(
        session, clock, panel, qtbot):
    step_epochs(clock, 4, qtbot)
    stored = len(clock.recorder.snapshots.epochs)
    qtbot.waitUntil(lambda: panel.slider.maximum() == stored)
    panel._slider_range.interval_ms = 10_000
    net = session.network
    for epoch in range(100, 104):            # training moves on: four more snapshots
        clock.recorder.snapshots.add(epoch, 0.5, net, None)
    clock.frame.emit(frame())                # a streamed frame soon after the last redraw
    # The handle shows "now" at the right end either way: the range waits (no repaint)…
    assert panel.slider.maximum() == stored
    assert panel.slider.value() == panel.slider.maximum()
    # … and the frame that ends the stream gets the exact range.
    clock.frame.emit(frame(streaming=False))
    assert panel.slider.maximum() == stored + 4
    clock.recorder.snapshots.add(110, 0.4, net, None)
    clock.frame.emit(frame())
    assert panel.slider.maximum() == stored + 4
    panel._slider_range.interval_ms = 0.0    # as if 0.5 s went by
    clock.frame.emit(frame())
    assert panel.slider.maximum() == stored + 5


def test_go_back_here_restores_that_epoch_and_undo_returns(session, clock, panel, qtbot):
    step_epochs(clock, 8, qtbot)
    trained = [W.copy() for W in session.network.weights]
    panel.slider.setValue(3)
    snap = panel.shown_snapshot()
    assert snap.epoch == 3
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert all(np.array_equal(a, b) for a, b in zip(session.network.weights, snap.weights))
    assert session.project.history.epoch == [1, 2, 3]
    assert panel.shown_snapshot() is None
    session.undo_stack.undo()
    assert all(np.array_equal(a, b) for a, b in zip(session.network.weights, trained))


def test_gradient_size_plot_has_one_curve_per_layer(session, clock, panel, qtbot):
    for _ in range(4):
        clock.step_epoch()
    show_tab(panel, "Gradient size", qtbot)
    curves = panel.gradient_size.curves
    assert len(curves) == 3
    x, y = curves[0].getData()                 # the axis is logarithmic: log10 values
    assert list(x) == [1, 2, 3, 4]
    assert np.allclose(10 ** y, [r[0] for r in clock.recorder.gradient_sizes.rms])


def test_gradient_size_tab_before_any_training_is_empty_not_an_error(session, panel, qtbot):
    errors = []
    import sys

    hook, sys.excepthook = sys.excepthook, lambda *exc: errors.append(exc)
    try:
        show_tab(panel, "Gradient size", qtbot)
    finally:
        sys.excepthook = hook
    assert errors == []
    assert all(len(curve.getData()[0] or []) == 0 for curve in panel.gradient_size.curves)


def test_first_layer_tiles_are_the_neurons_weights_as_images(session, panel, qtbot):
    show_tab(panel, "First layer", qtbot)
    assert panel.tabs.isTabEnabled(TABS.index("First layer"))
    W = session.network.weights[0]
    image = panel.first_layer.tiles
    assert grid_shape(6, 4, 4) == (2, 3)
    assert np.array_equal(image[0:4, 0:4], W[0].reshape(4, 4))
    assert np.array_equal(image[0:4, 5:9], W[1].reshape(4, 4))
    assert np.isnan(image[0:4, 4]).all()                   # the gap between tiles …
    assert (panel.first_layer.image.image[0:4, 4, 3] == 0).all()   # … is transparent
    vb = panel.first_layer.plot.getViewBox()
    text = panel.first_layer.describe_at(vb.mapViewToScene(QPointF(5.5, 0.5)))
    assert text.startswith("Neuron 2, pixel (row 1, column 1)")
    limit = panel.first_layer.limit                         # the colour bar: ±limit at its ends
    assert np.abs(W).max() <= limit <= 1.25 * np.abs(W).max()
    ticks = panel.first_layer.bar.axis._tickLevels[0]
    assert [text for _, text in ticks] == ["−" + short_number(limit), "0", "+" + short_number(limit)]
    assert tuple(panel.first_layer.bar.levels()) == (-1.0, 1.0)


def test_first_layer_tab_is_off_for_points(session, panel, qtbot):
    session.load_builtin_dataset("blobs")
    qtbot.wait(1)
    assert not panel.tabs.isTabEnabled(TABS.index("First layer"))


def test_csv_export_writes_every_epoch(session, clock, panel, tmp_path):
    clock.set_setting("validation_fraction", 0.25)
    train(clock, 6)
    target = tmp_path / "history"
    panel.ask_path = lambda *args: str(target)
    written = panel.export_csv()
    assert written == tmp_path / "history.csv"
    with open(written, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == list(CSV_COLUMNS)
    h = session.project.history
    assert [int(r[0]) for r in rows[1:]] == h.epoch
    assert [float(r[1]) for r in rows[1:]] == h.loss        # exact: repr round-trips
    assert [float(r[4]) for r in rows[1:]] == h.val_accuracy


def test_csv_leaves_missing_values_empty(tmp_path):
    h = History()
    h.append(1, 0.5, 1.0)
    h.append(2, math.inf, 0.5)
    rows = history_rows(h)
    assert rows[1] == ["1", "0.5", "1.0", "", ""]
    assert rows[2][1] == "inf"
    export_history_csv(h, tmp_path / "h.csv")
    assert (tmp_path / "h.csv").read_text(encoding="utf-8").splitlines()[0] == ",".join(CSV_COLUMNS)


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_plot_export_writes_a_picture(session, clock, panel, tmp_path, fmt, qtbot):
    train(clock, 5)
    for tab in ("Loss", "Gradients"):
        show_tab(panel, tab, qtbot)
        target = tmp_path / f"{tab}.{fmt}"
        panel.ask_path = lambda *args, t=target: str(t)
        assert panel.export_current(fmt) == target
        data = target.read_bytes()
        assert data.startswith(b"\x89PNG") if fmt == "png" else b"<svg" in data[:400]


def test_failed_export_explains_and_writes_nothing(panel, tmp_path):
    problems = []
    panel._show_error = lambda title, text: problems.append(text)
    panel.ask_path = lambda *args: str(tmp_path / "missing-folder" / "loss.csv")
    assert panel.export_csv() is None
    assert problems and "could not be written" in problems[0]


def test_cancelled_export_writes_nothing(panel, tmp_path):
    panel.ask_path = lambda *args: ""
    assert panel.export_current("png") is None
    assert panel.export_csv() is None
    assert list(tmp_path.iterdir()) == []


def test_a_structure_change_rebuilds_the_heatmaps(session, panel, qtbot):
    show_tab(panel, "Weights", qtbot)
    session.add_layer(2, size=3)
    qtbot.waitUntil(lambda: len(panel.weights._layers) == 4)
    assert panel.weights._layers[1].image_w.image.shape[:2] == (3, 6)


def test_log_ticks_label_decades_and_1_2_5():
    major, minor = log_ticks(-2.2, -0.1)
    labels = [text for _, text in major]
    assert labels == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5"]
    many, _ = log_ticks(-8, 0)
    assert [t for _, t in many][0] == "1e−8"


def test_mosaic_lays_tiles_row_by_row():
    W = np.arange(3 * 4, dtype=float).reshape(3, 4)
    image = mosaic(W, (2, 2), (2, 2))
    assert image.shape == (5, 5)
    assert np.array_equal(image[0:2, 3:5], W[1].reshape(2, 2))
    assert np.array_equal(image[3:5, 0:2], W[2].reshape(2, 2))
    assert np.isnan(image[3:5, 3:5]).all()


def test_install_training_fills_the_window(qapp, tmp_path, qtbot):
    from PySide6.QtCore import QSettings

    from backprop_gui.ui.window.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, remember_layout=False)
    qtbot.addWidget(win)
    ui = win.training
    assert win.menu("Train").actions()[0] is ui.bar.play_action
    file_texts = [a.text() for a in win.menu("File").actions()]
    assert file_texts.count("Export &Plots") == 1
    assert file_texts.index("Export &Plots") == file_texts.index("Export Diagram as S&VG…") + 1
    panel = ui.panel()
    assert panel is ui.panel()                       # built once
    target = tmp_path / "loss.csv"
    panel.ask_path = lambda *args: str(target)
    ui.export_actions[2].trigger()
    assert target.exists()
    ui.clock.pause()


def test_nice_ceiling_rounds_up_by_at_most_a_quarter():
    for value in (0.0123, 0.17, 1.0, 3.3, 47.0, 9.9e-7):
        nice = nice_ceiling(value)
        assert value <= nice <= 1.25 * value
    assert nice_ceiling(0.17) == 0.2 and nice_ceiling(1.0) == 1.0


def test_a_hidden_panel_skips_redraws_and_catches_up_when_shown(session, clock, panel, qtbot):
    panel.hide()
    before = panel.redraws
    clock.step_epoch()
    clock.step_epoch()
    qtbot.wait(5)
    assert panel.redraws == before
    panel.show()
    qtbot.waitUntil(lambda: panel.redraws == before + 1)
    x, _ = panel.loss.train_loss.getData()
    np.testing.assert_array_equal(x, np.log10([1, 2]))


def test_colour_indices_cover_the_scale_and_take_nan_and_infinity_quietly():
    import warnings

    from backprop_gui.ui.common.colors import sequential_indices

    values = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, np.nan, np.inf, -np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # a diverged network: no overflow warnings
        div = diverging_indices(values, 1.0)
        seq = sequential_indices(values, 0.0, 1.0)
    # 255·(v/2 + 1/2) rounded half to even: −0.5 → 63.75 → 64, 0 → 127.5 → 128.
    assert div.tolist() == [0, 0, 64, 128, 191, 255, 255, 128, 255, 0]
    assert seq.tolist() == [0, 0, 0, 0, 128, 255, 255, 0, 255, 0]
    assert div.dtype == np.intp and values[3] == 0.0    # the input is left as it was


def test_a_window_deleted_before_its_first_paint_callbacks_run_raises_nothing(qtbot, qapp):
    """Found by the undo state machine: FirstPaint queued PlotsHost.panel with a bare
    singleShot, so a window closed and deleted in the same event-loop turn as its first
    paint then called into a deleted PlotsHost ("Internal C++ object already deleted")."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtGui import QPaintEvent
    from PySide6.QtWidgets import QMainWindow

    from backprop_gui.session.session import Session
    from backprop_gui.ui.window.first_paint import FirstPaint
    from backprop_gui.ui.training.install import PlotsHost

    window = QMainWindow()
    session = Session()
    clock = TrainingClock(session, window)
    first_paint = FirstPaint(window)
    host = PlotsHost(session, clock, first_paint.call_after)
    window.setCentralWidget(host)
    window.show()
    # The window's first paint, as Qt delivers it: PlotsHost.panel is queued for later.
    QCoreApplication.sendEvent(window, QPaintEvent(window.rect()))
    assert first_paint.painted and not host.is_built
    with qtbot.capture_exceptions() as exceptions:
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        qapp.processEvents()
    assert exceptions == []


def test_a_theme_change_restyles_every_plot_at_once(session, clock, panel, qtbot):
    """Preferences ▸ Theme ▸ Dark used to leave the plots white, with light grey labels
    on it; and back to Light, the other way round."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from backprop_gui.ui.common.theme import dark_palette

    train(clock, 3)
    for name in TABS:                                  # every page built
        show_tab(panel, name, qtbot)
    app = QApplication.instance()
    light = app.palette()
    views = panel.findChildren(pg.GraphicsView)
    assert len(views) >= 4

    def check(background: QColor, text: QColor) -> None:
        for view in views:
            assert view.backgroundBrush().color() == background, view
            items = view.scene().items()
            axes = [i for i in items if isinstance(i, pg.AxisItem) and i.isVisible()]
            assert axes, view
            for axis in axes:
                assert axis.textPen().color() == text
                if axis.labelText.strip():
                    assert axis.labelStyle["color"] == text.name(), axis.labelText
                    assert text.name() in axis.label.toHtml(), axis.labelText
            for label in (i for i in items if isinstance(i, pg.LabelItem) and i.text):
                assert label.opts["color"] == text.name(), label.text     # titles, legends
            for item in (i for i in items if isinstance(i, pg.TextItem)):
                assert item.color == text

    try:
        app.setPalette(dark_palette())
        qtbot.wait(1)                                  # Qt posts the palette change
        dark = dark_palette()
        check(dark.color(dark.ColorRole.Base), dark.color(dark.ColorRole.Text))
        titles = [i.text for v in views for i in v.scene().items() if isinstance(i, pg.LabelItem)]
        assert any(t.startswith("∂L/∂W¹") for t in titles)          # the heat maps' titles
        from backprop_gui.ui.plots.style import layer_colors

        curves = panel.gradient_size.curves                      # no dark purple on dark grey
        assert [c.opts["pen"].color() for c in curves] == layer_colors(len(curves))
    finally:
        app.setPalette(light)
        qtbot.wait(1)
    check(light.color(light.ColorRole.Base), light.color(light.ColorRole.Text))
