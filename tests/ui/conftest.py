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


@pytest.fixture
def main_window(qtbot, session, tmp_path):
    """The whole window at 1280×800 around `session`, with private settings and no question
    about unsaved changes when it closes."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from backprop_gui.ui.window.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(session, settings=settings, remember_layout=False)
    qtbot.addWidget(window)
    window.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def type_into(qtbot):
    """Type `text` into a spin box as a person does: select all, type, press Return."""
    from PySide6.QtCore import Qt

    def type_text(box, text: str) -> None:
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, text)
        qtbot.keyClick(box, Qt.Key.Key_Return)

    return type_text
