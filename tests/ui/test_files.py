"""New, Open, Save, Save As, Open Recent and the unsaved-changes question, end to end."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from backprop_gui.engine.projectfile import load_project
from backprop_gui.ui.common.error_text import NOT_A_PROJECT
from backprop_gui.ui.window import file_controller
from backprop_gui.ui.window.file_controller import (
    CANCEL, MAX_RECENT, REPLACE, SAVE_AS, is_read_only, with_extension,
)
from backprop_gui.ui.window.main_window import MainWindow

Button = QMessageBox.StandardButton


@pytest.fixture(autouse=True)
def private_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def warnings(monkeypatch):
    """Every warning shown, as (title, text, detail), instead of a modal box: the text in
    plain words, the detail (technical: the field, the byte) collapsed under it."""
    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda parent, title, text, detail="", *a: shown.append((title, text, detail))))
    return shown


@pytest.fixture
def window(qtbot, session, private_settings, warnings):
    w = MainWindow(session, settings=private_settings)
    qtbot.addWidget(w)
    w.files._ask_save_changes = lambda: Button.Discard
    w.files._ask_replace_read_only = lambda path, offer_save_as: pytest.fail(
        f"asked about replacing {path}, which is not read-only")
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def edit_something(session) -> None:
    session.set_weight(0, 0, 0, 0.125)


def arrays(session) -> list[np.ndarray]:
    net, ds = session.network, session.dataset
    return [*net.weights, *net.biases, ds.inputs, ds.labels]


def save_as(window, path: Path) -> bool:
    window.files._ask_save_path = lambda suggested: str(path)
    return window.files.save_as()


def test_save_as_appends_the_extension_and_names_the_window(window, session, tmp_path):
    assert save_as(window, tmp_path / "lesson1")
    assert session.path == tmp_path / "lesson1.bpnet"
    assert (tmp_path / "lesson1.bpnet").is_file()
    assert window.windowTitle() == "lesson1.bpnet[*] — Backprop GUI"
    assert window.windowFilePath() == str(tmp_path / "lesson1.bpnet")
    assert window.status.file_label.text() == "Saved"
    assert with_extension("a.BPNET") == Path("a.BPNET")


def test_save_modify_reopen_gives_back_every_array_exactly(window, session, tmp_path):
    session.reinitialise(3, "xavier")
    stroke = session.begin_stroke()
    session.paint(0, {0: 0.3, 5: 0.7}, stroke)
    path = tmp_path / "round.bpnet"
    assert save_as(window, path)
    saved = [a.copy() for a in arrays(session)]
    edit_something(session)
    assert window.isWindowModified()
    assert window.status.file_label.text() == "Unsaved changes"
    assert window.files.open_path(path)  # Discard (the fixture's answer), then reopen
    for now, before in zip(arrays(session), saved):
        assert now.dtype == before.dtype and np.array_equal(now, before)
    assert session.training.seed == 3 and session.training.init == "xavier"
    assert not window.isWindowModified()
    assert session.undo_stack.count() == 0


@pytest.mark.parametrize("breakage, field", [
    ("not json at all {", ""),
    ("shape", "network.weights[0]"),
])
def test_a_broken_file_is_reported_and_the_project_stays(window, session, tmp_path, warnings,
                                                         breakage, field):
    good = tmp_path / "good.bpnet"
    assert save_as(window, good)
    edit_something(session)
    project, stack_count = session.project, session.undo_stack.count()
    weights = [W.copy() for W in session.network.weights]
    broken = tmp_path / "broken.bpnet"
    if breakage == "shape":
        data = json.loads(good.read_text())
        data["network"]["weights"][0] = data["network"]["weights"][0][:-1]  # one row short
        broken.write_text(json.dumps(data))
    else:
        broken.write_text(breakage)
    window.files._ask_open_path = lambda: str(broken)
    window.files._ask_save_changes = lambda: Button.Discard
    assert not window.files.open_dialog()
    assert len(warnings) == 1
    title, text, detail = warnings[0]
    assert text.startswith(NOT_A_PROJECT) and "has not changed" in text
    assert "broken.bpnet" in detail and field in detail
    assert session.project is project
    assert session.undo_stack.count() == stack_count
    assert all(np.array_equal(a, b) for a, b in zip(session.network.weights, weights))
    assert session.path == good
    assert window.isWindowModified()


@pytest.mark.parametrize("kind", ["pipe", "folder", "device"])
def test_open_refuses_what_is_not_a_regular_file_at_once(window, session, tmp_path, warnings,
                                                          no_hang, kind):
    if kind == "pipe":
        target = tmp_path / "shared.bpnet"
        os.mkfifo(target)
    elif kind == "folder":
        target = tmp_path / "folder.bpnet"
        target.mkdir()
    else:
        target = Path("/dev/zero")
    project = session.project
    window.files._ask_open_path = lambda: str(target)
    assert not window.files.open_dialog()
    [(title, text, detail)] = warnings
    assert title == "Could not open the project"
    assert text.startswith(f"“{target.name}” is not an ordinary file")
    assert f"“{target}” is not a regular file (it is a" in detail
    assert "MB" not in text + detail  # /dev/zero used to be "the file is 20.0 MB"
    assert session.project is project


def test_a_recent_entry_that_became_a_pipe_is_refused_and_kept(window, tmp_path, warnings,
                                                               no_hang):
    path = tmp_path / "lesson.bpnet"
    assert save_as(window, path)
    path.unlink()
    os.mkfifo(path)
    window.files.open_recent(str(path.resolve()))
    assert "is not a regular file (it is a named pipe)" in warnings[-1][2]


def test_cancel_keeps_the_window_open_and_discard_closes_it(qtbot, window, session):
    edit_something(session)
    asked = []
    window.files._ask_save_changes = lambda: asked.append(1) or Button.Cancel
    assert not window.close()
    assert window.isVisible() and asked
    window.files._ask_save_changes = lambda: Button.Discard
    assert window.close()
    assert not window.isVisible()


def test_save_in_the_question_saves_then_closes(window, session, tmp_path):
    path = tmp_path / "kept.bpnet"
    assert save_as(window, path)
    edit_something(session)
    window.files._ask_save_changes = lambda: Button.Save
    assert window.close()
    from backprop_gui.engine.projectfile import load_project

    assert load_project(path).network.weights[0][0, 0] == 0.125


def test_new_asks_first_and_cancel_keeps_the_project(window, session):
    edit_something(session)
    project = session.project
    window.files._ask_save_changes = lambda: Button.Cancel
    window.window_actions.new.trigger()
    assert session.project is project
    window.files._ask_save_changes = lambda: Button.Discard
    window.window_actions.new.trigger()
    assert session.project is not project
    assert session.network.weights[0][0, 0] != 0.125
    assert not window.isWindowModified()


def test_unmodified_project_never_asks(window, session):
    window.files._ask_save_changes = lambda: pytest.fail("asked although nothing changed")
    window.window_actions.new.trigger()
    assert window.close()


def test_open_recent_lists_saved_files_and_opens_them(window, session, tmp_path):
    a, b = tmp_path / "a.bpnet", tmp_path / "b.bpnet"
    assert save_as(window, a)
    session.reinitialise(7)
    assert save_as(window, b)
    menu = window.window_actions.recent_menu
    menu.aboutToShow.emit()
    entries = [act for act in menu.actions() if act.data()]
    assert [Path(act.data()).name for act in entries] == ["b.bpnet", "a.bpnet"]
    assert entries[0].text() == "&1 b.bpnet"
    entries[1].trigger()
    assert session.path.resolve() == a.resolve()
    assert session.training.seed == 0


def test_a_missing_recent_file_is_removed_with_a_message(window, tmp_path, warnings):
    gone = tmp_path / "gone.bpnet"
    assert save_as(window, gone)
    gone.unlink()
    menu = window.window_actions.recent_menu
    menu.aboutToShow.emit()
    [entry] = [act for act in menu.actions() if act.data()]
    entry.trigger()
    assert warnings and "gone.bpnet" in warnings[-1][1] and "removed" in warnings[-1][1]
    assert window.files.recent_files() == []


def test_recent_list_keeps_at_most_eight_and_can_be_cleared(window, tmp_path):
    for n in range(MAX_RECENT + 3):
        assert save_as(window, tmp_path / f"p{n}.bpnet")
    recent = window.files.recent_files()
    assert len(recent) == MAX_RECENT
    assert Path(recent[0]).name == f"p{MAX_RECENT + 2}.bpnet"
    menu = window.window_actions.recent_menu
    menu.aboutToShow.emit()
    clear = [act for act in menu.actions() if act.text() == "&Clear Menu"][0]
    clear.trigger()
    assert window.files.recent_files() == []


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def read_only_copy(path: Path, weight: float) -> bytes:
    """A project file at `path` whose first weight is `weight`, made read-only (mode 444)."""
    from backprop_gui.engine.projectfile import save_project
    from backprop_gui.session.session import default_project

    project = default_project()
    project.network.weights[0][0, 0] = weight
    save_project(project, path)
    os.chmod(path, 0o444)
    return path.read_bytes()


class Questions:
    """Stands in for the read-only question: records each one and gives the next answer."""

    def __init__(self, *answers: str) -> None:
        self.answers, self.asked = list(answers), []

    def __call__(self, path: Path, offer_save_as: bool) -> str:
        self.asked.append((Path(path), offer_save_as))
        return self.answers.pop(0)


def test_save_as_over_a_read_only_file_asks_and_a_yes_leaves_it_writable(window, session,
                                                                         tmp_path):
    target = tmp_path / "master.bpnet"
    before = read_only_copy(target, 0.75)
    assert is_read_only(target) and not is_read_only(tmp_path / "absent.bpnet")
    edit_something(session)
    messages: list[str] = []
    window.files.message_posted.connect(messages.append)

    window.files._ask_replace_read_only = ask = Questions(CANCEL)
    assert not save_as(window, tmp_path / "master")  # the extension is added before asking
    assert ask.asked == [(target, False)]
    assert target.read_bytes() == before and mode(target) == 0o444
    assert session.path is None and window.isWindowModified()
    assert messages[-1] == "Not saved: “master.bpnet” is read-only"

    window.files._ask_replace_read_only = ask = Questions(REPLACE)
    assert save_as(window, target)
    assert ask.asked == [(target, False)]
    assert load_project(target).network.weights[0][0, 0] == 0.125
    # Replaced on purpose, so it is the user's to edit now: the old mode plus the owner's write.
    assert mode(target) == 0o644 and not is_read_only(target)
    assert session.path == target and not window.isWindowModified()
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_ctrl_s_to_a_file_made_read_only_asks_and_never_saves_silently(qtbot, window, session,
                                                                       tmp_path):
    path = tmp_path / "lesson.bpnet"
    assert save_as(window, path)
    os.chmod(path, 0o444)
    before = path.read_bytes()
    edit_something(session)
    ctrl_s = window.window_actions.save.shortcut()
    assert ctrl_s.toString() == "Ctrl+S"

    window.files._ask_replace_read_only = ask = Questions(CANCEL)
    window.activateWindow()
    qtbot.keyClick(window.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert ask.asked == [(path, True)]  # Ctrl+S reached the question
    assert path.read_bytes() == before and window.isWindowModified()

    # Closing with "Save" asks too; cancelling that keeps the window and the changes.
    window.files._ask_save_changes = lambda: Button.Save
    window.files._ask_replace_read_only = ask = Questions(CANCEL)
    assert not window.close()
    assert ask.asked == [(path, True)] and window.isVisible() and window.isWindowModified()

    # "Save As…": saved under another name, the read-only file untouched.
    copy = tmp_path / "my lesson.bpnet"
    window.files._ask_replace_read_only = ask = Questions(SAVE_AS)
    window.files._ask_save_path = lambda suggested: str(copy)
    window.window_actions.save.trigger()
    assert path.read_bytes() == before and mode(path) == 0o444
    assert session.path == copy and not window.isWindowModified()
    assert load_project(copy).network.weights[0][0, 0] == 0.125

    # "Replace": back to the read-only file, which is then writable by its owner.
    assert window.files.open_path(path)
    edit_something(session)
    window.files._ask_replace_read_only = ask = Questions(REPLACE)
    window.window_actions.save.trigger()
    assert ask.asked == [(path, True)]
    assert load_project(path).network.weights[0][0, 0] == 0.125
    assert mode(path) == 0o644 and not window.isWindowModified()


def test_a_save_error_is_shown_not_raised(window, session, tmp_path, warnings):
    target = tmp_path / "no such folder" / "x.bpnet"
    assert not save_as(window, target)
    assert warnings and "x.bpnet" in warnings[-1][1] and "x.bpnet" in warnings[-1][2]
    assert session.path is None


def test_export_diagram_png_and_svg(window, tmp_path, warnings):
    acts = window.window_actions
    for fmt, action in (("png", acts.export_png), ("svg", acts.export_svg)):
        window.files.ask_export_path = lambda f, fmt=fmt: str(tmp_path / "diagram")
        action.trigger()                                # File ▸ Export Diagram as PNG / SVG
        out = tmp_path / f"diagram.{fmt}"
        assert out.is_file() and out.stat().st_size > 100, fmt
    assert warnings == []
    assert (tmp_path / "diagram.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (tmp_path / "diagram.svg").read_bytes()[:2000]


def test_offscreen_no_dialog_blocks_and_unsaved_changes_are_kept(qtbot, session, private_settings,
                                                                 capfd):
    """Tests, --screenshot and --self-test run offscreen, where no one can answer a dialog."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() != "offscreen":
        pytest.skip("about the offscreen platform")
    w = MainWindow(session, settings=private_settings)
    qtbot.addWidget(w)
    w.show()
    edit_something(session)
    assert not w.close()  # the real question is not shown: the changes are kept
    assert w.isVisible()
    assert "unsaved changes" in capfd.readouterr().err
    assert not w.files.open_path("/nonexistent/x.bpnet", ask=False)
    assert "could not be opened" in capfd.readouterr().err
    assert w.files._ask_replace_read_only(Path("/somewhere/master.bpnet"), True) == CANCEL
    assert "read-only" in capfd.readouterr().err
    assert w.run_dialog(object.__new__(type("D", (), {"deleteLater": lambda self: None}))) is None
    session.undo_stack.setClean()



