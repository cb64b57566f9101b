"""What each lesson's student has done, remembered between runs in the settings file, and
the preference to show the welcome page at start-up (Preferences.show_welcome)."""

from __future__ import annotations

import json
from typing import Any, Callable

from PySide6.QtCore import QSettings

from ..dialogs.preferences import Preferences

PREFIX = "lessons/progress/"


class ProgressStore:
    def __init__(self, settings: QSettings,
                 preferences: Callable[[], Preferences] | None = None) -> None:
        self.settings = settings
        # The window's Preferences as they are now (the window saves them whole, and the
        # Preferences dialog replaces them): changed in place here, so neither undoes the other.
        own = Preferences.load(settings)
        self._preferences = preferences or (lambda: own)

    def load(self, lesson_id: str) -> Any:
        text = self.settings.value(PREFIX + lesson_id, "")
        try:
            return json.loads(text) if isinstance(text, str) and text else None
        except ValueError:
            return None   # a damaged entry: start the lesson afresh

    def save(self, lesson_id: str, progress: dict) -> None:
        self.settings.setValue(PREFIX + lesson_id, json.dumps(progress))

    def forget(self, lesson_id: str) -> None:
        self.settings.remove(PREFIX + lesson_id)

    def show_at_start(self) -> bool:
        return self._preferences().show_welcome

    def set_show_at_start(self, on: bool) -> None:
        prefs = self._preferences()
        prefs.show_welcome = on
        prefs.save(self.settings)
