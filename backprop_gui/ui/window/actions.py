"""The main window's actions, menus and toolbar.

Every action has a tooltip and a status tip; shortcuts come from QKeySequence.StandardKey
where the platform has one (with a fallback where it has none, e.g. Quit on Windows), so a
person finds the keys they already know.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar
from shiboken6 import isValid

from ..common.action_helper import ICON_PROPERTY, add_menu, make_action, shortcut_text
from ..common.plain_text import action_text, tooltip_text
from ..common.theme import make_icon
from ..common.window_hooks import MENU_SECTIONS

if TYPE_CHECKING:
    from .main_window import MainWindow

Key = QKeySequence.StandardKey


class WindowActions(QObject):
    """Creates the window's actions and lays them out in menus and the main toolbar."""

    def __init__(self, window: MainWindow) -> None:
        # A child of the window: the undo stack's connections to it end when the window goes.
        super().__init__(window)
        self.window = window
        self.section_ends: dict[tuple[str, str], QAction | None] = {}
        w, files, session = window, window.files, window.session

        # File
        self.new = make_action(w, "&New", "Start a new project with the default network and dataset",
                               files.new_project, Key.New, icon="new")
        self.open = make_action(w, "&Open…", "Open a saved project (.bpnet)",
                                files.open_dialog, Key.Open, icon="open")
        self.save = make_action(w, "&Save", "Save the project", files.save, Key.Save, icon="save")
        self.save_as = make_action(w, "Save &As…", "Save the project under a new name",
                                   files.save_as, Key.SaveAs, fallback="Ctrl+Shift+S")
        self.export_png = make_action(w, "Export Diagram as &PNG…",
                                      "Save a picture of the network diagram (PNG image)",
                                      lambda: files.export_diagram(w.view, "png"), "Ctrl+E")
        self.export_svg = make_action(w, "Export Diagram as S&VG…",
                                      "Save the network diagram as a scalable SVG drawing",
                                      lambda: files.export_diagram(w.view, "svg"), "Ctrl+Shift+E")
        self.quit = make_action(w, "&Quit", "Quit Backprop GUI", w.close, Key.Quit,
                                fallback="Ctrl+Q")
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)

        # Edit: the undo stack names the action ("Undo Paint sample 3").
        self.undo = session.undo_stack.createUndoAction(w, "&Undo")
        self.undo.setShortcuts(Key.Undo)
        self.undo.setIcon(make_icon("undo"))
        self.undo.setProperty(ICON_PROPERTY, "undo")
        self.redo = session.undo_stack.createRedoAction(w, "&Redo")
        self.redo.setShortcuts(Key.Redo)
        self.redo.setIcon(make_icon("redo"))
        self.redo.setProperty(ICON_PROPERTY, "redo")
        # A method of this QObject (not a lambda), so the connection ends with the window:
        # the session, and so the undo stack, may outlive it.
        stack = session.undo_stack
        for signal in (stack.canUndoChanged, stack.canRedoChanged, stack.undoTextChanged,
                       stack.redoTextChanged):
            signal.connect(self._on_undo_stack_changed)
        # After an undo the status bar must not keep saying what was just undone.
        self.undo.triggered.connect(self._on_undone)
        self.redo.triggered.connect(self._on_redone)
        self.preferences = make_action(w, "&Preferences…", "Change the theme, the toolbar and start-up",
                                       w.show_preferences, Key.Preferences, fallback="Ctrl+,")
        self.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)

        # View
        self.zoom_in = make_action(w, "Zoom &In", "Enlarge the network diagram",
                                   lambda: w.view.zoom_in(), Key.ZoomIn, icon="zoom_in")
        # Ctrl+= zooms in too: on most keyboards "+" needs Shift, and the standard Zoom In
        # key (Ctrl++) is then never typed; Ctrl+= is what browsers and editors accept.
        if QKeySequence("Ctrl+=") not in self.zoom_in.shortcuts():
            self.zoom_in.setShortcuts([*self.zoom_in.shortcuts(), QKeySequence("Ctrl+=")])
        self.zoom_out = make_action(w, "Zoom &Out", "Shrink the network diagram",
                                    lambda: w.view.zoom_out(), Key.ZoomOut, icon="zoom_out")
        self.zoom_fit = make_action(w, "&Fit Diagram to Window", "Show the whole network",
                                    lambda: w.view.fit_to_view(), "Ctrl+0", icon="fit")
        self.zoom_fit.setIconText("Fit")
        self.zoom_reset = make_action(w, "&Actual Size", "Show the diagram at 100 % zoom",
                                      lambda: w.view.reset_zoom(), "Ctrl+1")
        self.color_weights = make_action(
            w, "Colour Edges by &Weights",
            "Colour each edge by its weight: blue negative, red positive, white zero",
            lambda: w.set_color_mode("weights"), "Ctrl+Shift+W", icon="weights", checkable=True)
        self.color_weights.setIconText("Weights")
        self.color_gradients = make_action(
            w, "Colour Edges by &Gradients",
            "Colour each edge by ∂L/∂w for the selected sample: where the loss pulls each weight",
            lambda: w.set_color_mode("gradients"), "Ctrl+Shift+G", icon="gradients",
            checkable=True)
        self.color_gradients.setIconText("Gradients")
        self.color_group = QActionGroup(w)
        self.color_group.addAction(self.color_weights)
        self.color_group.addAction(self.color_gradients)
        self.color_weights.setChecked(True)
        self.full_screen = make_action(w, "F&ull Screen", "Fill the screen (for projecting in class)",
                                       w.toggle_full_screen, Key.FullScreen, fallback="F11",
                                       checkable=True)
        self.reset_layout = make_action(w, "&Reset Layout",
                                        "Put every panel back where it was at first start",
                                        w.reset_layout)

        # Help
        self.shortcuts = make_action(w, "&Keyboard Shortcuts", "List every keyboard shortcut",
                                     w.show_shortcuts, "Ctrl+/")
        self.about = make_action(w, "&About Backprop GUI",
                                 "Version and the libraries Backprop GUI is built on", w.show_about)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self.update_undo_tips()

    def update_undo_tips(self) -> None:
        """Texts and tooltips that follow the undo stack: "Undo Paint sample 3 (Ctrl+Z)".

        A command's text can quote a class name from the file ("Label sample 3 as “a&b”"):
        set again here, after the undo stack set its own, so "&" is no shortcut letter and
        "<b>" in the tooltip is no HTML."""
        stack = self.window.session.undo_stack
        for action, verb, command in ((self.undo, "Undo", stack.undoText()),
                                      (self.redo, "Redo", stack.redoText())):
            action.setText(f"&{verb} {action_text(command)}" if command else f"&{verb}")
            tip = f"{verb} {command}".strip() if action.isEnabled() else f"Nothing to {verb.lower()}"
            keys = shortcut_text(action)
            action.setToolTip(tooltip_text(f"{tip} ({keys})" if keys else tip))
            action.setStatusTip(tip)

    def _on_undo_stack_changed(self, *_args: object) -> None:
        if isValid(self.undo):      # not while the window is being deleted
            self.update_undo_tips()

    def _on_undone(self, *_args: object) -> None:
        stack = self.window.session.undo_stack
        command = stack.command(stack.index())   # the one just undone sits above the index
        if command is not None:
            self.window.post_message(f"Undone: {command.text()}. Redo with "
                                     f"{shortcut_text(self.redo)}.")

    def _on_redone(self, *_args: object) -> None:
        stack = self.window.session.undo_stack
        command = stack.command(stack.index() - 1)
        if command is not None:
            self.window.post_message(f"Redone: {command.text()}")

    def refresh_icons(self) -> None:
        """Redraw our icons in the palette's current text colour (after a theme change)."""
        for action in self.window.findChildren(QAction):
            name = action.property(ICON_PROPERTY)
            if isinstance(name, str) and name:
                action.setIcon(make_icon(name))

    # ----- menus and toolbar ---------------------------------------------------------------

    def build_menus(self) -> dict[str, QMenu]:
        """The menu bar's menus by name; `section_ends` says where each of MENU_SECTIONS ends."""
        w = self.window
        bar = w.menuBar()
        menus: dict[str, QMenu] = {}

        def menu(key: str, title: str) -> QMenu:
            menus[key] = add_menu(bar, title, name=f"menu_{key.lower()}")
            return menus[key]

        def end_section(key: str, name: str) -> None:
            # A line below each section but the last; entries added later go above it.
            last = MENU_SECTIONS[key].index(name) == len(MENU_SECTIONS[key]) - 1
            self.section_ends[(key, name)] = None if last else menus[key].addSeparator()

        file = menu("File", "&File")
        file.addActions([self.new, self.open])
        self.recent_menu = add_menu(file, "Open &Recent", "Open one of the last projects you used",
                                    "menu_recent")
        self.recent_menu.aboutToShow.connect(lambda: w.files.populate_recent_menu(self.recent_menu))
        w.files.populate_recent_menu(self.recent_menu)
        w.files.recent_changed.connect(lambda: w.files.populate_recent_menu(self.recent_menu))
        end_section("File", "open")
        file.addActions([self.save, self.save_as])
        end_section("File", "save")
        file.addActions([self.export_png, self.export_svg])
        end_section("File", "export")
        file.addAction(self.quit)
        end_section("File", "quit")

        edit = menu("Edit", "&Edit")
        edit.addActions([self.undo, self.redo])
        end_section("Edit", "undo")
        edit.addAction(self.preferences)
        end_section("Edit", "preferences")

        view = menu("View", "&View")
        self.panels_menu = add_menu(view, "&Panels", "Show or hide the panels around the diagram")
        self.toolbars_menu = add_menu(view, "&Toolbars", "Show or hide the toolbars")
        end_section("View", "panels")
        view.addActions([self.zoom_in, self.zoom_out, self.zoom_fit, self.zoom_reset])
        end_section("View", "zoom")
        view.addActions([self.color_weights, self.color_gradients])
        end_section("View", "colour")
        view.addActions([self.full_screen, self.reset_layout])
        end_section("View", "window")

        menus["Network"] = w.network_menu.build(menu("Network", "&Network"))

        help_menu = menu("Help", "&Help")
        end_section("Help", "guide")      # the User Guide (ui/guide) goes here
        help_menu.addActions([self.shortcuts, self.about])
        end_section("Help", "help")
        return menus

    def build_toolbar(self) -> QToolBar:
        bar = QToolBar("Main Toolbar", self.window)
        bar.setObjectName("toolbar_main")
        bar.setToolTip("The most common commands")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addActions([self.new, self.open, self.save])
        bar.addSeparator()
        bar.addActions([self.undo, self.redo])
        bar.addSeparator()
        bar.addAction(self.zoom_fit)
        bar.addSeparator()
        bar.addActions([self.color_weights, self.color_gradients])
        return bar
