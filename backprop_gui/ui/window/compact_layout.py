"""View ▸ Layout: the compact layout for small screens (a 1024×600 classroom laptop) and the
standard one, chosen automatically by the window's width or by hand.

The compact layout gives the diagram its whole height and most of the width:

- the panels in two tabbed columns: Input, Dataset and the Lesson on the left over the
  Inspector, Steps, Plots and the other panels on the right (no Inspector row under the
  diagram);
- the toolbars on one row: what does not fit goes into the toolbar's extension menu (»),
  the File buttons show only their icons;
- where training stands ("Epoch 30415 · mean loss …") in the status bar, where it has room
  for all of it;
- the diagram's legend collapsed to a small "Legend" button.

Automatic (the default) picks the compact layout while the window is narrower than
COMPACT_BELOW pixels, at start and when the window is resized across it; Compact and
Standard keep one. The choice is remembered (QSettings "layout/mode"). Each layout keeps the
arrangement a person made of it on its own (the window's saveState: "window/state" for the
standard layout, "compact/state" for the compact one), and whether its legend is collapsed;
switching brings the other back as it was left. Presentation mode (presentation.py) keeps its
own arrangement too: the layout does not switch while presenting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QScrollArea, QStyle, QToolBar

from ..common.action_helper import make_action
from .window_layout import STATE_VERSION, grow_dock_to_fit

if TYPE_CHECKING:
    from .main_window import MainWindow

COMPACT_BELOW = 1200                 # window width in pixels
MODE_KEY = "layout/mode"
MODES = {
    "automatic": ("&Automatic", "The compact layout while the window is narrower than "
                                f"{COMPACT_BELOW} pixels, the standard one otherwise"),
    "compact": ("&Compact", "For small screens: panels tabbed in two columns, one toolbar row, "
                            "the legend collapsed, so the diagram gets most of the window"),
    "standard": ("&Standard", "Input over Dataset on the left, Steps and Plots on the right, "
                              "the Inspector under the diagram"),
}
STATE_KEYS = {False: "window/state", True: "compact/state"}
LEGEND_KEYS = {False: "legend/collapsed", True: "compact/legend_collapsed"}
LEFT_PANELS = ("Input", "Dataset", "Lesson")   # tabbed on the left, in this order


def saved_mode(value: object) -> str:
    return value if isinstance(value, str) and value in MODES else "automatic"


def wants_compact(mode: str, width: int) -> bool:
    """Whether a window `width` pixels wide shows the compact layout in `mode`."""
    if mode == "automatic":
        return width < COMPACT_BELOW
    return mode == "compact"


def apply_compact_layout(window: QMainWindow, docks: dict[str, QDockWidget],
                         toolbars: list[QToolBar]) -> None:
    """The compact arrangement: LEFT_PANELS tabbed on the left over the Inspector (a line
    until something is selected), every other panel tabbed with Steps on the right, the
    toolbars on one row."""
    for dock in docks.values():
        dock.setFloating(False)
    left = [docks[name] for name in LEFT_PANELS if name in docks]
    right = [docks["Steps"]] + [d for n, d in docks.items()
                                if n not in (*LEFT_PANELS, "Steps", "Inspector")]
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, left[0])
    # Split before tabbing: a dock split off a tabbed one would become one more tab.
    window.splitDockWidget(left[0], docks["Inspector"], Qt.Orientation.Vertical)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, right[0])
    for group in (left, right):
        for dock in group[1:]:
            window.tabifyDockWidget(group[0], dock)
    for dock in docks.values():
        dock.show()
    docks["Steps"].raise_()
    docks["Input"].raise_()
    for bar in toolbars:
        window.removeToolBar(bar)
    for bar in toolbars:      # one row: the first keeps its room, the later ones overflow (»)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        bar.show()
    size_compact_docks(window, docks)


def size_compact_docks(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """The columns as narrow as their panels allow: the Input panel's width on the left,
    the worked calculations' on the right; the diagram gets the rest."""
    w = max(window.width(), 640)
    # No column narrower than its panels can be (Dataset, a lesson's text, the Steps):
    # they would scroll sideways; with room for a vertical scroll bar, which a long lesson
    # page needs.
    bar = window.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    on_left = [dock for name, dock in docks.items() if name in LEFT_PANELS]
    on_right = [dock for name, dock in docks.items() if name not in (*LEFT_PANELS, "Inspector")]
    left = max(min(max(int(w * 0.25), 240), 300), max(map(_minimum_width, on_left)) + bar)
    right = max(min(max(int(w * 0.33), 300), 360), max(map(_minimum_width, on_right)) + bar)
    window.resizeDocks([docks["Input"], docks["Steps"]], [left, right], Qt.Orientation.Horizontal)
    grow_dock_to_fit(window, docks["Inspector"], shrink=True)


