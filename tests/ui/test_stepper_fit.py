"""The Steps panel fits a small screen: every worked calculation of the default project
(16-6-6-2) fits the panel's width at 1024×600, 1280×800 and 1920×1080, with no sideways
scroll bar and no number cut mid-way; the update table shows every number whole; the list of
steps keeps seven steps in view at 1280×800; the split and the zoom are remembered."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QStyle

from backprop_gui.ui.common.formatting import fmt
from backprop_gui.ui.stepper.matrix_layout import GAP, TermBox
from backprop_gui.ui.window.main_window import MainWindow
from backprop_gui.ui.window.panel_front import bring_panel_to_front


def open_window(qtbot, session, settings: QSettings, size: tuple[int, int]) -> MainWindow:
    window = MainWindow(session, settings=settings, remember_layout=False)
    qtbot.addWidget(window)
    window.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    bring_panel_to_front(window, "Steps")
    QApplication.processEvents()
    return window


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def drawn_whole(canvas) -> list[str]:
    """What is wrong with the drawn calculation: a term past the right edge, a cell whose text
    is not a whole number as formatted (3 or 2 significant digits) or "…", or a cell narrower
    than its text."""
    problems = []
    layout = canvas._current_layout()
    metrics = layout.metrics
    for box in layout.boxes:
        if box.rect.right() > canvas.width():
            name = box.term.label if isinstance(box, TermBox) else box.token.text
            problems.append(f"{name} ends at {box.rect.right():.0f} of {canvas.width()}")
        if not isinstance(box, TermBox):
            continue
        term = box.term
        for ri, r in enumerate(box.rows):
            for ci, c in enumerate(box.cols):
                text = box.texts[ri][ci]
                if r == GAP or c == GAP:
                    if text not in ("…", "⋮"):
                        problems.append(f"{term.label} gap reads {text!r}")
                    continue
                value = term.values[r, c]
                if text not in (fmt(value, 3), fmt(value, 2)):
                    problems.append(f"{term.label}[{r},{c}] = {value} reads {text!r}")
                rect = box.cell_rect(metrics, ri, ci)
                if metrics.width(text) + metrics.pad > rect.width() + 0.01:
                    problems.append(f"{term.label}[{r},{c}] {text!r} is cut by its cell")
    return problems


def table_problems(table) -> list[str]:
    """Columns of the update table narrower than their texts, or wider than the table."""
    view = table.view
    fm = view.fontMetrics()
    model = view.model()
    shown = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin)
    problems = []
    for c in shown:
        texts = [str(model.data(model.index(r, c))) for r in range(model.rowCount())]
        widest = max(fm.horizontalAdvance(t) for t in texts)
        if view.columnWidth(c) < widest + 4:
            problems.append(f"column {c} is {view.columnWidth(c)} px for {widest} px of text")
        header = view.horizontalHeader()
        title = str(model.headerData(c, Qt.Orientation.Horizontal))
        need = header.fontMetrics().horizontalAdvance(title) + 2 * margin
        if c == header.sortIndicatorSection():
            need += header.sectionSizeFromContents(c).height() + margin   # the sort arrow
        if view.columnWidth(c) < need:
            problems.append(f"header {c} is cut")
    if sum(view.columnWidth(c) for c in shown) > view.viewport().width():
        problems.append("the columns are wider than the table")
    if view.horizontalScrollBar().isVisible():
        problems.append("a sideways scroll bar")
    return problems


def every_step_fits(window) -> dict[int, list[str]]:
    panel = window.stepper
    cursor, page, canvas = panel.cursor, panel.page, panel.page.canvas
    found: dict[int, list[str]] = {}
    assert len(cursor.steps) == 24
    for i in range(len(cursor.steps)):
        cursor.go_to(i)
        QApplication.processEvents()
        problems = []
        if canvas._hbar.isVisible():
            problems.append("a sideways scroll bar")
        problems += drawn_whole(canvas)
        if page.width() > panel.page_scroll.viewport().width():
            problems.append("the page is wider than its scroll area")
        if page.update_table.isVisible():
            problems += table_problems(page.update_table)
        if problems:
            found[i + 1] = problems
    return found


@pytest.mark.parametrize("size", [(1024, 600), (1280, 800), (1920, 1080)])
def test_every_worked_calculation_fits_the_panel(qtbot, session, settings, size):
    """At 1280×800 ∂L/∂W³ was cut at "−0.024…" behind a scroll bar, and at 1024×600 the
    update table read "−0.00…"."""
    window = open_window(qtbot, session, settings, size)
    assert every_step_fits(window) == {}


def test_the_update_step_shows_more_of_the_16_inputs(qtbot, session, settings):
    """W¹ (6×16) in the update step showed 3 of its 16 columns at 1280×800."""
    window = open_window(qtbot, session, settings, (1280, 800))
    panel = window.stepper
    panel.cursor.go_to(next(k for k, s in enumerate(panel.cursor.steps)
                            if s.kind == "update_W" and s.layer == 1))
    QApplication.processEvents()
    for label in ("W¹", "∂L/∂W¹", "new W¹"):
        _, cols = panel.page.canvas.displayed_indices(label)
        shown = [c for c in cols if c != GAP]
        assert len(shown) >= 6, (label, cols)
        assert cols[-1] == 15 and GAP in cols           # the last input, and "…" before it


def test_presentation_mode_still_fits_at_1280x800(qtbot, session, settings):
    window = open_window(qtbot, session, settings, (1280, 800))
    window.presentation.set_active(True)
    try:
        qtbot.wait(20)
        assert window.stepper.isVisible()
        assert every_step_fits(window) == {}
    finally:
        window.presentation.set_active(False)       # the application's font is global


def visible_step_rows(step_list) -> int:
    """Step rows (not phase titles) drawn whole in the list's viewport."""
    viewport = step_list.viewport().rect()
    return sum(1 for item in step_list._items
               if viewport.contains(step_list.visualItemRect(item)))


