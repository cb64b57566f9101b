"""The compact layout for small screens (ui/window/compact_layout.py): chosen by the window's
width or by View ▸ Layout, each layout's arrangement and legend kept apart, the toolbars'
overflow reachable, and nothing cut at 1024×600 (progress, status messages, plot tabs)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QScrollArea, QToolBar, QToolButton

from backprop_gui.session.session import Session
from backprop_gui.ui.common.live_text import LiveText
from backprop_gui.ui.window.main_window import MainWindow

from .test_main_window import menu_action, private_settings  # noqa: F401

SMALL, MEDIUM, LARGE = (1024, 600), (1280, 800), (1920, 1080)
LEFT, RIGHT, BOTTOM = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
                       Qt.DockWidgetArea.BottomDockWidgetArea)


def open_window(qtbot, settings: QSettings, size: tuple[int, int],
                session: Session | None = None) -> MainWindow:
    window = MainWindow(session or Session(), settings=settings)
    qtbot.addWidget(window)
    window.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(10)
    return window


def diagram_share(window: MainWindow) -> float:
    view = window.view
    return view.width() * view.height() / (window.width() * window.height())


def layout_choice(window: MainWindow, text: str):
    return [a for a in window.layouts.menu.actions() if a.text().replace("&", "") == text][0]


def tabbed_with(window: MainWindow, name: str) -> set[str]:
    others = window.tabifiedDockWidgets(window.dock(name))
    return {n for n in window.dock_names() if window.dock(n) in others}


def test_a_small_window_gets_the_compact_layout_and_the_diagram_most_room(
        qtbot, private_settings):  # noqa: F811
    window = open_window(qtbot, private_settings, SMALL)
    # Measured: the standard layout gave the diagram 397×405 px, 26 % of 1024×600 (the
    # Inspector under it, two toolbar rows); the compact one 385×520, 33 %.
    assert diagram_share(window) > 0.31
    assert window.view.height() > 500
    assert window.layouts.compact
    assert window.dockWidgetArea(window.dock("Inspector")) == LEFT
    assert tabbed_with(window, "Input") == {"Dataset", "Lesson"}
    assert tabbed_with(window, "Steps") == {"Plots", "Landscape", "Graph", "Decision map"}
    # One toolbar row.
    bars = [bar for bar in window.findChildren(QToolBar) if bar.parent() is window]
    assert len({bar.geometry().top() for bar in bars}) == 1
    # Every panel fits its column: the Input panel (the default project) and the Dataset
    # without a scroll bar, the others without a sideways one.
    for name in ("Input", "Dataset", "Lesson", "Steps", "Plots", "Graph"):
        window.dock(name).raise_()
        qtbot.wait(10)
        scroll = window.dock(name).widget()
        assert isinstance(scroll, QScrollArea)
        assert not scroll.horizontalScrollBar().isVisible(), name
        if name in ("Input", "Dataset"):
            assert not scroll.verticalScrollBar().isVisible(), name


@pytest.mark.parametrize("size", [MEDIUM, LARGE])
def test_a_wide_window_keeps_the_standard_layout(qtbot, private_settings, size):  # noqa: F811
    window = open_window(qtbot, private_settings, size)
    assert not window.layouts.compact
    assert window.dockWidgetArea(window.dock("Inspector")) == BOTTOM
    assert window.dockWidgetArea(window.dock("Dataset")) == LEFT
    assert window.training.bar.progress.isVisible()
    assert not window.view.legend_collapsed()
    bars = [bar for bar in window.findChildren(QToolBar) if bar.parent() is window]
    assert len({bar.geometry().top() for bar in bars}) == 2


def test_resizing_across_the_width_switches_the_layout(qtbot, private_settings):  # noqa: F811
    window = open_window(qtbot, private_settings, MEDIUM)
    window.resize(*SMALL)
    qtbot.waitUntil(lambda: window.layouts.compact)
    assert window.dockWidgetArea(window.dock("Inspector")) == LEFT
    window.resize(1200, 800)
    qtbot.waitUntil(lambda: not window.layouts.compact)
    assert window.dockWidgetArea(window.dock("Inspector")) == BOTTOM


def test_the_view_menu_choice_overrides_the_width_and_is_remembered(
        qtbot, private_settings):  # noqa: F811
    window = open_window(qtbot, private_settings, SMALL)
    assert layout_choice(window, "Automatic").isChecked() and window.layouts.compact
    layout_choice(window, "Standard").trigger()
    assert not window.layouts.compact
    assert window.dockWidgetArea(window.dock("Inspector")) == BOTTOM
    window.resize(1000, 600)          # narrower still: Standard stays
    qtbot.wait(20)
    assert not window.layouts.compact
    window.close()
    assert private_settings.value("layout/mode") == "standard"
    again = open_window(qtbot, private_settings, SMALL)
    assert layout_choice(again, "Standard").isChecked() and not again.layouts.compact
    layout_choice(again, "Compact").trigger()
    again.resize(*LARGE)              # wider: Compact stays
    qtbot.wait(20)
    assert again.layouts.compact
    layout_choice(again, "Automatic").trigger()
    assert not again.layouts.compact


def test_each_layout_keeps_its_own_arrangement(qtbot, private_settings):  # noqa: F811
    window = open_window(qtbot, private_settings, MEDIUM)
    window.addDockWidget(LEFT, window.dock("Plots"))          # the person's standard layout
    layout_choice(window, "Compact").trigger()
    # The compact layout starts from its own default, not from the standard's changes.
    assert window.dockWidgetArea(window.dock("Plots")) == RIGHT
    assert "Plots" in tabbed_with(window, "Steps")
    window.dock("Graph").close()                              # the person's compact layout
    layout_choice(window, "Standard").trigger()
    assert window.dockWidgetArea(window.dock("Plots")) == LEFT
    assert window.dock("Graph").isVisible()
    layout_choice(window, "Compact").trigger()
    assert not window.dock("Graph").isVisible()
    assert window.dockWidgetArea(window.dock("Plots")) == RIGHT
    # Reset Layout puts back the current layout's own default.
    menu_action(window, "View", "Reset Layout").trigger()
    assert window.layouts.compact and window.dock("Graph").isVisible()
    assert window.dockWidgetArea(window.dock("Inspector")) == LEFT
    # And between runs: the compact arrangement has its own saved state.
    window.dock("Landscape").close()
    window.close()
    assert private_settings.value("compact/state") is not None
    again = open_window(qtbot, private_settings, SMALL)
    assert again.layouts.compact and not again.dock("Landscape").isVisible()


def test_the_legend_folds_and_each_layout_remembers_it(qtbot, private_settings):  # noqa: F811
    window = open_window(qtbot, private_settings, SMALL)
    view, toggle = window.view, window.view.legend_toggle
    assert view.legend_collapsed()                     # folded at first in the compact layout
    assert toggle.isVisible() and toggle.text() == "Legend ▸" and toggle.toolTip()
    folded_room = view.legend_overlay.room(view.viewport().width())
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert not view.legend_collapsed() and toggle.text() == "▾"
    assert toggle.accessibleName() == "Hide legend"
    assert view.legend_overlay.room(view.viewport().width()) > folded_room + 30
    # The fold button sits beside the legend, not on it.
    legend_top = view.viewport().height() - view.legend_overlay.room(view.viewport().width())
    assert toggle.geometry().bottom() <= view.viewport().height()
    assert toggle.geometry().top() >= legend_top - toggle.height() - 4
    assert private_settings.value("compact/legend_collapsed") in (False, "false")
    layout_choice(window, "Standard").trigger()
    assert not view.legend_collapsed()                 # the standard layout's own choice
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert view.legend_collapsed()
    layout_choice(window, "Compact").trigger()
    assert not view.legend_collapsed()                 # as left in the compact layout
    window.close()
    again = open_window(qtbot, private_settings, SMALL)
    assert again.layouts.compact and not again.view.legend_collapsed()
    layout_choice(again, "Standard").trigger()
    assert again.view.legend_collapsed()


def visible_progress(window: MainWindow) -> list[LiveText]:
    return [w for w in window.findChildren(LiveText)
            if w.objectName() in ("training_progress", "status_progress") and w.isVisible()]


def test_the_training_progress_shows_whole_at_1024x600(qtbot, private_settings):  # noqa: F811
    window = open_window(qtbot, private_settings, SMALL)
    clock = window.training.clock
    clock.set_speed(None)
    clock.step_epoch(10000)
    while clock.is_running:
        clock.tick()
    qtbot.wait(10)
    shown = visible_progress(window)
    assert len(shown) == 1
    label = shown[0]
    assert label.text().startswith("Epoch 10000 · mean loss ") and "accuracy" in label.text()
    # Drawn whole (LiveText draws in its rectangle less 2 px each side), with no "…".
    assert label.shown_text(label.width() - 4) == label.text()
    assert label.toolTip().startswith(label.text())


def test_a_long_status_message_ends_in_an_ellipsis_with_the_whole_in_the_tooltip(
        qtbot, private_settings):  # noqa: F811
    window = open_window(qtbot, private_settings, SMALL)
    text = ("Training stopped after reaching the epoch limit you chose in the Settings: "
            "raise the limit to train on")
    window.post_message(text)
    bar = window.statusBar()
    assert bar.currentMessage() == text                   # the message itself is whole
    shown = bar.shown_message()
    assert shown.endswith("…") and text.startswith(shown[:-1])
    assert bar.fontMetrics().horizontalAdvance(shown) <= bar.message_rect().width()
    assert bar.toolTip() == text
    window.post_message("Saved")
    assert bar.shown_message() == "Saved" and bar.toolTip() == ""


def test_what_the_toolbar_cannot_show_is_in_its_extension_menu(qtbot, private_settings):  # noqa: F811
    window = open_window(qtbot, private_settings, SMALL)
    bar = window.training.bar
    extension = bar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension is not None and extension.isVisible()
    assert not bar.learning_rate.isVisible()
    qtbot.mouseClick(extension, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(bar.learning_rate.isVisible)
    assert bar.settings_button.isVisible()
    # A caption goes with its control: never "Speed" without the speed box.
    caption = bar.speed_combo.parentWidget()
    assert caption is not bar and caption.isVisible() == bar.speed_combo.isVisible()


@pytest.mark.parametrize("size", [SMALL, MEDIUM, LARGE])
def test_every_plot_tab_title_shows_whole(qtbot, private_settings, size):  # noqa: F811
    window = open_window(qtbot, private_settings, size)
    window.dock("Plots").raise_()
    tab_bar = window.panel("Plots").panel().tabs.tabBar()       # built when first shown
    qtbot.wait(10)
    right = max(tab_bar.tabRect(i).right() for i in range(tab_bar.count()))
    assert right <= tab_bar.width(), [tab_bar.tabText(i) for i in range(tab_bar.count())]
    assert tab_bar.tabToolTip(3).startswith("Gradient size: ")


def test_the_layout_waits_for_presentation_mode_to_end(qtbot, private_settings):  # noqa: F811
    window = open_window(qtbot, private_settings, SMALL)
    window.presentation.set_active(True)
    try:
        window.resize(*MEDIUM)
        qtbot.wait(20)
        assert window.layouts.compact          # presentation mode keeps its own arrangement
        assert {n for n in window.dock_names() if window.dock(n).isVisible()} == {"Steps"}
    finally:
        window.presentation.set_active(False)
    qtbot.waitUntil(lambda: not window.layouts.compact)   # then the width decides
    assert window.dockWidgetArea(window.dock("Inspector")) == BOTTOM
    layout_choice(window, "Compact").trigger()
    assert window.dockWidgetArea(window.dock("Inspector")) == LEFT
    assert tabbed_with(window, "Steps") == {"Plots", "Landscape", "Graph", "Decision map"}


def test_a_lesson_in_the_compact_layout_leaves_the_inspector_its_line(
        qtbot, private_settings):  # noqa: F811
    window = open_window(qtbot, private_settings, SMALL)
    inspector = window.dock("Inspector").height()
    window.lessons.show_welcome()
    qtbot.wait(20)
    lesson = window.dock("Lesson")
    assert not lesson.visibleRegion().isEmpty()
    # The lesson's resize for the standard layout (Lesson over Dataset) gave the tabs'
    # height to the Inspector below: 204 px of "Nothing selected".
    assert window.dock("Inspector").height() == inspector < 100


@pytest.mark.parametrize("size", [(1024, 600), (1280, 800)])
def test_every_panel_tab_title_shows_whole(qtbot, private_settings, size):  # noqa: F811
    """Five panels tabbed in the right column read "St…", "Pl…", "Gra…" at 1024×600: the
    window's tab bars show whole titles, with scroll arrows when they do not all fit."""
    from PySide6.QtWidgets import QTabBar

    window = open_window(qtbot, private_settings, size)
    # As narrow as a classroom laptop's right column gets (the column's width varies with
    # the fonts the machine has).
    window.resizeDocks([window.dock("Steps")], [300], Qt.Orientation.Horizontal)
    qtbot.wait(50)
    bars = [b for b in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if b.isVisible() and b.count() > 1]
    assert bars
    for bar in bars:
        # With Fusion's wider tabs (the app's style) the right column's five titles do not
        # fit in 1024 px: they must scroll, not shrink.
        assert bar.elideMode() == Qt.TextElideMode.ElideNone and bar.usesScrollButtons()
        for i in range(bar.count()):
            title = bar.tabText(i)
            assert bar.tabRect(i).width() >= bar.fontMetrics().horizontalAdvance(title), title


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_in_the_whole_window_the_learning_rate_stays_beside_its_label(
        qtbot, private_settings, size):  # noqa: F811
    """The caption and its control are one toolbar item; at 1920 px the toolbar's spare
    room went between them and "Learning rate" stood ~300 px from its slider."""
    from PySide6.QtWidgets import QLabel

    window = open_window(qtbot, private_settings, size)
    qtbot.wait(20)
    bar = window.training.bar
    control = bar.learning_rate
    label = next(w for w in bar.findChildren(QLabel) if w.text().strip() == "Learning rate")
    # Where the caption's words end, not its box (the box itself took the spare room).
    words_end = label.mapTo(window, label.rect().topLeft()).x() + label.fontMetrics().horizontalAdvance(
        label.text())
    gap = control.slider.mapTo(window, control.slider.rect().topLeft()).x() - words_end
    assert 0 <= gap <= 12
