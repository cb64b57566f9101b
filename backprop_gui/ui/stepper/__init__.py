"""The step-through: one gradient-descent step as a sequence of worked calculations.

`install_stepper(window, session, view)` puts the Steps panel in the main window's "Steps"
dock and its actions in a "Step" menu; the panel drives the diagram's highlight.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from ...session.session import Session
from ..common.in_front import when_brought_forward
from ..common.window_hooks import WindowHooks
from .panel import StepperPanel

__all__ = ["StepperPanel", "install_stepper"]


def install_stepper(window: WindowHooks, session: Session, view: object | None = None,
                    settings: QSettings | None = None) -> StepperPanel:
    """Create the Steps panel for `session`, dock it in `window` and fill its Step menu;
    `settings` remember the split between the list and the calculation, and its zoom."""
    panel = StepperPanel(session, view=view, color_mode_setter=window.set_color_mode,
                         settings=settings)
    # Behind another tab (Plots comes forward while training) it waits instead of refreshing.
    when_brought_forward(window.set_dock_widget("Steps", panel), panel.catch_up)
    menu = window.menu("Step")
    menu.setToolTipsVisible(True)
    for action in panel.commands.menu_order():
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)
    return panel
