"""The training settings' widgets hold every value a project file may hold (the ranges of
engine.limits), show it, and the clock refuses anything beyond with a message naming it."""

from __future__ import annotations

import json

import pytest

from backprop_gui.engine.limits import TRAINING_BOUNDS
from backprop_gui.engine.projectfile import ProjectFileError, dumps_project, loads_project
from backprop_gui.engine.selection import Selection
from backprop_gui.session.session import Session, default_project
from backprop_gui.session.training_clock import TrainingClock
from backprop_gui.ui.training.training_settings import LearningRateControl, TrainingSettings

WIDGETS = {  # field → the TrainingSettings attribute that shows it
    "batch_size": "batch_size", "momentum": "momentum", "l1": "l1", "l2": "l2", "seed": "seed",
    "validation_fraction": "validation", "max_epochs": "stop_epochs", "target_loss": "stop_loss",
}
SCALE = {"validation_fraction": 100.0}


def settings_for(qtbot, **training) -> tuple[TrainingSettings, Session]:
    project = default_project()
    for field, value in training.items():
        setattr(project.training, field, value)
    # Through the file: whatever the widgets are given has passed the loader.
    session = Session(loads_project(dumps_project(project)))
    widget = TrainingSettings(TrainingClock(session))
    qtbot.addWidget(widget)
    return widget, session


@pytest.mark.parametrize("field", sorted(WIDGETS))
@pytest.mark.parametrize("end", ["low", "high"])
def test_each_widget_shows_a_setting_at_either_end_of_its_range(qtbot, field, end):
    bound = TRAINING_BOUNDS[field]
    value = getattr(bound, end)
    value = int(value) if bound.integer else float(value)
    if field == "batch_size":
        widget, session = settings_for(qtbot, optimizer="minibatch", batch_size=value)
    else:
        widget, session = settings_for(qtbot, **{field: value})
    box = getattr(widget, WIDGETS[field])
    assert box.minimum() <= value * SCALE.get(field, 1) <= box.maximum()
    assert box.value() == pytest.approx(value * SCALE.get(field, 1), rel=1e-9)
    assert getattr(session.training, field) == value  # showing it changed nothing


def test_the_learning_rate_field_holds_the_whole_range(qtbot):
    bound = TRAINING_BOUNDS["learning_rate"]
    for value in (bound.low, bound.high):
        project = default_project()
        project.training.learning_rate = value
        clock = TrainingClock(Session(loads_project(dumps_project(project))))
        control = LearningRateControl(clock)
        qtbot.addWidget(control)
        assert control.field.value() == value
        assert clock.session.training.learning_rate == value


@pytest.mark.parametrize("field, value", [
    ("max_epochs", 2**62), ("seed", 2**31), ("momentum", 1.0), ("validation_fraction", 0.95),
    ("learning_rate", 0.0), ("batch_size", 10**6), ("target_loss", -1.0),
])
def test_the_clock_refuses_a_value_beyond_the_range_naming_the_setting(qtbot, field, value):
    clock = TrainingClock(Session())
    before = getattr(clock.session.training, field)
    with pytest.raises(ValueError, match=field.replace("_", " ").capitalize()):
        clock.set_setting(field, value)
    assert getattr(clock.session.training, field) == before
    assert clock.session.undo_stack.count() == 0


def test_a_file_with_max_epochs_2_to_the_62_is_refused_naming_the_field():
    data = json.loads(dumps_project(default_project()))
    data["training"]["max_epochs"] = 2**62
    with pytest.raises(ProjectFileError, match=r"^training\.max_epochs: must be a whole number"):
        loads_project(json.dumps(data))


# ----- the Network menu and the dataset stop at the limits, saying which ---------------------

def test_the_network_menu_stops_adding_layers_and_neurons_at_the_limits(qtbot, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from backprop_gui.engine import limits
    from backprop_gui.engine.network import Network
    from backprop_gui.ui.window.main_window import MainWindow

    project = default_project()
    sizes = [16] + [6] * (limits.MAX_LAYERS - 1) + [2]
    project.network = Network.build(sizes, ["relu"] * (len(sizes) - 2) + ["softmax"],
                                    "cross_entropy")
    session = Session(project)
    window = MainWindow(session, settings=QSettings(str(tmp_path / "s.ini"),
                                                    QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    menu = window.network_menu
    assert not menu.add_layer.isEnabled()
    assert (f"the network has {limits.MAX_LAYERS + 1} layers after the input; at most "
            f"{limits.MAX_LAYERS} are allowed") in menu.add_layer.toolTip()
    menu.on_add_layer()  # the shortcut of a disabled entry does nothing; the method says why
    assert session.network.n_layers == limits.MAX_LAYERS
    assert session.undo_stack.count() == 0
    session.remove_layer(1)
    assert menu.add_layer.isEnabled()

    wide = Network.build([16, limits.MAX_NEURONS, 2], ["relu", "softmax"], "cross_entropy")
    session.replace_network("wide", wide)
    session.select(Selection.neuron(1, 0))
    assert not menu.add_neuron.isEnabled()
    assert f"at most {limits.MAX_NEURONS} are allowed" in menu.add_neuron.toolTip()
    assert menu.remove_neuron.isEnabled()


def test_adding_a_sample_stops_at_the_limit(qtbot, monkeypatch):
    from backprop_gui.engine import dataset_edit

    monkeypatch.setattr(dataset_edit, "MAX_SAMPLES", 25)
    session = Session()
    assert session.dataset.n_samples == 24
    session.add_sample()
    with pytest.raises(ValueError, match="a dataset may hold at most 25 samples"):
        session.add_sample()
    with pytest.raises(ValueError, match="at most 25"):
        session.duplicate_sample(0)
    assert session.dataset.n_samples == 25
