"""Puts training into the main window: the clock, the Training toolbar, the Train menu, the
Plots dock (built with pyqtgraph the first time it is shown) and File ▸ Export Plots.

Imports no pyqtgraph itself, so the window can show before pyqtgraph has loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QVBoxLayout, QWidget

from ...session.session import Session
from ...session.training_clock import TrainingClock
from ..action_helper import add_action
from ..training_bar import TrainingBar

if TYPE_CHECKING:
    from .panel import PlotsPanel


class PlotsHost(QWidget):
    """The Plots dock's widget: builds the PlotsPanel when it is first shown (or asked for)."""

    message_posted = Signal(str)

    def __init__(self, session: Session, clock: TrainingClock, first_paint: FirstPaint,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plots_host")
        self._first_paint = first_paint
        self.session = session
        self.clock = clock
        self._panel: PlotsPanel | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._panel is not None

    def panel(self) -> PlotsPanel:
        if self._panel is None:
            from .panel import PlotsPanel  # pyqtgraph loads here, not at start-up

            self._panel = PlotsPanel(self.session, self.clock, self)
            self._panel.message_posted.connect(self.message_posted)
            self._layout.addWidget(self._panel)
        return self._panel

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._panel is None:
            # pyqtgraph takes ~0.5 s to import: the window paints its first frame before.
            self._first_paint.call_after(self.panel)


class FirstPaint(QObject):
    """Knows whether `window` has painted yet, and runs callbacks once it has."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._pending: list = []
        self.painted = window.isVisible()  # installed on a window already on screen
        if not self.painted:
            window.installEventFilter(self)

    def call_after(self, callback) -> None:
        if self.painted:
            self._call_soon(callback)
        elif callback not in self._pending:
            self._pending.append(callback)

    def _call_soon(self, callback) -> None:
        # With this object (a child of the window) as the context: a window deleted before
        # the event loop comes round drops the call instead of calling into deleted widgets.
        QTimer.singleShot(0, self, callback)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self._window and event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            self._window.removeEventFilter(self)
            for callback in self._pending:
                self._call_soon(callback)
            self._pending.clear()
        return False


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


def install_training(window: QMainWindow, session: Session, view: QWidget | None = None) -> TrainingUI:
    """Add training to `window` (a MainWindow with `set_dock_widget`, `menu`, `add_toolbar`).

    `view` is the network diagram: the divergence banner floats across its top.
    """
    clock = TrainingClock(session, window)
    bar = TrainingBar(session, clock, window)
    plots = PlotsHost(session, clock, FirstPaint(window))
    ui = TrainingUI(clock, bar, plots)
    post = getattr(window, "post_message", None)
    if post is not None:
        bar.message_posted.connect(post)
        if not hasattr(window, "set_dock_widget"):  # set_dock_widget connects the panel itself
            plots.message_posted.connect(post)

    # Its own row: the main toolbar and this one do not fit side by side at 1280 pixels.
    window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
    if hasattr(window, "add_toolbar"):
        window.add_toolbar(bar)
    else:
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    bar.banner.attach(view if view is not None else window.centralWidget() or window)

    if hasattr(window, "menu"):
        ui.train_menu = bar.populate_menu(window.menu("Train"))
        ui.export_menu = _add_export_menu(window.menu("File"), ui)
    if hasattr(window, "set_dock_widget"):
        window.set_dock_widget("Plots", plots)
    return ui


def _add_export_menu(file_menu: QMenu, ui: TrainingUI) -> QMenu:
    """File ▸ Export Plots ▸ PNG / SVG / CSV, placed after the diagram's export entries."""
    menu = QMenu("Export &Plots", file_menu)
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
    actions = file_menu.actions()
    anchor = next((i for i, a in enumerate(actions) if "Export Diagram as S" in a.text()), None)
    if anchor is not None and anchor + 1 < len(actions):
        file_menu.insertMenu(actions[anchor + 1], menu)
    else:
        file_menu.addMenu(menu)
    return menu
