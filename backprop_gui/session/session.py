"""Session: the one owner of the open project, its undo stack and what is derived from it.

Views call the methods here (each pushes one undo command) and redraw when a signal fires;
they never change the project or compute gradients themselves.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..engine import dataset_edit, edit
from ..engine.dataset import Dataset
from ..engine.datasets import (
    BUILTIN_DATASETS, DEFAULT_DATASET, default_network, default_project, load_builtin,
)
from ..engine.network import Gradients, Network, Trace
from ..engine.overflow import parameter_overflow
from ..engine.project import Project, TrainingConfig
from ..engine.projectfile import load_project, save_project
from ..engine.selection import Selection
from . import derived
from .commands import (
    PaintCommand, SetDatasetCommand, SetNetworkCommand, SetParameterCommand,
    SetTrainingSettingCommand,
)
from .derived import NO_SAMPLES, DerivedValues, NoSamplesError
from .runs import RunList
from .saved_copy import SavedCopy
from .try_input import TryInput

__all__ = ["DEFAULT_DATASET", "NO_SAMPLES", "UNDO_LIMIT", "NoSamplesError", "Session",
           "default_project"]

# Undo goes back this many steps; older ones are dropped. Without a bound a lesson's worth of
# edits and training runs piles up: each run keeps its loss history (up to 4 MB a copy at
# 100,000 records), each network edit two copies of the network. QUndoStack bounds only the
# number of steps (and only while empty), so this is a count, not a memory budget.
UNDO_LIMIT = 200


class Session(QObject):
    """The open project and everything a view may ask of it."""

    structure_changed = Signal()        # layer sizes, activations or loss changed
    parameters_changed = Signal()       # weight or bias values changed
    dataset_changed = Signal()          # samples, labels or pixels changed
    sample_selected = Signal(int)       # the sample that drives the step-through
    selection_changed = Signal(object)  # the diagram item selected (see `select`)
    values_changed = Signal()           # anything the displayed numbers depend on
    training_changed = Signal()         # a training setting changed (edit, undo or redo)
    project_replaced = Signal()         # New / Open: every view starts over
    file_state_changed = Signal()       # path or unsaved-changes flag
    try_input_changed = Signal()        # the Try it input, its label or the mode changed

    def __init__(self, project: Project | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project or default_project()
        self.path: Path | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self._saved = SavedCopy(self.project)     # what `modified` compares with
        self._derived = DerivedValues()           # passes cached until something changes
        self.selection: Selection | None = None
        self._strokes = itertools.count(1)
        self.runs = RunList(self)                 # the named runs kept side by side
        self.try_input = TryInput()               # the Input panel's scratch input
        self.try_input.fit(self.dataset)

    # ----- read access -------------------------------------------------------------------

    @property
    def network(self) -> Network:
        return self.project.network

    @property
    def dataset(self) -> Dataset:
        return self.project.dataset

    @property
    def training(self) -> TrainingConfig:
        return self.project.training

    @property
    def selected_sample(self) -> int:
        return self.project.selected_sample

    @property
    def modified(self) -> bool:
        """True when the project differs from the file it was opened from or last saved to
        (from the new project, if never saved): exactly when Save would write something else
        (see session/saved_copy.py: edits that cancel out do not count, nor does the selected
        sample; a recovered copy counts until it is saved)."""
        return self._saved.modified

    @property
    def revision(self) -> int:
        """Goes up with every change of what the displayed numbers depend on (network,
        dataset, selected sample), before any signal is sent: a cache kept elsewhere (the
        step cursor's) compares it to stay current whichever signal its reader heard first."""
        return self._derived.revision

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled"

    @property
    def has_samples(self) -> bool:
        """False for a dataset with no samples: nothing to step through, show or train on."""
        return self.dataset.n_samples > 0

    @property
    def trying(self) -> bool:
        """True in Try it mode: the Try it input, not the selected sample, is the input the
        views show and the step-through follows (see session/try_input.py)."""
        return self.try_input.active

    def sample_input(self) -> np.ndarray:
        """The input the views show: the selected sample's inputs, or the Try it input;
        NoSamplesError when the dataset has no samples."""
        if self.trying:
            if not self.has_samples:
                raise NoSamplesError()
            return self.try_input.values
        return derived.sample_input(self.project)

    def sample_label(self) -> int:
        """The class of the input shown: the selected sample's label, or the one the
        student chose for the Try it input."""
        if self.trying:
            return self.try_input.label
        return int(self.dataset.labels[self.selected_sample])

    def sample_target(self) -> np.ndarray:
        """The target row of the input shown (see `sample_label`)."""
        if self.trying and not self.dataset.is_regression:
            return self.dataset.label_target(self.network.sizes[-1], self.sample_label())
        # A regression table's Try it input is compared with the selected sample's y.
        return derived.sample_target(self.project)

    def input_description(self) -> str:
        """"sample 3" or "Try it input": what the input shown is, for labels and sentences."""
        return "Try it input" if self.trying else f"sample {self.selected_sample + 1}"

    def trace(self) -> Trace:
        """The forward pass of the input shown (cached until something changes);
        NoSamplesError when the dataset has none."""
        return self._derived.trace(self.network, self.sample_input())

    def gradients(self) -> Gradients:
        """Backprop's gradients for the input shown alone."""
        return self._derived.gradients(self.network, self.sample_input(), self.sample_target())

    def dataset_trace(self) -> Trace:
        """The forward pass of the whole dataset (for dead-ReLU marks and accuracy)."""
        return self._derived.dataset_trace(self.project)

    def dead_neurons(self, layer: int) -> np.ndarray:
        """Boolean mask of the neurons of `layer` (1 … L) that are dead: their activation
        (ReLU) is 0, with slope 0, for every sample."""
        return self._derived.dead_neurons(self.project, layer)

    def loss_on_dataset(self) -> float:
        """The loss over every sample as one batch (a mean, or a sum for half_sse);
        NoSamplesError when there are none."""
        return self._derived.loss_on_dataset(self.project)

    # ----- selection (not an edit: no undo entry) -----------------------------------------

    def select_sample(self, index: int) -> None:
        """Show sample `index` in the step-through and the panels (leaving Try it mode). Saved
        with the project (it opens on the same sample), but a selection like the diagram's:
        not undoable, and the project does not count as modified for it (see `modified`)."""
        if not 0 <= index < self.dataset.n_samples:
            return
        if self.trying:  # choosing a sample shows it (the Try it input is kept for later)
            self.try_input.active = False
            self.try_input_changed.emit()
        elif index == self.selected_sample:
            return
        self.project.selected_sample = index
        self._invalidate(sample_only=True)
        self.sample_selected.emit(index)
        self.values_changed.emit()

    def select(self, item: Selection | None) -> None:
        """Select a neuron, a weight or a bias (see engine/selection.py), or nothing.
        It need not exist in the network: views check (`Selection.exists_in`)."""
        if item is not None and not isinstance(item, Selection):
            raise TypeError(f"select() takes a Selection or None, not {item!r}")
        if item != self.selection:
            self.selection = item
            self.selection_changed.emit(item)

    # ----- the Try it input (outside the project: no undo entry, never modified) -------------

    def set_trying(self, on: bool) -> None:
        """Show the Try it input (True) or the selected sample (False) everywhere."""
        if on == self.trying:
            return
        self.try_input.active = on
        self._try_input_edited()

    def set_try_values(self, values: dict[int, float]) -> None:
        """Set entries of the Try it input (index → value; pixels clipped to 0 … 1)."""
        new = self.try_input.changed(self.dataset, values)
        if new is not None:
            self.try_input.values = new
            self._try_input_edited()

    def clear_try_input(self) -> None:
        self.set_try_values({i: 0.0 for i in range(self.try_input.values.size)})

    def set_try_label(self, label: int) -> None:
        """The class the Try it input is meant to be (its target, and its label when added)."""
        if not 0 <= label < max(self.dataset.n_classes, 1):
            raise ValueError(f"the dataset has no class {label + 1}")
        if label != self.try_input.label:
            self.try_input.label = label
            self._try_input_edited()

    def add_try_input(self) -> int:
        """Append the Try it input to the dataset with its label (one undo step); the new
        sample becomes the selected one. Returns its index."""
        ds = dataset_edit.add_sample(self.dataset, self.try_input.values.copy(), self.try_input.label)
        index = ds.n_samples - 1
        name = self.dataset.class_names[self.try_input.label]
        self._push_dataset(f"Add Try it input as sample {index + 1} “{name}”", ds, index)
        return index

    def _try_input_edited(self) -> None:
        self._invalidate(sample_only=True)
        self.try_input_changed.emit()
        self.values_changed.emit()

    # ----- network edits (each one undo command) ------------------------------------------

    def _push_network(self, text: str, new: Network) -> None:
        self.undo_stack.push(SetNetworkCommand(self, text, new))

    def add_layer(self, position: int, size: int = 4, activation: str = "relu") -> None:
        """Insert a hidden layer so it becomes layer `position` (1 … L)."""
        new = edit.insert_layer(self.network, position, size, activation,
                                self.training.seed, self.training.init)
        self._push_network(f"Add hidden layer {position}", new)

    def remove_layer(self, position: int) -> None:
        new = edit.remove_layer(self.network, position, self.training.seed, self.training.init)
        self._push_network(f"Remove hidden layer {position}", new)

    def resize_layer(self, layer: int, size: int) -> None:
        old = self.network.sizes[layer]
        if size == old:
            return
        edit.check_layer_size(self.network, self.dataset, layer, size)
        new = edit.resize_layer(self.network, layer, size, self.training.seed, self.training.init)
        verb = "Add a neuron to" if size == old + 1 else "Remove a neuron from" if size == old - 1 else "Resize"
        self._push_network(f"{verb} layer {layer}", new)

    def set_activation(self, layer: int, name: str) -> str | None:
        new, note = edit.set_activation(self.network, layer, name)
        self._push_network(f"Set layer {layer} activation to {new.activations[layer - 1].display}", new)
        return note

    def set_loss(self, name: str) -> str | None:
        new, note = edit.set_loss(self.network, name)
        self._push_network(f"Set loss to {new.loss_fn.display}", new)
        return note

    def reinitialise(self, seed: int | None = None, init: str | None = None) -> None:
        """Fresh weights for every layer from the seed and the initialiser (the settings' own
        when not given). The settings then hold the seed and initialiser used: one undo step
        restores the weights and the settings together."""
        seed = self.training.seed if seed is None else int(seed)
        init = self.training.init if init is None else init
        net = self.network
        new = Network.build(net.sizes, net.activation_names, net.loss_name, seed=seed, init=init)
        text = f"Re-initialise weights (seed {seed})"
        self.undo_stack.beginMacro(text)
        try:
            self.set_training_setting("seed", seed)
            self.set_training_setting("init", init)
            self._push_network(text, new)
        finally:
            self.undo_stack.endMacro()

    def set_parameter(self, target: Selection, value: float) -> None:
        """Set the weight or bias `target` to `value` (one undo step; typing several values
        into one parameter in a row is one step). ValueError for a neuron, a parameter the
        network does not have, a value that is not finite or one that makes it overflow."""
        if target.is_neuron or not target.exists_in(self.network.sizes):
            raise ValueError(f"the network has no parameter {target.name}")
        if not np.isfinite(value):
            raise ValueError("a parameter must be a finite number")
        problem = parameter_overflow(self.network, self.dataset, target, value)
        if problem:
            raise ValueError(problem)
        self.undo_stack.push(SetParameterCommand(self, target, value))

    def set_weight(self, layer: int, row: int, col: int, value: float) -> None:
        """Set `network.weights[layer][row, col]`, i.e. W⁽ˡ⁾[row, col] with l = layer + 1."""
        self.set_parameter(Selection.weight(layer + 1, row, col), value)

    def set_bias(self, layer: int, row: int, value: float) -> None:
        """Set `network.biases[layer][row]`, i.e. b⁽ˡ⁾[row] with l = layer + 1."""
        self.set_parameter(Selection.bias(layer + 1, row), value)

    def replace_network(self, text: str, new: Network) -> None:
        """Any other change of the network as one undo step (e.g. a training run)."""
        self._push_network(text, new)

    def parameters_updated_in_place(self) -> None:
        """The network's parameters were changed in place (a training slice): drop cached
        values and tell the views, without an undo entry (the run records one itself).
        How training goes on is the training clock's `frame` signal (see training_clock)."""
        self._parameters_edited()

    # ----- training settings ---------------------------------------------------------------

    def set_training_setting(self, field: str, value: Any, text: str | None = None) -> None:
        """Change one TrainingConfig field (one undo step; edits of one field merge).
        ValueError, naming the setting and its range, for a value beyond engine.limits."""
        if field not in {f.name for f in dataclasses.fields(TrainingConfig)}:
            raise ValueError(f"unknown training setting {field!r}")
        try:  # the one check of a training config (choices and engine.limits' ranges)
            dataclasses.replace(self.training, **{field: value}).validate()
        except ValueError as exc:
            problem = str(exc)
            raise ValueError(problem[0].upper() + problem[1:]) from None
        if getattr(self.training, field) == value:
            return
        label = field.replace("_", " ")
        self.undo_stack.push(SetTrainingSettingCommand(
            self, field, value, text or f"Set {label} to {value}"))

    # ----- dataset edits -------------------------------------------------------------------

    def begin_stroke(self) -> int:
        """A new paint stroke: pixels painted under one stroke id undo together."""
        return next(self._strokes)

    def paint(self, sample: int, pixel_values: dict[int, float], stroke: int) -> None:
        """Set the given pixels (flat index → value, clipped to 0 … 1) of one sample."""
        values = dataset_edit.painted(self.dataset, sample, pixel_values)
        if np.array_equal(values, self.dataset.inputs[sample]):
            return
        self.undo_stack.push(PaintCommand(self, sample, values, stroke))

    def set_inputs(self, sample: int, values: dict[int, float], stroke: int) -> None:
        """Set the given inputs (index → number) of one sample of a table, as typed (no
        clipping; ValueError outside engine.limits.TABLE_VALUE)."""
        values = dataset_edit.typed(self.dataset, sample, values)
        if np.array_equal(values, self.dataset.inputs[sample]):
            return
        command = PaintCommand(self, sample, values, stroke)
        command.setText(f"Edit sample {sample + 1}")
        self.undo_stack.push(command)

    def set_target_values(self, sample: int, values: dict[int, float]) -> None:
        """Set target values (index → number) of one sample of a regression table, as typed
        (ValueError outside engine.limits.TABLE_VALUE or for a dataset of classes)."""
        ds = dataset_edit.with_target_values(self.dataset, sample, values)
        if np.array_equal(ds.values, self.dataset.values):
            return
        self._push_dataset(f"Set the target of sample {sample + 1}", ds, sample)

    def move_sample(self, index: int, inputs: np.ndarray, stroke: int) -> None:
        """Set all inputs of a 2-D point (no clipping); one drag (stroke) is one undo entry."""
        values = dataset_edit.point_inputs(self.dataset, inputs)
        if np.array_equal(values, self.dataset.inputs[index]):
            return
        command = PaintCommand(self, index, values, stroke)
        command.setText(f"Move sample {index + 1}")
        self.undo_stack.push(command)

    def _push_dataset(self, text: str, dataset: Dataset, selected: int) -> None:
        self.undo_stack.push(SetDatasetCommand(self, text, dataset, selected))

    def add_sample(self, inputs: np.ndarray | None = None, label: int = 0) -> int:
        ds = dataset_edit.add_sample(self.dataset, inputs, label)
        index = ds.n_samples - 1
        self._push_dataset(f"Add sample {index + 1}", ds, index)
        return index

    def duplicate_sample(self, index: int) -> int:
        ds = dataset_edit.duplicate_sample(self.dataset, index)
        self._push_dataset(f"Duplicate sample {index + 1}", ds, index + 1)
        return index + 1

    def delete_sample(self, index: int) -> None:
        ds = dataset_edit.delete_sample(self.dataset, index)
        selected = min(self.selected_sample, ds.n_samples - 1)
        self._push_dataset(f"Delete sample {index + 1}", ds, selected)

    def relabel_sample(self, index: int, label: int) -> None:
        if label == self.dataset.labels[index]:
            return
        name = self.dataset.class_names[label]
        self._push_dataset(f"Label sample {index + 1} as “{name}”",
                           dataset_edit.relabel_sample(self.dataset, index, label),
                           self.selected_sample)

    def load_builtin_dataset(self, name: str, seed: int | None = None) -> None:
        """Swap in a built-in dataset; the network's input/output layers are resized to fit."""
        ds = load_builtin(name, seed=self.training.seed if seed is None else seed)
        if ds.kind == self.dataset.kind and ds.is_regression == self.dataset.is_regression:
            net = edit.fit_to_dataset(self.network, ds, self.training.seed, self.training.init)
        else:
            # Points and images, classes and numbers to predict want different networks;
            # start from the suggested one.
            net = default_network(ds, self.training.seed, self.training.init)
        self.undo_stack.push(SetDatasetCommand(
            self, f"Load dataset “{BUILTIN_DATASETS.get(name, name)}”", ds, 0, network=net))

    # ----- files ---------------------------------------------------------------------------

    def new_project(self, dataset_name: str = DEFAULT_DATASET) -> None:
        self._replace(default_project(dataset_name, seed=0), None)

    def open_file(self, path: str | Path) -> None:
        """Open a project; on ProjectFileError nothing here changes."""
        project = load_project(path)
        self._replace(project, Path(path))

    def open_copy(self, path: str | Path) -> None:
        """Open a project as a new, untitled one (a lesson's starting project): Save asks for
        a name, so the file it came from is never overwritten. ProjectFileError changes nothing."""
        self._replace(load_project(path), None)

    def open_recovered(self, path: str | Path, original_path: str | Path | None = None) -> None:
        """Open an autosaved copy as unsaved work: `modified` stays True until it is saved,
        and Save writes to `original_path` (None: Save As asks). ProjectFileError changes nothing."""
        project = load_project(path)
        self._replace(project, Path(original_path) if original_path else None, saved=False)

    def save(self, path: str | Path | None = None) -> Path:
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("no file name: use Save As")
        save_project(self.project, target)
        self.path = target
        self._saved.reset(self.project)
        # The clean index marks the saved state on the stack (a training run after it opens
        # a new undo entry, so Undo can come back to what was saved).
        self.undo_stack.setClean()
        self.file_state_changed.emit()
        return target

    def _replace(self, project: Project, path: Path | None, saved: bool = True) -> None:
        self.project = project
        self.path = path
        self._saved.reset(project if saved else None)
        self.selection = None
        self.try_input = TryInput()
        self.try_input.fit(project.dataset)
        self.undo_stack.clear()
        if not saved:
            self.undo_stack.resetClean()   # no state on the stack is the saved one
        self._invalidate()
        self.project_replaced.emit()
        self.try_input_changed.emit()
        self.structure_changed.emit()
        self.dataset_changed.emit()
        self.values_changed.emit()
        self.file_state_changed.emit()

    def _check_modified(self) -> None:
        """After every change of the project: tell the views when `modified` changes."""
        if self._saved.compare(self.project):
            self.file_state_changed.emit()

    # ----- called by undo commands only ----------------------------------------------------

    def _set_network(self, net: Network) -> None:
        self._set_state(network=net)

    def _parameters_edited(self) -> None:
        self._invalidate()
        self.parameters_changed.emit()
        self.values_changed.emit()
        self._check_modified()

    def _set_state(self, network: Network | None = None, dataset: Dataset | None = None,
                   selected: int | None = None) -> None:
        """Assign everything first, then notify: a view reacting to one signal must find the
        network and the dataset already consistent with each other."""
        old = self.network
        if network is not None:
            self.project.network = network
        if dataset is not None:
            self.project.dataset = dataset
            self.project.selected_sample = max(0, min(selected or 0, dataset.n_samples - 1))
            self.try_input.fit(dataset)
        self._invalidate()
        if network is not None:
            if not network.same_architecture(old):
                self.selection = None
                self.structure_changed.emit()
                self.selection_changed.emit(None)
            self.parameters_changed.emit()
        if dataset is not None:
            self.dataset_changed.emit()
            self.sample_selected.emit(self.project.selected_sample)
            self.try_input_changed.emit()
        self.values_changed.emit()
        self._check_modified()

    def _set_training_setting(self, field: str, value: Any) -> None:
        setattr(self.training, field, value)
        self.training_changed.emit()
        self._check_modified()

    def _set_sample_inputs(self, sample: int, values: np.ndarray) -> None:
        self.dataset.inputs[sample] = values
        self._invalidate()
        self.dataset_changed.emit()
        self.values_changed.emit()
        self._check_modified()

    def _invalidate(self, sample_only: bool = False) -> None:
        self._derived.invalidate(sample_only)
