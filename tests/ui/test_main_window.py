"""The main window, driven like a person: menus, shortcuts, panels, layout, status bar."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMessageBox, QToolBar

from backprop_gui.engine.network import Network
from backprop_gui.engine.selection import Selection
from backprop_gui.ui.window.main_window import DOCKS, MainWindow


@pytest.fixture(autouse=True)
def private_settings(tmp_path):
    """Every QSettings these tests make lives in tmp_path, never in the user's settings."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def make_window(qtbot, session, settings, monkeypatch=None) -> MainWindow:
    window = MainWindow(session, settings=settings)
    qtbot.addWidget(window)
    # Closing at teardown must never block on the unsaved-changes question.
    window.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, session, private_settings):
    return make_window(qtbot, session, private_settings)


def menu_action(window: MainWindow, menu: str, text: str):
    for action in window.menu(menu).actions():
        if action.text().replace("&", "").startswith(text):
            return action
    raise AssertionError(f"no {text!r} in {menu}: {[a.text() for a in window.menu(menu).actions()]}")


def test_menus_exist_with_standard_shortcuts(window):
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles[:4] == ["File", "Edit", "View", "Network"] and titles[-1] == "Help"
    expected = {
        ("File", "New"): QKeySequence.StandardKey.New,
        ("File", "Open…"): QKeySequence.StandardKey.Open,
        ("File", "Save"): QKeySequence.StandardKey.Save,
        ("Edit", "Undo"): QKeySequence.StandardKey.Undo,
        ("Edit", "Redo"): QKeySequence.StandardKey.Redo,
        ("View", "Zoom In"): QKeySequence.StandardKey.ZoomIn,
    }
    for (menu, text), key in expected.items():
        action = menu_action(window, menu, text)
        assert action.shortcut() == QKeySequence.keyBindings(key)[0], text
    assert menu_action(window, "File", "Quit").shortcut().toString() == "Ctrl+Q"
    for text in ("Save As…", "Export Diagram as PNG…", "Export Diagram as SVG…", "Open Recent"):
        menu_action(window, "File", text)
    for text in ("Add Hidden Layer", "Remove Hidden Layer", "Add a Neuron", "Remove a Neuron",
                 "Activation", "Loss", "Re-initialise Weights…"):
        menu_action(window, "Network", text)
    for text in ("Keyboard Shortcuts", "About Backprop GUI"):
        menu_action(window, "Help", text)


def test_every_action_has_a_tooltip(window):
    def walk(actions, strict):
        for action in actions:
            if action.isSeparator():
                continue
            if action.menu() is not None:
                action.menu().aboutToShow.emit()
                walk(action.menu().actions(), strict)
                continue
            text = action.text().replace("&", "")
            # Qt's default tooltip is the text itself: that is no tooltip.
            assert action.toolTip() and action.toolTip() != text, f"{text} has no tooltip"
            if strict:
                assert action.statusTip() or not action.isEnabled(), f"{text}: no status tip"

    for top in window.menuBar().actions():
        title = top.text().replace("&", "")
        window.menu(title).aboutToShow.emit()
        # Status tips are checked in the menus this window builds; the others' own tests
        # check theirs.
        walk(window.menu(title).actions(), title in ("File", "Edit", "View", "Network", "Help"))


def test_opens_with_the_default_network_ready(window, session):
    assert session.network.sizes == [16, 6, 6, 2]
    assert "16-6-6-2 · 3 layers · 158 parameters" == window.status.size_label.text()
    assert window.windowTitle() == "Untitled[*] — Backprop GUI"
    assert not window.isWindowModified()
    for name in DOCKS:
        assert window.dock(name).isVisible(), name


def test_undo_action_names_the_last_command_and_ctrl_z_undoes_it(qtbot, window, session):
    undo = window.window_actions.undo
    assert not undo.isEnabled()
    stroke = session.begin_stroke()
    session.paint(2, {3: 0.5, 5: 0.5}, stroke)
    assert undo.text().replace("&", "") == "Undo Paint sample 3"
    assert undo.isEnabled()
    assert window.isWindowModified()
    assert window.status.file_label.text() == "Unsaved changes"
    # Window shortcuts reach only the active window (matters on a real X server).
    window.activateWindow()
    qtbot.waitActive(window)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.undo_stack.count() == 1 and session.undo_stack.index() == 0
    assert window.window_actions.redo.text().replace("&", "") == "Redo Paint sample 3"
    assert not window.isWindowModified()


