"""The Lesson panel driven the way a student clicks: every bundled lesson walked from the
first page to the last (each page's setup checked, each question answered wrong once, then
right), with sockets forbidden; progress, teacher locks, broken files, plug-in panels."""

from __future__ import annotations

import socket

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget

from backprop_gui.engine.landscape_presets import PRESETS
from backprop_gui.engine.projectfile import load_project
from backprop_gui.engine.selection import Selection
from backprop_gui.lessons import Quantities, loads_lesson
from backprop_gui.lessons.catalog import bundled_lessons
from backprop_gui.lessons.model import Page
from backprop_gui.lessons.steps import find_step, parse_step_name
from backprop_gui.ui.window.main_window import MainWindow

LESSONS, PROBLEMS = bundled_lessons()


@pytest.fixture
def settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"a lesson tried to open a network connection {args!r}")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def make_window(qtbot, settings) -> MainWindow:
    window = MainWindow(settings=settings, remember_layout=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def finish_training(window: MainWindow) -> None:
    clock = window.training.clock
    while clock.is_running:
        clock.tick()
    runner = window.lessons.setup.compare_runner
    if runner is not None and runner.running:
        runner.run_to_end()


def assert_setup(window: MainWindow, page: Page, epochs_before: int) -> None:
    """What each of the page's actions set up is what the window shows (the last action of
    a kind wins: a page may move the step-through twice)."""
    s = window.session
    last = {a.kind: a.args for a in page.actions}
    if "open_project" in last:
        project = load_project(last["open_project"]["file"])
        assert s.network.sizes == project.network.sizes and s.path is None
        if "run_epochs" not in last:
            for mine, theirs in zip(s.network.weights, project.network.weights):
                np.testing.assert_array_equal(mine, theirs)
    if "select_sample" in last:
        assert s.selected_sample == last["select_sample"]["sample"] - 1
    if "show_step" in last:
        step = window.stepper.cursor.step
        assert (step.kind, step.layer) == parse_step_name(last["show_step"]["step"])
        if "scope" in last["show_step"]:
            assert window.stepper.cursor.scope == last["show_step"]["scope"]
    if "select" in last:
        assert s.selection == Selection.parse(last["select"]["item"])
    kinds = [a.kind for a in page.actions]
    if "highlight" in kinds and kinds.index("highlight") > max(
            (i for i, k in enumerate(kinds) if k in ("show_step", "clear_highlight")), default=-1):
        assert window.view.highlight().layer == last["highlight"]["layer"]
    if "colour_edges" in last:
        assert window.view.color_mode() == last["colour_edges"]["by"]
    for action in page.actions:
        if action.kind == "bring_to_front":
            assert window.dock(action.args["panel"]).isVisible()
        if action.kind == "show_panels":
            assert all(window.dock(p).isVisible() for p in action.args["panels"])
    if "bring_to_front" in last:
        dock = window.dock(last["bring_to_front"]["panel"])
        assert not dock.visibleRegion().isEmpty(), "the panel is not in front"
        if last["bring_to_front"]["panel"] == "Decision map":
            assert_decision_map(window)
    locks = window.lessons.locks
    for action in page.actions:
        if action.kind in ("lock_controls", "unlock_controls"):
            for name in action.args["controls"]:
                for control in locks.controls[name]:
                    assert control.isEnabled() == (name not in locks.locked)
    if "run_epochs" in last:
        trained_before = 0 if "open_project" in last else epochs_before   # a new project: 0
        assert window.training.clock.epoch == trained_before + last["run_epochs"]["epochs"]
    if "compare" in last:
        names = [run.name for run in s.runs.runs][-len(last["compare"]["optimizers"]):]
        assert names == [f"{o}, α = {s.training.learning_rate:g}" for o in
                         [{"batch": "Batch GD", "sgd": "SGD"}[o] for o in last["compare"]["optimizers"]]]
        assert all(run.history.epoch[-1] == last["compare"]["epochs"] for run in s.runs.runs)
    if "graph" in last:
        graph = window.panel("Graph")
        assert s.selection == Selection.parse(last["graph"]["parameter"])
        assert graph.chain_text() and graph.graph.rule.agrees()
    if "steps_tab" in last:
        tabs = window.stepper.tabs
        assert tabs.tabText(tabs.currentIndex()) == {
            "step": "This step", "explain": "Explain ∂L/∂w",
            "check": "Gradient check"}[last["steps_tab"]["tab"]]
        assert not window.dock("Steps").visibleRegion().isEmpty()
    if "landscape" in last:
        assert_landscape(window.panel("Landscape").panel(), last["landscape"])
    if "landscape_slice" in last:
        panel = window.panel("Landscape").panel()
        network = panel.network
        assert panel.tabs.currentWidget() is network
        assert network.parameters() == (Selection.parse(last["landscape_slice"]["a"]),
                                        Selection.parse(last["landscape_slice"]["b"]))
    # The lesson itself stays in view beside Steps and Plots.
    assert not window.dock("Lesson").visibleRegion().isEmpty()


def assert_decision_map(window: MainWindow) -> None:
    """The Decision map shows a map (not its note) of the network as it is now: shading, a
    boundary, and as many samples in their own class's region as the engine counts right."""
    panel = window.panel("Decision map")
    assert panel.has_map(), panel.note()
    assert not panel.canvas.grab().isNull()
    assert panel.canvas.region() is not None and not panel.canvas.region().isNull()
    s = window.session
    right = round(Quantities(s.project).value("accuracy * sample_count"))
    assert panel.canvas.summary() == \
        f"{right} of {s.dataset.n_samples} samples lie in their own class's region"


def assert_landscape(panel, args: dict) -> None:
    """The toy page shows the function, the start and the rate the action asked for, and
    has taken one step (run = "step") or is playing (run = "play")."""
    toy = panel.toy
    assert panel.tabs.currentWidget() is toy
    if "preset" in args:
        preset = next(p for p in PRESETS if p.name == args["preset"])
        args = {"function": preset.function, "start": preset.start,
                "learning_rate": preset.learning_rate, **args}
        assert toy.preset_combo.currentData() == preset.name
    if "function" in args:
        assert toy.function.name == args["function"]
    if "learning_rate" in args:
        assert toy.learning_rate() == args["learning_rate"]
    path = toy.path()
    if "start" in args:
        np.testing.assert_array_equal(path[0], args["start"])
    run = args.get("run")
    if run == "play":                        # it may have taken a step or two already
        assert toy.playing or len(path) > 1
    else:
        assert len(path) == (2 if run == "step" else 1) and not toy.playing
    if run == "step" and args.get("function") == "bowl" and args.get("start") == (1.0, 1.5):
        np.testing.assert_allclose(panel.current_point(), (0.8, 1.2), rtol=1e-15)


def answer(qtbot, window: MainWindow, text: str) -> str:
    view = window.lessons.panel.page
    question = window.lessons.run.page.question
    if question.is_choice:
        view.choice_group.button(int(text)).click()
    else:
        view.answer_field.clear()
        qtbot.keyClicks(view.answer_field, text)
    qtbot.mouseClick(view.check_button, Qt.MouseButton.LeftButton)
    return view.feedback.text()


def wrong_answer(question, expected: float) -> str:
    if question.is_choice:
        return str(1 if int(expected) != 1 else 2)
    return repr(expected + 10 * max(1.0, question.tolerance, abs(expected)))


def test_bundled_lessons_load() -> None:
    assert PROBLEMS == []
    assert [lesson.id for lesson in LESSONS] == ["chain", "landscape", "xor", "digits", "softmax",
                                                 "efficiency"]


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_walk_every_lesson_right_and_wrong(qtbot, settings, no_network, lesson) -> None:
    window = make_window(qtbot, settings)
    controller = window.lessons
    view = controller.panel.page
    qtbot.mouseClick(controller.panel.welcome.lesson_buttons[lesson.id], Qt.MouseButton.LeftButton)
    assert controller.run is not None and controller.run.lesson.id == lesson.id
    epochs = 0
    for index, page in enumerate(lesson.pages):
        assert controller.run.index == index
        assert view.progress.text() == f"Page {index + 1} of {len(lesson.pages)}"
        finish_training(window)
        assert_setup(window, page, epochs)
        assert "{{" not in view.text.toPlainText() and "cannot compute" not in view.text.toPlainText()
        question = page.question
        if question is not None:
            assert not view.next_button.isEnabled() if page.wait_for_answer else True
            expected = controller.expected()
            assert np.isfinite(expected)
            if question.is_choice:
                assert 1 <= expected <= len(question.choices)
            feedback = answer(qtbot, window, wrong_answer(question, expected))
            assert "Not quite." in feedback
            if question.hint:
                assert "A hint" in feedback
            feedback = answer(qtbot, window, repr(expected) if not question.is_choice
                              else str(int(expected)))
            assert feedback.startswith("<p><b>Right!</b></p>"), feedback
        if index < len(lesson.pages) - 1:
            assert view.next_button.isEnabled()
            epochs = window.training.clock.epoch
            qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    right, total = controller.run.score()
    # Wrong, then right: scored where a hint came first, not where the solution did.
    assert (right, total) == (sum(1 for p in lesson.pages if p.question and p.question.hint),
                              len(lesson.questions))
    assert view.next_button.text() == "Finish ✓"
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert controller.run is None and controller.panel.stack.currentWidget() is controller.panel.welcome
    assert not controller.locks.locked and all(
        c.isEnabled() for cs in controller.locks.controls.values() for c in cs
        if not isinstance(c, QWidget) or c.isVisible())


def test_softmax_lesson_first_backward_step_is_half_minus_half_zero(qtbot, settings) -> None:
    window = make_window(qtbot, settings)
    window.lessons.open_bundled("softmax", page=3)
    cursor = window.stepper.cursor
    i = find_step(cursor.steps, "dL/dz3")
    assert [s.phase for s in cursor.steps].index("backward") == i
    np.testing.assert_allclose(cursor.steps[i].result.ravel(), [0.5, -0.5, 0.0], atol=1e-15)
    assert Quantities(window.session.project).value("loss") == pytest.approx(np.log(2), abs=1e-15)


# tests/engine/test_xor_tutorial.py's reference: the NumPy tutorial's weights after 10,000
# updates, fed the four inputs.
XOR_TUTORIAL_OUTPUTS = [0.06367371, 0.94086271, 0.94109457, 0.06401166]


def xor_outputs(window: MainWindow) -> np.ndarray:
    q = Quantities(window.session.project)
    return np.array([q.value(f"sample_output[{n}]") for n in range(1, 5)])


def test_xor_lesson_reproduces_the_tutorial_and_ends_on_the_right_side_of_one_half(
        qtbot, settings) -> None:
    window = make_window(qtbot, settings)
    lesson = next(lesson for lesson in LESSONS if lesson.id == "xor")
    c = window.lessons
    c.open_bundled("xor", page=2)           # opening it trains the tutorial's 10,000 epochs
    finish_training(window)
    assert window.session.network.loss_name == "half_sse"
    assert window.training.clock.epoch == 10_000
    np.testing.assert_allclose(xor_outputs(window), XOR_TUTORIAL_OUTPUTS, rtol=0, atol=1e-6)
    # Without a hidden layer every output is ½ (to rounding): right for no more than half.
    c.open_bundled("xor", page=5)
    finish_training(window)
    assert window.session.network.sizes == [2, 1]
    np.testing.assert_allclose(xor_outputs(window), 0.5, rtol=0, atol=1e-6)
    # The last page: the mean squared error at α = 0.2 takes the tutorial's steps.
    c.open_bundled("xor", page=len(lesson.pages))
    finish_training(window)
    s = window.session
    assert (s.network.loss_name, s.training.learning_rate) == ("mse", 0.2)
    assert window.training.clock.epoch == 10_000
    outputs = xor_outputs(window)
    np.testing.assert_allclose(outputs, XOR_TUTORIAL_OUTPUTS, rtol=0, atol=1e-6)
    assert list(outputs >= 0.5) == [bool(y) for y in s.dataset.labels] == [False, True, True, False]
    # The page's numbers follow once training has ended (the text refreshes a few times a second).
    qtbot.waitUntil(lambda: "[0.0637, 0.9409, 0.9411, 0.0640]" in c.panel.page.text.toPlainText(),
                    timeout=2000)


def test_xor_lesson_decision_maps_show_a_band_then_one_straight_line(qtbot, settings) -> None:
    window = make_window(qtbot, settings)
    c = window.lessons
    c.open_bundled("xor", page=2)           # the tutorial's 10,000 epochs
    finish_training(window)
    c.apply_page(4)                         # "Two diagonal regions"
    assert c.run.page.title == "Two diagonal regions"
    panel = window.panel("Decision map")
    assert not window.dock("Decision map").visibleRegion().isEmpty()
    canvas = panel.canvas
    canvas.grab()
    # The band between two lines: the 1s' diagonal and its middle are "1", the corners "0".
    assert [canvas.predicted_class(*p) for p in [(0, 0), (0, 1), (1, 0), (1, 1), (0.5, 0.5),
                                                  (-0.2, -0.2), (1.2, 1.2)]] == [0, 1, 1, 0, 1, 0, 0]
    assert canvas.summary() == "4 of 4 samples lie in their own class's region"
    c.apply_page(6)                         # "One straight line": 2-1 after 100 epochs
    finish_training(window)
    assert c.run.page.title == "One straight line"
    net = window.session.network
    assert net.sizes == [2, 1] and window.training.clock.epoch == 100
    canvas.grab()
    pieces = canvas.boundary().reshape(-1, 2)
    assert len(pieces) > 10                 # one straight line, w·x + b = 0, across the square
    np.testing.assert_allclose(pieces @ net.weights[0][0] + net.biases[0][0], 0.0, atol=1e-6)
    assert [canvas.predicted_class(*x) for x in window.session.dataset.inputs] == [0, 1, 0, 1]
    assert canvas.summary() == "2 of 4 samples lie in their own class's region"


def test_the_next_project_replaces_the_lessons_training_but_asks_about_the_students_work(
        qtbot, settings) -> None:
    window = make_window(qtbot, settings)
    c = window.lessons
    asked = []
    c.setup.confirm_replace = lambda: asked.append(window.session.network.sizes) or False
    c.open_bundled("xor", page=2)             # trains the tutorial's project: the lesson's doing
    finish_training(window)
    assert window.session.modified
    c.apply_page(5)
    finish_training(window)
    assert asked == [] and window.session.network.sizes == [2, 1]
    # The student changes a weight: the next project to open asks first (and keeps it on "no").
    window.session.set_parameter(Selection.weight(1, 0, 0), 0.25)
    c.apply_page(8)
    assert asked == [[2, 1]] and window.session.network.sizes == [2, 1]
    assert window.session.network.weights[0][0, 0] == 0.25
    assert "your unsaved work is still open" in c.panel.page.notes.text()


def test_chain_lesson_shows_the_classic_numbers(qtbot, settings) -> None:
    """x = 1.5, y = 1, w¹ = 0.8, b¹ = 0.1, w² = −0.6, b² = 0.3: C = 0.294600,
    ∂C/∂w² = −0.211704, ∂C/∂w¹ = 0.040806 (the worked check of the chain-rule walkthrough)."""
    window = make_window(qtbot, settings)
    window.lessons.open_bundled("chain", page=5)
    q = Quantities(window.session.project)
    assert [round(q.value(e), 6) for e in ("loss", "grad W2[1,1]", "grad W1[1,1]")] == \
        [0.294600, -0.211704, 0.040806]
    text = window.lessons.panel.page.text.toPlainText()
    assert "∂C/∂w² = −0.211704" in text
    assert window.panel("Graph").chain_text()


def test_landscape_lesson_steps_from_1_1_5_to_0_8_1_2(qtbot, settings) -> None:
    window = make_window(qtbot, settings)
    window.lessons.open_bundled("landscape", page=2)
    panel = window.panel("Landscape").panel()
    np.testing.assert_allclose(panel.toy.path(), [[1.0, 1.5], [0.8, 1.2]], rtol=1e-15)
    assert "(2, 3)" in panel.toy.worked.toPlainText()


def test_progress_is_remembered_and_restart_forgets_it(qtbot, settings) -> None:
    window = make_window(qtbot, settings)
    c = window.lessons
    c.open_bundled("efficiency")
    c.next()
    answer(qtbot, window, "316")
    c.next()
    assert c.run.index == 2
    c.close_lesson()
    assert "3 of 6 pages seen" in [w.text() for w in c.panel.welcome.findChildren(type(c.panel.page.score_label))]
    other = make_window(qtbot, settings)
    other.lessons.open_bundled("efficiency")
    assert (other.lessons.run.index, other.lessons.run.score()) == (2, (1, 4))
    other.lessons.restart()
    assert (other.lessons.run.index, other.lessons.run.score(), other.lessons.run.seen) == (0, (0, 4), {0})


def test_next_waits_and_solution_frees_it(qtbot, settings) -> None:
    window = make_window(qtbot, settings)
    c = window.lessons
    c.open_bundled("digits", page=2)
    view = c.panel.page
    assert not view.next_button.isEnabled()
    answer(qtbot, window, "100")
    assert view.solution_button.isVisible() and not view.next_button.isEnabled()
    qtbot.mouseClick(view.solution_button, Qt.MouseButton.LeftButton)
    assert "Together 158 parameters" in view.feedback.text().replace("<b>", "").replace("</b>", "")
    assert view.next_button.isEnabled()


def test_a_locked_control_stays_locked_until_the_lesson_closes(qtbot, settings, tmp_path) -> None:
    (tmp_path / "lock.toml").write_text(
        'id = "lock"\ntitle = "Lock"\n[[page]]\ntitle = "T"\ntext = "x"\n'
        'actions = [{ do = "lock_controls", controls = ["learning_rate", "play"] },'
        ' { do = "hide_controls", controls = ["speed"] }]\n', encoding="utf-8")
    window = make_window(qtbot, settings)
    bar = window.training.bar
    assert window.lessons.open_file(tmp_path / "lock.toml")
    assert not bar.learning_rate.isEnabled() and not bar.play_action.isEnabled()
    bar.play_action.setEnabled(True)              # the owner re-enables it: the lock holds
    assert not bar.play_action.isEnabled()
    assert not bar.speed_combo.isVisible()
    window.lessons.close_lesson()
    assert bar.learning_rate.isEnabled() and bar.play_action.isEnabled() and bar.speed_combo.isVisible()


class FakeLandscape(QWidget):
    """Stands in for the Landscape panel until it lands: records the calls a lesson makes."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple] = []

    def __getattr__(self, name):
        if name in ("apply_preset", "show_function", "place_start", "set_learning_rate", "step", "play",
                    "pause", "reset", "show_network_slice", "show_parameter"):
            return lambda *args: self.calls.append((name, *args))
        raise AttributeError(name)


PLUGIN_LESSON = '''
id = "plug"
title = "Plug-ins"
[[page]]
title = "Landscape"
text = "Descend."
actions = [
  { do = "landscape", preset = "Diverging", function = "bowl", start = [1, 1.5], learning_rate = 0.1, run = "step" },
  { do = "landscape_slice", a = "W2[1,1]", b = "W2[1,2]" },
  { do = "graph", parameter = "W3[1,2]" },
  { do = "bring_to_front", panel = "Landscape" },
]
'''


def test_actions_reach_panels_plugged_in_by_dock_name(qtbot, settings, tmp_path) -> None:
    window = make_window(qtbot, settings)
    landscape, graph = FakeLandscape(), FakeLandscape()
    window.set_dock_widget("Landscape", landscape)
    window.set_dock_widget("Graph", graph)
    (tmp_path / "plug.toml").write_text(PLUGIN_LESSON, encoding="utf-8")
    assert window.lessons.open_file(tmp_path / "plug.toml")
    assert landscape.calls == [
        ("apply_preset", "Diverging"), ("show_function", "bowl"), ("place_start", 1.0, 1.5), ("set_learning_rate", 0.1),
        ("step",), ("show_network_slice", Selection.weight(2, 0, 0), Selection.weight(2, 0, 1))]
    assert graph.calls == [("show_parameter", Selection.weight(3, 0, 1))]
    assert window.dock("Landscape").isVisible()
    assert not window.lessons.panel.page.notes.isVisible()


def test_a_missing_plugin_panel_is_a_note_not_an_error(qtbot, settings, tmp_path,
                                                      monkeypatch) -> None:
    window = make_window(qtbot, settings)
    # A window of a version without the Landscape and Graph panels (this one has both).
    docks = window.dock_names()
    monkeypatch.setattr(window, "dock_names",
                        lambda: [n for n in docks if n not in ("Landscape", "Graph")])
    (tmp_path / "plug.toml").write_text(PLUGIN_LESSON, encoding="utf-8")
    assert window.lessons.open_file(tmp_path / "plug.toml")
    notes = window.lessons.panel.page.notes
    assert notes.isVisible()
    assert notes.text().splitlines() == [
        "This page uses the Landscape panel, which this version of Backprop GUI lacks.",
        "This page uses the Landscape panel, which this version of Backprop GUI lacks.",
        "This page uses the Graph panel, which this version of Backprop GUI lacks.",
        "This version of Backprop GUI has no Landscape panel."]


def test_a_broken_lesson_file_is_reported_and_the_open_lesson_stays(qtbot, settings, tmp_path) -> None:
    window = make_window(qtbot, settings)
    window.lessons.open_bundled("efficiency")
    (tmp_path / "bad.toml").write_text('id = "b"\ntitle = "B"\n[[page]]\ntitle = "T"\ntext = "x"\n'
                                       'actions = [{ do = "hilight", layer = 1 }]\n', encoding="utf-8")
    assert not window.lessons.open_file(tmp_path / "bad.toml")
    assert window.lessons.last_problem == ("Cannot open the lesson: bad.toml: page 1, action 1: do: "
                                           "unknown action 'hilight' (did you mean “highlight”?)")
    assert window.statusBar().currentMessage() == window.lessons.last_problem
    assert window.lessons.run.lesson.id == "efficiency"


def test_page_text_loads_nothing_but_its_own_pictures(qtbot, settings, tmp_path) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QColor, QImage, QTextDocument

    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    image.save(str(tmp_path / "pic.png"))
    secret = tmp_path / "secret.png"
    image.save(str(secret))
    lesson = loads_lesson('id = "p"\ntitle = "P"\n[[page]]\ntitle = "T"\n'
                          'text = "**Look** at x < 1."\nimages = ["pic.png"]\n', "p.toml", tmp_path)
    window = make_window(qtbot, settings)
    window.lessons.open_lesson(lesson)
    text = window.lessons.panel.page.text
    assert text.toPlainText().startswith("Look at x < 1.")
    kind = QTextDocument.ResourceType.ImageResource
    assert not text.loadResource(kind.value, QUrl("lesson-image:0")).isNull()
    assert text.loadResource(kind.value, QUrl.fromLocalFile(str(secret))) is None
    assert text.loadResource(kind.value, QUrl("http://example.com/x.png")) is None


def test_welcome_page_remembers_show_at_start_and_explore_hides_it(qtbot, settings) -> None:
    window = make_window(qtbot, settings)
    welcome = window.lessons.panel.welcome
    assert sorted(welcome.lesson_buttons) == ["chain", "digits", "efficiency", "landscape",
                                              "softmax", "xor"]
    assert welcome.show_at_start.isChecked()
    welcome.show_at_start.click()
    assert window.lessons.store.show_at_start() is False
    assert make_window(qtbot, settings).lessons.panel.welcome.show_at_start.isChecked() is False
    qtbot.mouseClick(welcome.explore_button, Qt.MouseButton.LeftButton)
    assert not window.dock("Lesson").isVisible()
    # One preference, also in Edit ▸ Preferences: the dialog's change is not undone by the
    # checkbox, nor the checkbox's by the dialog.
    from backprop_gui.ui.dialogs.preferences import Preferences, PreferencesDialog

    dialog = PreferencesDialog(window.preferences)
    assert not dialog.welcome.isChecked()
    dialog.welcome.setChecked(True)
    window.apply_preferences(dialog.values())
    assert window.lessons.store.show_at_start() and Preferences.load(settings).show_welcome
    window.lessons.show_welcome()
    assert welcome.show_at_start.isChecked()
    # (Not the theme: it is the application's, and would stay dark for the next tests.)
    window.apply_preferences(Preferences(toolbar_style="icon_only"))
    welcome.show_at_start.click()
    assert Preferences.load(settings) == Preferences(toolbar_style="icon_only", show_welcome=False)


def test_numbers_follow_training_without_losing_the_answer_being_typed(qtbot, settings) -> None:
    window = make_window(qtbot, settings)
    c = window.lessons
    c.open_bundled("digits", page=6)          # its text shows {{dataset_loss | 4}}
    view = c.panel.page
    before = view.text.toPlainText()
    qtbot.keyClicks(view.answer_field, "12")
    window.training.clock.step_epoch(5)
    finish_training(window)
    qtbot.waitUntil(lambda: view.text.toPlainText() != before, timeout=2000)
    assert f"For this network it is {Quantities(window.session.project).format('dataset_loss | 4')}." \
        in view.text.toPlainText()
    assert view.answer_field.text() == "12"


def test_every_setup_action_takes_effect(qtbot, settings, tmp_path) -> None:
    import shutil

    from backprop_gui.resources import resource_path

    shutil.copy(resource_path("lessons", "digits.bpnet"), tmp_path / "digits.bpnet")
    (tmp_path / "all.toml").write_text('''
id = "all"
title = "All"
[[page]]
title = "Everything"
text = "x"
actions = [
  { do = "open_project", file = "digits.bpnet" },
  { do = "select_sample", sample = 3 },
  { do = "show_step", step = "dL/dW2", scope = "batch" },
  { do = "select", item = "b2[3]" },
  { do = "highlight", layer = 2, neurons = [1, 3] },
  { do = "colour_edges", by = "gradients" },
  { do = "hide_panels", panels = ["Dataset"] },
  { do = "bring_to_front", panel = "Plots" },
  { do = "set_learning_rate", value = 0.05 },
  { do = "run_epochs", epochs = 3 },
]
''', encoding="utf-8")
    window = make_window(qtbot, settings)
    lesson = loads_lesson((tmp_path / "all.toml").read_text(encoding="utf-8"), "all.toml", tmp_path)
    window.lessons.open_lesson(lesson)
    finish_training(window)
    assert_setup(window, lesson.pages[0], 0)
    assert window.session.selected_sample == 2
    assert window.view.highlight().neurons == {2: [0, 2]}
    assert not window.dock("Dataset").isVisible()
    assert window.session.training.learning_rate == 0.05
    assert window.lessons.panel.page.notes.isHidden()


def test_a_glossary_link_in_a_lesson_opens_the_user_guide_at_its_term(qtbot, settings, tmp_path) -> None:
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    lesson = loads_lesson('id = "g"\ntitle = "G"\n[[page]]\ntitle = "T"\n'
                          'text = "One pass over the data is an [[epoch]]. Then the [[learning rate|step size]]."\n'
                          '[page.question]\nask = "What moves the [[gradient]]?"\nchoices = ["a", "b"]\n'
                          'correct = 1\n', "g.toml", tmp_path)
    window = make_window(qtbot, settings)
    window.lessons.open_lesson(lesson)
    text = window.lessons.panel.page.text
    assert text.toPlainText().startswith("One pass over the data is an epoch. Then the step size.")
    assert window.guide.dialog is None

    def click_word(word: str) -> None:
        found = text.document().find(word)
        assert not found.isNull()
        cursor = QTextCursor(found)
        cursor.setPosition(found.selectionStart() + 1)
        QTest.mouseClick(text.viewport(), Qt.MouseButton.LeftButton, pos=text.cursorRect(cursor).center())

    click_word("epoch")
    dialog = window.guide.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.browser.current_page() == "glossary.html"
    assert dialog.browser.source().fragment() == "glossary-epoch"
    click_word("step size")
    assert dialog.browser.source().fragment() == "glossary-learning-rate"
    # A link in the question works the same way.
    window.lessons.panel.page.ask.linkActivated.emit("glossary:gradient")
    assert dialog.browser.source().fragment() == "glossary-gradient"
    # Plain words are not links: clicking them opens nothing else.
    click_word("pass")
    assert dialog.browser.source().fragment() == "glossary-gradient"


def test_every_bundled_lesson_links_words_to_the_glossary_and_each_link_resolves() -> None:
    from backprop_gui.lessons.markup import glossary_links
    from backprop_gui.ui.guide.contents import Guide

    guide = Guide.load(has=lambda need: True)
    lessons, problems = bundled_lessons()
    assert not problems and len(lessons) == 6
    for lesson in lessons:
        terms = {t for page in lesson.pages for t in glossary_links(page.text)}
        assert len(terms) >= 5, f"{lesson.id} links only {sorted(terms)}"
        for term in terms:
            assert guide.resolve_stable(f"glossary-{term}") == ("glossary.html", f"glossary-{term}")


def test_a_long_choice_wraps_in_a_narrow_panel_and_a_click_on_its_words_chooses_it(
        qtbot, settings, tmp_path) -> None:
    from PySide6.QtTest import QTest

    long_choice = "Its answer changes across one straight line only, " * 4
    lesson = loads_lesson('id = "c"\ntitle = "C"\n[[page]]\ntitle = "T"\ntext = "Choose."\n'
                          '[page.question]\nask = "Why?"\n'
                          f'choices = ["Too few epochs.", "{long_choice.strip()}"]\n'
                          'correct = 2\n', "c.toml", tmp_path)
    window = make_window(qtbot, settings)
    window.lessons.open_lesson(lesson)
    page = window.lessons.panel.page
    dock = window.dock("Lesson")
    qtbot.waitUntil(lambda: page.isVisible())
    # The page fits the dock's width: Next stays in view, nothing scrolls sideways.
    from PySide6.QtWidgets import QScrollArea
    scroll = dock.findChild(QScrollArea)
    qtbot.wait(50)
    assert not scroll.horizontalScrollBar().isVisible()
    assert page.next_button.mapTo(scroll.viewport(), page.next_button.rect().bottomRight()).x() \
        <= scroll.viewport().width()
    words = page.choices_box.findChildren(type(page.ask))
    long_words = next(w for w in words if w.text() == long_choice.strip())
    assert long_words.height() >= 2 * long_words.fontMetrics().height()     # it wraps
    QTest.mouseClick(long_words, Qt.MouseButton.LeftButton)
    assert page.choice_group.checkedId() == 2
    assert page.choice_group.button(2).accessibleName() == long_choice.strip()
