"""The main window: the network diagram in the middle, panels docked around it.

Panels are dock widgets a person can move, tab together, float, close and bring back from
View ▸ Panels; their arrangement and the window geometry are remembered between runs
(ui/window/window_layout.py). Other parts of the program add their panels, menus and toolbars
through the window's extension point, the methods of `WindowHooks` (ui/common/window_hooks.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication, QDialog, QDockWidget, QFrame, QMainWindow, QMenu, QScrollArea, QTabBar, QTabWidget,
    QToolBar, QWidget,
)

from ...session.session import Session
from . import window_layout
from .compact_layout import install_layouts
from .actions import WindowActions
from ..editors.dataset_panel import DatasetPanel
from ..diagram import NetworkView
from ..diagram.neuron_maps import install_neuron_maps
from ..dialogs.preferences import Preferences
from ..common.modal import can_ask
from ..common.action_helper import name_dock_buttons
from .file_controller import FileController
from .first_paint import FirstPaint
from ..editors.input_panel import InputPanel
from ..editors.inspector import Inspector
from ..graph import install_graph
from ..guide import install_guide
from ..landscape import install_landscape
from ..lesson import install_lessons
from .presentation import install_presentation
from .network_menu import NetworkMenu
from ..common.plain_text import window_title
from ..training.install import install_training
from .status_bar import StatusBar
from .status_labels import ProjectStatus
from ..regions import install_decision_map
from ..runs import install_runs
from ..stepper import install_stepper
from ..common.theme import Theme, app_icon
from ..common.window_hooks import MENU_SECTIONS

ORGANISATION = "Backprop GUI"
APPLICATION = "Backprop GUI"
MESSAGE_TIMEOUT_MS = 8000

# name → (title, tooltip); the order is the order of View ▸ Panels.
DOCKS: dict[str, tuple[str, str]] = {
    "Input": ("Input", "The selected sample: paint its pixels and see the network's output"),
    "Inspector": ("Inspector", "The numbers behind the neuron, weight or bias you clicked"),
    "Dataset": ("Dataset", "All samples of the dataset: choose, add, label and delete them"),
    "Steps": ("Steps", "Step through the forward pass, the loss, backprop and the update"),
    "Plots": ("Plots", "The loss and accuracy while the network trains"),
}

def app_settings() -> QSettings:
    """The user's settings file (an INI file, also on Windows, so a school can copy it)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                     ORGANISATION, APPLICATION)


