"""Train ▸ Compare…: a person picks settings, trains them and finds them kept as runs whose
curves are exactly the engine Trainer's for each setting from the same weights."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from backprop_gui.engine.compare import variant_name
from backprop_gui.engine.training import Trainer
from backprop_gui.ui.window.main_window import MainWindow
from backprop_gui.ui.runs.compare_dialog import CompareDialog


@pytest.fixture
def window(qtbot, session, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(session, settings=settings)
    qtbot.addWidget(window)
    window.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def open_dialog(window, qtbot) -> CompareDialog:
    action = next(a for a in window.menu("Train").actions() if a.text() == "&Compare…")
    action.trigger()
    dialog = window.findChild(CompareDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_compare_from_the_train_menu_keeps_the_trainers_runs(window, session, qtbot):
    weights = [W.copy() for W in session.network.weights]
    dialog = open_dialog(window, qtbot)
    dialog.preset.setCurrentIndex(dialog.preset.findData("optimizers"))
    dialog.epochs.setValue(4)
    names = [dialog.rows[i].name.text() for i in range(3)]
    assert names[0].startswith("Batch GD") and names[2].startswith("SGD")
    assert not dialog.rows[3].name.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.finished, timeout=30_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert [r.name for r in session.runs] == names
    for run, optimizer in zip(session.runs, ("batch", "minibatch", "sgd"), strict=True):
        config = replace(session.training, optimizer=optimizer)
        trainer = Trainer(session.network.copy(), session.dataset, config)
        trainer.train(epochs=4)
        assert run.history.loss == trainer.history.loss       # exactly
        assert run.history.accuracy == trainer.history.accuracy
    # The network itself did not train.
    assert all((W == V).all() for W, V in zip(session.network.weights, weights))
    assert "Kept 3 runs" in window.statusBar().currentMessage()


def test_editing_a_setting_makes_a_custom_comparison_named_after_it(window, session, qtbot):
    dialog = open_dialog(window, qtbot)
    dialog.preset.setCurrentIndex(dialog.preset.findData("momentum"))
    row = dialog.rows[1]
    row.learning_rate.setValue(0.5)
    assert dialog.preset.currentData() == "Custom"
    assert row.name.text() == variant_name(replace(session.training, momentum=0.9,
                                                   learning_rate=0.5))
    assert row.name.text().endswith(", α = 0.5, momentum 0.9")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert len(dialog.variants()) == 3
    row3 = dialog.rows[2]
    row3.name.setText("My <i>own</i>")
    dialog.epochs.setValue(2)
    with qtbot.waitSignal(dialog.finished, timeout=30_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert session.runs[2].name == "My <i>own</i>"
    assert session.runs[1].training.learning_rate == 0.5


def test_cancel_while_training_keeps_nothing_and_the_window_stays_responsive(window, session,
                                                                             qtbot):
    dialog = open_dialog(window, qtbot)
    dialog.epochs.setValue(100_000)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.progress.isVisible() and not dialog.start_button.isEnabled()
    # The event loop keeps turning while it trains: a few hundred slices' worth of events.
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=5000)
    QApplication.processEvents()
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert len(session.runs) == 0
    assert "cancelled" in window.statusBar().currentMessage()
