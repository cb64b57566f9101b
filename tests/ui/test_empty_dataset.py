"""A project whose dataset has no samples (the file format allows it) opens, every view
shows an empty state instead of a traceback, and adding a sample brings everything back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from backprop_gui.engine.projectfile import load_project, save_project
from backprop_gui.engine.selection import Selection
from backprop_gui.session.session import NO_SAMPLES, Session, default_project
from backprop_gui.ui.window.main_window import MainWindow


@pytest.fixture(autouse=True)
def private_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def empty_project(name: str = "digits01"):
    project = default_project(name)
    ds = project.dataset
    ds.inputs, ds.labels = ds.inputs[:0], ds.labels[:0]
    project.selected_sample = 0
    return project


@pytest.fixture(params=["digits01", "xor", "moons", "digits"])
def empty_file(tmp_path, request):
    """Empty image (two and ten classes), table and points datasets."""
    path = tmp_path / "empty.bpnet"
    save_project(empty_project(request.param), path)
    return path


@pytest.fixture
def window(qtbot, private_settings, empty_file):
    session = Session()
    w = MainWindow(session, settings=private_settings)
    qtbot.addWidget(w)
    w.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    assert w.files.open_path(empty_file, ask=False)
    qtbot.wait(50)
    return w


def test_the_file_round_trips_with_no_samples(empty_file):
    project = load_project(empty_file)
    assert project.dataset.n_samples == 0
    assert project.dataset.inputs.shape == (0, project.network.sizes[0])


def test_every_view_opens_on_an_empty_dataset_and_says_so(window, qtbot):
    session = window.session
    assert not session.has_samples
    # Each panel that shows a sample says there is none, in words.
    input_panel = window.panel("Input")
    assert input_panel.current_editor is input_panel.empty_page
    assert input_panel.empty_page.isVisible() and input_panel.empty_label.text() == NO_SAMPLES
    assert not input_panel.output_chart.isVisible()
    assert window.stepper.cursor.steps == [] and window.stepper.cursor.error == NO_SAMPLES
    assert not window.stepper.commands.export.isEnabled()  # no worksheet of nothing
    window.stepper.next()
    window.stepper.last()
    for tab in range(window.stepper.tabs.count()):
        window.stepper.tabs.setCurrentIndex(tab)
        qtbot.wait(10)
    # The diagram still shows the network and its weights, and selecting things works.
    inspector = window.inspector
    L = session.network.n_layers
    for selection in (Selection.neuron(0, 0), Selection.neuron(1, 0), Selection.bias(1, 0),
                      Selection.neuron(L, 0), Selection.weight(1, 0, 0)):
        session.select(selection)
        qtbot.wait(10)
        assert NO_SAMPLES in inspector.note.text()
    assert "Weight W¹[1,1]" in inspector.title.text()
    assert inspector.editor.isVisible()  # a weight can still be edited
    assert inspector.editor.text() == f"{session.network.weights[0][0, 0]:.6g}".replace("-", "−")
    # Training with nothing to learn from says why instead of failing.
    messages = []
    clock = window.training.clock
    clock.failed.connect(messages.append)
    clock.play()
    clock.step_epoch()
    clock.step_batch()
    assert not clock.is_running
    assert messages and NO_SAMPLES in messages[-1]
    # No bare NaN anywhere: the toolbar says why there is no loss, the diagram shows the
    # weights with a note instead of a "does not fit" banner.
    assert window.training.bar.progress.text() == "No samples to train on"
    assert window.view.problem() == ""
    assert not window.stepper.page.hover_line.isVisible()
    window.view.set_color_mode("gradients")
    plots = window.training.panel()
    window.dock("Plots").raise_()
    for tab in range(plots.tabs.count()):
        plots.tabs.setCurrentIndex(tab)
        qtbot.wait(10)
    window.grab()  # paints every visible view


def test_adding_a_sample_brings_every_view_back(window, qtbot):
    session = window.session
    panel = window.panel("Dataset")
    panel.add_button.click()
    qtbot.wait(20)
    assert session.has_samples and session.dataset.n_samples == 1
    assert window.stepper.cursor.error == "" and len(window.stepper.cursor.steps) > 0
    input_panel = window.panel("Input")
    assert input_panel.current_editor is not input_panel.empty_page
    assert input_panel.current_editor.isVisible() and input_panel.output_chart.isVisible()
    session.undo_stack.undo()
    qtbot.wait(20)
    assert not session.has_samples
    assert window.stepper.cursor.error == NO_SAMPLES
    window.grab()


def test_loading_a_built_in_dataset_replaces_the_empty_one(window, qtbot):
    window.panel("Dataset").load_dataset("xor")
    qtbot.wait(20)
    assert window.session.dataset.n_samples == 4
    assert len(window.stepper.cursor.steps) > 0
    window.grab()
