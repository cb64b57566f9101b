"""Shared test set-up: Qt renders offscreen (no display needed) and the locale is UTF-8.

Set at import time, before pytest-qt creates the QApplication (on first use of qapp/qtbot).
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")
