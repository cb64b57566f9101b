"""The main window's extension point: what a part that adds itself to the window may ask of it.

The step-through (`stepper.install_stepper`), training (`plots.install_training`) and the
views and lessons to come put their panels, menus and toolbars into the window through these
methods and nothing else: not the window's private members, not a menu entry found by its
text, not `hasattr` checks. `MainWindow` implements them. An installer takes the window as a
`WindowHooks` (and as the Qt parent of what it makes); a test may pass any QWidget that has the
methods the installer uses.

Messages: a widget given to `set_dock_widget` or `add_toolbar` that has a `message_posted(str)`
signal shows its messages in the status bar; nothing needs to connect it.
"""

from __future__ import annotations

from typing import Callable, Protocol, Sequence

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QToolBar, QWidget

# The named sections of the window's own menus, top to bottom (separated by lines), for
# `add_menu_entries`. A menu that `menu(name)` makes (Step, Train, …) belongs to its maker.
MENU_SECTIONS: dict[str, tuple[str, ...]] = {
    "File": ("open", "save", "export", "quit"),
    "Edit": ("undo", "preferences"),
    "View": ("panels", "zoom", "colour", "window"),
    "Help": ("guide", "help"),
}


class WindowHooks(Protocol):
    def set_dock_widget(self, name: str, widget: QWidget) -> QDockWidget:
        """Show `widget` in the dock called `name`, replacing the widget there. A new dock
        is tabbed with Steps and listed under View ▸ Panels; the widget scrolls when the
        dock is smaller than it."""
        ...

    def menu(self, name: str) -> QMenu:
        """The top-level menu called `name` (without "&": "File", "Step"), made just before
        Help if there is none yet."""
        ...

    def add_menu_entries(self, menu: str, section: str,
                         entries: Sequence[QAction | QMenu]) -> None:
        """Put actions or submenus at the end of `section` of the window's menu `menu`
        (the names are in MENU_SECTIONS: "File", "export" puts them after Export Diagram)."""
        ...

    def add_toolbar(self, toolbar: QToolBar) -> None:
        """Add `toolbar` on a row of its own below the others; listed under View ▸ Toolbars."""
        ...

    def post_message(self, text: str) -> None:
        """Say `text` in the status bar for a few seconds."""
        ...

    def set_color_mode(self, mode: str) -> None:
        """Colour the diagram's edges by "weights" or "gradients"."""
        ...

    def show_guide(self, address: str) -> None:
        """Open the User Guide at `address` ("guide.html#glossary-epoch": the page holding
        that anchor, wherever it is)."""
        ...

    def after_first_paint(self, callback: Callable[[], object]) -> None:
        """Call `callback` once the window has painted its first frame (soon, if it has):
        for work that must not delay start-up, such as importing pyqtgraph."""
        ...
