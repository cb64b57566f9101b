"""The type follows the system's font size (and presentation mode's zoom) without clipping:
sizes in the code are relative to the application's font, and with a larger font the main
window's labels still fit (issue 16, "Accessibility and keyboard")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6 import QtGui
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

import backprop_gui

SOURCE = Path(backprop_gui.__file__).parent


@pytest.fixture
def app_font(qapp):
    """Set the application's font to a point size for one test (as the system setting does)."""
    normal = QFont(qapp.font())

    def set_size(points: float) -> None:
        font = QFont(normal)
        font.setPointSizeF(points)
        QApplication.setFont(font)

    yield set_size
    QApplication.setFont(normal)


def test_drawn_type_is_sized_from_the_application_font(app_font):
    from backprop_gui.ui.diagram.style import font as diagram_font
    from backprop_gui.ui.plots.style import label_font

    app_font(13.0)
    assert diagram_font(9.0).pointSizeF() == pytest.approx(13.0)
    assert diagram_font(11.0, bold=True).pointSizeF() == pytest.approx(11.0 * 13 / 9)
    assert label_font(8.5).pointSizeF() == pytest.approx(8.5 * 13 / 9)
    app_font(9.0)
    assert label_font(8.5).pointSizeF() == pytest.approx(8.5)


def clipped_labels(window) -> list[str]:
    """Single-line plain-text labels whose text is wider than the label."""
    out = []
    for label in window.findChildren(QLabel):
        text = label.text()
        if (not label.isVisible() or not text or label.wordWrap() or "\n" in text
                or label.textFormat() == Qt.TextFormat.RichText or QtGui.Qt.mightBeRichText(text)):
            continue
        shown = re.sub(r"&(.)", r"\1", text) if label.buddy() is not None else text
        need = label.fontMetrics().horizontalAdvance(shown)
        if need > label.contentsRect().width():
            out.append(f"{shown!r}: {need} > {label.contentsRect().width()} px")
    return out


@pytest.mark.parametrize("points", [13.0, 16.0])
def test_no_label_is_cut_with_a_larger_system_font(qtbot, session, tmp_path, app_font, points):
    from backprop_gui.ui.window.main_window import MainWindow

    app_font(points)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(session, settings=settings, remember_layout=False)
    qtbot.addWidget(window)
    window.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    cut = []
    for name in window.dock_names():
        dock = window.dock(name)
        dock.show()
        dock.raise_()
        window.panel(name)
        for _ in range(3):
            QApplication.processEvents()
        cut += [f"{name}: {c}" for c in clipped_labels(window)]
    assert not cut, "\n".join(sorted(set(cut)))


# Fixed sizes that are right as they are: type that must fit a pixel cell or a neuron (sized in
# scene units, growing with the zoom), a printed page, and presentation mode's scaling of a
# pixel-sized font.
FIXED_SIZES_ALLOWED = {"ui/editors/pixel_editor.py", "ui/diagram/style.py",
                       "ui/stepper/worksheet.py", "ui/window/presentation.py"}


def test_no_widget_sets_a_type_size_that_ignores_the_application_font():
    fixed = re.compile(r"setPixelSize\(|setPointSizeF?\(\s*[\d.]+\s*\)|font-size:\s*[\d.]+(pt|px)")
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        rel = path.relative_to(SOURCE).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if fixed.search(line) and rel not in FIXED_SIZES_ALLOWED:
                found.append(f"{rel}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
