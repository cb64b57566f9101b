"""The computational graph of the selected weight or bias (the "Graph" panel).

`install_graph(window, session, cursor)` puts the GraphPanel in the window's "Graph" dock;
given the Steps panel's cursor, the graph fills in as the step-through goes.
"""

from __future__ import annotations

from ...session.session import Session
from ...session.stepper import StepCursor
from ..common.window_hooks import WindowHooks
from .panel import GraphPanel

__all__ = ["GraphPanel", "install_graph"]

TOOLTIP = ("The selected weight's computational graph: its chain to the loss, with values, "
           "gradients and the chain rule")


def install_graph(window: WindowHooks, session: Session,
                  cursor: StepCursor | None = None) -> GraphPanel:
    """Create the Graph panel for `session`, following `cursor`, and dock it in `window`."""
    panel = GraphPanel(session, cursor)
    dock = window.set_dock_widget("Graph", panel)
    dock.setToolTip(TOOLTIP)
    dock.toggleViewAction().setStatusTip(TOOLTIP)
    # Behind another tab (Plots comes forward while training) it waits instead of redrawing.
    dock.visibilityChanged.connect(panel.set_in_front)
    return panel
