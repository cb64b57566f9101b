"""Session: the one owner of the open project, its undo stack and what is derived from it.

Views call the methods here (each pushes one undo command) and redraw when a signal fires;
they never change the project or compute gradients themselves.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..engine import dataset_edit
from ..engine.dataset import Dataset
from ..engine.datasets import DEFAULT_DATASET, default_project
from ..engine.network import Gradients, Network, Trace
from ..engine.project import Project, TrainingConfig
from ..engine.projectfile import load_project, save_project
from ..engine.selection import Selection
from . import derived
from .dataset_edits import DatasetEdits
from .derived import NO_SAMPLES, DerivedValues, NoSamplesError
from .network_edits import NetworkEdits
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


class Session(QObject, NetworkEdits, DatasetEdits):
    """The open project and everything a view may ask of it. Its edits of the network and
    the training settings are in network_edits.py, those of the dataset in dataset_edits.py."""

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

    @property
    def target_known(self) -> bool:
        """Whether the input shown has a target: every sample has, a Try it input only in a
        classification dataset (see TryInput.has_target). Views that show the target, the
        loss or right and wrong show none of them when it is False."""
        return not self.trying or self.try_input.has_target(self.dataset)

    def sample_target(self) -> np.ndarray:
        """The target row of the input shown (see `sample_label`). Without a known target
        (`target_known`) the selected sample's stands in, for the backward pass only."""
        if self.trying and self.target_known:
            return self.dataset.label_target(self.network.sizes[-1], self.sample_label())
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
        # A regression table's new sample gets its y (0 to start with) in the table.
        name = "" if self.dataset.is_regression else f" “{self.dataset.class_names[self.try_input.label]}”"
        self._push_dataset(f"Add Try it input as sample {index + 1}{name}", ds, index)
        return index

    def _try_input_edited(self) -> None:
        self._invalidate(sample_only=True)
        self.try_input_changed.emit()
        self.values_changed.emit()

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
