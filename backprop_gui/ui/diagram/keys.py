"""Keys: the network view's keyboard. Ctrl+= / Ctrl+− / Ctrl+0 zoom; + and − add or remove a
neuron in the selected neuron's layer, Delete removes its hidden layer; Esc clears the
selection; Page Up/Down change the sample; Alt+arrows walk the network (the plain ←/→ step
through the calculation wherever the focus is: ui/stepper/controls.py)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGraphicsView

from ...engine.selection import Selection
from ...session.session import Session
from .editing import DiagramEditor
from .fitting import Zoom
from .interaction import Pointer
from .scene import DiagramScene

WALK_TIP_OFFSET = QPoint(18, 12)
_ARROWS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right)


class Keys:
    """What each key does to the session or the view; `post` explains a key that cannot
    act now. The walk's tooltip shows through `pointer`, like a hovered item's."""

    def __init__(self, view: QGraphicsView, scene: DiagramScene, session: Session,
                 editor: DiagramEditor, zoom: Zoom, pointer: Pointer,
                 post: Callable[[str], None]) -> None:
        self._view = view
        self._scene = scene
        self._session = session
        self._editor = editor
        self._zoom = zoom
        self._pointer = pointer
        self._post = post

    def press(self, event: QKeyEvent) -> bool:
        """Act on a key press; whether the key was one of the view's."""
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier & ~Qt.KeyboardModifier.KeypadModifier
        if mods == Qt.KeyboardModifier.ControlModifier:
            zoom = {Qt.Key.Key_Equal: self._zoom.zoom_in, Qt.Key.Key_Plus: self._zoom.zoom_in,
                    Qt.Key.Key_Minus: self._zoom.zoom_out, Qt.Key.Key_0: self._zoom.fit}.get(key)
            if zoom is not None:
                zoom()
                return True
        if mods == Qt.KeyboardModifier.AltModifier and key in _ARROWS:
            self._walk(key, bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return True
        if mods != Qt.KeyboardModifier.NoModifier:
            return False
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self._resize_layer(adding=key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal))
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._remove_layer()
        elif key == Qt.Key.Key_Escape:
            self._session.select(None)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            # As in the Input panel: the sample the diagram shows, one back or forward.
            target = self._session.selected_sample + (-1 if key == Qt.Key.Key_PageUp else 1)
            if 0 <= target < self._session.dataset.n_samples:
                self._session.select_sample(target)
        else:
            return False
        return True

    def _selected_layer(self) -> int | None:
        """The layer of the selected neuron (or of the selected bias's neuron)."""
        sel = self._session.selection
        return sel.layer if sel is not None and not sel.is_weight else None

    def _resize_layer(self, adding: bool) -> None:
        layer = self._selected_layer()
        if layer is None:
            self._post("Select a neuron first: + and − then add or remove a neuron in its layer.")
            return
        sel = self._session.selection
        done = self._editor.add_neuron(layer) if adding else self._editor.remove_neuron(layer)
        if done:
            j = min(sel.j, self._session.network.sizes[layer] - 1)
            self._session.select(Selection.neuron(layer, j))

    def _remove_layer(self) -> None:
        layer = self._selected_layer()
        if layer is None:
            self._post("Select a neuron of a hidden layer first: Delete then removes that layer.")
        elif not 0 < layer < self._session.network.n_layers:
            self._post("Only hidden layers can be removed; the input and output layers stay.")
        else:
            self._editor.remove_layer(layer)

    def _walk(self, key: int, shift: bool = False) -> None:
        """Alt+arrows walk the network: between neurons; with Shift from a neuron onto the weight
        coming in (←) or going out (→); from a weight ↑/↓ to the weights into the same
        neuron, ←/→ to the neuron at either end. So every weight has a keyboard path."""
        target = walk_target(self._session.network.sizes, self._session.selection, key, shift)
        self._session.select(target)
        if target.is_weight:
            centre = self._scene.edge_midpoint(target.param, target.j, target.i)
        else:
            centre = self._scene.neuron_pos(target.layer, target.j)
        self._view.ensureVisible(centre.x() - 20, centre.y() - 20, 40, 40)
        self._pointer.show_tip(target, self._view.mapFromScene(centre) + WALK_TIP_OFFSET)


def walk_target(sizes: list[int], sel: Selection | None, key: int, shift: bool) -> Selection:
    """Where an arrow key (with Shift or not) goes from the selection `sel`."""
    horizontal = key in (Qt.Key.Key_Left, Qt.Key.Key_Right)
    if sel is None:
        return Selection.neuron(0, 0)
    if sel.is_weight:
        l, j, i = sel.layer, sel.j, sel.i
        if horizontal:
            return Selection.neuron(l - 1, i) if key == Qt.Key.Key_Left else Selection.neuron(l, j)
        step = -1 if key == Qt.Key.Key_Up else 1
        return Selection.weight(l, j, min(max(i + step, 0), sizes[l - 1] - 1))
    layer, j = sel.layer, sel.j     # a neuron, or a bias: its neuron
    if not horizontal:
        step = -1 if key == Qt.Key.Key_Up else 1
        return Selection.neuron(layer, min(max(j + step, 0), sizes[layer] - 1))
    new = min(max(layer + (-1 if key == Qt.Key.Key_Left else 1), 0), len(sizes) - 1)
    frac = (j + 0.5) / sizes[layer]
    k = min(int(frac * sizes[new]), sizes[new] - 1)
    if shift and new != layer:
        return (Selection.weight(layer, j, k) if key == Qt.Key.Key_Left
                else Selection.weight(new, k, j))
    return Selection.neuron(new, k)
