"""Let the window finish what Qt defers, before a picture of it is taken.

processEvents() alone handles only the events already posted; Qt's main window updates its
dock tab bars and the docks' animated moves on timers (a strip of tabs of hidden panels stayed
in screenshots taken right after presentation mode hid them). Running the event loop for a
moment lets those timers fire, as they do at once for a person using the window.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, QTimer

SETTLE_MS = 120


def settle(ms: int = SETTLE_MS) -> None:
    """Run the event loop for `ms` milliseconds (for screenshots, not for tests or the app)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
