"""Help ▸ User Guide (F1): the offline guide in resources/help, shown inside the app.

`install_guide(window)` adds the menu entry and returns the `GuideController`; anything that
wants to show a page (a lesson linking a glossary term) calls `controller.show(target)` with
an address such as "guide.html#glossary-epoch" (see contents.py for the address scheme).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QWidget

from ..common.action_helper import make_action
from ..common.window_hooks import WindowHooks
from .contents import INDEX, Guide
from .dialog import GuideDialog

__all__ = ["GuideController", "install_guide", "window_features"]


def window_features(window: QWidget) -> Callable[[str], bool]:
    """`has(need)` for the guide's manifest: "panel:<name>" is true when the window has the
    dock MainWindow.set_dock_widget names "dock_<name>", "command:<name>" when it has an
    action of that object name."""
    def has(need: str) -> bool:
        kind, _, name = need.partition(":")
        if kind == "panel":
            dock_name = f"dock_{name.lower().replace(' ', '_')}"
            return window.findChild(QDockWidget, dock_name) is not None
        if kind == "command":
            return window.findChild(QAction, name) is not None
        return False
    return has


class GuideController(QObject):
    """Opens the guide window (made on first use, then kept with its history)."""

    def __init__(self, window: QWidget, has: Callable[[str], bool]) -> None:
        super().__init__(window)
        self.window = window
        self.has = has
        self.dialog: GuideDialog | None = None
        self.action = make_action(window, "&User Guide",
                                  "Read how every panel works, and the glossary (offline)",
                                  lambda: self.show(INDEX), QKeySequence.StandardKey.HelpContents,
                                  fallback="F1")
        self.action.setObjectName("guide_action")

    def show(self, target: str = INDEX) -> GuideDialog:
        """Show the guide at `target` ("page.html#anchor" or "guide.html#anchor")."""
        if self.dialog is None:
            # Read now, not at start-up: the panels installed after the guide are there too.
            self.dialog = GuideDialog(Guide.load(has=self.has), self.window)
        self.dialog.show_page(target)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog


def install_guide(window: WindowHooks, has: Callable[[str], bool] | None = None
                  ) -> GuideController:
    """Add Help ▸ User Guide (F1) to `window`; the controller that shows the guide."""
    controller = GuideController(window, has or window_features(window))  # type: ignore[arg-type]
    window.add_menu_entries("Help", "guide", [controller.action])
    return controller
