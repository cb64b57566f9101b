"""The Network menu: change the architecture, the activations, the loss and the weights.

Each entry calls one Session method (one undo step). Entries that act on "the selected layer"
follow the diagram's selection and say which layer they will change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from ...engine.activations import ACTIVATIONS
from ...engine.limits import architecture_problem
from ...engine.losses import LOSSES
from ...engine.selection import Selection
from ...session.session import Session
from ..common.action_helper import add_menu, make_action, set_tips

if TYPE_CHECKING:
    from .main_window import MainWindow

DEFAULT_NEW_LAYER_SIZE = 4


def selected_layer(selection: Selection | None) -> int | None:
    """The layer (0 … L) of the selected neuron or bias, or the layer a weight feeds into."""
    return None if selection is None else selection.layer


def layer_role(session: Session, layer: int) -> str:
    L = session.network.n_layers
    return "input" if layer == 0 else "output" if layer == L else "hidden"


class NetworkMenu(QObject):
    """Builds the Network menu and runs its commands, reporting problems in the status bar."""

    def __init__(self, window: MainWindow) -> None:
        # A child of the window: the session's connections to it end when the window goes.
        super().__init__(window)
        self.window = window
        self.session = window.session
        w = window
        self.add_layer = make_action(
            w, "Add &Hidden Layer", "Insert a hidden layer of 4 ReLU neurons", self.on_add_layer,
            "Ctrl+Shift+L")
        self.remove_layer = make_action(
            w, "Remove Hidden La&yer", "Remove a hidden layer", self.on_remove_layer,
            "Ctrl+Shift+K")
        self.add_neuron = make_action(
            w, "Add &Neuron", "Add a neuron to the selected layer", self.on_add_neuron,
            "Ctrl+Shift+N")
        self.remove_neuron = make_action(
            w, "Re&move Neuron", "Remove a neuron from the selected layer", self.on_remove_neuron,
            "Ctrl+Shift+M")
        self.reinitialise = make_action(
            w, "Re-&initialise Weights…", "Draw fresh weights from a seed and an initialiser",
            self.on_reinitialise, "Ctrl+R")
        self.activation_menu: QMenu | None = None
        self.loss_menu: QMenu | None = None
        self._loss_group = QActionGroup(w)
        self._activation_groups: list[QActionGroup] = []
        self.session.structure_changed.connect(self._update)
        self.session.selection_changed.connect(self._update)

    def build(self, menu: QMenu) -> QMenu:
        menu.addActions([self.add_layer, self.remove_layer])
        menu.addSeparator()
        menu.addActions([self.add_neuron, self.remove_neuron])
        menu.addSeparator()
        self.activation_menu = add_menu(menu, "&Activation", "Choose each layer's activation function")
        self.loss_menu = add_menu(menu, "&Loss", "Choose the loss function")
        for name, loss in LOSSES.items():
            action = make_action(self.window, loss.display, f"{loss.display}: {loss.formula}",
                                 lambda n=name: self.on_set_loss(n), checkable=True)
            action.setData(name)
            self._loss_group.addAction(action)
            self.loss_menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.reinitialise)
        self._update()
        return menu

    # ----- keeping the entries true to the current network ------------------------------------

    def _update(self, *_args: object) -> None:
        s = self.session
        net = s.network
        layer = selected_layer(s.selection)
        position = self._insert_position()
        self.add_layer.setText(f"Add &Hidden Layer (as layer {position})")
        set_tips(self.add_layer, f"Insert a hidden layer of {self._new_layer_size()} ReLU neurons "
                                 f"so it becomes layer {position}")
        grown = net.sizes[:position] + [self._new_layer_size()] + net.sizes[position:]
        self._limit(self.add_layer, architecture_problem(grown))
        removable = self._removable_layer()
        self.remove_layer.setEnabled(removable is not None)
        self.remove_layer.setText(f"Remove Hidden La&yer {removable}" if removable
                                  else "Remove Hidden La&yer")
        set_tips(self.remove_layer, f"Remove hidden layer {removable}" if removable
                 else "This network has no hidden layer to remove")
        resizable = layer is not None and layer > 0
        for action, verb, prep in ((self.add_neuron, "Add a &Neuron", "to"),
                                   (self.remove_neuron, "Re&move a Neuron", "from")):
            action.setEnabled(resizable)
            if resizable:
                action.setText(f"{verb} {prep} Layer {layer}")
                set_tips(action, f"{verb.replace('&', '')} {prep} layer {layer} "
                                 f"({layer_role(s, layer)})")
            else:
                action.setText(f"{verb} (select a layer first)")
                set_tips(action, "Click a neuron in the diagram to choose its layer first")
        self.remove_neuron.setEnabled(resizable and net.sizes[layer] > 1)
        if resizable:
            wider = list(net.sizes)
            wider[layer] += 1
            self._limit(self.add_neuron, architecture_problem(wider))
        for action in self._loss_group.actions():
            action.setChecked(action.data() == net.loss_name)
        self._rebuild_activation_menu()

    def _rebuild_activation_menu(self) -> None:
        if self.activation_menu is None:
            return
        menu = self.activation_menu
        menu.clear()
        for group in self._activation_groups:
            group.deleteLater()
        self._activation_groups = []
        net = self.session.network
        for layer in range(1, net.n_layers + 1):
            role = layer_role(self.session, layer)
            current = net.activation_names[layer - 1]
            sub = add_menu(menu, f"Layer &{layer} ({role}): {ACTIVATIONS[current].display}")
            group = QActionGroup(sub)
            self._activation_groups.append(group)
            for name, act in ACTIVATIONS.items():
                if act.output_only and layer != net.n_layers:
                    continue
                action = make_action(sub, act.display,
                                     f"{act.formula}; derivative {act.derivative_formula}",
                                     lambda l=layer, n=name: self.on_set_activation(l, n),
                                     checkable=True)
                action.setChecked(name == current)
                action.setData(name)
                group.addAction(action)
                sub.addAction(action)

    @staticmethod
    def _limit(action: QAction, problem: str | None) -> None:
        """Disable an entry that would take the network past the app's limits, saying which."""
        action.setEnabled(problem is None)
        if problem:
            set_tips(action, f"Not possible: {problem} (see the README's limits)")

    def _insert_position(self) -> int:
        """Where Add Hidden Layer puts the new layer: after the selected layer, else before the output."""
        layer = selected_layer(self.session.selection)
        L = self.session.network.n_layers
        if layer is not None and layer < L:
            return layer + 1
        return L

    def _new_layer_size(self) -> int:
        net = self.session.network
        hidden = net.sizes[1:-1]
        return hidden[-1] if hidden else DEFAULT_NEW_LAYER_SIZE

    def _removable_layer(self) -> int | None:
        net = self.session.network
        layer = selected_layer(self.session.selection)
        if layer is not None and 0 < layer < net.n_layers:
            return layer
        return net.n_layers - 1 if net.n_layers > 1 else None

    # ----- commands ----------------------------------------------------------------------------

    def _run(self, fn, *args) -> None:
        try:
            note = fn(*args)
        except ValueError as exc:
            self.window.show_problem(str(exc))
            return
        text = self.session.undo_stack.undoText()
        self.window.post_message(f"{text}. {note[0].upper()}{note[1:]}." if note else text)

    def on_add_layer(self) -> None:
        self._run(self.session.add_layer, self._insert_position(), self._new_layer_size(), "relu")

    def on_remove_layer(self) -> None:
        layer = self._removable_layer()
        if layer is None:
            self.window.show_problem("This network has no hidden layer to remove.")
            return
        self._run(self.session.remove_layer, layer)

    def _resize_selected(self, delta: int) -> None:
        layer = selected_layer(self.session.selection)
        if layer is None or layer == 0:
            self.window.show_problem("Click a neuron of a hidden or output layer first.")
            return
        self._run(self.session.resize_layer, layer, self.session.network.sizes[layer] + delta)

    def on_add_neuron(self) -> None:
        self._resize_selected(+1)

    def on_remove_neuron(self) -> None:
        self._resize_selected(-1)

    def on_set_activation(self, layer: int, name: str) -> None:
        if self.session.network.activation_names[layer - 1] != name:
            self._run(self.session.set_activation, layer, name)

    def on_set_loss(self, name: str) -> None:
        if self.session.network.loss_name != name:
            self._run(self.session.set_loss, name)
        self._update()

    def on_reinitialise(self) -> None:
        from ..dialogs.reinitialise import ReinitialiseDialog

        dialog = ReinitialiseDialog(self.session.training.seed, self.session.training.init,
                                    self.window)
        choice = self.window.run_dialog(dialog)
        if choice is not None:
            seed, init = choice
            self._run(self.session.reinitialise, seed, init)
