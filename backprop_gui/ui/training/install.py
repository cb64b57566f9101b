"""Puts training into the main window: the clock, the Training toolbar, the Train menu, the
Plots dock (built with pyqtgraph the first time it is shown) and File ▸ Export Plots.

Imports no pyqtgraph itself, so the window can show before pyqtgraph has loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from ...session.session import Session
from ...session.training_clock import TrainingClock
from ..common.action_helper import add_action
from ..common.lazy_host import LazyHost
from .training_bar import TrainingBar
from ..common.window_hooks import WindowHooks

if TYPE_CHECKING:
    from ..plots.panel import PlotsPanel


class PlotsHost(LazyHost["PlotsPanel"]):
    """The Plots dock's widget: builds the PlotsPanel when it is first shown (or asked for)."""

    def __init__(self, session: Session, clock: TrainingClock,
                 after_first_paint: Callable[[Callable[[], object]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(self._make_panel, after_first_paint, parent)
        self.setObjectName("plots_host")
        self.session = session
        self.clock = clock

    def _make_panel(self, parent: QWidget) -> PlotsPanel:
        from ..plots.panel import PlotsPanel  # pyqtgraph loads here, not at start-up

        return PlotsPanel(self.session, self.clock, parent)


@dataclass
class TrainingUI:
    """What `install_training` added to the window."""

    clock: TrainingClock
    bar: TrainingBar
    plots: PlotsHost
    train_menu: QMenu | None = None
    export_menu: QMenu | None = None
    export_actions: list[QAction] = field(default_factory=list)

    def panel(self) -> PlotsPanel:
        return self.plots.panel()


def install_training(window: WindowHooks, session: Session, view: QWidget) -> TrainingUI:
    """Add training to `window`: its toolbar, Train menu, Plots dock and File ▸ Export Plots.

    `view` is the network diagram: the divergence banner floats across its top.
    """
    clock = TrainingClock(session, window)
    bar = TrainingBar(session, clock, window)
    plots = PlotsHost(session, clock, window.after_first_paint)
    ui = TrainingUI(clock, bar, plots)
    window.add_toolbar(bar)
    bar.banner.attach(view)
    ui.train_menu = bar.populate_menu(window.menu("Train"))
    ui.export_menu = _export_menu(window.menu("File"), ui)
    window.add_menu_entries("File", "export", [ui.export_menu])
    window.set_dock_widget("Plots", plots)
    return ui


def _export_menu(parent: QWidget, ui: TrainingUI) -> QMenu:
    """Export Plots ▸ PNG / SVG / CSV (for File ▸ Export, after the diagram's entries)."""
    menu = QMenu("Export &Plots", parent)
    menu.setObjectName("menu_export_plots")
    menu.setToolTipsVisible(True)
    menu.menuAction().setStatusTip("Save a plot as a picture or the loss history as a table")
    specs = (
        ("Plot as &PNG Image…", "Save the plot on show in the Plots panel as a PNG picture",
         lambda: ui.panel().export_current("png")),
        ("Plot as &SVG Drawing…", "Save the plot on show in the Plots panel as an SVG drawing",
         lambda: ui.panel().export_current("svg")),
        ("Loss History as &CSV…", "Save the loss and accuracy of every epoch as a table",
         lambda: ui.panel().export_csv()),
    )
    for text, tip, slot in specs:
        ui.export_actions.append(add_action(menu, text, tip, slot))
    return menu
