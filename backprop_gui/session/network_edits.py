"""The network edits and training settings a Session offers, each one undo command.

A mixin of Session (session.py), kept apart so the owner of the project stays readable:
these methods only build the new network or setting (the maths is engine/edit.py's) and
push the command; the command's redo() calls Session._set_*() to change the project and
tell the views. They use the session's `network`, `dataset`, `training` and `undo_stack`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ..engine import edit
from ..engine.network import Network
from ..engine.overflow import parameter_overflow
from ..engine.project import TrainingConfig
from ..engine.selection import Selection
from .commands import SetNetworkCommand, SetParameterCommand, SetTrainingSettingCommand


class NetworkEdits:
    """Session's edits of the network and the training settings (see session.Session)."""

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