def test_undo_and_redo_say_what_they_did_in_the_status_bar(qtbot, window, session):
    """Before: the status bar kept "Set loss to Mean squared error" after that was undone."""
    window.activateWindow()
    qtbot.waitActive(window)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    menu_action(window, "Network", "Add Hidden Layer").trigger()
    assert window.statusBar().currentMessage() == "Add hidden layer 3"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.network.sizes == [16, 6, 6, 2]
    assert window.statusBar().currentMessage().startswith("Undone: Add hidden layer 3. Redo with")
    window.window_actions.redo.trigger()
    assert session.network.sizes == [16, 6, 6, 6, 2]
    assert window.statusBar().currentMessage() == "Redone: Add hidden layer 3"


def test_ctrl_equals_zooms_in_wherever_the_focus_is(qtbot, window):
    """Ctrl++ needs Shift on most keyboards; Ctrl+= is the key people press."""
    window.activateWindow()
    qtbot.waitActive(window)
    steps = window.stepper.step_list
    steps.setFocus()
    qtbot.waitUntil(steps.hasFocus)
    before = window.view.zoom_level()
    qtbot.keyClick(steps, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.view.zoom_level() > before * 1.1
    assert "Ctrl+=" in [k.toString() for k in window.window_actions.zoom_in.shortcuts()]


def test_tab_visits_controls_not_the_panels_scroll_areas(qtbot, window):
    from PySide6.QtWidgets import QApplication, QScrollArea

    window.activateWindow()
    qtbot.waitActive(window)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    visited = []
    for _ in range(30):
        focus = QApplication.focusWidget()
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda: QApplication.focusWidget() not in (None, focus))
        visited.append(QApplication.focusWidget())
    stops = [w.objectName() for w in visited if isinstance(w, QScrollArea)
             and w.objectName().startswith("scroll_")]
    assert stops == []
    names = [w.accessibleName() for w in visited]
    assert "Pixel editor" in names and "Built-in dataset" in names


def test_explain_from_the_inspector_opens_the_steps_explanation(qtbot, window, session):
    from backprop_gui.ui.stepper.panel import TAB_EXPLAIN

    window.dock("Plots").raise_()                 # Steps hidden behind its tab
    session.select(Selection.weight(2, 2, 4))
    qtbot.mouseClick(window.inspector.explain_button, Qt.MouseButton.LeftButton)
    assert window.stepper.isVisible()
    assert window.stepper.tabs.currentIndex() == TAB_EXPLAIN
    assert window.stepper.explain.target == Selection.weight(2, 2, 4)
    assert "W²[3,5]" in window.stepper.explain.text()


def test_alt_shift_arrows_in_the_diagram_select_weights_not_step_phases(qtbot, window, session):
    window.activateWindow()
    qtbot.waitActive(window)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    session.select(Selection.neuron(2, 0))
    index = window.stepper.cursor.index
    qtbot.keyClick(window.view, Qt.Key.Key_Left,
                   Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    assert session.selection == Selection.weight(2, 0, 0)     # W²[1,1], into neuron 1
    assert window.stepper.cursor.index == index
    assert "W²" in window.inspector.title.text()


def test_status_bar_follows_the_network(window, session):
    session.select(Selection.neuron(1, 0))
    menu_action(window, "Network", "Add a Neuron").trigger()
    assert session.network.sizes == [16, 7, 6, 2]
    assert window.status.size_label.text() == "16-7-6-2 · 3 layers · 181 parameters"
    session.undo_stack.undo()
    assert "158 parameters" in window.status.size_label.text()


def test_panels_close_and_come_back_from_the_view_menu(qtbot, window):
    dock = window.dock("Dataset")
    close_button = dock.findChild(object, "qt_dockwidget_closebutton")
    qtbot.mouseClick(close_button, Qt.MouseButton.LeftButton)
    assert not dock.isVisible()
    toggle = [a for a in window.window_actions.panels_menu.actions() if a.text() == "Dataset"]
    assert toggle and not toggle[0].isChecked()
    toggle[0].trigger()
    assert dock.isVisible()


def test_reset_layout_restores_the_default_arrangement(window):
    default_areas = {name: window.dockWidgetArea(window.dock(name)) for name in DOCKS}
    window.dock("Inspector").close()
    window.dock("Plots").setFloating(True)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, window.dock("Steps"))
    window.toolbar.hide()
    menu_action(window, "View", "Reset Layout").trigger()
    for name in DOCKS:
        dock = window.dock(name)
        assert dock.isVisible() and not dock.isFloating(), name
        assert window.dockWidgetArea(dock) == default_areas[name], name
    assert window.toolbar.isVisible()
    assert default_areas["Input"] == Qt.DockWidgetArea.LeftDockWidgetArea
    menu_action(window, "View", "Reset Layout").trigger()  # twice: still two toolbar rows
    bars = [bar for bar in window.findChildren(QToolBar) if bar.parent() is window]
    assert bars[1].geometry().top() >= bars[0].geometry().bottom()


