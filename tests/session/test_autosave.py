"""Autosave: a recovery copy while there are unsaved changes, gone once they are saved or
dropped; at start-up, copies whose instance no longer runs are found, broken ones moved aside."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QStandardPaths

from backprop_gui import __version__
from backprop_gui.engine.projectfile import dumps_project, load_project, loads_project, save_project
from backprop_gui.session import autosave, owner_lock
from backprop_gui.session.autosave import AutoSaver
from backprop_gui.session.recovery import (
    SIDECAR_FORMAT, discard_entry, find_recoverable, recovery_folder, release_entry,
)
from backprop_gui.session.session import Session, default_project

WAIT_S = 30  # a worker blocked longer than this means the test itself is broken


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
def saver(session, folder):
    s = AutoSaver(session)
    yield s
    s.shutdown()


def project_arrays(project) -> list[np.ndarray]:
    net, ds = project.network, project.dataset
    return [*net.weights, *net.biases, ds.inputs, ds.labels]


def same_project(a, b) -> bool:
    return (all(np.array_equal(x, y) for x, y in zip(project_arrays(a), project_arrays(b)))
            and a.network.sizes == b.network.sizes
            and a.network.activation_names == b.network.activation_names
            and asdict(a.training) == asdict(b.training)
            and all(np.array_equal(np.asarray(x, float), np.asarray(y, float), equal_nan=True)
                    for x, y in zip(asdict(a.history).values(), asdict(b.history).values()))
            and a.selected_sample == b.selected_sample)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def crashed_copy(folder: Path, name: str = "crashed", project=None, original: str | None = None,
                 pid: int | None = None, saved_at: str = "2024-06-03T10:12:00+00:00") -> Path:
    """What a run that crashed leaves behind: a copy and its sidecar, no lock held."""
    folder.mkdir(parents=True, exist_ok=True)
    project = project or default_project("xor")
    path = folder / f"{name}.bpnet"
    save_project(project, path)
    (folder / f"{name}.json").write_text(json.dumps({
        "format": SIDECAR_FORMAT, "version": 1, "original_path": original,
        "display_name": Path(original).name if original else "Untitled",
        "saved_at": saved_at, "app_version": "0.0.9",
        "pid": dead_pid() if pid is None else pid, "host": "",
    }), encoding="utf-8")
    return path


def test_the_folder_is_the_app_data_location(folder, tmp_path):
    assert folder.name == "recovery"
    assert str(folder).startswith(str(tmp_path / "home"))
    assert AutoSaver(Session()).folder == folder


def test_nothing_is_written_while_the_project_is_unchanged(session, saver):
    assert saver.timer.isActive()
    assert saver.timer.interval() == 60_000
    assert not saver.autosave_if_needed()
    assert not saver.project_path.exists()
    assert not saver.folder.exists() or not any(saver.folder.iterdir())


def test_a_change_is_written_at_the_next_tick_and_only_once(session, saver):
    session.set_weight(0, 0, 0, 0.125)
    assert saver.pending
    with_signal = []
    saver.autosaved.connect(with_signal.append)
    assert saver.autosave_if_needed()
    assert with_signal == [saver.project_path]
    assert same_project(load_project(saver.project_path), session.project)
    meta = json.loads(saver.sidecar_path.read_text(encoding="utf-8"))
    assert meta["format"] == SIDECAR_FORMAT
    assert meta["original_path"] is None
    assert meta["display_name"] == "Untitled"
    assert meta["pid"] == os.getpid()
    assert meta["app_version"] == __version__
    assert "T" in meta["saved_at"]
    # Nothing new since: the next tick writes nothing.
    mtime = saver.project_path.stat().st_mtime_ns
    assert not saver.autosave_if_needed()
    assert saver.project_path.stat().st_mtime_ns == mtime
    session.set_bias(1, 2, -0.5)
    assert saver.autosave_if_needed()
    assert load_project(saver.project_path).network.biases[1][2] == -0.5


def test_the_copy_round_trips_every_array_and_setting(session, saver):
    session.load_builtin_dataset("spiral")
    session.reinitialise(7, "xavier")
    session.project.history.append(1, 0.75, 0.5)
    session.select_sample(5)
    session.add_sample(np.array([0.25, -1.5]), label=1)
    assert saver.autosave_if_needed()
    assert same_project(load_project(saver.project_path), session.project)


def test_training_in_place_is_noticed(session, saver):
    session.set_weight(0, 0, 0, 0.125)
    assert saver.autosave_if_needed()
    # A training slice changes the weights without a new undo entry.
    session.network.weights[1] *= 0.5
    session.parameters_updated_in_place()
    assert saver.autosave_if_needed()
    assert np.array_equal(load_project(saver.project_path).network.weights[1],
                          session.network.weights[1])


def test_repeated_copies_write_the_dataset_once_while_it_is_unchanged(session, saver, monkeypatch):
    # Autosave runs every minute while training changes the network; the dataset (12 MB
    # of numbers for 2,000 28x28 images) is written out again only when it changed.
    from backprop_gui.engine import project_writer
    written = []
    real = project_writer._dataset_dict
    monkeypatch.setattr(project_writer, "_dataset_dict", lambda ds: written.append(ds) or real(ds))
    for k in range(3):
        session.set_weight(0, 0, 0, k / 8)
        assert saver.autosave_if_needed()
        assert same_project(load_project(saver.project_path), session.project)
    assert len(written) == 1
    session.add_sample(session.dataset.inputs[0].copy(), label=0)
    assert saver.autosave_if_needed()
    assert same_project(load_project(saver.project_path), session.project)
    assert len(written) == 2


def test_the_copy_goes_when_saved_undone_replaced_or_closed(session, saver, tmp_path):
    session.set_weight(0, 0, 0, 0.125)
    assert saver.autosave_if_needed()
    session.save(tmp_path / "work.bpnet")
    assert not saver.project_path.exists() and not saver.sidecar_path.exists()
    assert not saver.autosave_if_needed()

    session.set_weight(0, 0, 0, 0.25)
    assert saver.autosave_if_needed()
    meta = json.loads(saver.sidecar_path.read_text(encoding="utf-8"))
    assert meta["original_path"] == str((tmp_path / "work.bpnet").resolve())
    assert meta["display_name"] == "work.bpnet"
    session.undo_stack.undo()  # back to what is on disk
    assert not saver.project_path.exists()

    session.undo_stack.redo()
    assert saver.autosave_if_needed()
    session.new_project()
    assert not saver.project_path.exists()

    session.set_weight(0, 0, 0, 0.5)
    assert saver.autosave_if_needed()
    assert saver.lock_path.exists()
    saver.shutdown()
    assert not any(saver.folder.iterdir())
    session.set_weight(0, 0, 0, 0.75)
    assert not saver.autosave_if_needed()


def test_a_failing_write_posts_one_message_and_never_raises(session, folder):
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("a file where the folder should be")
    saver = AutoSaver(session)
    messages: list[str] = []
    saver.message_posted.connect(messages.append)
    session.set_weight(0, 0, 0, 0.125)
    assert not saver.autosave_if_needed()
    assert not saver.autosave_if_needed()
    assert len(messages) == 1 and messages[0].startswith("Autosave failed")
    assert saver.pending  # tried again at the next tick
    folder.unlink()
    assert saver.autosave_if_needed()
    assert messages[-1] == "Autosave works again"
    saver.shutdown()


def test_a_stale_copy_is_found_with_its_details(folder, tmp_path):
    project = default_project("xor")
    project.network.weights[0][0, 0] = 0.3125
    crashed_copy(folder, project=project, original=str(tmp_path / "xor.bpnet"))
    scan = find_recoverable(folder)
    assert scan.problems == []
    [entry] = scan.entries
    assert entry.display_name == "xor.bpnet"
    assert entry.original_path == tmp_path / "xor.bpnet"
    assert entry.app_version == "0.0.9"
    assert entry.saved_at.utcoffset() is not None
    assert same_project(load_project(entry.project_path), project)
    # Listed by this instance: a second look (another instance) does not offer it again.
    assert find_recoverable(folder).entries == []
    release_entry(entry)
    assert len(find_recoverable(folder).entries) == 1


def test_copies_are_listed_newest_first(folder):
    # Names sort the other way round from the times, and one time is in another zone: the
    # order must come from the moment each copy was saved, not from names or clock text.
    crashed_copy(folder, name="a-oldest", saved_at="2024-06-01T09:00:00+00:00")
    crashed_copy(folder, name="b-newest", saved_at="2024-06-03T10:12:00+02:00")   # 08:12 UTC
    crashed_copy(folder, name="c-middle", saved_at="2024-06-02T23:30:00-05:00")   # 3rd 04:30 UTC
    crashed_copy(folder, name="d-no-time")
    (folder / "d-no-time.json").write_text("{}")    # no sidecar time: the file's own, i.e. now
    entries = find_recoverable(folder).entries
    assert [e.id for e in entries] == ["d-no-time", "b-newest", "c-middle", "a-oldest"]
    times = [e.saved_at for e in entries]
    assert times == sorted(times, reverse=True)


def test_a_running_instances_copy_is_not_offered(folder):
    other = Session()
    running = AutoSaver(other)
    other.set_weight(0, 0, 0, 0.125)
    assert running.autosave_if_needed()
    assert find_recoverable(folder).entries == []
    running.shutdown()


def test_a_copy_without_a_sidecar_is_still_offered(folder):
    path = crashed_copy(folder)
    path.with_suffix(".json").write_text("{not json")
    [entry] = find_recoverable(folder).entries
    assert entry.display_name == "Untitled" and entry.original_path is None
    discard_entry(entry)
    assert not any(folder.iterdir())


def test_a_broken_copy_is_moved_aside_and_reported(folder):
    path = crashed_copy(folder, name="broken-one")
    path.write_text('{"format": "backprop-gui-project", "version": 1, "network": ')
    scan = find_recoverable(folder)
    assert scan.entries == []
    [problem] = scan.problems
    assert "could not be read" in problem and "Untitled" in problem
    assert scan.broken_folder == folder / "broken"
    assert (folder / "broken" / "broken-one.bpnet").exists()
    assert not path.exists() and not path.with_suffix(".lock").exists()
    assert find_recoverable(folder).problems == []  # reported once


def test_leftovers_without_a_copy_are_tidied(folder):
    folder.mkdir(parents=True)
    (folder / "gone.json").write_text("{}")
    (folder / "gone2.lock").write_text("")
    assert find_recoverable(folder).entries == []
    assert not any(folder.iterdir())


def test_without_file_locks_the_process_id_decides(folder, monkeypatch):
    def no_locks(_f):
        raise OSError("locking not supported")

    monkeypatch.setattr(owner_lock, "_try_lock", no_locks)
    crashed_copy(folder, name="dead")
    crashed_copy(folder, name="alive", pid=os.getpid())
    assert [e.id for e in find_recoverable(folder).entries] == ["dead"]


def test_open_recovered_is_unsaved_work_that_saves_to_the_original(session, folder, tmp_path):
    project = default_project("xor")
    project.network.biases[0][1] = -0.375
    path = crashed_copy(folder, project=project)
    original = tmp_path / "mine.bpnet"
    states: list[bool] = []
    session.file_state_changed.connect(lambda: states.append(session.modified))
    session.open_recovered(path, original)
    assert same_project(session.project, project)
    assert session.modified and states[-1] is True
    assert session.path == original and session.display_name == "mine.bpnet"
    session.set_weight(0, 0, 0, 0.5)
    session.undo_stack.undo()
    assert session.modified  # undo cannot make a recovered project "saved"
    session.save()
    assert not session.modified
    assert same_project(load_project(original), project)


def test_open_recovered_of_a_broken_copy_changes_nothing(session, tmp_path):
    from backprop_gui.engine.projectfile import ProjectFileError

    bad = tmp_path / "bad.bpnet"
    bad.write_text("[]")
    before = [a.copy() for a in project_arrays(session.project)]
    with pytest.raises(ProjectFileError):
        session.open_recovered(bad, None)
    assert not session.modified
    assert all(np.array_equal(a, b) for a, b in zip(project_arrays(session.project), before))


def test_pipes_planted_in_the_recovery_folder_never_block_the_scan(folder, no_hang):
    # A shared home folder can hold anything: a named pipe as a copy or as a sidecar must
    # not stop the next start-up (a plain open() would wait for a writer forever).
    good = crashed_copy(folder, name="good")
    good.with_suffix(".json").unlink()
    os.mkfifo(good.with_suffix(".json"))
    os.mkfifo(folder / "pipe.bpnet")
    scan = find_recoverable(folder)
    [entry] = scan.entries
    assert entry.id == "good" and entry.display_name == "Untitled"
    [problem] = scan.problems
    assert "is not a regular file (it is a named pipe)" in problem
    release_entry(entry)


# ----- the copy is written by a worker thread ----------------------------------------------------

class Gate:
    """Stands in for save_project: the worker thread stops inside it until `release`, so a
    test can act while a copy is being written. Records the threads it ran on."""

    def __init__(self, monkeypatch, fail: Exception | None = None) -> None:
        self.entered, self.release, self.finished = (threading.Event(), threading.Event(),
                                                     threading.Event())
        self.threads: list[int] = []
        self.fail = fail
        self.real = save_project
        monkeypatch.setattr(autosave, "save_project", self)

    def __call__(self, project, path, dataset_text=None) -> None:
        self.threads.append(threading.get_ident())
        self.entered.set()
        assert self.release.wait(WAIT_S)
        try:
            if self.fail is not None:
                raise self.fail
            self.real(project, path, dataset_text)
        finally:
            self.finished.set()

    def wait_entered(self) -> None:
        assert self.entered.wait(WAIT_S)


def test_the_project_is_serialised_off_the_gui_thread(session, saver, monkeypatch, qtbot):
    from backprop_gui.engine import project_writer

    serialised_on: list[int] = []
    real = project_writer.project_to_dict
    monkeypatch.setattr(project_writer, "project_to_dict",
                        lambda *a: serialised_on.append(threading.get_ident()) or real(*a))
    gate = Gate(monkeypatch)
    session.set_weight(0, 0, 0, 0.125)
    # The timer's slot returns while the worker is still inside the write.
    assert saver.begin_autosave()
    gate.wait_entered()
    assert saver.writing and not gate.finished.is_set()
    assert not saver.project_path.exists()
    with qtbot.waitSignal(saver.autosaved, timeout=WAIT_S * 1000) as done:
        gate.release.set()
    assert done.args == [saver.project_path] and not saver.writing
    main = threading.main_thread().ident
    assert len(serialised_on) == 1 and serialised_on[0] != main
    assert gate.threads == serialised_on
    assert same_project(load_project(saver.project_path), session.project)
    assert [p.name for p in saver.folder.iterdir() if p.name.startswith(".")] == []


def test_the_copy_is_the_project_as_it_was_when_the_write_began(session, saver, monkeypatch):
    session.set_weight(0, 0, 0, 0.125)
    at_tick = loads_project(dumps_project(session.project))  # an independent copy
    gate = Gate(monkeypatch)
    assert saver.begin_autosave()
    gate.wait_entered()
    # Meanwhile the window goes on: an edit, a stroke painted in place, a training slice.
    session.set_weight(0, 0, 0, 0.5)
    session.paint(0, {3: 0.25 if session.dataset.inputs[0, 3] != 0.25 else 0.75},
                  session.begin_stroke())
    session.network.weights[1] *= 0.5
    session.project.history.append(1, 0.5, 0.75)
    session.parameters_updated_in_place()
    gate.release.set()
    assert saver.wait()
    assert same_project(load_project(saver.project_path), at_tick)
    assert saver.pending  # the changes since go into the next copy
    assert saver.autosave_if_needed()
    assert same_project(load_project(saver.project_path), session.project)


def test_a_tick_during_a_write_writes_the_newer_project_right_after(session, saver, monkeypatch,
                                                                    qtbot):
    gate = Gate(monkeypatch)
    session.set_weight(0, 0, 0, 0.125)
    assert saver.begin_autosave()
    gate.wait_entered()
    session.set_weight(0, 0, 0, 0.5)
    assert not saver.begin_autosave()   # one write at a time: this tick waits its turn
    assert len(gate.threads) == 1
    written: list[Path] = []
    saver.autosaved.connect(written.append)
    gate.release.set()
    qtbot.waitUntil(lambda: len(written) == 2 and not saver.writing, timeout=WAIT_S * 1000)
    assert len(gate.threads) == 2
    assert load_project(saver.project_path).network.weights[0][0, 0] == 0.5
    assert not saver.pending


@pytest.mark.parametrize("how", ["saved", "undone to the saved state", "replaced by New"])
def test_a_copy_dropped_while_it_is_written_is_not_brought_back(session, saver, monkeypatch,
                                                                tmp_path, qtbot, how):
    session.save(tmp_path / "work.bpnet")
    session.set_weight(0, 0, 0, 0.125)
    assert saver.autosave_if_needed() and saver.project_path.exists()
    session.set_weight(0, 0, 1, 0.25)
    gate = Gate(monkeypatch)
    assert saver.begin_autosave()
    gate.wait_entered()
    if how == "saved":
        session.save()
    elif how == "undone to the saved state":
        session.undo_stack.undo()
        session.undo_stack.undo()
    else:
        session.new_project()
    assert not session.modified
    assert not saver.project_path.exists() and not saver.sidecar_path.exists()
    written: list[Path] = []
    saver.autosaved.connect(written.append)
    gate.release.set()
    qtbot.waitUntil(lambda: not saver.writing, timeout=WAIT_S * 1000)
    assert gate.finished.is_set() and written == []
    assert sorted(p.name for p in saver.folder.iterdir()) == [saver.lock_path.name]


def test_quitting_while_a_copy_is_written_waits_for_it_then_leaves_nothing(session, folder,
                                                                          monkeypatch):
    saver = AutoSaver(session)
    gate = Gate(monkeypatch)
    session.set_weight(0, 0, 0, 0.125)
    assert saver.begin_autosave()
    gate.wait_entered()
    threading.Timer(0.2, gate.release.set).start()  # the disk answers a little later
    saver.shutdown()
    assert gate.finished.is_set()   # shutdown waited for the write
    assert not saver.writing
    assert not any(saver.folder.iterdir())


def test_a_failure_in_the_worker_is_reported_once_on_the_gui_thread(session, saver, monkeypatch,
                                                                    qtbot):
    from backprop_gui.engine.projectfile import ProjectFileError

    gate = Gate(monkeypatch, fail=ProjectFileError("could not save it: the disk is on fire"))
    gate.release.set()
    messages: list[tuple[str, int]] = []
    saver.message_posted.connect(lambda text: messages.append((text, threading.get_ident())))
    session.set_weight(0, 0, 0, 0.125)
    assert saver.begin_autosave()
    qtbot.waitUntil(lambda: not saver.writing, timeout=WAIT_S * 1000)
    assert messages == [("Autosave failed (could not save it: the disk is on fire); save your "
                         "work with File ▸ Save", threading.main_thread().ident)]
    assert gate.threads[0] != threading.main_thread().ident
    assert saver.pending and not saver.project_path.exists()
    assert not saver.autosave_if_needed() and len(messages) == 1  # reported once
    gate.fail = None
    assert saver.autosave_if_needed()
    assert messages[-1][0] == "Autosave works again"
