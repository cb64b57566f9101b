"""Crash recovery at start-up: the Recover Unsaved Work dialog, driven like a person."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from backprop_gui.engine.projectfile import load_project, save_project
from backprop_gui.session.autosave import AutoSaver
from backprop_gui.session.recovery import SIDECAR_FORMAT, find_recoverable, recovery_folder
from backprop_gui.session.session import default_project
from backprop_gui.ui.dialogs.recovery import (
    RecoveryDialog, describe_time, install_autosave, offer_recovery,
)
from backprop_gui.ui.window.main_window import MainWindow


@pytest.fixture
def folder(qapp, tmp_path, monkeypatch):
    """QStandardPaths' test locations under a private home: nothing touches the real one."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    QStandardPaths.setTestModeEnabled(True)
    path = recovery_folder()
    shutil.rmtree(path, ignore_errors=True)
    yield path
    QStandardPaths.setTestModeEnabled(False)
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def window(qtbot, session, tmp_path, folder, monkeypatch):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: warnings.append((title, text))))
    w = MainWindow(session, settings=settings)
    w.warnings = warnings
    qtbot.addWidget(w)
    w.resize(1000, 700)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def saver(window):
    s = AutoSaver(window.session, parent=window)
    s.message_posted.connect(window.post_message)
    yield s
    s.shutdown()


