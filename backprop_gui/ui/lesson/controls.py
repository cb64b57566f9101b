"""Teacher mode: the controls a lesson may hide or lock, found in the window, and the locks.

A lock holds while the lesson is open even against the control's owner: the Training
toolbar re-enables Play when a dataset gets samples, a locked Play stays grey. Closing the
lesson (or `release_all`) puts every control back as it was.
"""

from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolBar, QWidget

from ...lessons.actions import CONTROLS

Control = QAction | QWidget


def _in_toolbar(widget: QWidget | None) -> list[Control]:
    """A widget placed in a toolbar and the toolbar's action for it: hiding the widget alone
    leaves its slot behind, hiding the action alone did not always hide the widget."""
    if widget is None:
        return []
    action = _toolbar_action(widget)
    return [action, widget] if action is not widget else [widget]


def _toolbar_action(widget: QWidget) -> Control:
    # The widget may sit in a box with its label ("Speed" and its list): find the toolbar's item.
    item, bar = widget, widget.parentWidget()
    while bar is not None and not isinstance(bar, QToolBar):
        item, bar = bar, bar.parentWidget()
    if bar is not None:
        for action in bar.actions():
            if bar.widgetForAction(action) is item:
                return action
    return widget


def window_controls(window: object) -> dict[str, list[Control]]:
    """Each control name of lessons.actions.CONTROLS → what it is in `window` (a MainWindow;
    names whose part the window lacks map to nothing)."""
    training = getattr(window, "training", None)
    bar = getattr(training, "bar", None)
    stepper = getattr(window, "stepper", None)
    found: dict[str, list[Control | None]] = {name: [] for name in CONTROLS}
    if bar is not None:
        found["learning_rate"] = _in_toolbar(getattr(bar, "learning_rate", None))
        found["play"] = [getattr(bar, "play_action", None)]
        found["one_epoch"] = [getattr(bar, "epoch_action", None)]
        found["one_batch"] = [getattr(bar, "batch_action", None)]
        found["reset_training"] = [getattr(bar, "reset_action", None)]
        found["speed"] = _in_toolbar(getattr(bar, "speed_combo", None))
        found["training_settings"] = _in_toolbar(getattr(bar, "settings_button", None))
        found["training_toolbar"] = [bar]
    if stepper is not None:
        found["apply_update"] = [getattr(getattr(stepper, "commands", None), "apply", None),
                                 getattr(stepper, "apply_button", None)]
    menus = getattr(window, "_menus", None)
    menu = getattr(window, "menu", None)
    if callable(menu):
        found["network_menu"] = [menu("Network").menuAction()] if menus is None or "Network" in menus else []
    found["main_toolbar"] = [getattr(window, "toolbar", None)]
    return {name: [c for c in items if c is not None] for name, items in found.items()}


class ControlLocks(QObject):
    """Hides and locks controls by name; remembers how each was, to put it back."""

    def __init__(self, controls: dict[str, list[Control]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controls = controls
        self.locked: set[str] = set()
        self.hidden: set[str] = set()
        self._was_enabled: dict[int, bool] = {}
        self._watched: set[int] = set()

    def missing(self, names: Iterable[str]) -> list[str]:
        """The names this window has no control for."""
        return [n for n in names if not self.controls.get(n)]

    def lock(self, names: Iterable[str]) -> None:
        for name in names:
            if name in self.locked:
                continue
            self.locked.add(name)
            controls = self.controls.get(name, [])
            # Every state first: disabling a toolbar's action disables its widget too.
            for c in controls:
                self._was_enabled.setdefault(id(c), c.isEnabled())
            for c in controls:
                self._watch(c)
                c.setEnabled(False)

    def unlock(self, names: Iterable[str]) -> None:
        for name in names:
            if name not in self.locked:
                continue
            self.locked.discard(name)
            for c in self.controls.get(name, []):
                if not self._still_locked(c):
                    c.setEnabled(self._was_enabled.pop(id(c), True))

    def hide(self, names: Iterable[str]) -> None:
        for name in names:
            self.hidden.add(name)
            for c in self.controls.get(name, []):
                c.setVisible(False)

    def show(self, names: Iterable[str]) -> None:
        for name in names:
            self.hidden.discard(name)
            for c in self.controls.get(name, []):
                c.setVisible(True)

    def release_all(self) -> None:
        self.unlock(list(self.locked))
        self.show(list(self.hidden))

    # ----- keeping a lock against the control's owner ------------------------------------

    def _still_locked(self, control: Control) -> bool:
        return any(control in self.controls.get(n, []) for n in self.locked)

    def _watch(self, control: Control) -> None:
        if id(control) in self._watched:
            return
        self._watched.add(id(control))
        if isinstance(control, QAction):
            control.changed.connect(lambda c=control: self._relock(c))
        else:
            control.installEventFilter(self)

    def _relock(self, control: Control) -> None:
        if control.isEnabled() and self._still_locked(control):
            control.setEnabled(False)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.EnabledChange and isinstance(obj, QWidget):
            self._relock(obj)
        return False
