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

from ..engine import edit
from ..engine.dataset import Dataset
from ..engine.limits import MAX_SAMPLES, training_problem
from ..engine.datasets import BUILTIN_DATASETS, default_network_for, load_builtin
from ..engine.network import Gradients, Network, Trace
from ..engine.overflow import FLOAT_MAX, forward_overflow, number_text
from ..engine.project import Project, TrainingConfig, first_difference
from ..engine.selection import Selection
from .commands import (
    PaintCommand, SetDatasetCommand, SetNetworkCommand, SetParameterCommand,
    SetTrainingSettingCommand,
)

DEFAULT_DATASET = "digits01"
# A project file may hold a dataset with no samples (the format allows it).
NO_SAMPLES = "No samples yet: add one with + Add or choose a built-in dataset"


class NoSamplesError(ValueError):
    """Asked for the selected sample of a dataset that has none."""

    def __init__(self) -> None:
        super().__init__(NO_SAMPLES)


# Undo goes back this many steps; older ones are dropped. Without a bound a lesson's worth of
# edits and training runs piles up: each run keeps its loss history (up to 4 MB a copy at
# 100,000 records), each network edit two copies of the network. QUndoStack bounds only the
# number of steps (and only while empty), so this is a count, not a memory budget.
UNDO_LIMIT = 200


