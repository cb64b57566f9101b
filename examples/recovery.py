"""The recovery dialog after a crash: two autosaved projects to recover and one that could
not be read (made-up entries; nothing is read from or written to the disk).

Run from a checkout: `.venv/bin/python examples/recovery.py`.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from backprop_gui.session.recovery import RecoveryEntry
from backprop_gui.ui.dialogs.recovery import RecoveryDialog


def main() -> QWidget:
    now = datetime.now().astimezone()
    return RecoveryDialog([
        RecoveryEntry("a", Path("/tmp/a.bpnet"), "xor-by-hand.bpnet",
                      Path.home() / "Documents" / "xor-by-hand.bpnet", now - timedelta(minutes=3),
                      "0.1.0"),
        RecoveryEntry("b", Path("/tmp/b.bpnet"), "Untitled", None, now - timedelta(days=1, hours=2),
                      "0.1.0"),
    ], ["The autosaved copy of “spiral.bpnet” (2024-06-03 10:12) could not be read: "
        "network.weights[1]: expected 6 rows of 16 numbers, got 5 rows"],
        Path.home() / ".local/share/Backprop GUI/Backprop GUI/recovery/broken")


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = main()
    window.show()
    sys.exit(app.exec())
