"""Regression test for the PySide6 6.12.0 reference-count fault (see docs/ARCHITECTURE.md, platform facts).

PySide6 6.12.0 on CPython 3.10/3.11 drops one reference to ``None`` every time a Qt method that
returns nothing is called: 1,000 calls of ``QWidget.setMouseTracking(True)`` lowered
``sys.getrefcount(None)`` by 998. After a few thousand such calls, or at interpreter exit, the
process dies with "Fatal Python error: none_dealloc" -- pytest reports the tests as passed and
then exits 134. pyproject.toml therefore pins ``PySide6-Essentials<6.12``; this test catches the
fault in whatever PySide6 is installed, before the crash does.
"""

import sys

CALLS = 10_000
TOLERANCE = 100  # a healthy build moves None's count by a few per 1,000 calls


def test_void_qt_calls_keep_none_refcount(qapp):
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    widget.setMouseTracking(True)  # warm up any one-time caches
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        widget.setMouseTracking(True)
    after = sys.getrefcount(None)
    widget.deleteLater()

    assert after - before > -TOLERANCE, (
        f"{CALLS} calls of a void Qt method lowered sys.getrefcount(None) by {before - after}: "
        "this PySide6 build leaks references to None and will crash the interpreter "
        "(the PySide6 6.12.0 fault; see docs/ARCHITECTURE.md)"
    )
