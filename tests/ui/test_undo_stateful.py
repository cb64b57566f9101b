"""Undo restores everything: random user actions through the real window, checked by a model.

A hypothesis state machine (`RuleBasedStateMachine`) drives the main window the way a person
does (menus, toolbar actions, the panels' widgets, the Inspector's field, Save and Open) and
keeps a model of what the project must be:

- `states[i]`: the project at undo index i, so every Undo and Redo must land exactly on it;
- `unmodified`: the project as last saved (or opened, or new), so `session.modified` must be
  False exactly when the project equals it;
- an action that pushes no undo command may change the project only by merging into the
  top command (a paint stroke, typing into one field, a training run going on);
- after every run (teardown): undo everything and the project equals the one the run started
  from (or last opened), field by field, training settings included; redo everything, each
  Redo landing on the state the model saw there.

"Equal" is `project_differences` below: every field a project file holds, bit for bit, except
`selected_sample`, which is a selection (which sample the views show), not an edit: it is not
undoable and does not mark the project modified (see Session.select_sample). Save and Open
are checked to keep it too.

CI runs a fixed set of examples (`derandomize=True`, no example database): every machine and
every run tries the same action sequences, so a failure reproduces anywhere and a change that
breaks nothing cannot turn the suite red by chance. Set UNDO_MACHINE_EXAMPLES=200 to explore
fresh random sequences locally.
"""

from __future__ import annotations

import dataclasses
import gc
import math
import os
import shutil
import tempfile
import traceback
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test,
)
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.exceptions import capture_exceptions

from backprop_gui.engine.selection import Selection
from backprop_gui.engine.network import INITIALISERS
from backprop_gui.engine.project import History, Project, SCHEDULES, TrainingConfig
from backprop_gui.engine.projectfile import load_project
from backprop_gui.session.session import Session
from backprop_gui.ui.window.main_window import MainWindow
from backprop_gui.ui.editors.pixel_editor import PixelCanvas
from backprop_gui.ui.editors.points_canvas import PointsCanvas

EXAMPLES = int(os.environ.get("UNDO_MACHINE_EXAMPLES", "0"))
MIN_ACTIONS = 300
MAX_LAYERS = 4          # weight layers: larger networks only slow the run down
MAX_NEURONS = 10
DATASETS = ("digits01", "xor", "digits", "moons")


# ----- project equality ---------------------------------------------------------------------------

