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
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMessageBox, QWidget

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


def clipped_labels(window, by_panel: bool = True) -> list[str]:
    """Single-line plain-text labels and text buttons whose text is wider than what is seen of
    them: the widget itself, or the part of it its panel leaves visible (a panel wider than
    its dock scrolls sideways and cuts what is at its right)."""
    out = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, (QLabel, QAbstractButton)) or not widget.isVisible():
            continue
        text = widget.text()
        if isinstance(widget, QLabel) and (
                widget.wordWrap() or widget.textFormat() == Qt.TextFormat.RichText
                or QtGui.Qt.mightBeRichText(text)):
            continue
        if not text or "\n" in text:
            continue
        shown = re.sub(r"&(.)", r"\1", text)
        need = widget.fontMetrics().horizontalAdvance(shown)
        if isinstance(widget, QAbstractButton):
            need = min(widget.sizeHint().width(), widget.width())   # its text and icon
            room = widget.visibleRegion().boundingRect().width()
        else:
            room = min(widget.contentsRect().width(), widget.visibleRegion().boundingRect().width())
        if widget.visibleRegion().isEmpty():
            continue            # not on screen at all (behind another panel's tab)
        if not by_panel:
            if isinstance(widget, QAbstractButton):
                continue
            room = widget.contentsRect().width()
        if need > room:
            out.append(f"{type(widget).__name__} {shown!r}: {need} > {room} px")
    return out


# At 13 pt (the type 1.44 times Qt's usual 9 pt) nothing is cut, not even by a panel too narrow
# for its controls: the panels widen with the type (window_layout.size_docks). At 16 pt on
# 1280×800 they cannot all fit beside the diagram: they scroll sideways (the compact layout is
# the answer there), but no label is narrower than its own text.
@pytest.mark.parametrize(("points", "by_panel"), [(13.0, True), (16.0, False)])
def test_no_label_is_cut_with_a_larger_system_font(qtbot, session, tmp_path, app_font, points,
                                                   by_panel):
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
        cut += [f"{name}: {c}" for c in clipped_labels(window, by_panel)]
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


@pytest.mark.parametrize("zoom", [150, 200])
def test_nothing_is_cut_in_presentation_mode(qtbot, main_window, zoom):
    """Presentation mode enlarges the type by its zoom: at 1280×800 the Steps panel it keeps,
    the toolbars and the status bar still show their labels and buttons whole."""
    presentation = main_window.presentation
    presentation.set_zoom(zoom)
    presentation.set_active(True)
    try:
        for _ in range(3):
            QApplication.processEvents()
        cut = clipped_labels(main_window)
    finally:
        presentation.set_active(False)
    assert not cut, "\n".join(sorted(set(cut)))
