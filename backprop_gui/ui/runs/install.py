"""Puts runs side by side into the main window: Train ▸ Compare…"""

from __future__ import annotations

from PySide6.QtGui import QAction

from ...session.session import Session
from ..common.action_helper import make_action
from ..common.window_hooks import WindowHooks
from .compare_dialog import CompareDialog


def install_runs(window: WindowHooks, session: Session) -> QAction:
    """Add Train ▸ Compare… (after the Train menu's own entries); the action."""
    def open_dialog() -> None:
        dialog = CompareDialog(session, window)
        dialog.message_posted.connect(window.post_message)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    action = make_action(window, "&Compare…",
                         "Train copies of the network with 2–4 settings from the same weights "
                         "and compare their loss curves", open_dialog)
    action.setObjectName("compare_action")
    menu = window.menu("Train")
    menu.addSeparator()
    menu.addAction(action)
    return action
