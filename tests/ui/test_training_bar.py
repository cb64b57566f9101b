"""The Training toolbar and settings, driven like a person: buttons, the Space shortcut,
the settings fields, the divergence banner and the Train menu."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow

from backprop_gui.ui.training.training_bar import SHORTCUTS, TrainingBar, progress_text
from backprop_gui.ui.training.training_settings import lr_to_slider, slider_to_lr


def params(net):
    return [p.copy() for pair in zip(net.weights, net.biases) for p in pair]


@pytest.fixture
def window(session, qtbot):
    win = QMainWindow()
    bar = TrainingBar(session)
    win.addToolBar(bar)
    host = QLabel("diagram")
    host.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    win.setCentralWidget(host)
    bar.banner.attach(host)
    bar.populate_menu(win.menuBar().addMenu("&Train"))
    qtbot.addWidget(win)
    win.resize(1280, 400)
    win.show()
    qtbot.waitExposed(win)
    win.bar = bar
    yield win
    bar.clock.pause()


def button(bar: TrainingBar, action):
    return bar.widgetForAction(action)


def test_play_button_starts_and_pauses_training(window, session, qtbot):
    bar = window.bar
    qtbot.mouseClick(button(bar, bar.play_action), Qt.MouseButton.LeftButton)
    assert bar.clock.is_running
    assert bar.play_action.text() == "Pause"
    qtbot.waitUntil(lambda: len(session.project.history) > 3)
    qtbot.mouseClick(button(bar, bar.play_action), Qt.MouseButton.LeftButton)
    assert not bar.clock.is_running
    assert bar.play_action.text() == "Play"
    assert session.undo_stack.undoText().startswith("Train epoch")


def test_space_plays_and_pauses(window, session, qtbot):
    window.activateWindow()
    window.centralWidget().setFocus()
    qtbot.keyClick(window.centralWidget(), Qt.Key.Key_Space)
    assert window.bar.clock.is_running
    qtbot.keyClick(window.centralWidget(), Qt.Key.Key_Space)
    assert not window.bar.clock.is_running


def test_space_still_presses_a_focused_button_or_check_box(window, qtbot):
    from PySide6.QtWidgets import QCheckBox, QPushButton, QVBoxLayout, QWidget

    panel = QWidget()
    layout = QVBoxLayout(panel)
    button, check, own = QPushButton("Other"), QCheckBox("Option"), QWidget()
    own.setProperty("uses_space_key", True)   # a widget of ours that uses Space itself
    own.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    own.setMinimumSize(20, 20)
    for widget in (button, check, own):
        layout.addWidget(widget)
    window.setCentralWidget(panel)
    clicks = []
    button.clicked.connect(lambda: clicks.append(1))
    window.activateWindow()
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    check.setFocus()
    qtbot.keyClick(check, Qt.Key.Key_Space)
    assert clicks == [1] and check.isChecked()
    assert not window.bar.clock.is_running
    own.setFocus()
    assert own.hasFocus()
    qtbot.keyClick(own, Qt.Key.Key_Space)
    assert not window.bar.clock.is_running


def test_one_epoch_and_one_batch_buttons(window, session, qtbot):
    bar = window.bar
    qtbot.mouseClick(button(bar, bar.epoch_action), Qt.MouseButton.LeftButton)
    assert session.project.history.epoch == [1]
    assert bar.progress.text().startswith("Epoch 1 · mean loss ")
    assert "accuracy" in bar.progress.text()
    steps = bar.clock.trainer.steps
    qtbot.mouseClick(button(bar, bar.batch_action), Qt.MouseButton.LeftButton)
    assert bar.clock.trainer.steps == steps + 1


def test_reset_button_starts_over_in_one_undo_step(window, session, qtbot):
    bar = window.bar
    start = params(session.network)
    bar.clock.step_epoch()
    qtbot.mouseClick(button(bar, bar.reset_action), Qt.MouseButton.LeftButton)
    assert len(session.project.history) == 0
    assert all(np.array_equal(a, b) for a, b in zip(params(session.network), start))
    assert bar.progress.text().startswith("Not trained yet")
    session.undo_stack.undo()
    assert session.project.history.epoch == [1]


def test_learning_rate_field_and_slider_write_the_settings(window, session, qtbot):
    control = window.bar.learning_rate
    control.field.setValue(0.5)
    assert session.training.learning_rate == 0.5
    assert control.slider.value() == lr_to_slider(0.5)
    control.slider.setFocus()
    qtbot.keyClick(control.slider, Qt.Key.Key_PageUp)
    assert session.training.learning_rate == slider_to_lr(lr_to_slider(0.5) + control.slider.pageStep())
    assert control.field.value() == session.training.learning_rate
    # The settings drop-down's copy follows.
    assert window.bar.settings.learning_rate.field.value() == session.training.learning_rate
    session.undo_stack.undo()
    assert session.training.learning_rate == 0.1
    assert control.field.value() == 0.1


def test_slider_is_logarithmic_from_1e_4_to_10():
    assert slider_to_lr(0) == 1e-4
    assert slider_to_lr(500) == 10.0
    assert slider_to_lr(lr_to_slider(0.1)) == 0.1


def test_settings_fields_write_the_training_config(window, session, qtbot):
    s = window.bar.settings
    assert not s.batch_size.isEnabled()
    s.optimizer.setCurrentIndex(s.optimizer.findData("minibatch"))
    assert session.training.optimizer == "minibatch"
    assert s.batch_size.isEnabled()
    s.batch_size.setValue(4)
    s.momentum.setValue(0.9)
    s.l2.setValue(0.001)
    s.l1.setValue(0.0002)
    s.seed.setValue(7)
    s.validation.setValue(25)
    s.stop_epochs_check.setChecked(True)
    s.stop_epochs.setValue(30)
    s.stop_loss_check.setChecked(True)
    s.stop_loss.setValue(0.02)
    c = session.training
    assert (c.batch_size, c.momentum, c.l2, c.l1, c.seed) == (4, 0.9, 0.001, 0.0002, 7)
    assert c.validation_fraction == 0.25
    assert (c.max_epochs, c.target_loss) == (30, 0.02)
    assert session.modified
    s.stop_epochs_check.setChecked(False)
    assert session.training.max_epochs is None
    assert not s.stop_epochs.isEnabled()
    session.undo_stack.undo()
    assert session.training.max_epochs == 30
    assert s.stop_epochs_check.isChecked() and s.stop_epochs.value() == 30


def test_every_control_explains_itself(window):
    s = window.bar.settings
    for widget in (s.optimizer, s.batch_size, s.momentum, s.l2, s.l1, s.seed, s.validation,
                   s.stop_epochs, s.stop_loss, s.learning_rate.slider, s.learning_rate.field,
                   window.bar.speed_combo, window.bar.settings_button, window.bar.progress):
        assert len(widget.toolTip()) > 20, widget.objectName()
    for action in (window.bar.play_action, window.bar.epoch_action, window.bar.batch_action,
                   window.bar.reset_action, window.bar.restore_action):
        assert action.toolTip()


def test_divergence_shows_a_banner_whose_button_restores_the_weights(window, session, qtbot):
    bar = window.bar
    bar.clock.set_setting("max_epochs", 5)
    bar.clock.play()
    while bar.clock.is_running:
        bar.clock.tick()
    good = params(session.network)
    bar.clock.set_setting("max_epochs", None)
    field = bar.learning_rate.field        # type a huge rate, as a curious student would
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "1000000")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert session.training.learning_rate == 1e6
    assert bar.learning_rate.slider.value() == bar.learning_rate.slider.maximum()
    bar.clock.play()
    while bar.clock.is_running:
        bar.clock.tick()
    assert bar.banner.isVisible()
    assert "learning rate" in bar.banner.text.text()
    assert bar.restore_action.isEnabled()
    assert bar.progress.text().endswith("diverged")
    qtbot.mouseClick(bar.banner.restore_button, Qt.MouseButton.LeftButton)
    assert not bar.banner.isVisible()
    assert all(np.array_equal(a, b) for a, b in zip(params(session.network), good))
    assert not bar.restore_action.isEnabled()


def test_speed_choice_reaches_the_clock_and_the_menu(window):
    bar = window.bar
    bar.speed_combo.setCurrentIndex(1)
    assert bar.clock.speed == 5
    assert bar.speed_actions[1].isChecked()
    bar.speed_actions[-1].trigger()
    assert bar.clock.speed is None
    assert bar.speed_combo.currentText() == "As fast as possible"


def test_a_first_play_is_watchable_and_full_speed_is_one_click_away(window, session, qtbot,
                                                                     monkeypatch):
    from backprop_gui.session import training_clock

    bar = window.bar
    assert bar.speed_combo.currentText() == "10 epochs/s" and bar.clock.speed == 10
    # Three seconds of Play on the clock's time: the first epoch at once, then one every
    # tenth of a second (without a limit, tens of thousands).
    now = [100.0]
    monkeypatch.setattr(training_clock, "perf_counter", lambda: now[0])
    bar.clock.play()
    for _ in range(300):                        # 300 frames of 10 ms
        now[0] += 0.01
        bar.clock.tick()
    bar.clock.pause()
    assert bar.clock.epoch == 31
    full = button(bar, bar.full_speed_action)
    qtbot.mouseClick(full, Qt.MouseButton.LeftButton)
    assert bar.clock.speed is None and bar.full_speed_action.isChecked()
    assert bar.speed_combo.currentText() == "As fast as possible"
    qtbot.mouseClick(full, Qt.MouseButton.LeftButton)       # and back to the watchable speed
    assert bar.clock.speed == 10 and not bar.full_speed_action.isChecked()
    bar.speed_combo.setCurrentIndex(bar.speed_combo.findText("20 epochs/s"))
    qtbot.mouseClick(full, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(full, Qt.MouseButton.LeftButton)       # back to the speed chosen last
    assert bar.clock.speed == 20


def test_train_menu_lists_the_actions_with_their_shortcuts(window):
    menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[:3] == ["Play", "One Epoch", "One Batch"]
    assert "Reset" in texts and "Restore Last Good Weights" in texts
    assert window.bar.play_action.shortcut() == QKeySequence("Space")
    assert "(Space)" in window.bar.play_action.toolTip()


def test_shortcuts_do_not_clash_with_the_main_window(qapp, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QAction

    from backprop_gui.ui.window.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, remember_layout=False)
    try:
        seen: dict[str, str] = {}
        for action in win.findChildren(QAction):
            for key in action.shortcuts():
                text = key.toString()
                if not text:
                    continue
                assert text not in seen or seen[text] == action.text(), (
                    f"{text} is used by {seen.get(text)!r} and {action.text()!r}")
                seen[text] = action.text()
        for key in SHORTCUTS.values():
            assert QKeySequence(key).toString() in seen
    finally:
        win.training.clock.pause()
        win.deleteLater()


def test_progress_text_before_and_after_training(session):
    assert progress_text(session).startswith("Not trained yet · mean loss ")
    session.project.history.append(3, 0.25, 1.0)
    assert progress_text(session) == "Epoch 3 · mean loss 0.25 · accuracy 100\u00a0%"


@pytest.mark.parametrize("width", [1024, 1280, 1920])
def test_the_learning_rate_label_slider_and_field_stay_together(window, qtbot, width):
    """At 1920 px the toolbar's spare room went into gaps inside the learning-rate control:
    its slider stood ~180 px from the "Learning rate" label and its field as far again."""
    window.resize(width, 400)
    qtbot.wait(20)
    bar, control = window.bar, window.bar.learning_rate
    label = next(w for w in bar.findChildren(QLabel) if w.text().strip() == "Learning rate")
    if not control.isVisible():           # in the » overflow menu of a narrow bar
        return
    def left(widget):
        return widget.mapTo(bar, widget.rect().topLeft()).x()

    def right(widget):
        return left(widget) + widget.width()

    assert 0 <= left(control.slider) - right(label) <= 12
    assert 0 <= left(control.field) - right(control.slider) <= 8
    assert control.slider.width() >= 90
