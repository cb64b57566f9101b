"""Where the main window's panels and toolbars go in the standard layout: the default
arrangement (View ▸ Reset Layout) and its proportions, and the window's geometry, remembered
between runs (compact_layout.py has the compact layout and remembers each one's arrangement)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QToolBar

from ..common.fonts import type_scale

PANELS_SHARE = 0.62    # of the window's width at most, for the side panels together

# Bump when the docks or toolbars change so an old saved layout is not applied to a new window.
STATE_VERSION = 1


def apply_default_layout(window: QMainWindow, docks: dict[str, QDockWidget],
                         own: set[str], toolbars: list[QToolBar]) -> None:
    """Input over Dataset on the left, Steps and Plots (tabbed) on the right, the Inspector
    below the diagram; docks not in `own` (added by other parts of the program) tabbed with
    Steps, but the Lesson with Input. Plots comes forward when training starts."""
    for dock in docks.values():
        dock.setFloating(False)
    left, right, bottom = (Qt.DockWidgetArea.LeftDockWidgetArea,
                           Qt.DockWidgetArea.RightDockWidgetArea,
                           Qt.DockWidgetArea.BottomDockWidgetArea)
    window.addDockWidget(left, docks["Input"])
    window.splitDockWidget(docks["Input"], docks["Dataset"], Qt.Orientation.Vertical)
    window.addDockWidget(right, docks["Steps"])
    window.tabifyDockWidget(docks["Steps"], docks["Plots"])
    window.addDockWidget(bottom, docks["Inspector"])
    for name, dock in docks.items():
        if name not in own:
            # The Lesson goes on the left, so the Steps and Plots it brings forward do not
            # cover it; other added panels are tabbed with Steps.
            beside = docks["Input"] if name == "Lesson" else docks["Steps"]
            window.addDockWidget(left if name == "Lesson" else right, dock)
            window.tabifyDockWidget(beside, dock)
    for dock in docks.values():
        dock.show()
    docks["Steps"].raise_()
    docks["Input"].raise_()      # in front of the Lesson until a lesson or the welcome opens
    # Each toolbar on its own row, in the order they were added: side by side they do
    # not fit in 1280 pixels.
    for bar in toolbars:
        window.removeToolBar(bar)
    for index, bar in enumerate(toolbars):
        if index:
            window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        bar.show()
    size_docks(window, docks)


def size_docks(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """Default proportions: the diagram gets the most room, Steps enough for its formulas."""
    w, h = max(window.width(), 640), max(window.height(), 400)
    d = docks
    k = type_scale()     # a larger system font needs wider panels (ui/common/fonts.py)
    left = min(max(int(w * 0.21), int(270 * k)), int(340 * k))
    right = min(max(int(w * 0.3), int(345 * k)), int(520 * k))
    share = (left + right) / (w * PANELS_SHARE)   # the diagram keeps a good part of the width
    if share > 1:
        left, right = int(left / share), int(right / share)
    window.resizeDocks([d["Input"], d["Steps"]], [left, right], Qt.Orientation.Horizontal)
    window.resizeDocks([d["Input"], d["Dataset"]], [int(h * 0.5), int(h * 0.4)],
                       Qt.Orientation.Vertical)
    # The Inspector starts as its one-line hint ("Nothing selected: …"); a selection grows it
    # (see grow_dock_to_fit), so the diagram gets the room until there is something to show.
    grow_dock_to_fit(window, d["Inspector"], shrink=True)


def grow_dock_to_fit(window: QMainWindow, dock: QDockWidget, shrink: bool = False,
                     share: float = 0.3) -> None:
    """Make a docked panel tall enough for its content without scrolling (at most `share`
    of the window's height); with `shrink`, also smaller when it has more than it needs."""
    if dock.isFloating() or (not dock.isVisible() and not shrink):
        return
    content = dock.widget()
    inner = content.widget() if isinstance(content, QScrollArea) and content.widget() else content
    chrome = max(dock.height() - content.height(), 0) if dock.isVisible() else 0
    chrome = chrome or dock.fontMetrics().height() + 10    # the dock's title bar
    wanted = min(inner.sizeHint().height() + chrome, int(max(window.height(), 400) * share))
    if wanted > dock.height() or shrink:
        window.resizeDocks([dock], [wanted], Qt.Orientation.Vertical)
        # Now, not at the next event: a click right after a selection must find the
        # panel's controls where they are drawn, not squeezed into the old height.
        window.layout().activate()
        if inner.layout() is not None:
            inner.layout().activate()


def restore_geometry(window: QMainWindow, settings: QSettings) -> bool:
    """Apply the window geometry saved by the last run; False if there was none. (Each
    layout's dock arrangement is restored by compact_layout.py.)"""
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        return window.restoreGeometry(geometry)
    return False


def save_geometry(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.sync()


def default_size() -> tuple[int, int]:
    """Most of the screen, up to 1440×900 (1280×800 without a screen)."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return 1280, 800
    available = screen.availableGeometry()
    return (min(1440, int(available.width() * 0.9)), min(900, int(available.height() * 0.9)))
