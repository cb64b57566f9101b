"""The Decision map panel: the class a 2-input network predicts over the input plane.

`install_decision_map(window, session, clock)` docks a DecisionMapPanel as "Decision map"
(DOCK_NAME); it follows live training through `clock`.
"""

from __future__ import annotations

from ...session.session import Session
from ...session.training_clock import TrainingClock
from ..common.window_hooks import WindowHooks
from .panel import DecisionMapPanel

__all__ = ["DOCK_NAME", "DecisionMapPanel", "install_decision_map"]

DOCK_NAME = "Decision map"
TOOLTIP = ("The class the network predicts at every point of the input plane, with the "
           "samples on it (networks with 2 inputs)")


def install_decision_map(window: WindowHooks, session: Session,
                         clock: TrainingClock | None = None) -> DecisionMapPanel:
    """Create the Decision map panel for `session`, following `clock`, and dock it in `window`."""
    panel = DecisionMapPanel(session, clock)
    dock = window.set_dock_widget(DOCK_NAME, panel)
    dock.setToolTip(TOOLTIP)
    dock.toggleViewAction().setStatusTip(TOOLTIP)
    return panel
