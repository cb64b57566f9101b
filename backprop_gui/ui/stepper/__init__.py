"""The step-through: one gradient-descent step as a sequence of worked calculations.

`install_stepper(window, session, view)` puts the Steps panel in the main window's "Steps"
dock and its actions in a "Step" menu; the panel drives the diagram's highlight.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QMenu, QWidget

from ...session.session import Session
from .panel import StepperPanel

__all__ = ["StepperPanel", "install_stepper"]


class _Window(Protocol):
    def set_dock_widget(self, name: str, widget: QWidget): ...

    def menu(self, name: str) -> QMenu: ...


def install_stepper(window: _Window, session: Session, view: object | None = None) -> StepperPanel:
    """Create the Steps panel for `session`, dock it in `window` and fill its Step menu."""
    setter = getattr(window, "set_color_mode", None)
    panel = StepperPanel(session, view=view, color_mode_setter=setter)
    window.set_dock_widget("Steps", panel)
    menu = window.menu("Step")
    menu.setToolTipsVisible(True)
    for action in panel.step_actions():
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)
    message = getattr(window, "post_message", None)
    if message is not None and not hasattr(window, "_connect_messages"):
        panel.message_posted.connect(message)  # a window without the dock hook's wiring
    return panel
