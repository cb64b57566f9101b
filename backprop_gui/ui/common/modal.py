"""Whether a modal dialog can be shown at all."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication


def can_ask() -> bool:
    """False on Qt's offscreen and minimal platforms: a modal dialog there waits forever for
    an answer no one can give (tests, --screenshot, --self-test), so callers must not show one."""
    return QGuiApplication.platformName() not in ("offscreen", "minimal")
