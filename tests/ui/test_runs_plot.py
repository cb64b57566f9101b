"""The Loss plot with kept runs: one curve per visible run in its colour, named in the legend
as plain text; x in epochs, weight updates or samples seen; the runs list shows, hides,
renames and deletes them (renaming and deleting undoably)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit

from backprop_gui.engine.compare import CompareJob, preset_variants
from backprop_gui.engine.runs import epoch_counts
from backprop_gui.session.training_clock import TrainingClock
from backprop_gui.ui.plots.panel import PlotsPanel
from backprop_gui.ui.plots.run_curves import RUN_COLORS


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
    job = CompareJob(session.network, session.dataset, replace(session.training, batch_size=5),
                     preset_variants("optimizers", replace(session.training, batch_size=5)),
                     epochs=7)
    job.advance()
    session.runs.add(job.runs, "Compare")
    p = PlotsPanel(session, clock)
    qtbot.addWidget(p)
    p.loss.set_log_epochs(False)    # a linear x axis: the view's x are the axis' values
    p.resize(560, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


def settle(qtbot) -> None:
    qtbot.wait(5)


def test_each_visible_run_is_a_curve_equal_to_its_history_named_in_the_legend(session, panel,
                                                                             qtbot):
    settle(qtbot)
    curves = panel.loss.run_curves
    assert len(curves.loss_curves) == 3
    for run, loss, acc in zip(session.runs, curves.loss_curves, curves.accuracy_curves,
                              strict=True):
        x, y = loss.getData()
        assert list(x) == run.history.epoch == [1, 2, 3, 4, 5, 6, 7]
        assert list(y) == run.history.loss
        assert list(acc.getData()[1]) == [100 * a for a in run.history.accuracy]
        assert loss.opts["pen"].color() == RUN_COLORS[run.color]
    assert curves.legend_names() == [run.name for run in session.runs]


def test_the_x_axis_counts_updates_or_samples_where_batch_gd_and_sgd_differ(session, clock,
                                                                           panel, qtbot):
    clock.set_setting("optimizer", "sgd")
    train(clock, 3)
    settle(qtbot)
    n = session.dataset.n_samples
    combo = panel.loss.x_axis_combo
    combo.setCurrentIndex(combo.findData("updates"))
    settle(qtbot)
    batch, minibatch, sgd = (c.getData()[0] for c in panel.loss.run_curves.loss_curves)
    assert list(batch) == [1, 2, 3, 4, 5, 6, 7]                       # one update an epoch
    assert list(minibatch) == [e * -(-n // 5) for e in range(1, 8)]  # ⌈N/5⌉ updates an epoch
    assert list(sgd) == [e * n for e in range(1, 8)]                  # N updates an epoch
    live_updates = epoch_counts(n, session.training)[0]
    assert live_updates == n                                          # trained with SGD
    assert list(panel.loss.train_loss.getData()[0]) == [e * live_updates for e in (1, 2, 3)]
    assert panel.loss.accuracy_plot.getAxis("bottom").labelText == "Weight updates"
    combo.setCurrentIndex(combo.findData("samples"))
    settle(qtbot)
    for curve in panel.loss.run_curves.loss_curves:
        assert list(curve.getData()[0]) == [e * n for e in range(1, 8)]
    assert panel.loss.accuracy_plot.getAxis("bottom").labelText == "Samples seen"
    combo.setCurrentIndex(combo.findData("epochs"))
    settle(qtbot)
    assert list(panel.loss.train_loss.getData()[0]) == [1, 2, 3]


def item_center(panel, row: int) -> QPoint:
    return panel.runs_list.list.visualItemRect(panel.runs_list.list.item(row)).center()


def test_unticking_a_run_hides_its_curve_without_an_undo_step(session, panel, qtbot):
    settle(qtbot)
    steps = session.undo_stack.count()
    item = panel.runs_list.list.item(1)
    item.setCheckState(Qt.CheckState.Unchecked)         # what a click on its box does
    settle(qtbot)
    assert not session.runs[1].visible
    assert panel.loss.run_curves.legend_names() == [session.runs[0].name, session.runs[2].name]
    assert len(panel.loss.run_curves.loss_curves) == 2
    assert session.undo_stack.count() == steps


def test_rename_by_typing_shows_the_name_as_text_and_undo_restores_it(session, panel, qtbot):
    settle(qtbot)
    lst = panel.runs_list.list
    lst.setCurrentRow(0)
    qtbot.mouseClick(panel.runs_list.rename_button, Qt.MouseButton.LeftButton)
    editor = lst.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, "<b>slow</b> & steady")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle(qtbot)
    assert session.runs[0].name == "<b>slow</b> & steady"
    assert panel.loss.run_curves.legend_names()[0] == "<b>slow</b> & steady"
    assert lst.item(0).text() == "<b>slow</b> & steady"
    old = session.runs[1].name
    session.undo_stack.undo()
    settle(qtbot)
    assert panel.loss.run_curves.legend_names()[0] == "Batch GD, α = 0.1"
    assert session.runs[1].name == old


def test_a_name_with_an_ampersand_reads_as_typed_in_the_edit_menu(session, main_window, qtbot):
    """"&" in a menu item underlines the next letter ("A & B" showed as "A  B", the space
    underlined): the Undo and Redo items escape it (plain_text.action_text)."""
    job = CompareJob(session.network, session.dataset, session.training,
                     preset_variants("optimizers", session.training), epochs=2)
    job.advance()
    session.runs.add(job.runs, "Compare")
    old = session.runs[0].name
    plots = main_window.training.panel()
    lst = plots.runs_list.list
    main_window.dock("Plots").raise_()
    qtbot.waitUntil(lst.isVisible)
    lst.setCurrentRow(0)
    qtbot.mouseClick(plots.runs_list.rename_button, Qt.MouseButton.LeftButton)
    editor = lst.findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "A & B")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle(qtbot)
    assert session.runs[0].name == "A & B"
    undo, redo = main_window.window_actions.undo, main_window.window_actions.redo
    assert undo in main_window.menu("Edit").actions()
    # iconText: the text as the menu shows it, without the "&" of the shortcut letter.
    assert undo.iconText() == f"Undo Rename run “{old}” to “A & B”"
    assert undo.text() == f"&Undo Rename run “{old}” to “A && B”"
    undo.trigger()
    assert redo.iconText() == f"Redo Rename run “{old}” to “A & B”"
    redo.trigger()
    session.runs.delete(0)
    assert undo.iconText() == "Undo Delete run “A & B”"


def test_an_empty_name_is_refused_with_a_message(session, panel, qtbot):
    messages = []
    panel.message_posted.connect(messages.append)
    lst = panel.runs_list.list
    lst.item(2).setText("   ")
    assert session.runs[2].name.startswith("SGD")
    assert lst.item(2).text() == session.runs[2].name
    assert messages == ["Not renamed: A run needs a name"]


def test_delete_removes_the_run_and_undo_brings_it_back(session, panel, qtbot):
    settle(qtbot)
    panel.runs_list.list.setCurrentRow(1)
    qtbot.mouseClick(panel.runs_list.delete_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert [r.name.split(",")[0] for r in session.runs] == ["Batch GD", "SGD"]
    assert len(panel.loss.run_curves.loss_curves) == 2
    session.undo_stack.undo()
    settle(qtbot)
    assert len(panel.loss.run_curves.loss_curves) == 3
    assert panel.runs_list.list.count() == 3


def test_the_runs_list_is_hidden_while_there_are_no_runs(session, panel, qtbot):
    assert panel.runs_list.isVisible()
    session.new_project()
    settle(qtbot)
    assert not panel.runs_list.isVisible()
    assert panel.loss.run_curves.loss_curves == []
    assert panel.loss.empty_text.isVisible()


def test_on_a_log_x_axis_each_run_is_drawn_at_log10_of_its_epochs(panel,
                                                                     session):
    panel.loss.set_log_epochs(True)
    panel.redraw()
    for run, curve in zip(session.runs, panel.loss.run_curves.loss_curves):
        np.testing.assert_allclose(curve.getData()[0], np.log10(run.history.epoch))