def _minimum_width(dock: QDockWidget) -> int:
    content = dock.widget()
    inner = content.widget() if isinstance(content, QScrollArea) and content.widget() else content
    return inner.minimumSizeHint().width() if inner is not None else 0


class WindowLayouts(QObject):
    """Chooses, applies and remembers the compact or the standard layout for `window`."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.mode = saved_mode(self.settings.value(MODE_KEY))
        self.compact = False                  # the standard layout until the first show
        self._started = False
        self._states: dict[bool, QByteArray] = {}   # each layout's arrangement as last left
        self.menu = QMenu("&Layout", window)
        self.menu.setToolTipsVisible(True)
        group = QActionGroup(self)
        self.actions: dict[str, QAction] = {}
        for mode, (text, tip) in MODES.items():
            action = make_action(self, text, tip, lambda m=mode: self.set_mode(m), checkable=True)
            action.setChecked(mode == self.mode)
            group.addAction(action)
            self.menu.addAction(action)
            self.actions[mode] = action
        window.add_menu_entries("View", "window", [self.menu])
        window.view.legend_collapsed_changed.connect(self._on_legend_toggled)
        # Leaving presentation mode: the width may have changed meanwhile (full screen).
        window.presentation.action.toggled.connect(lambda on: on or self._follow.start())
        self._follow = QTimer(self)          # a resize may come in bursts: look once after
        self._follow.setSingleShot(True)
        self._follow.setInterval(0)
        self._follow.timeout.connect(self.follow_width)
        window.installEventFilter(self)

    @property
    def remember(self) -> bool:
        return self.window.remember_layout

    # ----- choosing -------------------------------------------------------------------------

    def start(self) -> None:
        """At the window's first show (its size known): the layout its width asks for, with
        the arrangement remembered for it."""
        self._started = True
        self.compact = wants_compact(self.mode, self.window.width())
        if self.compact:
            self._arrange_default()
        if not self._restore_state() and not self.compact:
            self.window.size_standard_docks()   # arranged before the window had its size
        self._apply_extras()

    def set_mode(self, mode: str) -> None:
        """"automatic", "compact" or "standard" (View ▸ Layout); remembered."""
        if mode not in MODES:
            raise ValueError(f"the layout is one of {', '.join(MODES)}")
        self.mode = mode
        self.actions[mode].setChecked(True)
        self.settings.setValue(MODE_KEY, mode)
        self.follow_width()

    def follow_width(self) -> None:
        """Switch if the mode and the window's width ask for the other layout."""
        if not self._started or self.window.presentation_active():
            return
        self.switch(wants_compact(self.mode, self.window.width()))

    def switch(self, compact: bool) -> None:
        if compact == self.compact:
            return
        self._keep_state()
        self.compact = compact
        self._arrange_default()
        self._restore_state()
        self._apply_extras()
        self.window.view.fit_to_view()
        self.window.post_message("Compact layout for a small window (View ▸ Layout)" if compact
                                 else "Standard layout (View ▸ Layout)")

    def reset(self) -> None:
        """View ▸ Reset Layout: the current layout's own default arrangement."""
        self._arrange_default()
        self._apply_extras()

    def save(self) -> None:
        """Remember the current layout's arrangement (the window is closing)."""
        self._keep_state()

    # ----- applying -------------------------------------------------------------------------

    def _arrange_default(self) -> None:
        w = self.window
        if self.compact:
            apply_compact_layout(w, w.docks_by_name(), w.toolbars())
        else:
            w.apply_standard_layout()

    def _keep_state(self) -> None:
        state = self.window.saveState(STATE_VERSION)
        self._states[self.compact] = state
        if self.remember:
            self.settings.setValue(STATE_KEYS[self.compact], state)

    def _restore_state(self) -> bool:
        state = self._states.get(self.compact)
        if state is None and self.remember:
            state = self.settings.value(STATE_KEYS[self.compact])
        return (isinstance(state, QByteArray) and not state.isEmpty()
                and self.window.restoreState(state, STATE_VERSION))

    def _apply_extras(self) -> None:
        """What a saved dock arrangement does not hold: the progress's place, the File
        buttons' style, the legend."""
        w = self.window
        w.training.bar.place_progress(w.statusBar() if self.compact else None)
        w.apply_toolbar_style()
        collapsed = self.settings.value(LEGEND_KEYS[self.compact], self.compact)
        w.view.set_legend_collapsed(collapsed in (True, "true"))

    def _on_legend_toggled(self, collapsed: bool) -> None:
        self.settings.setValue(LEGEND_KEYS[self.compact], collapsed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize and self._started:
            self._follow.start()
        return False


def install_layouts(window: MainWindow) -> WindowLayouts:
    """View ▸ Layout (Automatic / Compact / Standard) for `window`."""
    return WindowLayouts(window)