def test_layout_is_remembered_between_runs(qtbot, session, private_settings):
    # The standard layout in both runs: the restored geometry is fitted to the test screen
    # (800 pixels wide), where Automatic would pick the compact layout (test_compact_layout.py).
    private_settings.setValue("layout/mode", "standard")
    first = make_window(qtbot, session, private_settings)
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first.dock("Plots"))
    first.dock("Dataset").close()
    first.close()
    assert private_settings.value("window/state") is not None
    from backprop_gui.session.session import Session

    second = make_window(qtbot, Session(), private_settings)
    assert second.dockWidgetArea(second.dock("Plots")) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert not second.dock("Dataset").isVisible()


def test_a_layout_saved_by_another_version_is_ignored(qtbot, session, private_settings):
    first = make_window(qtbot, session, private_settings)
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first.dock("Plots"))
    private_settings.setValue("window/state", first.saveState(999))
    private_settings.setValue("window/geometry", first.saveGeometry())
    first.remember_layout = False
    first.close()
    from backprop_gui.session.session import Session

    second = make_window(qtbot, Session(), private_settings)
    assert second.dockWidgetArea(second.dock("Plots")) == Qt.DockWidgetArea.RightDockWidgetArea


def test_activation_and_loss_menus_change_the_network(window, session):
    menu = window.network_menu.activation_menu
    layer1 = [a for a in menu.actions() if a.text().replace("&", "").startswith("Layer 1")][0]
    sigmoid = [a for a in layer1.menu().actions() if a.text() == "Sigmoid"][0]
    sigmoid.trigger()
    assert session.network.activation_names == ["sigmoid", "relu", "softmax"]
    assert session.undo_stack.undoText() == "Set layer 1 activation to Sigmoid"
    # The submenus were rebuilt and show the new state.
    layer1 = [a for a in menu.actions() if a.text().replace("&", "").startswith("Layer 1")][0]
    assert layer1.text().endswith("Sigmoid")
    softmax_in_hidden = [a for a in layer1.menu().actions() if a.text() == "Softmax"]
    assert softmax_in_hidden == []
    mse = [a for a in window.network_menu.loss_menu.actions() if a.data() == "mse"][0]
    mse.trigger()
    assert session.network.loss_name == "mse"
    assert mse.isChecked()


def test_add_and_remove_hidden_layers(window, session):
    menu_action(window, "Network", "Add Hidden Layer").trigger()
    assert session.network.sizes == [16, 6, 6, 6, 2]
    menu_action(window, "Network", "Remove Hidden Layer").trigger()
    menu_action(window, "Network", "Remove Hidden Layer").trigger()
    menu_action(window, "Network", "Remove Hidden Layer").trigger()
    assert session.network.sizes == [16, 2]
    remove = menu_action(window, "Network", "Remove Hidden Layer")
    assert not remove.isEnabled()


def test_neuron_commands_need_a_selected_layer(window, session):
    add = menu_action(window, "Network", "Add a Neuron")
    assert not add.isEnabled()
    session.select(Selection.weight(2, 0, 0))  # feeds layer 2
    assert add.isEnabled() and "Layer 2" in add.text()
    add.trigger()
    assert session.network.sizes == [16, 6, 7, 2]
    session.select(Selection.neuron(0, 3))  # the input layer is sized by the dataset
    assert not add.isEnabled()


