"""What each lesson's student has done, remembered between runs in the settings file."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QSettings

PREFIX = "lessons/progress/"
SHOW_AT_START = "lessons/show_welcome"


class ProgressStore:
    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

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
        return str(self.settings.value(SHOW_AT_START, "true")).lower() == "true"

    def set_show_at_start(self, on: bool) -> None:
        self.settings.setValue(SHOW_AT_START, "true" if on else "false")