def arrays(project) -> list[np.ndarray]:
    net, ds = project.network, project.dataset
    return [*net.weights, *net.biases, ds.inputs, ds.labels]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def crashed_copy(folder: Path, name: str, project, original: Path | None,
                 saved_at: str = "2024-06-03T10:12:00+00:00") -> Path:
    """What a run that crashed leaves behind: a copy and its sidecar; its process is gone."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.bpnet"
    save_project(project, path)
    (folder / f"{name}.json").write_text(json.dumps({
        "format": SIDECAR_FORMAT, "version": 1,
        "original_path": str(original) if original else None,
        "display_name": original.name if original else "Untitled",
        "saved_at": saved_at, "app_version": "0.1.0",
        "pid": dead_pid(), "host": "",
    }), encoding="utf-8")
    return path


def edited_project():
    project = default_project("xor")
    project.network.weights[0][1, 0] = 0.3125
    project.network.biases[1][0] = -0.0625
    project.dataset.inputs[2, 1] = 0.75
    project.history.append(1, 0.5, 0.75)
    project.selected_sample = 3
    return project


class Person:
    """Answers the dialog with the mouse or keyboard instead of a modal exec()."""

    def __init__(self, qtbot, action) -> None:
        self.qtbot, self.action, self.dialogs = qtbot, action, []

    def __call__(self, dialog: QDialog):
        self.qtbot.addWidget(dialog)
        dialog.show()
        self.qtbot.waitExposed(dialog)
        self.dialogs.append(dialog)
        self.action(dialog)
        assert not dialog.isVisible()
        return dialog.values() if dialog.result() == QDialog.DialogCode.Accepted else None


def click(qtbot, button_name: str):
    return lambda dialog: qtbot.mouseClick(getattr(dialog, button_name), Qt.MouseButton.LeftButton)


def texts(dialog: RecoveryDialog) -> list[list[str]]:
    tree = dialog.list
    return [[tree.topLevelItem(r).text(c) for c in range(3)] for r in range(tree.topLevelItemCount())]


def test_describe_time_says_today_yesterday_or_the_date():
    def at(*args: int) -> datetime:                          # local time, as the dialog shows
        return datetime(*args).astimezone()

    now = at(2024, 6, 3, 14, 3)
    assert describe_time(at(2024, 6, 3, 0, 0), now) == "today 00:00"
    assert describe_time(at(2024, 6, 3, 9, 15), now) == "today 09:15"
    assert describe_time(at(2024, 6, 2, 23, 59), now) == "yesterday 23:59"
    assert describe_time(at(2024, 6, 2, 0, 0), now) == "yesterday 00:00"
    june = f"{datetime(2024, 6, 1):%b}"                      # the month as this locale writes it
    assert describe_time(at(2024, 6, 1, 8, 0), now) == f"1 {june} 2024 08:00"
    assert describe_time(at(2023, 6, 3, 14, 3), now) == f"3 {june} 2023 14:03"


def test_recover_restores_the_exact_arrays_as_unsaved_work(window, saver, folder, tmp_path, qtbot):
    project = edited_project()
    original = tmp_path / "lesson.bpnet"
    old = crashed_copy(folder, "crashed", project, original)
    person = Person(qtbot, click(qtbot, "recover_button"))
    window.run_dialog = person
    assert offer_recovery(window, saver)
    [dialog] = person.dialogs
    saved_at = datetime.fromisoformat("2024-06-03T10:12:00+00:00")
    assert texts(dialog) == [["lesson.bpnet", str(original), describe_time(saved_at)]]
    session = window.session
    for now, then in zip(arrays(session.project), arrays(project)):
        assert np.array_equal(now, then)
    assert session.project.history.loss == [0.5]
    assert session.selected_sample == 3
    assert session.modified and session.path == original
    assert window.isWindowModified() and window.status.file_label.text() == "Unsaved changes"
    assert "Recovered" in window.statusBar().currentMessage()
    # The work now has this session's copy; the crashed run's copy is gone.
    assert not old.exists() and not old.with_suffix(".json").exists()
    assert saver.project_path.exists()
    for now, then in zip(arrays(load_project(saver.project_path)), arrays(project)):
        assert np.array_equal(now, then)
    # Save writes to the original file, and the recovery copy goes.
    assert window.files.save()
    assert not session.modified
    assert not saver.project_path.exists()
    for now, then in zip(arrays(load_project(original)), arrays(project)):
        assert np.array_equal(now, then)


def test_an_untitled_copy_recovers_as_untitled_and_save_asks_for_a_name(window, saver, folder,
                                                                        tmp_path, qtbot):
    crashed_copy(folder, "untitled", edited_project(), None)
    window.run_dialog = Person(qtbot, lambda d: qtbot.keyClick(d.list, Qt.Key.Key_Return))
    assert offer_recovery(window, saver)
    assert window.session.path is None and window.session.modified
    asked: list[str] = []
    window.files._ask_save_path = lambda suggested: asked.append(suggested) or str(tmp_path / "n")
    assert window.files.save()
    assert asked and window.session.path == tmp_path / "n.bpnet"


def test_discard_deletes_the_copy_and_keeps_the_open_project(window, saver, folder, qtbot):
    old = crashed_copy(folder, "crashed", edited_project(), None)
    before = [a.copy() for a in arrays(window.session.project)]
    person = Person(qtbot, click(qtbot, "discard_button"))
    window.run_dialog = person
    assert not offer_recovery(window, saver)
    assert not old.exists() and not old.with_suffix(".json").exists()
    assert not old.with_suffix(".lock").exists()
    assert not window.session.modified
    for now, then in zip(arrays(window.session.project), before):
        assert np.array_equal(now, then)
    assert window.statusBar().currentMessage() == "Discarded 1 autosaved copy"
    assert find_recoverable(folder).entries == []


def test_discard_asks_first_and_cancel_keeps_the_copy(window, saver, folder, qtbot):
    old = crashed_copy(folder, "crashed", edited_project(), None)

    def discard_then_change_mind(dialog: RecoveryDialog) -> None:
        asked: list[str] = []
        dialog._confirm_discard = lambda entry: asked.append(entry.display_name) or False
        qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
        assert asked == ["Untitled"] and dialog.isVisible()
        assert dialog.list.topLevelItemCount() == 1
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Later

    window.run_dialog = Person(qtbot, discard_then_change_mind)
    assert not offer_recovery(window, saver)
    assert old.exists()


def test_later_keeps_every_copy_for_the_next_start(window, saver, folder, qtbot):
    crashed_copy(folder, "one", edited_project(), None)
    crashed_copy(folder, "two", default_project("xor"), None)
    person = Person(qtbot, click(qtbot, "later_button"))
    window.run_dialog = person
    assert not offer_recovery(window, saver)
    assert len(texts(person.dialogs[0])) == 2
    assert not window.session.modified
    assert len(find_recoverable(folder).entries) == 2  # offered again, locks released


def test_the_newest_copy_is_listed_first_and_is_what_recover_opens(window, saver, folder, qtbot):
    older = default_project("xor")
    newer = edited_project()
    crashed_copy(folder, "a-older", older, Path("/lessons/older.bpnet"), "2024-06-03T09:00:00+00:00")
    crashed_copy(folder, "b-newer", newer, Path("/lessons/newer.bpnet"), "2024-06-03T11:30:00+00:00")
    crashed_copy(folder, "c-oldest", older, Path("/lessons/oldest.bpnet"), "2024-06-01T08:00:00+00:00")
    person = Person(qtbot, click(qtbot, "recover_button"))   # Recover on the row already chosen
    window.run_dialog = person
    assert offer_recovery(window, saver)
    assert [row[0] for row in texts(person.dialogs[0])] == ["newer.bpnet", "older.bpnet",
                                                            "oldest.bpnet"]
    assert window.session.path == Path("/lessons/newer.bpnet")
    assert np.array_equal(window.session.network.weights[0], newer.network.weights[0])


def test_of_two_copies_the_one_chosen_is_recovered_and_the_other_kept(window, saver, folder,
                                                                     qtbot):
    first = crashed_copy(folder, "first", default_project("xor"), None)
    wanted = edited_project()
    crashed_copy(folder, "second", wanted, Path("/somewhere/else.bpnet"))

    def choose_second(dialog: RecoveryDialog) -> None:
        rows = texts(dialog)
        row = [r[0] for r in rows].index("else.bpnet")
        item = dialog.list.topLevelItem(row)
        rect = dialog.list.visualItemRect(item)
        qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    window.run_dialog = Person(qtbot, choose_second)
    assert offer_recovery(window, saver)
    assert np.array_equal(window.session.network.weights[0], wanted.network.weights[0])
    assert first.exists()
    assert [e.id for e in find_recoverable(folder, exclude=[saver.id]).entries] == ["first"]


def test_a_corrupt_copy_is_reported_without_a_dialog_and_moved_aside(window, saver, folder):
    path = crashed_copy(folder, "corrupt", edited_project(), None)
    path.write_bytes(b"\x00\xff not a project")
    window.run_dialog = lambda dialog: pytest.fail("no dialog for nothing to recover")
    assert not offer_recovery(window, saver)
    message = window.statusBar().currentMessage()
    assert "could not be read" in message and "broken" in message
    assert (folder / "broken" / "corrupt.bpnet").exists()
    assert not window.session.modified


def test_a_corrupt_copy_beside_a_good_one_is_named_in_the_dialog(window, saver, folder, qtbot):
    crashed_copy(folder, "good", edited_project(), None)
    bad = crashed_copy(folder, "bad", edited_project(), Path("/x/bad.bpnet"))
    bad.write_text("{}")
    person = Person(qtbot, click(qtbot, "later_button"))
    window.run_dialog = person
    offer_recovery(window, saver)
    dialog = person.dialogs[0]
    assert texts(dialog)[0][0] == "Untitled"
    assert dialog.problems.isVisibleTo(dialog)
    assert "bad.bpnet" in dialog.problems.text() and "moved to" in dialog.problems.text()


def test_with_no_display_to_ask_on_every_copy_is_kept(window, saver, folder):
    old = crashed_copy(folder, "crashed", edited_project(), None)
    assert not offer_recovery(window, saver)  # offscreen: run_dialog cannot ask
    assert old.exists()
    assert len(find_recoverable(folder).entries) == 1


def test_install_autosave_writes_while_modified_and_posts_its_problems(window, folder):
    autosaver = install_autosave(window, interval_s=30)
    assert autosaver.timer.interval() == 30_000
    window.session.set_weight(0, 0, 0, 0.125)
    assert autosaver.autosave_if_needed()
    assert autosaver.project_path.exists()
    autosaver.shutdown()
    assert not autosaver.project_path.exists()


def test_every_control_has_a_tooltip(qtbot, folder):
    dialog = RecoveryDialog([], ["problem"], folder / "broken")
    qtbot.addWidget(dialog)
    for widget in (dialog.list, dialog.recover_button, dialog.discard_button,
                   dialog.later_button, dialog.problems):
        assert widget.toolTip()
    assert not dialog.recover_button.isEnabled()
