"""View ▸ Presentation Mode: the window arranged for teaching in front of a class.

Everything is larger by the presentation zoom (125–200 %, View ▸ Presentation Zoom): the
application's type, and with it the diagram's labels and legend (sized relative to the
application's font: ui/common/fonts.py), while the diagram, with the secondary panels (Dataset, Inspector, Plots and
any added later) hidden, fits its neurons to the larger room. The step-through stays, and a
presenter's clicker steps it: Page Down / Page Up (what clickers send) go to the next and
previous step, besides → and ←; Escape leaves.

The presentation arrangement is remembered on its own (QSettings "presentation/state", the
zoom in "presentation/zoom"): a panel shown or moved while presenting is there next time,
and the normal layout is never touched. Leaving restores the normal layout exactly as it was
(the window's saveState) and the type sizes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QMenu, QWidget
from shiboken6 import isValid

from ..common.action_helper import make_action
from .window_layout import STATE_VERSION

if TYPE_CHECKING:
    from .main_window import MainWindow

ZOOMS = (125, 150, 175, 200)       # per cent
DEFAULT_ZOOM = 150
KEPT_PANELS = ("Steps",)           # shown while presenting; every other panel is hidden
STEPS_SHARE = 0.42                 # of the window's width, for the larger worked calculations
STATE_KEY, ZOOM_KEY = "presentation/state", "presentation/zoom"


def scaled(font: QFont, factor: float) -> QFont:
    """`font` `factor` times as large (in points, or in pixels for a pixel-sized font)."""
    out = QFont(font)
    if font.pointSizeF() > 0:
        out.setPointSizeF(font.pointSizeF() * factor)
    else:
        out.setPixelSize(max(1, round(font.pixelSize() * factor)))
    return out


def saved_zoom(value: object) -> int:
    """The zoom stored in the settings, or the default for a missing or bad value."""
    try:
        zoom = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_ZOOM
    return zoom if zoom in ZOOMS else DEFAULT_ZOOM


class PresentationMode(QObject):
    """Enters and leaves presentation mode for `window`; `action` is the View menu's toggle."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.zoom = saved_zoom(self.settings.value(ZOOM_KEY))
        self._normal_state: QByteArray | None = None
        self._normal_font: QFont | None = None
        self._own_fonts: list[tuple[QWidget, QFont]] = []   # widgets that set a font of their own
        self.action = make_action(window, "&Presentation Mode",
                                  "Everything larger, secondary panels hidden, Page Down/Up step "
                                  "(for teaching in front of a class); Esc leaves",
                                  self._on_toggled, "F5", checkable=True)
        self.zoom_menu = QMenu("Presentation &Zoom", window)
        self.zoom_menu.setToolTipsVisible(True)
        group = QActionGroup(self)
        self.zoom_actions: dict[int, QAction] = {}
        for zoom in ZOOMS:
            action = make_action(self, f"{zoom} %",
                                 f"Type and diagram {zoom} % of their usual size in presentation mode",
                                 lambda z=zoom: self.set_zoom(z), checkable=True)
            action.setChecked(zoom == self.zoom)
            self.zoom_menu.addAction(action)
            group.addAction(action)
            self.zoom_actions[zoom] = action
        window.add_menu_entries("View", "window", [self.action, self.zoom_menu])

    @property
    def active(self) -> bool:
        return self._normal_state is not None

    def _on_toggled(self) -> None:
        self.set_active(self.action.isChecked())

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        if on:
            self._enter()
        else:
            self._leave()
        self.action.setChecked(self.active)

    def set_zoom(self, zoom: int) -> None:
        """The presentation zoom in per cent (one of ZOOMS); applied at once if presenting."""
        if zoom not in ZOOMS:
            raise ValueError(f"the presentation zoom is one of {', '.join(map(str, ZOOMS))} %")
        self.zoom = zoom
        self.zoom_actions[zoom].setChecked(True)
        self.settings.setValue(ZOOM_KEY, zoom)
        if self.active:
            self._apply_zoom()
            self.window.view.fit_to_view()

    # ----- entering and leaving -------------------------------------------------------------------

    def _enter(self) -> None:
        window = self.window
        self._normal_state = window.saveState(STATE_VERSION)
        self._normal_font = QFont(QApplication.font())
        state = self.settings.value(STATE_KEY)
        if not (isinstance(state, QByteArray) and window.restoreState(state, STATE_VERSION)):
            for name in window.dock_names():
                window.dock(name).setVisible(name in KEPT_PANELS)
            window.dock("Steps").raise_()
            window.resizeDocks([window.dock("Steps")], [int(window.width() * STEPS_SHARE)],
                               Qt.Orientation.Horizontal)
        self._apply_zoom()
        QApplication.instance().installEventFilter(self)
        window.view.fit_to_view()
        window.post_message("Presentation: Page Down/Up step, Esc leaves")

    def _leave(self) -> None:
        window = self.window
        QApplication.instance().removeEventFilter(self)
        self.settings.setValue(STATE_KEY, window.saveState(STATE_VERSION))
        if self._normal_font is not None:
            QApplication.setFont(self._normal_font)
        for widget, font in self._own_fonts:
            if isValid(widget):
                widget.setFont(font)
        self._own_fonts = []
        # The smaller type's sizes first (Qt lays out later), or the restored panels would
        # be sized around what the larger type needed: the status bar kept its larger
        # height (the window's layout does not ask again on a font change), every panel
        # 4 px shorter.
        QApplication.sendPostedEvents()        # the font changes reach every widget now
        window.statusBar().updateGeometry()
        window.layout().invalidate()
        window.layout().activate()
        window.restoreState(self._normal_state, STATE_VERSION)
        self._normal_state = self._normal_font = None
        window.view.fit_to_view()

    def _apply_zoom(self) -> None:
        factor = self.zoom / 100.0
        QApplication.setFont(scaled(self._normal_font, factor))
        # A widget that set a font of its own (a bold title, a smaller hint) keeps it when the
        # application's font changes: scale those too, from their normal size.
        if not self._own_fonts:
            self._own_fonts = [(w, QFont(w.font())) for w in QApplication.allWidgets()
                               if w.testAttribute(Qt.WidgetAttribute.WA_SetFont)]
        for widget, font in self._own_fonts:
            if isValid(widget):
                widget.setFont(scaled(font, factor))

    # ----- the presenter's keys ---------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent)
                or QApplication.activePopupWidget() or QApplication.activeModalWidget()):
            return False
        commands = self.window.stepper.commands
        action = {Qt.Key.Key_PageDown: commands.next, Qt.Key.Key_PageUp: commands.previous,
                  Qt.Key.Key_Escape: self.action}.get(Qt.Key(event.key()))
        # Escape in a text field cancels the typing there, as everywhere.
        typing = isinstance(QApplication.focusWidget(), (QLineEdit, QAbstractSpinBox))
        if action is None or (action is self.action and typing):
            return False
        action.trigger()
        return True


def install_presentation(window: MainWindow) -> PresentationMode:
    """View ▸ Presentation Mode and View ▸ Presentation Zoom for `window`."""
    return PresentationMode(window)

