"""View ▸ Presentation Mode: larger type, secondary panels hidden, clicker keys that step, an
arrangement remembered apart from the normal layout, and the normal layout back exactly."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from backprop_gui.ui.window.presentation import DEFAULT_ZOOM, PresentationMode
from backprop_gui.ui.window.window_layout import STATE_VERSION

from .test_main_window import make_window, menu_action, private_settings  # noqa: F401


@pytest.fixture
def window(qtbot, session, private_settings):  # noqa: F811
    win = make_window(qtbot, session, private_settings)
    yield win
    win.presentation.set_active(False)      # the application's font is global: always back


def visible_panels(window) -> set[str]:
    return {name for name in window.dock_names() if window.dock(name).isVisible()}


def test_entering_hides_secondary_panels_and_enlarges_the_type(qtbot, window):
    base = QFont(QApplication.font())
    title = window.stepper.page.title         # a label with a (bold, larger) font of its own
    title_size = title.font().pointSizeF()
    header = window.view.scene().labels.headers[0]
    header_size = header.font().pointSizeF()
    assert {"Input", "Dataset", "Inspector", "Steps"} <= visible_panels(window)
    menu_action(window, "View", "Presentation Mode").trigger()
    qtbot.wait(20)
    presentation = window.presentation
    assert presentation.active and presentation.zoom == DEFAULT_ZOOM == 150
    assert visible_panels(window) == {"Steps"}
    assert QApplication.font().pointSizeF() == pytest.approx(base.pointSizeF() * 1.5)
    assert title.font().pointSizeF() == pytest.approx(title_size * 1.5)
    header = window.view.scene().labels.headers[0]            # the diagram was rebuilt
    assert header.font().pointSizeF() == pytest.approx(header_size * 1.5)
    presentation.set_zoom(200)
    assert QApplication.font().pointSizeF() == pytest.approx(base.pointSizeF() * 2.0)
    assert title.font().pointSizeF() == pytest.approx(title_size * 2.0)


def test_leaving_restores_the_normal_layout_and_type_exactly(qtbot, window):
    base = QFont(QApplication.font())
    title_font = QFont(window.stepper.page.title.font())
    normal = window.saveState(STATE_VERSION)
    panels = visible_panels(window)
    header_size = window.view.scene().labels.headers[0].font().pointSizeF()
    window.presentation.set_active(True)
    qtbot.wait(20)
    assert window.saveState(STATE_VERSION) != normal
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)           # Esc leaves
    qtbot.wait(20)
    assert not window.presentation.active
    assert not menu_action(window, "View", "Presentation Mode").isChecked()
    assert window.saveState(STATE_VERSION) == normal
    assert visible_panels(window) == panels
    assert QApplication.font() == base and window.stepper.page.title.font() == title_font
    assert window.view.scene().labels.headers[0].font().pointSizeF() == header_size


def test_the_presentation_arrangement_is_remembered_apart_from_the_normal_one(
        qtbot, window, private_settings):  # noqa: F811
    normal = window.saveState(STATE_VERSION)
    window.presentation.set_active(True)
    window.dock("Dataset").show()                # the presenter wants the dataset too
    window.presentation.set_zoom(175)
    window.presentation.set_active(False)
    assert window.saveState(STATE_VERSION) == normal
    assert isinstance(private_settings.value("presentation/state"), QByteArray)
    window.presentation.set_active(True)
    assert "Dataset" in visible_panels(window)
    # Closing while presenting saves the normal layout, not the presentation one.
    window.close()
    assert private_settings.value("window/state") == normal
    again = PresentationMode(window)             # a later run reads the zoom back
    assert again.zoom == 175 and again.zoom_actions[175].isChecked()


def test_page_keys_step_while_presenting(qtbot, window):
    cursor = window.stepper.cursor
    window.view.setFocus()
    window.presentation.set_active(True)
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    assert cursor.index == 2 and window.session.selected_sample == 0
    qtbot.keyClick(window.view, Qt.Key.Key_PageUp)
    assert cursor.index == 1
    window.presentation.set_active(False)
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown)         # normally: the next sample
    assert cursor.index == 1 and window.session.selected_sample == 1


def test_no_strip_of_dead_tabs_is_left_over_the_diagram(qtbot, window):
    """Input and Lesson are tabbed together; hidden while presenting, their tab bar must go
    too (Qt left it on screen above the diagram), and come back after."""
    from PySide6.QtWidgets import QTabBar

    def tab_bars() -> dict[tuple[str, ...], bool]:
        bars = window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
        return {tuple(b.tabText(i) for i in range(b.count())): b.isVisible()
                for b in bars if b.count()}

    assert tab_bars().get(("Input", "Lesson")) is True
    window.presentation.set_active(True)
    qtbot.wait(20)
    visible = [tabs for tabs, shown in tab_bars().items() if shown]; print("BARS", tab_bars(), window.size())
    titles = {window.dock(n).windowTitle() for n in window.dock_names() if window.dock(n).isVisible()}
    assert all(set(tabs) & titles for tabs in visible), visible
    assert window.statusBar().currentMessage() == "Presentation: Page Down/Up step, Esc leaves"
    window.presentation.set_active(False)
    qtbot.wait(20)
    assert tab_bars().get(("Input", "Lesson")) is True