def test_a_file_open_event_opens_the_project(window, session, qapp, tmp_path):
    """macOS sends a double-clicked .bpnet as a QFileOpenEvent, not as FILE."""
    from PySide6.QtGui import QFileOpenEvent

    from backprop_gui.ui.window.file_controller import FileOpenFilter

    session.load_builtin_dataset("xor")
    path = tmp_path / "xor.bpnet"
    session.save(path)
    session.new_project()
    opener = FileOpenFilter(window.files, qapp)
    try:
        qapp.sendEvent(qapp, QFileOpenEvent(str(path)))
    finally:
        qapp.removeEventFilter(opener)
    assert session.path == path
    assert session.dataset.name == "xor"


def test_the_save_dialog_adds_the_extension_itself_before_it_checks_for_a_file(window):
    # Qt asks before replacing a file only for the name it returns: the extension must be
    # added by the dialog (its default suffix), not after it, or "lesson" would overwrite
    # an existing "lesson.bpnet" unasked.
    dialog = window.files.save_dialog("Untitled.bpnet")
    assert dialog.defaultSuffix() == "bpnet"
    assert dialog.acceptMode() == dialog.AcceptMode.AcceptSave
    assert not dialog.testOption(dialog.Option.DontConfirmOverwrite)
    dialog.deleteLater()


def test_an_error_box_leads_with_plain_words_and_folds_the_detail_away(window, tmp_path,
                                                                       monkeypatch):
    """"the file is not UTF-8 text (byte 0xff at offset 22…)" was the whole message; now
    it is the detail under "Show Details…", below words a student understands."""
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "warning", file_controller._QT_WARNING)   # the real box
    monkeypatch.setattr(file_controller, "can_ask", lambda: True)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or Button.Ok)
    broken = tmp_path / "photo.bpnet"
    broken.write_bytes(b'{"format": "backprop-gui", \xff\xfe}')
    assert not window.files.open_path(broken, ask=False)
    [box] = shown
    assert box.windowTitle() == "Could not open the project"
    assert box.text() == (f"{NOT_A_PROJECT}\n\nThe project you had open has not changed.")
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.detailedText() == (f"“{broken}” could not be opened:\nthe file is not UTF-8 "
                                  f"text (byte 0xff at offset 27 cannot be decoded)")
    assert "0xff" not in box.text()
