"""Fixtures for widget tests: a fresh session with the default project."""

from __future__ import annotations

import gc

import pytest


@pytest.fixture
def session(qapp):
    from backprop_gui.session.session import Session

    return Session()


@pytest.fixture(autouse=True)
def _collect_widgets_between_tests(qapp):
    """Delete the last test's widgets and collect their Python cycles here, between tests.

    Left to chance, the cyclic collector can finalise a destroyed test's pyqtgraph items while
    the next test is half-way through building new ones, and PySide6 then crashes (seen:
    a segfault "Garbage-collecting" inside PlotItem's constructor).
    """
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()
    gc.collect()
