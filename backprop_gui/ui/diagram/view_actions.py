"""ViewActions: the network view's own entries at the foot of its context menu: the colour
mode, neuron maps, an image input drawn as its pixel grid, Fit to view and Export diagram."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QFileDialog

from ...engine.dataset import Dataset
from ..common.action_helper import make_action, set_tips
from .nodes import MIN_MAP_PIXELS

if TYPE_CHECKING:
    from .view import NetworkView

MAPS_TIP = ("Draw each neuron as a small map of its activation a over the input plane "
            "(x₁ across, x₂ up), in Colour by weights. A neuron under "
            f"{MIN_MAP_PIXELS:g} px on screen stays a circle: zoom in to see its map.")


class ViewActions:
    """Actions that call the view's public methods; `post` reports how an export went.

    No QAction shortcuts here: the main window has its own zoom actions, and two actions
    with one shortcut would cancel each other. The view's Keys handle the keys otherwise."""

    def __init__(self, view: NetworkView, post: Callable[[str], None]) -> None:
        self._view = view
        self._post = post
        self.fit = make_action(view, "Fit to view", "Show the whole network (Ctrl+0)",
                               view.fit_to_view)
        self.export = make_action(view, "Export diagram…",
                                  "Save the diagram with its legend as PNG or SVG",
                                  self.export_dialog)
        group = QActionGroup(view)
        self.modes: dict[str, QAction] = {}
        for mode, text, tip in (
                ("weights", "Colour by weights", "Edges show the weights w, neurons their activation a"),
                ("gradients", "Colour by gradients", "Edges show ∂L/∂w, neurons δ = ∂L/∂z")):
            action = make_action(view, text, tip, lambda m=mode: view.set_color_mode(m),
                                 checkable=True)
            action.setChecked(mode == view.color_mode())
            group.addAction(action)
            self.modes[mode] = action
        self.maps = make_action(
            view, "Neuron &Maps", MAPS_TIP,
            lambda: view.set_neuron_maps(self.maps.isChecked()), checkable=True)
        self.maps.setChecked(view.neuron_maps_on())
        self.grid = make_action(
            view, "Draw inputs as an image",
            "Draw the input layer as the picture's pixel grid instead of a column",
            lambda: view.set_input_grid(self.grid.isChecked()), checkable=True)

    def for_menu(self, dataset: Dataset) -> list[QAction]:
        """The entries for the context menu (the pixel grid only for an image dataset)."""
        actions = [self.modes["weights"], self.modes["gradients"], self.maps]
        if dataset.kind == "image" and dataset.image_shape is not None:
            actions.append(self.grid)
        return actions + [self.fit, self.export]

    def update_maps(self, why_unavailable: str) -> None:
        """Neuron maps are possible (""), or not and why: the entry is disabled and says so."""
        self.maps.setEnabled(not why_unavailable)
        set_tips(self.maps, why_unavailable or MAPS_TIP)

    def export_dialog(self) -> None:
        """Ask where to save the diagram (PNG or SVG) and save it there."""
        path, _ = QFileDialog.getSaveFileName(self._view, "Export diagram", "network.png",
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        try:
            if path.lower().endswith(".svg"):
                self._view.export_svg(path)
            else:
                self._view.export_png(path if path.lower().endswith(".png") else path + ".png")
        except (OSError, ValueError) as exc:
            self._post(f"Could not export the diagram: {exc}")
            return
        self._post(f"Diagram saved to {path}")