def default_project(dataset_name: str = DEFAULT_DATASET, seed: int = 0) -> Project:
    """A built-in dataset with the network suggested for it, ready to step through."""
    dataset = load_builtin(dataset_name, seed=seed)
    sizes, activations, loss = default_network_for(dataset)
    config = TrainingConfig(seed=seed)
    net = Network.build(sizes, activations, loss, seed=seed, init=config.init)
    return Project(network=net, dataset=dataset, training=config)


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

    def __init__(self, project: Project | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project or default_project()
        self.path: Path | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        # What `modified` compares with: the project as opened, saved or new (None: a
        # recovered copy, unsaved until saved). See `modified`. (So the undo limit dropping
        # a saved state off the stack changes nothing.)
        self._unmodified: Project | None = self.project.copy()
        self._modified = False
        self.selection: Selection | None = None
        self._strokes = itertools.count(1)
        self._revision = 0
        self._trace: Trace | None = None
        self._dataset_trace: Trace | None = None
        self._gradients: Gradients | None = None

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
        (from the new project, if never saved): exactly when Save would write something else.
        Edits that cancel out (a label changed and changed back) leave it unmodified; only the
        selected sample does not count (a selection, not an edit). A recovered copy counts as
        modified until it is saved."""
        return self._modified

    @property
    def revision(self) -> int:
        """Goes up with every change of what the displayed numbers depend on (network,
        dataset, selected sample), before any signal is sent: a cache kept elsewhere (the
        step cursor's) compares it to stay current whichever signal its reader heard first."""
        return self._revision

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled"

    @property
    def has_samples(self) -> bool:
        """False for a dataset with no samples: nothing to step through, show or train on."""
        return self.dataset.n_samples > 0

    def sample_input(self) -> np.ndarray:
        """The selected sample's inputs; NoSamplesError when the dataset has none."""
        if not self.has_samples:
            raise NoSamplesError()
        return self.dataset.inputs[self.selected_sample]

    def sample_target(self) -> np.ndarray:
        if not self.has_samples:
            raise NoSamplesError()
        labels = self.dataset.labels[self.selected_sample:self.selected_sample + 1]
        return self.dataset.targets(self.network.sizes[-1], labels)[0]

    def trace(self) -> Trace:
        """The forward pass of the selected sample (cached until something changes);
        NoSamplesError when the dataset has none."""
        if self._trace is None:
            self._trace = self.network.forward(self.sample_input())
        return self._trace

    def gradients(self) -> Gradients:
        """Backprop's gradients for the selected sample alone."""
        if self._gradients is None:
            self._gradients = self.network.backward(self.trace(), self.sample_target())
        return self._gradients

    def dataset_trace(self) -> Trace:
        """The forward pass of the whole dataset (for dead-ReLU marks and accuracy)."""
        if self._dataset_trace is None:
            self._dataset_trace = self.network.forward(self.dataset.inputs)
        return self._dataset_trace

    def dead_neurons(self, layer: int) -> np.ndarray:
        """Boolean mask of the neurons of `layer` (1 … L) that are dead: their activation
        (ReLU) is 0, with slope 0, for every sample."""
        if not self.network.activations[layer - 1].dead_below_zero or self.dataset.n_samples == 0:
            return np.zeros(self.network.sizes[layer], dtype=bool)
        return np.all(self.dataset_trace().a[layer] <= 0.0, axis=0)

    def loss_on_dataset(self) -> float:
        """The mean loss over every sample; NoSamplesError when there are none."""
        if not self.has_samples:
            raise NoSamplesError()
        net = self.network
        return net.loss(self.dataset_trace(), self.dataset.targets(net.sizes[-1]))

    # ----- selection (not an edit: no undo entry) -----------------------------------------

    def select_sample(self, index: int) -> None:
        """Show sample `index` in the step-through and the panels. Saved with the project (it
        opens on the same sample), but a selection like the diagram's: not undoable, and the
        project does not count as modified for it (see `modified`)."""
        if not 0 <= index < self.dataset.n_samples or index == self.selected_sample:
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
        if layer == 0 and size != self.dataset.n_inputs:
            raise ValueError(f"the input layer must match the dataset's {self.dataset.n_inputs} inputs")
        n_classes = self.dataset.n_classes
        if layer == self.network.n_layers and size < n_classes and not (size == 1 and n_classes <= 2):
            raise ValueError(f"the output layer needs a neuron for each of the {self.dataset.n_classes} classes")
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
        self._check_finite(value)
        self._check_no_overflow(target, value)
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

    @staticmethod
    def _check_finite(value: float) -> None:
        if not np.isfinite(value):
            raise ValueError("a parameter must be a finite number")

    def _check_no_overflow(self, target: Selection, value: float) -> None:
        """Refuse a value with which the forward pass over the dataset overflows (when it did
        not before: a network loaded that way can still be mended one value at a time)."""
        trial = self.network.copy()
        if target.is_weight:
            trial.weights[target.param][target.j, target.i] = value
        else:
            trial.biases[target.param][target.j] = value
        inputs = self.dataset.inputs
        try:
            targets = self.dataset.targets(trial.sizes[-1])
        except ValueError:       # outputs and classes disagree while the network is edited
            targets = None
        where = forward_overflow(trial, inputs, targets)
        if where is None or forward_overflow(self.network, inputs, targets) is not None:
            return
        raise ValueError(
            f"{number_text(value)} is too large for {target.name}: the forward pass would overflow "
            f"({where} would pass {number_text(FLOAT_MAX, 2)}, the largest number the computer "
            f"can hold). Type a smaller value.")

    # ----- training settings ---------------------------------------------------------------

    def set_training_setting(self, field: str, value: Any, text: str | None = None) -> None:
        """Change one TrainingConfig field (one undo step; edits of one field merge).
        ValueError, naming the setting and its range, for a value beyond engine.limits."""
        if field not in {f.name for f in dataclasses.fields(TrainingConfig)}:
            raise ValueError(f"unknown training setting {field!r}")
        problem = training_problem(field, value)
        if problem:
            raise ValueError(problem[0].upper() + problem[1:])
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
        """Set the given pixels (flat index → value) of one sample."""
        values = self.dataset.inputs[sample].copy()
        for index, value in pixel_values.items():
            values[index] = float(np.clip(value, 0.0, 1.0))
        if np.array_equal(values, self.dataset.inputs[sample]):
            return
        self.undo_stack.push(PaintCommand(self, sample, values, stroke))

    def move_sample(self, index: int, inputs: np.ndarray, stroke: int) -> None:
        """Set all inputs of a 2-D point (no clipping); one drag (stroke) is one undo entry."""
        values = np.asarray(inputs, dtype=np.float64)
        if values.shape != (self.dataset.n_inputs,) or not np.all(np.isfinite(values)):
            raise ValueError(f"a sample needs {self.dataset.n_inputs} finite numbers")
        if np.array_equal(values, self.dataset.inputs[index]):
            return
        command = PaintCommand(self, index, values, stroke)
        command.setText(f"Move sample {index + 1}")
        self.undo_stack.push(command)

    def _check_room(self) -> None:
        if self.dataset.n_samples >= MAX_SAMPLES:
            raise ValueError(f"a dataset may hold at most {MAX_SAMPLES:,} samples")

    def add_sample(self, inputs: np.ndarray | None = None, label: int = 0) -> int:
        self._check_room()
        ds = self.dataset.copy()
        row = np.zeros(ds.n_inputs) if inputs is None else np.asarray(inputs, dtype=np.float64)
        ds.inputs = np.vstack([ds.inputs, row])
        ds.labels = np.append(ds.labels, label)
        index = ds.n_samples - 1
        self.undo_stack.push(SetDatasetCommand(self, f"Add sample {index + 1}", ds, index))
        return index

    def duplicate_sample(self, index: int) -> int:
        self._check_room()
        ds = self.dataset.copy()
        ds.inputs = np.insert(ds.inputs, index + 1, ds.inputs[index], axis=0)
        ds.labels = np.insert(ds.labels, index + 1, ds.labels[index])
        self.undo_stack.push(SetDatasetCommand(self, f"Duplicate sample {index + 1}", ds, index + 1))
        return index + 1

    def delete_sample(self, index: int) -> None:
        if self.dataset.n_samples <= 1:
            raise ValueError("a dataset needs at least one sample")
        ds = self.dataset.copy()
        ds.inputs = np.delete(ds.inputs, index, axis=0)
        ds.labels = np.delete(ds.labels, index)
        selected = min(self.selected_sample, ds.n_samples - 1)
        self.undo_stack.push(SetDatasetCommand(self, f"Delete sample {index + 1}", ds, selected))

    def relabel_sample(self, index: int, label: int) -> None:
        if label == self.dataset.labels[index]:
            return
        ds = self.dataset.copy()
        ds.labels[index] = label
        name = ds.class_names[label]
        self.undo_stack.push(SetDatasetCommand(
            self, f"Label sample {index + 1} as “{name}”", ds, self.selected_sample))

    def load_builtin_dataset(self, name: str, seed: int | None = None) -> None:
        """Swap in a built-in dataset; the network's input/output layers are resized to fit."""
        ds = load_builtin(name, seed=self.training.seed if seed is None else seed)
        if ds.kind == self.dataset.kind:
            net = edit.fit_to_dataset(self.network, ds, self.training.seed, self.training.init)
        else:
            # Points and images want different networks; start from the suggested one.
            sizes, acts, loss = default_network_for(ds)
            net = Network.build(sizes, acts, loss, seed=self.training.seed, init=self.training.init)
        self.undo_stack.push(SetDatasetCommand(
            self, f"Load dataset “{BUILTIN_DATASETS.get(name, name)}”", ds, 0, network=net))

    # ----- files ---------------------------------------------------------------------------

    def new_project(self, dataset_name: str = DEFAULT_DATASET) -> None:
        self._replace(default_project(dataset_name, seed=0), None)

    def open_file(self, path: str | Path) -> None:
        """Open a project; on ProjectFileError nothing here changes."""
        from ..engine.projectfile import load_project

        project = load_project(path)
        self._replace(project, Path(path))

    def open_recovered(self, path: str | Path, original_path: str | Path | None = None) -> None:
        """Open an autosaved copy as unsaved work: `modified` stays True until it is saved,
        and Save writes to `original_path` (None: Save As asks). ProjectFileError changes nothing."""
        from ..engine.projectfile import load_project

        project = load_project(path)
        self._replace(project, Path(original_path) if original_path else None, saved=False)

    def save(self, path: str | Path | None = None) -> Path:
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("no file name: use Save As")
        from ..engine.projectfile import save_project

        save_project(self.project, target)
        self.path = target
        self._unmodified = self.project.copy()
        self._modified = False
        # The clean index marks the saved state on the stack (a training run after it opens
        # a new undo entry, so Undo can come back to what was saved).
        self.undo_stack.setClean()
        self.file_state_changed.emit()
        return target

    def _replace(self, project: Project, path: Path | None, saved: bool = True) -> None:
        self.project = project
        self.path = path
        self._unmodified = project.copy() if saved else None
        self._modified = not saved
        self.selection = None
        self.undo_stack.clear()
        if not saved:
            self.undo_stack.resetClean()   # no state on the stack is the saved one
        self._invalidate()
        self.project_replaced.emit()
        self.structure_changed.emit()
        self.dataset_changed.emit()
        self.values_changed.emit()
        self.file_state_changed.emit()

    def _check_modified(self) -> None:
        """After every change of the project: compare it with the saved one, and tell the
        views when the answer changes. (Not the undo stack's clean state: that misses edits
        that cancel out, and merged edits change the project without moving the stack.)"""
        modified = self._unmodified is None or first_difference(self.project, self._unmodified) is not None
        if modified != self._modified:
            self._modified = modified
            self.file_state_changed.emit()

    # ----- called by undo commands only ----------------------------------------------------

    def _set_network(self, net: Network) -> None:
        self._set_state(network=net)

    def _parameters_edited(self) -> None:
        self._invalidate()
        self.parameters_changed.emit()
        self.values_changed.emit()
        self._check_modified()

    def _set_dataset(self, dataset: Dataset, selected: int) -> None:
        self._set_state(dataset=dataset, selected=selected)

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
        self._invalidate()
        if network is not None:
            same_shape = (network.sizes == old.sizes
                          and network.activation_names == old.activation_names
                          and network.loss_name == old.loss_name)
            if not same_shape:
                self.selection = None
                self.structure_changed.emit()
                self.selection_changed.emit(None)
            self.parameters_changed.emit()
        if dataset is not None:
            self.dataset_changed.emit()
            self.sample_selected.emit(self.project.selected_sample)
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
        self._revision += 1
        self._trace = None
        self._gradients = None
        if not sample_only:
            self._dataset_trace = None
