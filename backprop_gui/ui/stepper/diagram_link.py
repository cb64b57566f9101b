"""How the step-through drives the network diagram: its highlight, colour mode and gradients.

The diagram is optional (the panel also runs alone) and is reached only through the
methods it documents: `set_highlight`, `set_color_mode`, `set_gradient_source`, and the
`color_mode_changed` signal, so the "Weights / Gradients" toggle stays true to it.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QHBoxLayout, QToolButton

from ...session.stepper import StepCursor
from ..diagram.highlight import Highlight

MODES = ("weights", "gradients")
CAPTION_TIP = "Next step: click here (or press →) to go on to the next step of the calculation"


class DiagramLink:
    """The diagram as the Steps panel sees it, plus the panel's Weights/Gradients toggle."""

    def __init__(self, cursor: StepCursor, view: object | None,
                 color_mode_setter: Callable[[str], None] | None = None) -> None:
        self.cursor = cursor
        self.view = view
        self._setter = color_mode_setter
        self.mode: str | None = None
        self._gradient_scope: tuple[str, str] | None = None
        self._last_phase: str | None = None
        self.buttons: dict[str, QToolButton] = {}
        for mode, tip in (
                ("weights", "The diagram's edges show the weights"),
                ("gradients", "The diagram's edges show ∂L/∂w, the gradients of this step "
                              "(switches on by itself when the backward pass begins)")):
            button = QToolButton()
            button.setCheckable(True)
            button.setAutoExclusive(True)
            button.setText(mode.capitalize())
            button.setToolTip(tip)
            # Fusion's checked tool button is hard to tell apart: bold marks the mode shown.
            button.setStyleSheet("QToolButton:checked { font-weight: bold; }")
            button.clicked.connect(lambda _c=False, m=mode: self.set_color_mode(m))
            self.buttons[mode] = button
        self.buttons["weights"].setChecked(True)
        changed = getattr(view, "color_mode_changed", None)
        if changed is not None:
            # The View menu or the diagram's own menu may switch too: keep the toggle honest.
            changed.connect(self._on_view_color_mode_changed)
        current = getattr(view, "color_mode", None)
        if callable(current):
            self._on_view_color_mode_changed(current())

    def make_caption_a_button(self, next_step: Callable[[], None]) -> None:
        """The step's caption on the diagram ("z¹ →") looks like a Next button: make it one."""
        clicked = getattr(self.view, "caption_clicked", None)
        if clicked is None:
            return
        self.view.set_caption_tooltip(CAPTION_TIP)
        clicked.connect(next_step)

    def add_toggle_to(self, row: QHBoxLayout) -> None:
        for button in self.buttons.values():
            row.addWidget(button)

    # ----- colour mode --------------------------------------------------------------------------

    def set_color_mode(self, mode: str) -> None:
        if mode not in MODES or mode == self.mode:
            return
        self.mode = mode
        self.buttons[mode].setChecked(True)
        if self._setter is not None:
            self._setter(mode)
        elif self.view is not None and hasattr(self.view, "set_color_mode"):
            self.view.set_color_mode(mode)

    def _on_view_color_mode_changed(self, mode: str) -> None:
        if mode in MODES:
            self.mode = mode
            self.buttons[mode].setChecked(True)

    def follow_phase(self, phase: str | None) -> None:
        """Gradients from the first step of the backward pass (its steps compute them: the
        diagram, its legend and its hover cards then show ∂L/∂w and δ), weights again back
        in the forward pass."""
        if phase == self._last_phase:
            return
        if phase in ("backward", "update") and self._last_phase is not None:
            self.set_color_mode("gradients")
        elif phase in ("forward", "loss") and self._last_phase in ("backward", "update"):
            self.set_color_mode("weights")
        self._last_phase = phase

    # ----- highlight and gradients ----------------------------------------------------------------

    def show(self, highlight: Highlight | None) -> None:
        view = self.view
        if view is None:
            return
        scope = (self.cursor.scope, self.cursor.scope_description())
        if hasattr(view, "set_gradient_source") and scope != self._gradient_scope:
            # Gradients mode shows the gradients of what is being stepped through.
            self._gradient_scope = scope
            if scope[0] == "batch":
                view.set_gradient_source(self.cursor.gradients_for_view, scope[1])
            else:
                view.set_gradient_source(None)
        if hasattr(view, "set_highlight"):
            view.set_highlight(highlight)
