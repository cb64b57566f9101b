"""Edits the diagram offers (buttons, keys, context menu): each one session call, errors explained."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QPointF
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from ...engine.activations import ACTIVATIONS
from ...engine.losses import LOSSES
from ...engine.selection import Selection
from ...session.session import Session
from ..common.action_helper import add_action, add_menu, make_action
from .scene import DiagramScene, layer_name

SOFTMAX_HIDDEN_TIP = ("Softmax turns a whole layer into probabilities that add up to 1. "
                      "That is what the output layer reports, so softmax is only allowed there.")


def _sentence(text: str) -> str:
    text = str(text).strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text


class DiagramEditor:
    """Calls the session for one edit; a refused edit (ValueError) is posted, never raised."""

    def __init__(self, session: Session, post: Callable[[str], None]) -> None:
        self.session = session
        self.post = post

    def _run(self, fn: Callable, *args) -> bool:
        try:
            note = fn(*args)
        except ValueError as exc:
            self.post(f"Not possible: {_sentence(exc)}")
            return False
        if isinstance(note, str) and note:
            self.post(_sentence(note))
        return True

    def add_neuron(self, layer: int) -> bool:
        return self._run(self.session.resize_layer, layer, self.session.network.sizes[layer] + 1)

    def remove_neuron(self, layer: int) -> bool:
        return self._run(self.session.resize_layer, layer, self.session.network.sizes[layer] - 1)

    def add_layer(self, position: int) -> bool:
        return self._run(self.session.add_layer, position)

    def remove_layer(self, layer: int) -> bool:
        return self._run(self.session.remove_layer, layer)

    def set_activation(self, layer: int, name: str) -> bool:
        if self.session.network.activation_names[layer - 1] == name:
            return True
        return self._run(self.session.set_activation, layer, name)

    def set_loss(self, name: str) -> bool:
        if self.session.network.loss_name == name:
            return True
        return self._run(self.session.set_loss, name)

    def reinitialise(self) -> bool:
        return self._run(self.session.reinitialise)

    def actions(self) -> dict[str, Callable[[int], None]]:
        """The callbacks the scene's hover buttons use."""
        return {"add_neuron": self.add_neuron, "remove_neuron": self.remove_neuron,
                "add_layer": self.add_layer}


def build_menu(editor: DiagramEditor, scene: DiagramScene, pos: QPointF, view_actions: list[QAction],
               parent: QWidget | None = None, weight: Selection | None = None,
               explain: Callable[[Selection], None] | None = None) -> QMenu:
    """The context menu for whatever lies at scene position `pos` (a layer, or empty space);
    over a `weight` (not a neuron), first an entry that `explain`s its gradient."""
    session = editor.session
    net = session.network
    menu = QMenu(parent)
    menu.setToolTipsVisible(True)
    hit = scene.neuron_at(pos, 4.0)
    layer = hit.layer if hit is not None else scene.column_at(pos)
    gap = None if layer is not None else scene.gap_at(pos)
    if layer is not None:
        _layer_entries(menu, editor, layer)
    elif gap is not None:
        add_action(menu, "Insert hidden layer here",
                   f"Insert a new hidden layer between {layer_name(net, gap - 1)} and {layer_name(net, gap)}",
                   lambda: editor.add_layer(gap))
    else:
        add_action(menu, "Add hidden layer", "Insert a new hidden layer just before the output layer",
                   lambda: editor.add_layer(net.n_layers))
    menu.addSeparator()
    add_action(menu, "Re-initialise weights",
               f"Draw fresh weights for every layer from seed {session.training.seed} (undo brings the old ones back)",
               editor.reinitialise)
    if view_actions:
        menu.addSeparator()
        for action in view_actions:
            menu.addAction(action)
    if weight is not None and hit is None and explain is not None:
        first = menu.actions()[0] if menu.actions() else None
        menu.insertAction(first, make_action(
            menu, f"Explain ∂L/∂{weight.name} Step by Step",
            "Select this weight and take its gradient apart by the chain rule (Steps panel)",
            lambda w=weight: explain(w)))
        menu.insertSeparator(first)
    return menu


def _layer_entries(menu: QMenu, editor: DiagramEditor, layer: int) -> None:
    """Resize the layer, add or remove layers beside it, its activation (and the loss)."""
    session = editor.session
    net = session.network
    L = net.n_layers
    name = layer_name(net, layer)
    menu.addSection(name[:1].upper() + name[1:])
    n = net.sizes[layer]
    input_tip = (f"The input layer has one neuron per input of the dataset "
                 f"({session.dataset.n_inputs}); change the dataset to change it.")
    add_action(menu, "Add neuron", input_tip if layer == 0 else f"Give {name} {n + 1} neurons",
               lambda: editor.add_neuron(layer), enabled=layer > 0)
    add_action(menu, "Remove neuron", input_tip if layer == 0 else f"Give {name} {n - 1} neurons",
               lambda: editor.remove_neuron(layer), enabled=layer > 0 and n > 1)
    menu.addSeparator()
    add_action(menu, "Add hidden layer before",
               "The input layer comes first; a hidden layer can only go after it" if layer == 0
               else f"Insert a new hidden layer just left of {name}",
               lambda: editor.add_layer(layer), enabled=layer > 0)
    add_action(menu, "Add hidden layer after",
               "The output layer comes last; a hidden layer can only go before it" if layer == L
               else f"Insert a new hidden layer just right of {name}",
               lambda: editor.add_layer(layer + 1), enabled=layer < L)
    hidden = 0 < layer < L
    add_action(menu, "Remove this layer",
               f"Remove {name}; its neighbours get fresh weights between them" if hidden
               else "Only hidden layers can be removed",
               lambda: editor.remove_layer(layer), enabled=hidden)
    if layer > 0:
        _activation_menu(menu, editor, layer)
    if layer == L:
        _loss_menu(menu, editor)


def _activation_menu(menu: QMenu, editor: DiagramEditor, layer: int) -> None:
    net = editor.session.network
    sub = add_menu(menu, "Activation")
    group = QActionGroup(sub)
    for name, act in ACTIVATIONS.items():
        hidden_softmax = act.output_only and layer != net.n_layers
        action = add_action(sub, act.display, SOFTMAX_HIDDEN_TIP if hidden_softmax else act.formula,
                            lambda name=name: editor.set_activation(layer, name),
                            enabled=not hidden_softmax, checkable=True)
        action.setChecked(net.activation_names[layer - 1] == name)
        group.addAction(action)


def _loss_menu(menu: QMenu, editor: DiagramEditor) -> None:
    net = editor.session.network
    sub = add_menu(menu, "Loss")
    group = QActionGroup(sub)
    for name, loss in LOSSES.items():
        tip = loss.formula
        if loss.requires_output:
            tip += f" (switches the output to {ACTIVATIONS[loss.requires_output].display})"
        action = add_action(sub, loss.display, tip, lambda name=name: editor.set_loss(name),
                            checkable=True)
        action.setChecked(net.loss_name == name)
        group.addAction(action)