def _same_array(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    """Bit for bit: dtype, shape and bytes (so −0.0 ≠ 0.0 and NaN payloads count)."""
    if a is None or b is None:
        return a is None and b is None
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _number_text(x: object) -> str:
    """A number as a file stores it: the type and every bit of the value (repr round-trips)."""
    if isinstance(x, (bool, np.bool_)):
        return repr(bool(x))
    if isinstance(x, (int, np.integer)):
        return f"int {int(x)}"
    if isinstance(x, (float, np.floating)):
        return "float nan" if math.isnan(x) else f"float {float(x)!r}"
    return repr(x)


def project_differences(a: Project, b: Project, selection: bool = False) -> list[str]:
    """The fields in which two projects differ ([] when equal), e.g. ["network.weights[1]"].

    Every field a project file holds, bit for bit; `selected_sample` only if `selection`."""
    out: list[str] = []
    na, nb = a.network, b.network
    for name in ("sizes", "activation_names", "loss_name"):
        if getattr(na, name) != getattr(nb, name):
            out.append(f"network.{name}: {getattr(na, name)} ≠ {getattr(nb, name)}")
    for name in ("weights", "biases"):
        la, lb = getattr(na, name), getattr(nb, name)
        if len(la) != len(lb):
            out.append(f"network.{name}: {len(la)} ≠ {len(lb)} layers")
        out += [f"network.{name}[{l}]" for l, (x, y) in enumerate(zip(la, lb))
                if not _same_array(x, y)]
    da, db = a.dataset, b.dataset
    for name in ("name", "title", "kind", "class_names", "image_shape", "description", "seed"):
        if getattr(da, name) != getattr(db, name):
            out.append(f"dataset.{name}: {getattr(da, name)!r} ≠ {getattr(db, name)!r}")
    for name in ("inputs", "labels", "test_inputs", "test_labels"):
        if not _same_array(getattr(da, name), getattr(db, name)):
            out.append(f"dataset.{name}")
    for f in dataclasses.fields(TrainingConfig):
        x, y = _number_text(getattr(a.training, f.name)), _number_text(getattr(b.training, f.name))
        if x != y:
            out.append(f"training.{f.name}: {x} ≠ {y}")
    for f in dataclasses.fields(History):
        x = [_number_text(v) for v in getattr(a.history, f.name)]
        y = [_number_text(v) for v in getattr(b.history, f.name)]
        if x != y:
            out.append(f"history.{f.name}: {len(x)} ≠ {len(y)} records" if len(x) != len(y)
                       else f"history.{f.name}")
    if a.lesson != b.lesson:
        out.append(f"lesson: {a.lesson!r} ≠ {b.lesson!r}")
    if selection and a.selected_sample != b.selected_sample:
        out.append(f"selected_sample: {a.selected_sample} ≠ {b.selected_sample}")
    return out


def snapshot(project: Project) -> Project:
    """An independent copy (the session edits arrays in place)."""
    return Project(project.network.copy(), project.dataset.copy(),
                   dataclasses.replace(project.training), project.history.copy(),
                   project.lesson, project.selected_sample)


def test_project_differences_names_each_field():
    from backprop_gui.session.session import default_project

    base = default_project()
    assert project_differences(base, snapshot(base)) == []
    cases = {
        "network.weights[1]": lambda p: p.network.weights[1].__setitem__((0, 0), -0.0 if
                                                                          p.network.weights[1][0, 0] == 0 else 0.0),
        "network.biases[0]": lambda p: p.network.biases[0].__setitem__(0, 1e-300),
        "dataset.inputs": lambda p: p.dataset.inputs.__setitem__((3, 5), 0.5),
        "dataset.labels": lambda p: p.dataset.labels.__setitem__(0, 1 - p.dataset.labels[0]),
        "dataset.title": lambda p: setattr(p.dataset, "title", "x"),
        "training.seed": lambda p: setattr(p.training, "seed", 7),
        "training.learning_rate": lambda p: setattr(p.training, "learning_rate",
                                                    math.nextafter(p.training.learning_rate, 1)),
        "training.max_epochs": lambda p: setattr(p.training, "max_epochs", 5),
        "history.epoch: 0 ≠ 1": lambda p: p.history.append(1, 0.5, 1.0),
        "lesson": lambda p: setattr(p, "lesson", "xor"),
    }
    for field, change in cases.items():
        other = snapshot(base)
        change(other)
        found = project_differences(base, other)
        assert found and found[0].startswith(field), (field, found)
    moved = snapshot(base)
    moved.selected_sample = 3
    assert project_differences(base, moved) == []
    assert project_differences(base, moved, selection=True) == ["selected_sample: 0 ≠ 3"]
    # 5 and 5.0 save differently, so they differ; NaN equals NaN in a history.
    typed = snapshot(base)
    typed.training.batch_size = 8.0
    assert project_differences(base, typed) == ["training.batch_size: int 8 ≠ float 8.0"]
    a, b = snapshot(base), snapshot(base)
    a.history.append(1, 0.25, 0.5, float("nan"))
    b.history.append(1, 0.25, 0.5, -float("nan"))
    assert project_differences(a, b) == []
    b.history.loss[0] = np.float64(0.25)     # the same number as a NumPy float
    assert project_differences(a, b) == []
    b.history.loss[0] = 0.25000000000000006
    assert project_differences(a, b) == ["history.loss"]


# ----- the machine ----------------------------------------------------------------------------------

def _no_exceptions(exceptions: list) -> None:
    """Fail with the tracebacks of the exceptions Qt's event loop caught (capture_exceptions)."""
    assert not exceptions, "\n".join(
        "".join(traceback.format_exception(*e)) for e in exceptions)


def _process_events() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


class UndoMachine(RuleBasedStateMachine):
    """One main window per run; each rule is one thing a person does."""

    actions = 0   # rules run, over all examples (the test checks there were enough)

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="undo-machine-"))
        self.settings = QSettings(str(self.folder / "settings.ini"), QSettings.Format.IniFormat)
        self.session = Session()
        self.window = MainWindow(self.session, settings=self.settings, remember_layout=False)
        self.errors: list[str] = []
        files = self.window.files
        files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        files._show_error = lambda title, text, detail="": self.errors.append(
            f"{title}: {text} {detail}")
        self.window.resize(1280, 800)
        with capture_exceptions() as exceptions:
            self.window.show()
            QTest.qWaitForWindowExposed(self.window)
        _no_exceptions(exceptions)
        self.saved_files: dict[Path, Project] = {}
        self._tearing_down = False
        self._reset_model()

    # ----- the model -------------------------------------------------------------------------

    def _reset_model(self) -> None:
        """A new or opened project: the start of undo and the unmodified state."""
        current = snapshot(self.session.project)
        self.start = current
        self.unmodified = current
        self.states: list[Project | None] = [current]

    @property
    def stack(self):
        return self.session.undo_stack

    def _act(self, action, kind: str = "edit") -> None:
        """Run one user action, let the window catch up, and update the model. `kind`: "edit"
        (may push undo commands), "move" (Undo or Redo: the model must already know where it
        lands) or "replace" (New, Open: a new start)."""
        if not self._tearing_down:
            type(self).actions += 1
        before, count = self.stack.index(), self.stack.count()
        with capture_exceptions() as exceptions:
            action()
            self._finish_training()
        _no_exceptions(exceptions)
        if kind == "replace":
            self._reset_model()
        if kind != "edit":
            return
        after = self.stack.index()
        current = snapshot(self.session.project)
        if after > before:
            # Commands pushed outside a macro beyond the first leave states nobody saw.
            self.states = self.states[:before + 1] + [None] * (after - before - 1) + [current]
        elif after < before:
            # An edit merged back to where it started drops its command (setObsolete):
            # the project must then be what it was before that command.
            self._check_state(after, "an edit dropped as obsolete")
            self.states = self.states[:after] + [current]
        else:
            known = self.states[after]
            changed = [] if known is None else project_differences(known, current)
            # Without a new command only the top command may take in a change (a merged
            # edit, a training run going on), and never at the saved state.
            assert not changed or (after == self.stack.count() and after > 0
                                   and after != self.stack.cleanIndex()), (
                f"the project changed outside the undo stack: {changed}")
            tail = self.states[after + 1:] if self.stack.count() == count else []
            self.states = self.states[:after] + [current] + tail

    def _check_state(self, index: int, what: str) -> None:
        expected = self.states[index] if index < len(self.states) else None
        if expected is not None:
            diff = project_differences(expected, self.session.project)
            assert not diff, f"after {what}, at {index} in {self._stack_texts()}: {diff}"

    def _stack_texts(self) -> list[str]:
        """The undo stack's entries, for failure messages ("▸" marks the current index)."""
        stack = self.stack
        texts = [stack.text(i) for i in range(stack.count())]
        texts.insert(stack.index(), "▸")
        return texts

    def _finish_training(self) -> None:
        clock = self.window.training.clock
        for _ in range(2000):
            if not clock.is_running:
                return
            QTest.qWait(2)
        clock.pause()

    def _trigger(self, action, kind: str = "edit") -> None:
        self._act(action.trigger, kind)

    # ----- invariants ------------------------------------------------------------------------

    @invariant()
    def modified_exactly_when_the_project_differs_from_the_saved_one(self) -> None:
        diff = project_differences(self.unmodified, self.session.project)
        assert self.session.modified == bool(diff), (
            f"modified is {self.session.modified} but the differences are {diff}")
        assert self.window.isWindowModified() == self.session.modified

    @invariant()
    def the_model_covers_the_undo_stack(self) -> None:
        assert self.stack.index() < len(self.states) <= self.stack.count() + 1

    def teardown(self) -> None:
        self._tearing_down = True
        try:
            self._undo_and_redo_everything()
        finally:
            window = self.window
            with capture_exceptions() as exceptions:
                window.training.clock.pause()
                window.close()
                window.deleteLater()
                _process_events()   # whatever the window left waiting must not call into it
                # Delete the undo commands now, while the session is whole: a session freed
                # later by the cyclic collector (this machine is in cycles) with commands on
                # its stack can crash PySide (see session.commands.Weak).
                self.session.undo_stack.clear()
                self.window = self.session = None
                gc.collect()
            shutil.rmtree(self.folder, ignore_errors=True)
        _no_exceptions(exceptions)

    def _undo_and_redo_everything(self) -> None:
        undo, redo = self.window.window_actions.undo, self.window.window_actions.redo
        while undo.isEnabled():
            self._trigger(undo, kind="move")
            self._check_state(self.stack.index(), "Undo")
        diff = project_differences(self.start, self.session.project)
        assert not diff, f"undoing everything left {diff}; the undo stack: {self._stack_texts()}"
        self.modified_exactly_when_the_project_differs_from_the_saved_one()
        # Each Redo lands on the state the model saw there, up to the newest one.
        while redo.isEnabled():
            self._trigger(redo, kind="move")
            self._check_state(self.stack.index(), "Redo")
        self.modified_exactly_when_the_project_differs_from_the_saved_one()

    # ----- the window ------------------------------------------------------------------------

    @rule()
    def let_the_window_catch_up(self) -> None:
        """Run the event loop: repaint, timers, deferred deletes. (Not after every action: the
        repaints would take most of the run.)"""
        self._act(_process_events)

    # ----- Network menu ----------------------------------------------------------------------

    def _network_action(self, text: str):
        for action in self.window.menu("Network").actions():
            if action.text().replace("&", "").startswith(text):
                return action
        raise AssertionError(f"no {text!r} in the Network menu")

    @precondition(lambda self: self.session.network.n_layers < MAX_LAYERS)
    @rule()
    def add_hidden_layer(self) -> None:
        self._trigger(self._network_action("Add Hidden Layer"))

    @rule()
    def remove_hidden_layer(self) -> None:
        self._trigger(self._network_action("Remove Hidden Layer"))

    @rule(data=st.data())
    def select_in_the_diagram(self, data) -> None:
        """What a click on a neuron, weight or bias in the diagram does (not an edit)."""
        net = self.session.network
        kind = data.draw(st.sampled_from(["neuron", "weight", "bias", None]))
        if kind is None:
            item = None
        elif kind == "neuron":
            layer = data.draw(st.integers(0, net.n_layers))
            item = Selection.neuron(layer, data.draw(st.integers(0, net.sizes[layer] - 1)))
        else:
            l = data.draw(st.integers(0, net.n_layers - 1))
            j = data.draw(st.integers(0, net.sizes[l + 1] - 1))
            item = Selection.bias(l + 1, j) if kind == "bias" else Selection.weight(
                l + 1, j, data.draw(st.integers(0, net.sizes[l] - 1)))
        self._act(lambda: self.session.select(item))

    @rule(data=st.data(), more=st.booleans())
    def add_or_remove_a_neuron(self, data, more: bool) -> None:
        """Click a neuron of a hidden or output layer, then Network ▸ Add/Remove a Neuron."""
        net = self.session.network
        layer = data.draw(st.integers(1, net.n_layers))
        if more and net.sizes[layer] >= MAX_NEURONS:
            return
        self.session.select(Selection.neuron(layer, net.sizes[layer] - 1))
        self._trigger(self._network_action("Add a Neuron" if more else "Remove a Neuron"))

    @rule(data=st.data())
    def set_an_activation(self, data) -> None:
        menu = self.window.network_menu.activation_menu
        menu.aboutToShow.emit()
        layer_menu = data.draw(st.sampled_from(menu.actions())).menu()
        self._trigger(data.draw(st.sampled_from(layer_menu.actions())))

    @rule(data=st.data())
    def set_the_loss(self, data) -> None:
        self._trigger(data.draw(st.sampled_from(self.window.network_menu.loss_menu.actions())))

    @rule(seed=st.integers(0, 3), init=st.sampled_from(list(INITIALISERS) + [None]))
    def reinitialise(self, seed: int, init: str | None) -> None:
        """Network ▸ Re-initialise Weights…: the dialog answers (seed, init), or is cancelled."""
        def answer(dialog):
            dialog.deleteLater()
            return None if init is None else (seed, init)

        self.window.run_dialog = answer
        self._trigger(self._network_action("Re-initialise Weights"))

    # ----- the input and the dataset -----------------------------------------------------------

    @rule(data=st.data())
    def edit_the_input(self, data) -> None:
        """Paint a pixel (images), nudge the point (points) or type an input (tables)."""
        ds = self.session.dataset
        self.window.panel("Input").edit_button.setChecked(True)   # Edit sample (off after Open)
        if ds.kind == "image":
            canvas = self.window.findChild(PixelCanvas)
            rows, cols = canvas.shape()
            cells = st.tuples(st.integers(0, rows - 1), st.integers(0, cols - 1))
            cell = data.draw(cells)
            how = data.draw(st.sampled_from(["click", "key", "drag", "erase"]))
            if how == "key":           # 0 … 9: the grey level of the pixel under the cursor
                digit = data.draw(st.integers(0, 9))
                canvas.cursor_cell = cell
                self._act(lambda: QTest.keyClick(canvas, getattr(Qt.Key, f"Key_{digit}")))
                return
            end = data.draw(cells) if how in ("drag", "erase") else cell
            button = Qt.MouseButton.RightButton if how == "erase" else Qt.MouseButton.LeftButton
            none = Qt.KeyboardModifier.NoModifier

            def stroke() -> None:      # press … move … release: one undo entry
                QTest.mousePress(canvas, button, none, canvas.cell_center(*cell))
                QTest.mouseMove(canvas, canvas.cell_center(*end))
                QTest.mouseRelease(canvas, button, none, canvas.cell_center(*end))

            self._act(stroke)
        elif ds.kind == "points":
            canvas = self.window.findChild(PointsCanvas)
            key = data.draw(st.sampled_from([Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up,
                                             Qt.Key.Key_Down]))
            self._act(lambda: QTest.keyClick(canvas, key))
        else:
            boxes = self.window.panel("Input").table_editor.spin_boxes
            box = data.draw(st.sampled_from(boxes))
            value = data.draw(st.sampled_from([0.0, 0.25, 0.5, 1.0]))
            self._act(lambda: box.setValue(value))

    @property
    def dataset_panel(self):
        return self.window.panel("Dataset")

    @rule(data=st.data())
    def select_a_sample(self, data) -> None:
        panel = self.dataset_panel
        row = data.draw(st.integers(0, self.session.dataset.n_samples - 1))
        self._act(lambda: panel.view.setCurrentIndex(panel.model.index(row)))

    @precondition(lambda self: self.session.dataset.n_samples < 40)
    @rule(duplicate=st.booleans())
    def add_a_sample(self, duplicate: bool) -> None:
        panel = self.dataset_panel
        button = panel.duplicate_button if duplicate else panel.add_button
        self._act(lambda: QTest.mouseClick(button, Qt.MouseButton.LeftButton))

    @rule()
    def delete_the_sample(self) -> None:
        button = self.dataset_panel.delete_button
        self._act(lambda: QTest.mouseClick(button, Qt.MouseButton.LeftButton))

    @rule(data=st.data())
    def relabel_the_sample(self, data) -> None:
        combo = self.dataset_panel.label_combo
        k = data.draw(st.integers(0, combo.count() - 1))

        def choose() -> None:  # what picking an entry of the open list does
            combo.setCurrentIndex(k)
            combo.activated.emit(k)

        self._act(choose)

    @rule(name=st.sampled_from(DATASETS))
    def load_a_dataset(self, name: str) -> None:
        combo = self.dataset_panel.dataset_combo
        k = combo.findData(name)

        def choose() -> None:
            combo.setCurrentIndex(k)
            combo.activated.emit(k)

        self._act(choose)

    # ----- the step-through ---------------------------------------------------------------------

    @rule(which=st.sampled_from(["next", "next_phase", "last", "first", "previous", "batch"]))
    def step_through(self, which: str) -> None:
        self._trigger(getattr(self.window.stepper.commands, which))

    @rule()
    def apply_the_update(self) -> None:
        self._trigger(self.window.stepper.commands.apply)

    # ----- training -----------------------------------------------------------------------------

    @property
    def bar(self):
        return self.window.training.bar

    @rule()
    def one_epoch(self) -> None:
        self._trigger(self.bar.epoch_action)

    @rule(n=st.integers(1, 3))
    def one_batch(self, n: int) -> None:
        for _ in range(n):
            self._trigger(self.bar.batch_action)

    @rule()
    def reset_training(self) -> None:
        self._trigger(self.bar.reset_action)

    @precondition(lambda self: len(self.window.training.clock.recorder.snapshots.snapshots) > 1)
    @rule(data=st.data())
    def go_back_in_history(self, data) -> None:
        clock = self.window.training.clock
        epoch = data.draw(st.sampled_from([s.epoch for s in clock.recorder.snapshots.snapshots]))
        self._act(lambda: clock.restore_snapshot(epoch))

    @rule(data=st.data())
    def change_a_setting_in_its_widget(self, data) -> None:
        s = self.bar.settings
        choice = data.draw(st.sampled_from([
            "rate_slider", "rate_field", "optimizer", "batch_size", "momentum", "l2", "l1",
            "seed", "validation", "stop_epochs_check", "stop_epochs", "stop_loss_check"]))
        if choice == "rate_slider":
            slider = self.bar.learning_rate.slider
            value = data.draw(st.integers(slider.minimum(), slider.maximum() * 3 // 5))
            self._act(lambda: slider.setValue(value))
        elif choice == "rate_field":
            value = data.draw(st.sampled_from([0.01, 0.1, 0.5, 1.0]))
            self._act(lambda: s.learning_rate.field.setValue(value))
        elif choice == "optimizer":
            k = data.draw(st.integers(0, s.optimizer.count() - 1))
            self._act(lambda: s.optimizer.setCurrentIndex(k))
        elif choice.endswith("_check"):
            box = getattr(s, choice)
            self._act(box.click)
        else:
            box = {"batch_size": s.batch_size, "momentum": s.momentum, "l2": s.l2, "l1": s.l1,
                   "seed": s.seed, "validation": s.validation, "stop_epochs": s.stop_epochs}[choice]
            values = {"batch_size": [1, 3, 8], "momentum": [0.0, 0.5, 0.9], "l2": [0.0, 0.001],
                      "l1": [0.0, 0.001], "seed": [0, 1, 2], "validation": [0, 25],
                      "stop_epochs": [1, 3, 100]}[choice]
            value = data.draw(st.sampled_from(values))
            self._act(lambda: box.setValue(value))

    @rule(data=st.data())
    def change_a_setting_without_a_widget(self, data) -> None:
        clock = self.window.training.clock
        field, value = data.draw(st.one_of(
            st.tuples(st.just("init"), st.sampled_from(list(INITIALISERS))),
            st.tuples(st.just("schedule"), st.sampled_from(list(SCHEDULES))),
            st.tuples(st.just("step_every"), st.sampled_from([1, 10, 100])),
            st.tuples(st.just("step_factor"), st.sampled_from([0.5, 0.9])),
            st.tuples(st.just("learning_rate"), st.sampled_from([0.05, 0.1, 0.2]))))
        self._act(lambda: clock.set_setting(field, value))

    # ----- the Inspector ------------------------------------------------------------------------

    @rule(data=st.data(), value=st.sampled_from(["0", "0.5", "-1.25", "3", "1e-3", "0,75", "-0"]))
    def type_into_the_inspector(self, data, value: str) -> None:
        """Click a weight or bias in the diagram, type a value into the Inspector, press Enter."""
        net = self.session.network
        l = data.draw(st.integers(0, net.n_layers - 1))
        j = data.draw(st.integers(0, net.sizes[l + 1] - 1))
        if data.draw(st.booleans()):
            item = Selection.weight(l + 1, j, data.draw(st.integers(0, net.sizes[l] - 1)))
        else:
            item = Selection.bias(l + 1, j)
        self.session.select(item)
        editor = self.window.inspector.editor

        def type_it() -> None:
            editor.setFocus()
            editor.selectAll()
            QTest.keyClicks(editor, value)
            QTest.keyClick(editor, Qt.Key.Key_Return)

        self._act(type_it)

    # ----- Edit ▸ Undo and Redo -----------------------------------------------------------------

    @precondition(lambda self: self.stack.canUndo())
    @rule(n=st.integers(1, 4))
    def undo(self, n: int) -> None:
        for _ in range(n):
            if not self.window.window_actions.undo.isEnabled():
                break
            self._trigger(self.window.window_actions.undo, kind="move")
            self._check_state(self.stack.index(), "Undo")

    @precondition(lambda self: self.stack.canRedo())
    @rule(n=st.integers(1, 4))
    def redo(self, n: int) -> None:
        for _ in range(n):
            if not self.window.window_actions.redo.isEnabled():
                break
            self._trigger(self.window.window_actions.redo, kind="move")
            self._check_state(self.stack.index(), "Redo")

    @precondition(lambda self: self.stack.canUndo())
    @rule(n=st.integers(1, 2))
    def undo_then_redo(self, n: int) -> None:
        """Look at what the last steps did (Undo), then take them again (Redo), as a student
        comparing before and after does; the next action then builds on redone commands."""
        self.undo(n)
        self.redo(n)

    # ----- File ---------------------------------------------------------------------------------

    @rule(new_name=st.booleans())
    def save(self, new_name: bool) -> None:
        files = self.window.files
        path = self.folder / f"project{len(self.saved_files)}.bpnet"
        files._ask_save_path = lambda suggested: str(path)
        action = (self.window.window_actions.save_as if new_name or self.session.path is None
                  else self.window.window_actions.save)
        target = path if action is self.window.window_actions.save_as else self.session.path
        errors = len(self.errors)
        self._trigger(action)
        if len(self.errors) > errors:
            # Only numbers a file can hold are saved (weights that overflowed to inf cannot).
            assert "only finite numbers" in self.errors[-1], self.errors[-1]
            return
        self.unmodified = snapshot(self.session.project)
        self.saved_files[target] = self.unmodified
        diff = project_differences(self.unmodified, load_project(target), selection=True)
        assert not diff, f"the saved file differs from the project: {diff}"

    @precondition(lambda self: self.saved_files)
    @rule(data=st.data())
    def open_a_saved_file(self, data) -> None:
        path = data.draw(st.sampled_from(sorted(self.saved_files)))
        self.window.files._ask_open_path = lambda: str(path)
        self._trigger(self.window.window_actions.open, kind="replace")
        diff = project_differences(self.saved_files[path], self.session.project, selection=True)
        assert not diff, f"opening {path.name} gave {diff}"
        assert not self.session.modified and self.stack.count() == 0

    @rule()
    def new_project(self) -> None:
        self._trigger(self.window.window_actions.new, kind="replace")


def test_undo_restores_everything_after_random_user_actions(qapp, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    UndoMachine.actions = 0
    # 12 runs of up to 30 actions; every rule (plus the teardown's Undo and Redo) counts.
    run_settings = settings(
        max_examples=EXAMPLES or 12, stateful_step_count=30, deadline=None,
        derandomize=not EXAMPLES, database=None, print_blob=True,
        # A failing run in CI reports its whole sequence (30 actions at most) at once;
        # shrinking it, which can take five minutes here, is for exploring locally.
        phases=tuple(Phase) if EXAMPLES else (Phase.explicit, Phase.generate),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    run_state_machine_as_test(UndoMachine, settings=run_settings)
    assert UndoMachine.actions >= MIN_ACTIONS