def test_the_step_list_shows_seven_steps_at_1280x800(qtbot, session, settings):
    """It showed about four (two lines each) and the worked view still keeps most height."""
    window = open_window(qtbot, session, settings, (1280, 800))
    panel = window.stepper
    for index in (0, 8, 16, 23):
        panel.cursor.go_to(index)
        QApplication.processEvents()
        assert visible_step_rows(panel.step_list) >= 7, index
    top, bottom = panel.splitter.sizes()
    assert bottom > 1.5 * top


def test_at_1024x600_both_the_list_and_the_calculation_are_usable(qtbot, session, settings):
    window = open_window(qtbot, session, settings, (1024, 600))
    panel = window.stepper
    assert visible_step_rows(panel.step_list) >= 4
    assert panel.page_scroll.viewport().height() >= 220


def test_the_split_is_remembered(qtbot, session, settings):
    window = open_window(qtbot, session, settings, (1280, 800))
    splitter = window.stepper.splitter
    top = splitter.sizes()[0]
    splitter.moveSplitter(top + 60, 1)                # what dragging the handle does
    moved = splitter.sizes()
    assert moved[0] == top + 60
    window.close()
    again = open_window(qtbot, session, settings, (1280, 800))
    assert again.stepper.splitter.sizes() == moved


def test_the_worked_views_zoom_is_remembered(qtbot, session, settings):
    window = open_window(qtbot, session, settings, (1280, 800))
    canvas = window.stepper.page.canvas
    centre = QPointF(canvas.rect().center())
    event = QWheelEvent(centre, QPointF(canvas.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas, event)
    assert canvas.zoom == pytest.approx(1.1)
    window.close()
    again = open_window(qtbot, session, settings, (1280, 800))
    assert again.stepper.page.canvas.zoom == pytest.approx(1.1)
    assert not again.stepper.page.canvas._hbar.isVisible()


def test_cells_are_never_cut_in_a_narrow_canvas(qtbot, session):
    """Down to the narrowest useful width, whole columns are left out, never half a number."""
    from backprop_gui.engine.walkthrough import walkthrough
    from backprop_gui.ui.stepper.expression import build_expression
    from backprop_gui.ui.stepper.worked_view import WorkedCanvas

    steps = walkthrough(session.network, session.sample_input(), session.sample_target(), 0.1)
    canvas = WorkedCanvas()
    qtbot.addWidget(canvas)
    canvas.show()
    for width in (260, 300, 340, 420, 520):
        canvas.resize(width, 600)
        for step in steps:
            canvas.set_expression(build_expression(step, session.network.n_layers, [0]))
            assert not canvas._hbar.isVisible(), (width, step.title)
            assert drawn_whole(canvas) == [], (width, step.title)
    assert np.isfinite(canvas.zoom)


def test_the_dots_of_a_shortened_matrix_show_it_whole(qtbot, session, settings):
    """W¹ (6×16) at 1024×600 shows some of its columns: pointing at "…" shows every entry."""
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QToolTip

    window = open_window(qtbot, session, settings, (1024, 600))
    panel = window.stepper
    panel.cursor.go_to(0)                                   # z¹ = W¹ a⁰ + b¹
    QApplication.processEvents()
    canvas = panel.page.canvas
    box = canvas._box("W¹")
    gap = box.cols.index(GAP)
    centre = box.cell_rect(canvas.drawn_metrics(), 0, gap).center().toPoint()
    QApplication.sendEvent(canvas, QHelpEvent(QEvent.Type.ToolTip, centre,
                                              canvas.mapToGlobal(centre)))
    tip = QToolTip.text()
    W = session.network.weights[0]
    assert "W¹" in tip and "6×16" in tip
    for value in W.ravel():
        assert f">{fmt(value)}<" in tip


@pytest.mark.parametrize("saved", ["abc", "nan", "inf", "-3"])
def test_a_damaged_zoom_in_the_settings_is_ignored_or_clamped(qtbot, session, settings, saved):
    settings.setValue("steps/zoom", saved)
    window = open_window(qtbot, session, settings, (1280, 800))
    zoom = window.stepper.page.canvas.zoom
    assert zoom == (0.7 if saved == "-3" else 1.0)