def test_removing_a_needed_output_neuron_is_refused_in_the_status_bar(window, session):
    session.select(Selection.neuron(3, 0))
    menu_action(window, "Network", "Remove a Neuron").trigger()
    assert session.network.sizes == [16, 6, 6, 2]
    assert "at least two neurons" in window.statusBar().currentMessage()


def test_reinitialise_uses_the_chosen_seed_and_initialiser(window, session, monkeypatch):
    monkeypatch.setattr(window, "run_dialog", lambda dialog: (5, "xavier"))
    menu_action(window, "Network", "Re-initialise Weights…").trigger()
    expected = Network.build([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy",
                             seed=5, init="xavier")
    for W, E in zip(session.network.weights, expected.weights):
        assert np.array_equal(W, E)
    assert session.training.seed == 5 and session.training.init == "xavier"


def test_hooks_add_menus_docks_and_toolbars(window):
    train = window.menu("Train")
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles[-2:] == ["Train", "Help"]
    assert window.menu("Train") is train
    label = QLabel("stepper")
    dock = window.set_dock_widget("Steps", label)
    assert window.panel("Steps") is label and dock is window.dock("Steps")
    assert dock.widget().widget() is label  # inside a scroll area
    bar = QToolBar("Training")
    window.add_toolbar(bar)
    assert bar.objectName() == "toolbar_training"
    assert bar.toggleViewAction() in window.window_actions.toolbars_menu.actions()
    extra = window.set_dock_widget("Lesson", QLabel("lesson"))
    assert isinstance(extra, QDockWidget)
    assert extra.toggleViewAction() in window.window_actions.panels_menu.actions()


def sections_of(menu) -> list[list[str]]:
    """The menu's entries as the groups its separator lines make, without "&"."""
    groups: list[list[str]] = [[]]
    for action in menu.actions():
        if action.isSeparator():
            groups.append([])
        else:
            groups[-1].append(action.text().replace("&", ""))
    return groups


def test_menu_entries_go_at_the_end_of_their_named_section(window):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    from backprop_gui.ui.common.window_hooks import MENU_SECTIONS

    assert sections_of(window.menu("File"))[2] == [
        "Export Diagram as PNG…", "Export Diagram as SVG…", "Export Plots"]  # training's
    for menu, names in MENU_SECTIONS.items():
        before = sections_of(window.menu(menu))
        assert len(before) == len(names), menu
        for k, name in enumerate(names):
            window.add_menu_entries(menu, name, [QAction(f"new in {name}", window)])
            before[k].append(f"new in {name}")
        sub = QMenu("A Submenu", window)
        window.add_menu_entries(menu, names[0], [sub])
        before[0].append("A Submenu")
        assert sections_of(window.menu(menu)) == before, menu
    with pytest.raises(KeyError, match="open, save, export, quit"):
        window.add_menu_entries("File", "print", [QAction("Print", window)])


def test_a_toolbar_goes_on_a_row_of_its_own_and_its_messages_reach_the_status_bar(window):
    from PySide6.QtCore import Signal

    class Bar(QToolBar):
        message_posted = Signal(str)

    bar = Bar("Lesson Bar")
    bar.addAction("Next")
    window.add_toolbar(bar)
    bar.show()
    bars = [b for b in window.findChildren(QToolBar) if b.parent() is window]
    assert bars[-1] is bar and bar.geometry().top() >= bars[-2].geometry().bottom()
    bar.message_posted.emit("hello from a toolbar")
    assert window.statusBar().currentMessage() == "hello from a toolbar"


def test_after_first_paint_runs_soon_once_the_window_has_painted(window, qtbot):
    calls = []
    window.after_first_paint(lambda: calls.append("late"))
    assert calls == []                          # not from inside the caller
    qtbot.waitUntil(lambda: calls == ["late"])


def test_panel_messages_reach_the_status_bar(window):
    window.inspector.message_posted.emit("hello from a panel")
    assert window.statusBar().currentMessage() == "hello from a panel"


def test_colour_mode_actions_switch_the_diagram_and_follow_it(window):
    acts = window.window_actions
    assert window.view.color_mode() == "weights" and acts.color_weights.isChecked()
    acts.color_gradients.trigger()
    assert window.view.color_mode() == "gradients"
    assert acts.color_gradients.isChecked() and not acts.color_weights.isChecked()
    window.view.set_color_mode("weights")  # e.g. from the diagram's context menu
    assert acts.color_weights.isChecked()
    assert "weight" in window.statusBar().currentMessage()


def test_shortcuts_dialog_lists_the_menus_shortcuts(window):
    from backprop_gui.ui.dialogs.shortcuts import ShortcutsDialog, collect_shortcuts

    groups = dict(collect_shortcuts(window.menuBar()))
    assert ("Save", "Ctrl+S") in groups["File"]
    dialog = ShortcutsDialog(window.menuBar(), window)
    dialog.filter.setText("save as")
    visible = []
    for g in range(dialog.tree.topLevelItemCount()):
        group = dialog.tree.topLevelItem(g)
        visible += [group.child(c).text(0) for c in range(group.childCount())
                    if not group.child(c).isHidden()]
    assert visible == ["Save As"]
    # Keys the panels handle themselves are listed too, under the panel's name.
    dialog.filter.setText("PgDown")
    groups = [dialog.tree.topLevelItem(g) for g in range(dialog.tree.topLevelItemCount())]
    shown = [g.text(0) for g in groups if not g.isHidden()]
    assert shown == ["Network diagram (click it first)", "Input panel"]
    dialog.filter.setText("grey level")
    assert any("0 … 9" == g.child(c).text(1) for g in groups for c in range(g.childCount())
               if not g.child(c).isHidden())


def test_about_names_every_library_version():
    from backprop_gui.ui.dialogs.about import AboutDialog, version_info

    names = [name for name, _ in version_info()]
    for name in ("Backprop GUI", "Python", "Qt", "PySide6", "NumPy", "pyqtgraph"):
        assert name in names
    dialog = AboutDialog()
    assert dialog.versions.rowCount() == len(names)


def test_preferences_change_the_toolbar_and_are_saved(window, private_settings):
    from backprop_gui.ui.dialogs.preferences import Preferences

    light_icon = window.window_actions.new.icon().pixmap(24, 24).toImage()
    window.apply_preferences(Preferences(theme="dark", toolbar_style="icon_only", reopen_last=True))
    assert window.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    assert window.theme is not None and window.theme.dark
    # Icons are redrawn in the dark palette's light text colour.
    dark_icon = window.window_actions.new.icon().pixmap(24, 24).toImage()
    assert dark_icon != light_icon
    assert Preferences.load(private_settings).reopen_last
    window.apply_preferences(Preferences())
    assert not window.theme.dark


def test_step_and_train_menus_and_training_toolbar_are_installed(window):
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Network", "Step", "Train", "Help"]
    bars = [bar for bar in window.findChildren(QToolBar) if bar.parent() is window]
    assert len(bars) == 2 and all(bar.isVisible() for bar in bars)
    # Two rows: the main toolbar above the training toolbar.
    assert bars[1].geometry().top() >= bars[0].geometry().bottom()


def test_plots_come_forward_when_training_starts(qtbot, window):
    plots, steps = window.dock("Plots"), window.dock("Steps")
    assert plots in window.tabifiedDockWidgets(steps)     # (and the panels added later)
    assert not steps.visibleRegion().isEmpty() and plots.visibleRegion().isEmpty()
    clock = window.training.clock
    clock.play()
    try:
        qtbot.waitUntil(lambda: not plots.visibleRegion().isEmpty())
    finally:
        clock.pause()


def test_space_in_the_pixel_editor_toggles_a_pixel_and_does_not_start_training(window, session, qtbot):
    from PySide6.QtCore import Qt

    from backprop_gui.ui.editors.pixel_editor import PixelCanvas

    canvas = window.findChild(PixelCanvas)
    window.panel("Input").edit_button.click()
    window.activateWindow()
    canvas.setFocus()
    before = session.dataset.inputs[session.selected_sample][0]
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    assert session.dataset.inputs[session.selected_sample][0] == 1.0 - before
    assert not window.training.clock.is_running


def test_the_title_drops_its_star_when_an_edit_is_typed_back(qtbot, window, session):
    """Typing into one field is one merged undo entry: the stack does not move when the old
    value is typed back, but the project equals the saved one again, so the title says so."""
    from backprop_gui.ui.editors.inspector import edit_text

    session.select(Selection.weight(2, 2, 4))
    editor = window.inspector.editor
    old = edit_text(session.network.weights[1][2, 4])
    for text, modified in (("0.5", True), (repr(float(session.network.weights[1][2, 4])), False)):
        editor.setFocus()
        editor.selectAll()
        qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        assert window.isWindowModified() is modified, text
        assert window.status.file_label.text() == ("Unsaved changes" if modified else "Not saved yet")
    assert session.undo_stack.count() == 1 and editor.text() == old


def test_the_diagram_draws_for_speed_while_training_streams_and_exactly_after(window, session):
    clock = window.training.clock
    window.training.bar.full_speed_action.trigger()   # frames stream (10 epochs/s do not)
    clock.play()
    clock.tick()
    window.view.legend()                        # the recolour that follows the frame
    assert window.view.motion.in_motion        # aliased edges, numbers waiting their turn
    clock.pause()
    window.view.legend()
    assert not window.view.motion.in_motion
    undo = window.window_actions.undo           # and Undo names the run that just paused
    assert undo.text().replace("&", "") == f"Undo Train epochs 1–{clock.epoch}"


def test_on_first_start_the_right_arrow_steps(window, session, qtbot):
    """The README's "press →" on a fresh window (focus in the diagram) steps."""
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert window.stepper.cursor.index == 1 and session.selection is None


@pytest.mark.parametrize("size", [(1280, 800), (1024, 600)])
def test_every_colour_scale_shows_its_end_values_in_full(qtbot, session, private_settings, size):
    """At 1280x800 the Gradients scale read "+0.1" (its "2" past the panel's edge), at
    1024x600 the heat maps' colour bars showed no numbers; the diagram's legend cut a wide
    label such as "+6.12×10⁻⁵" at its edge."""
    import dataclasses

    from PySide6.QtCore import QPoint, QRectF
    from PySide6.QtGui import QFontMetricsF

    from backprop_gui.ui.diagram.foreground import LEGEND_INSET
    from backprop_gui.ui.diagram.legend import ColorBar, tick_label_boxes
    from backprop_gui.ui.plots.heatmaps import bar_ticks

    window = make_window(qtbot, session, private_settings)
    window.resize(*size)
    window.set_color_mode("gradients")
    window.training.clock.step_epoch()
    panel = window.training.panel()
    window.dock("Plots").raise_()
    for page in (panel.gradients, panel.weights):
        panel.tabs.setCurrentWidget(page)
        qtbot.waitUntil(lambda: page.graphics.width() <= page.scroll.viewport().width()
                        and all(i.bar.axis.geometry().width() > 0 for i in page._layers))
        assert not page.scroll.horizontalScrollBar().isVisible()
        visible = page.scroll.viewport().rect()
        for items in page._layers:
            axis = items.bar.axis
            width = axis.geometry().width()
            scene_box = axis.mapRectToScene(QRectF(0, 0, width, axis.geometry().height()))
            box = page.graphics.mapFromScene(scene_box).boundingRect()
            box.translate(page.graphics.mapTo(page.scroll.viewport(), QPoint(0, 0)))
            assert visible.contains(box), (page.kind, box, visible)
            font = axis.style["tickFont"] or axis.font()
            room = width - axis.style["tickTextOffset"][0] - max(0, axis.style["tickLength"])
            for _value, text in bar_ticks(items.limit)[0]:
                assert QFontMetricsF(font).horizontalAdvance(text) <= room, (text, room)
    # The diagram's legend as it is laid out at this size, with a late run's tiny gradients.
    spec = window.view.legend()
    spec.entries = [dataclasses.replace(e, low=-6.123e-5, high=6.123e-5)
                    if isinstance(e, ColorBar) else e for e in spec.entries]
    width = window.view.viewport().width() - LEGEND_INSET
    legend, labels = tick_label_boxes(spec, width)
    assert legend.width() <= width and any("10⁻" in text for text, _ in labels)
    for text, box in labels:
        assert legend.contains(box), (text, box, legend)
    for (a, box_a), (b, box_b) in zip(labels, labels[1:]):
        assert not box_a.intersects(box_b) or box_a.top() != box_b.top(), (a, b)