class MainWindow(QMainWindow):
    """Backprop GUI's window around one Session; implements WindowHooks (its extension point)."""

    def __init__(self, session: Session | None = None, settings: QSettings | None = None,
                 remember_layout: bool = True, theme: Theme | None = None) -> None:
        super().__init__()
        self.session = session or Session()
        self.settings = settings if settings is not None else app_settings()
        self.remember_layout = remember_layout
        self.theme = theme
        self.preferences = Preferences.load(self.settings)
        self._layout_done = False
        self._docks: dict[str, QDockWidget] = {}
        self._panels: dict[str, QWidget] = {}
        self._toolbars: list[QToolBar] = []
        self._first_paint = FirstPaint(self)

        self.setObjectName("main_window")
        self.setStatusBar(StatusBar(self))   # long messages end in "…", whole in the tooltip
        self.setWindowIcon(app_icon())
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks
                            | QMainWindow.DockOption.AllowTabbedDocks
                            | QMainWindow.DockOption.AllowNestedDocks)
        # Tabs above tabbed panels, where a person looks for them (Qt's default is below).
        self.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)

        self.view = NetworkView(self.session)
        # Room enough to read the diagram, small enough that the whole window (two toolbar
        # rows, the panels' titles) still fits a 1024×600 netbook screen or a 640×400 window.
        self.view.setMinimumSize(240, 160)
        self.setCentralWidget(self.view)
        self.files = FileController(self.session, self, self.settings)
        self.network_menu = NetworkMenu(self)
        self.window_actions = WindowActions(self)
        self._menus = self.window_actions.build_menus()
        self.toolbar = self.window_actions.build_toolbar()
        self.add_toolbar(self.toolbar)

        self.inspector = Inspector(self.session)
        self.set_dock_widget("Input", InputPanel(self.session))
        self.set_dock_widget("Inspector", self.inspector)
        self.set_dock_widget("Dataset", DatasetPanel(self.session))
        # The step-through and training fill the Steps and Plots docks, add the Step and
        # Train menus and the Training toolbar through the hooks below.
        self.stepper = install_stepper(self, self.session, self.view, self.settings)
        self.training = install_training(self, self.session, self.view)
        self.landscape = install_landscape(self, self.session, self.training.clock)
        self.graph_panel = install_graph(self, self.session, self.stepper.cursor)
        self.decision_map = install_decision_map(self, self.session, self.training.clock)
        self.compare_action = install_runs(self, self.session)
        self.lessons = install_lessons(self, self.session, self.settings)
        self.guide = install_guide(self)
        self.presentation = install_presentation(self)
        install_neuron_maps(self, self.view, self.settings)
        self.layouts = install_layouts(self)
        self.training.clock.running_changed.connect(self._on_training_running)
        self.training.clock.frame.connect(self.view.on_training_frame)
        self.session.selection_changed.connect(self._on_selection_changed)
        self.inspector.explain_requested.connect(self.explain_weight)
        self.view.explain_requested.connect(self.explain_weight)
        self._connect_messages(self.view)
        self.view.color_mode_changed.connect(self._on_color_mode_changed)
        self._on_color_mode_changed(self.view.color_mode())
        self.statusBar().clearMessage()
        self._connect_messages(self.files)

        self.status = ProjectStatus(self.session, self.statusBar())
        self.session.file_state_changed.connect(self._update_title)
        self.session.project_replaced.connect(self._on_project_replaced)
        self.apply_toolbar_style()
        self._update_title()
        self._apply_default_layout()

    # ----- the extension point (WindowHooks) and the docks ------------------------------------

    def dock(self, name: str) -> QDockWidget:
        return self._docks[name]

    def dock_names(self) -> list[str]:
        return list(self._docks)

    def set_dock_widget(self, name: str, widget: QWidget) -> QDockWidget:
        """Put `widget` in the dock called `name` (see WindowHooks.set_dock_widget)."""
        dock = self._docks.get(name)
        if dock is None:
            title, tip = DOCKS.get(name, (name, f"The {name} panel"))
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{name.lower().replace(' ', '_')}")
            dock.setToolTip(tip)
            toggle = dock.toggleViewAction()
            toggle.setToolTip(f"Show or hide the {title} panel")
            toggle.setStatusTip(tip)
            self.window_actions.panels_menu.addAction(toggle)
            name_dock_buttons(dock, title)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            self._docks[name] = dock
        old = self._panels.get(name)
        if old is widget:
            return dock
        # In a scroll area: on a small screen a panel scrolls instead of clipping its content
        # or forcing the window to be larger than the screen.
        scroll = QScrollArea()
        scroll.setObjectName(f"scroll_{name.lower().replace(' ', '_')}")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(widget)
        scroll.setMinimumSize(80, 40)
        # Not a Tab stop of its own (it showed no focus and did nothing): Tab goes straight
        # to the panel's controls, and the scroll area follows the focus.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        previous = dock.widget()
        dock.setWidget(scroll)
        self._panels[name] = widget
        if previous is not None:
            previous.deleteLater()
        self._connect_messages(widget)
        return dock

    def panel(self, name: str) -> QWidget:
        """The widget shown in the dock called `name` (as given to set_dock_widget)."""
        return self._panels[name]

    def menu(self, name: str) -> QMenu:
        """The top-level menu titled `name` (without "&"); created before Help if it is new."""
        plain = name.replace("&", "")
        for key, menu in self._menus.items():
            if key == plain or menu.title().replace("&", "") == plain:
                return menu
        menu = QMenu(name if "&" in name else f"&{name}", self)
        menu.setObjectName(f"menu_{plain.lower()}")
        menu.setToolTipsVisible(True)
        self.menuBar().insertMenu(self._menus["Help"].menuAction(), menu)
        self._menus[plain] = menu
        return menu

    def add_menu_entries(self, menu: str, section: str,
                         entries: Sequence[QAction | QMenu]) -> None:
        """Actions or submenus at the end of a section of a menu (see WindowHooks)."""
        if section not in MENU_SECTIONS.get(menu, ()):
            raise KeyError(f"the {menu} menu has no section {section!r}: "
                           f"{', '.join(MENU_SECTIONS.get(menu, ())) or 'it has none'}")
        before = self.window_actions.section_ends[(menu, section)]
        target = self.menu(menu)
        for entry in entries:
            target.insertAction(before, entry.menuAction() if isinstance(entry, QMenu) else entry)

    def add_toolbar(self, toolbar: QToolBar) -> None:
        """`toolbar` on a row of its own below the others (see WindowHooks.add_toolbar)."""
        if not toolbar.objectName():
            toolbar.setObjectName(f"toolbar_{toolbar.windowTitle().lower().replace(' ', '_')}")
        if self._toolbars:
            self.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self._toolbars.append(toolbar)
        toggle = toolbar.toggleViewAction()
        toggle.setToolTip(f"Show or hide the {toolbar.windowTitle()}")
        toggle.setStatusTip(toggle.toolTip())
        self.window_actions.toolbars_menu.addAction(toggle)
        self._connect_messages(toolbar)
        self.apply_toolbar_style()

    def after_first_paint(self, callback: Callable[[], object]) -> None:
        """Call `callback` once the window has painted (see WindowHooks.after_first_paint)."""
        self._first_paint.call_after(callback)

    def _connect_messages(self, obj: object) -> None:
        signal = getattr(obj, "message_posted", None)
        if signal is not None:
            signal.connect(self.post_message)

    # ----- status bar and title ----------------------------------------------------------------

    def post_message(self, text: str) -> None:
        self.statusBar().showMessage(text, MESSAGE_TIMEOUT_MS)

    def show_guide(self, address: str) -> None:
        self.guide.show(address)

    def show_problem(self, text: str) -> None:
        """A problem the person can fix themselves: a status-bar message and a beep, no dialog."""
        QApplication.beep()
        self.post_message(text)

    def _update_title(self) -> None:
        # The file's own "[*]" must not become the unsaved-changes mark.
        self.setWindowTitle(f"{window_title(self.session.display_name)}[*] — Backprop GUI")
        self.setWindowModified(self.session.modified)
        self.setWindowFilePath(str(self.session.path) if self.session.path else "")

    def _on_project_replaced(self) -> None:
        self._update_title()
        # A new network has a new shape: show all of it.
        self.view.fit_to_view()

    def _on_training_running(self, running: bool) -> None:
        # Show the loss curve when training starts, if Plots shares its place with a tab.
        if running and self._docks["Plots"].isVisible():
            self._docks["Plots"].raise_()

    def _on_selection_changed(self, item: object) -> None:
        if item is not None and self._docks["Inspector"].isVisible():
            self._docks["Inspector"].raise_()
            window_layout.grow_dock_to_fit(self, self._docks["Inspector"])

    # ----- view commands -------------------------------------------------------------------------

    def set_color_mode(self, mode: str) -> None:
        """Colour the diagram's edges by "weights" or "gradients" (the toolbar follows)."""
        self.view.set_color_mode(mode)

    def _on_color_mode_changed(self, mode: str) -> None:
        # The diagram's own context menu and the step-through switch modes too.
        acts = self.window_actions
        (acts.color_gradients if mode == "gradients" else acts.color_weights).setChecked(True)
        self.post_message("Edges coloured by " + ("weight" if mode == "weights" else
                                                  "gradient ∂L/∂w"))

    def explain_weight(self, weight: tuple) -> None:
        """Bring the Steps panel forward on Explain ∂L/∂w for `weight`."""
        dock = self._docks["Steps"]
        dock.show()
        dock.raise_()
        self.stepper.show_explain(weight)

    def toggle_full_screen(self) -> None:
        self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)
        self.window_actions.full_screen.setChecked(self.isFullScreen())

    # ----- layout ----------------------------------------------------------------------------------

    def _apply_default_layout(self) -> None:
        window_layout.apply_default_layout(self, self._docks, set(DOCKS), self._toolbars)

    def apply_standard_layout(self) -> None:
        """The standard layout's default arrangement (compact_layout.py has the other)."""
        self._apply_default_layout()

    def size_standard_docks(self) -> None:
        window_layout.size_docks(self, self._docks)

    def docks_by_name(self) -> dict[str, QDockWidget]:
        return dict(self._docks)

    def toolbars(self) -> list[QToolBar]:
        return list(self._toolbars)

    def presentation_active(self) -> bool:
        return self.presentation.active

    def reset_layout(self) -> None:
        self.layouts.reset()
        self.post_message("Panels back in their original places")

    def restore_layout(self) -> None:
        """The geometry saved by the last run, then the layout (compact or standard) its
        width asks for with the arrangement saved for it (see compact_layout.py)."""
        self._layout_done = True
        if self.remember_layout:
            window_layout.restore_geometry(self, self.settings)
        self.layouts.start()

    def save_layout(self) -> None:
        self.layouts.save()
        if self.remember_layout:
            window_layout.save_geometry(self, self.settings)

    def default_size(self) -> tuple[int, int]:
        return window_layout.default_size()

    # ----- Qt events --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        if not self._layout_done:
            # Panels added between construction and now are in place: size or restore them.
            self.restore_layout()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        self.presentation.set_active(False)    # the normal layout is the one saved
        self.save_layout()
        event.accept()

    def childEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # The tab bars of tabbed panels are made by Qt as they are needed, eliding titles to
        # "St…", "Pl…" in a narrow column; whole titles and scroll arrows read better.
        child = event.child()
        if event.type() == QEvent.Type.ChildPolished and isinstance(child, QTabBar):
            child.setElideMode(Qt.TextElideMode.ElideNone)
            child.setUsesScrollButtons(True)
        super().childEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.window_actions.refresh_icons()
        super().changeEvent(event)

    # ----- dialogs ----------------------------------------------------------------------------

    def run_dialog(self, dialog: QDialog):
        """Show `dialog` modally; its values() if accepted, else None (tests replace this)."""
        if not can_ask():
            dialog.deleteLater()
            return None
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.values() if hasattr(dialog, "values") else True
            return None
        finally:
            dialog.deleteLater()

    def show_about(self) -> None:
        from ..dialogs.about import AboutDialog

        self.run_dialog(AboutDialog(self))

    def show_shortcuts(self) -> None:
        from ..dialogs.shortcuts import ShortcutsDialog

        self.run_dialog(ShortcutsDialog(self.menuBar(), self))

    def show_preferences(self) -> None:
        from ..dialogs.preferences import PreferencesDialog

        prefs = self.run_dialog(PreferencesDialog(self.preferences, self))
        if prefs is not None:
            self.apply_preferences(prefs)

    def apply_preferences(self, prefs: Preferences) -> None:
        self.preferences = prefs
        prefs.save(self.settings)
        if self.theme is None:
            self.theme = Theme(QApplication.instance(), prefs.theme)
        else:
            self.theme.set_preference(prefs.theme)
        # Now, not when the posted palette-change event arrives: the dialog just closed.
        self.window_actions.refresh_icons()
        self.apply_toolbar_style()
        self.post_message("Preferences saved")

    def apply_toolbar_style(self) -> None:
        style = {
            "icon_only": Qt.ToolButtonStyle.ToolButtonIconOnly,
            "text_only": Qt.ToolButtonStyle.ToolButtonTextOnly,
        }.get(self.preferences.toolbar_style, Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for bar in self.findChildren(QToolBar):
            bar.setToolButtonStyle(style)
        # Undo/Redo carry the command's name ("Undo Paint sample 3"): too long for a button.
        # In the compact layout New, Open and Save leave the room to the Training toolbar.
        acts = self.window_actions
        short = [acts.undo, acts.redo]
        if getattr(self, "layouts", None) is not None and self.layouts.compact:
            short += [acts.new, acts.open, acts.save]
        for action in (acts.new, acts.open, acts.save):
            button = self.toolbar.widgetForAction(action)
            if button is not None:
                button.setToolButtonStyle(style)
        for action in short:
            button = self.toolbar.widgetForAction(action)
            if button is not None and style == Qt.ToolButtonStyle.ToolButtonTextBesideIcon:
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    def reopen_last_project(self) -> bool:
        """Open the most recent project if the preference asks for it and the file exists."""
        if not self.preferences.reopen_last:
            return False
        recent = self.files.recent_files()
        if not recent or not Path(recent[0]).is_file():
            return False
        return self.files.open_path(recent[0], ask=False)
