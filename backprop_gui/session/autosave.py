"""Autosave and crash recovery: unsaved work survives a crash, a power cut or a killed process.

While the project has unsaved changes, an AutoSaver writes a recovery copy every minute (only
when something changed since the last copy) to the app data folder::

    <AppDataLocation>/recovery/<id>.bpnet   the project (engine.projectfile, written atomically)
    <AppDataLocation>/recovery/<id>.json    sidecar: original path, display name, time, version, pid
    <AppDataLocation>/recovery/<id>.lock    locked for as long as the instance that owns <id> runs

The copy is deleted when the work is saved, thrown away, replaced by New or Open, or the
program closes normally; so a copy that is still there at start-up, whose lock nobody holds,
is work a crashed run left behind. `find_recoverable` lists those.

Writing a copy takes ~0.1 s for a 784-input project and over a second for a 1000x784 dataset
or a long loss history, so the window does not do it: the GUI thread takes a snapshot of the
project (copies of its arrays and lists: ~2 ms, the dataset only when it changed), and a
worker thread writes it to a staging file (`.<id>.writing.tmp`, which no scan offers), renames
that into place and writes the sidecar; the GUI thread then hears how it went. Putting a copy
in place and deleting it (`discard`) hold one lock, and a copy discarded while it was being
written (the work was saved, dropped or replaced) is void: its staging file is deleted, never
renamed into place.

Why a lock and not only the process id: the operating system releases a lock when its process
ends, even in a crash, while a process id may be reused after a reboot (a crash by power cut
would then hide the copy) or belong to another computer sharing the same home folder (school
networks). Where a file system cannot lock, the process id is the fallback.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from PySide6.QtCore import QObject, QStandardPaths, Qt, QTimer, Signal

from .. import __version__
from ..engine.dataset import Dataset
from ..engine.project import Project
from ..engine.projectfile import DatasetText, load_project, save_project
from ..engine.atomic_write import write_atomically
from ..engine.regular_file import read_regular_file
from .commands import Weak
from .session import Session

DEFAULT_INTERVAL_S = 60
RECOVERY_FOLDER = "recovery"
BROKEN_FOLDER = "broken"        # unreadable copies are moved here, not deleted
SIDECAR_FORMAT = "backprop-gui-recovery"
MAX_SIDECAR_BYTES = 64 * 1024  # a sidecar is a few hundred bytes; anything bigger is not ours
STALE_TEMP_S = 3600             # a half-written temporary file this old belongs to a crash


def recovery_folder() -> Path:
    """Where recovery copies live: QStandardPaths' app data folder, sub-folder "recovery"."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if not base:  # no home folder at all (a locked-down account): better a temp folder than none
        base = os.path.join(tempfile.gettempdir(), "backprop-gui")
    return Path(base) / RECOVERY_FOLDER


# ----- the owner lock ---------------------------------------------------------------------------

class OwnerLock:
    """An exclusive lock on a small file, held while the file is open. `acquire` is False when
    another running instance (or another open of the same file in this one) holds it; OSError
    means this file system cannot lock at all."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self) -> bool:
        if self._file is not None:
            return True
        f = open(self.path, "a+b")  # noqa: SIM115 (kept open: the open file is the lock)
        try:
            locked = _try_lock(f)
        except BaseException:
            f.close()
            raise
        if not locked:
            f.close()
            return False
        self._file = f
        return True

    def release(self, remove: bool = False) -> None:
        """Let go of the lock; with `remove`, also delete the lock file."""
        f, self._file = self._file, None
        if remove and f is not None and os.name != "nt":
            _unlink(self.path)  # while still locked, so no one locks the old file meanwhile
        if f is not None:
            f.close()  # closing releases the lock
        if remove:
            _unlink(self.path)


def _try_lock(f: IO[bytes]) -> bool:
    if os.name == "nt":
        import msvcrt

        try:
            f.seek(0)
            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLOCK):
                return False
            raise
        return True
    import fcntl

    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _pid_alive(pid: int) -> bool:
    """Whether process `pid` runs on this computer (the fallback when locking is impossible)."""
    if pid == os.getpid():
        return True
    if os.name == "nt" or pid <= 0:
        return False  # no cheap check on Windows: offering a live copy is the lesser harm
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return False
    return True


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass  # e.g. still open by its owner on Windows; the next scan tidies it


def _write_json_atomic(path: Path, data: dict) -> None:
    write_atomically(path, [(json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")])


# ----- what a crashed run left behind -----------------------------------------------------------

@dataclass
class RecoveryEntry:
    """One recovery copy whose owner is gone. While listed, this instance holds its lock, so a
    second instance starting at the same moment does not offer the same copy."""

    id: str
    project_path: Path
    display_name: str
    original_path: Path | None
    saved_at: datetime          # aware, local time
    app_version: str = ""
    pid: int | None = None
    lock: OwnerLock | None = field(default=None, repr=False, compare=False)

    @property
    def sidecar_path(self) -> Path:
        return self.project_path.with_suffix(".json")

    @property
    def lock_path(self) -> Path:
        return self.project_path.with_suffix(".lock")


@dataclass
class ScanResult:
    entries: list[RecoveryEntry]   # newest first
    problems: list[str]            # unreadable copies, each moved to `broken_folder`
    broken_folder: Path | None = None


def find_recoverable(folder: Path | None = None, exclude: Iterable[str] = ()) -> ScanResult:
    """Recovery copies in `folder` whose owner no longer runs, each checked by loading it.
    Unreadable ones are moved aside and reported; leftovers without a copy are tidied away.
    Never raises for what it finds on disk."""
    folder = Path(folder) if folder is not None else recovery_folder()
    result = ScanResult([], [])
    try:
        names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return result
    skip = set(exclude)
    for name in names:
        path = folder / name
        if not name.endswith(".bpnet") or name.startswith(".") or path.stem in skip:
            continue
        lock = _claim(path.with_suffix(".lock"), path.with_suffix(".json"))
        if lock is None:
            continue  # its instance is still running
        entry = _entry(path, lock)
        if not path.exists():  # its owner closed normally while we looked
            release_entry(entry)
            continue
        try:
            load_project(path)
        except Exception as exc:  # ProjectFileError, OSError, anything: report, never crash
            result.broken_folder = _move_aside(entry)
            result.problems.append(
                f"The autosaved copy of “{entry.display_name}” ({_when(entry.saved_at)}) could "
                f"not be read: {exc}")
            continue
        result.entries.append(entry)
    _tidy(folder, names, skip)
    result.entries.sort(key=lambda e: e.saved_at, reverse=True)
    return result


def discard_entry(entry: RecoveryEntry) -> None:
    """Delete a recovery copy for good (its sidecar and lock with it)."""
    _unlink(entry.project_path)
    _unlink(entry.sidecar_path)
    _release(entry, remove=True)


def release_entry(entry: RecoveryEntry) -> None:
    """Keep the copy for the next start ("Later"): only let go of its lock."""
    _release(entry, remove=False)


def _release(entry: RecoveryEntry, remove: bool) -> None:
    if entry.lock is not None:
        entry.lock.release(remove=remove)
        entry.lock = None
    elif remove:
        _unlink(entry.lock_path)


def _claim(lock_path: Path, sidecar_path: Path) -> OwnerLock | bool | None:
    """The copy's lock, now held by us, if its owner is gone; None if the owner still runs.
    False (also "gone") when this file system cannot lock and the sidecar's pid is not alive."""
    lock = OwnerLock(lock_path)
    try:
        return lock if lock.acquire() else None
    except OSError:
        meta = _read_sidecar(sidecar_path)
        pid, host = meta.get("pid"), meta.get("host")
        same_host = not host or host == socket.gethostname()
        if same_host and isinstance(pid, int) and _pid_alive(pid):
            return None
        return False


def _read_sidecar(path: Path) -> dict:
    """The sidecar's fields, or {} if it is missing or unreadable (the copy is still offered)."""
    try:
        data = json.loads(read_regular_file(path, MAX_SIDECAR_BYTES).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == SIDECAR_FORMAT else {}


def _entry(path: Path, lock: OwnerLock | bool) -> RecoveryEntry:
    meta = _read_sidecar(path.with_suffix(".json"))
    original = meta.get("original_path")
    name = meta.get("display_name")
    saved_at = None
    if isinstance(meta.get("saved_at"), str):
        try:
            saved_at = datetime.fromisoformat(meta["saved_at"])
        except ValueError:
            pass
    if saved_at is None or saved_at.tzinfo is None:
        try:
            saved_at = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
        except OSError:
            saved_at = datetime.now(timezone.utc)
    pid = meta.get("pid")
    return RecoveryEntry(
        id=path.stem, project_path=path,
        display_name=name if isinstance(name, str) and name else "Untitled",
        original_path=Path(original) if isinstance(original, str) and original else None,
        saved_at=saved_at.astimezone(),
        app_version=str(meta.get("app_version") or ""),
        pid=pid if isinstance(pid, int) else None,
        lock=lock if isinstance(lock, OwnerLock) else None)


def _move_aside(entry: RecoveryEntry) -> Path:
    """Move an unreadable copy (and its sidecar) to broken/, where a person can still look."""
    broken = entry.project_path.parent / BROKEN_FOLDER
    try:
        broken.mkdir(exist_ok=True)
        for source in (entry.project_path, entry.sidecar_path):
            if source.exists():
                target = broken / source.name
                if target.exists():
                    target = broken / f"{source.stem}-{secrets.token_hex(3)}{source.suffix}"
                shutil.move(str(source), str(target))
    except OSError:
        pass  # left where it is: reported again next time, but never a crash
    _release(entry, remove=True)
    return broken


def _tidy(folder: Path, names: list[str], skip: set[str]) -> None:
    """Delete sidecars and locks whose copy is gone, and old half-written temporary files."""
    present = set(names)
    for name in names:
        path = folder / name
        stem, suffix = path.stem, path.suffix
        if name.startswith("."):
            if suffix == ".tmp" and _older_than(path, STALE_TEMP_S):
                _unlink(path)
            continue
        if suffix not in (".json", ".lock") or stem in skip or f"{stem}.bpnet" in present:
            continue
        if suffix == ".json" and f"{stem}.lock" in present:
            continue  # handled with its lock below
        lock = _claim(folder / f"{stem}.lock", folder / f"{stem}.json")
        if lock is None or (folder / f"{stem}.bpnet").exists():
            if isinstance(lock, OwnerLock):
                lock.release()
            continue
        _unlink(folder / f"{stem}.json")
        if isinstance(lock, OwnerLock):
            lock.release(remove=True)
        else:
            _unlink(folder / f"{stem}.lock")


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return False


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


# ----- the autosaver ----------------------------------------------------------------------------

@dataclass(eq=False)
class _Write:
    """One recovery copy on its way to disk: what the worker thread writes, and how it went."""

    project: Project               # a snapshot, the worker's alone
    sidecar: dict                  # the sidecar's fields but the time, taken with the snapshot
    generation: int                # the saver's discard count when the snapshot was taken
    future: Future | None = None
    error: Exception | None = None   # set by the worker
    void: bool = False               # set by the worker: discarded meanwhile, so not put in place
    handled: bool = False            # set on the GUI thread


class AutoSaver(QObject):
    """Keeps a recovery copy of `session`'s project while it has unsaved changes."""

    message_posted = Signal(str)   # a problem worth a status-bar line (posted once per failure)
    autosaved = Signal(object)     # the Path just written
    _worker_done = Signal(object)  # a _Write its worker finished (emitted on the worker thread)
    # Weak: the session's undo stack signals this object, and a saver holding the last
    # reference would free the session (and clear its stack, signalling) mid-destruction.
    session = Weak()

    def __init__(self, session: Session, folder: str | Path | None = None,
                 interval_s: float = DEFAULT_INTERVAL_S, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.folder = Path(folder) if folder is not None else recovery_folder()
        # Unique among instances, past and present; the pid in it helps a person reading the folder.
        self.id = f"{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}-{secrets.token_hex(3)}"
        self.last_saved: datetime | None = None
        self._dirty = session.modified
        self._failing = False
        self._closed = False
        self._lock = OwnerLock(self.lock_path)
        self._dataset_text = DatasetText()     # the dataset rarely changes between copies
        # One thread, kept: a new thread per copy would make the GUI thread wait for it to start.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="backprop-gui autosave")
        self._write: _Write | None = None      # the copy being written, if any
        self._tick_missed = False              # the timer fired while a copy was being written
        # Held while a copy is put in place or deleted, so those two never interleave; with
        # it, `_generation` (the number of discards) and `_closed` are read by the worker.
        self._commit_lock = threading.Lock()
        self._generation = 0
        # The snapshots' dataset, copied again only when the dataset changed (painting
        # changes samples in place; every other edit puts in a new Dataset).
        self._dataset_copy: tuple[Dataset, Dataset] | None = None   # (the session's, the copy)
        self._worker_done.connect(self._on_worker_done, Qt.ConnectionType.QueuedConnection)
        self.timer = QTimer(self)
        self.timer.setInterval(int(interval_s * 1000))
        self.timer.timeout.connect(self.begin_autosave)
        self.timer.start()
        session.undo_stack.indexChanged.connect(self._on_changed)
        # A training run is one undo entry that keeps changing the network in place.
        session.values_changed.connect(self._on_changed)
        session.dataset_changed.connect(self._on_dataset_changed)
        session.file_state_changed.connect(self._on_file_state_changed)
        session.project_replaced.connect(self._on_project_replaced)

    @property
    def project_path(self) -> Path:
        return self.folder / f"{self.id}.bpnet"

    @property
    def sidecar_path(self) -> Path:
        return self.folder / f"{self.id}.json"

    @property
    def lock_path(self) -> Path:
        return self.folder / f"{self.id}.lock"

    @property
    def staging_path(self) -> Path:
        """Where the worker writes; hidden and .tmp, so scans skip it and tidy it if orphaned."""
        return self.folder / f".{self.id}.writing.tmp"

    @property
    def pending(self) -> bool:
        """True when the project changed since the last recovery copy (or there is none)."""
        session = self.session
        return self._dirty and session is not None and session.modified

    @property
    def writing(self) -> bool:
        """True while a copy is being written (until the GUI thread has heard how it went)."""
        return self._write is not None

    def begin_autosave(self) -> bool:
        """The timer's slot: if there are unsaved changes not yet in a copy, snapshot the
        project and let the worker thread write it; True if a write began. If a copy is
        still being written, the next one begins as soon as it is done."""
        if self._closed or not self.pending:
            return False
        if self._write is not None:
            self._tick_missed = True
            return False
        return self._begin()

    def autosave_if_needed(self) -> bool:
        """What the timer does, but waiting for the copy: True once it is in place."""
        self.wait()
        return self.begin_autosave() and self.wait()

    def save_now(self) -> bool:
        """Write the recovery copy now and wait for it; False (and one status message) if it
        could not be written."""
        if self._closed or self.session is None:
            return False
        self.wait()
        return self._begin() and self.wait()

    def wait(self) -> bool:
        """Block until the copy being written (if any) is written and handled; True if it
        was put in place."""
        job = self._write
        if job is None:
            return False
        assert job.future is not None
        job.future.result()
        return self._finish(job)

    def discard(self) -> None:
        """Delete this session's recovery copy (the work was saved, dropped or replaced)."""
        with self._commit_lock:  # a copy being written is then void: it cannot bring this back
            self._generation += 1
            _unlink(self.project_path)
            _unlink(self.sidecar_path)
        self._dirty = self.session is not None and self.session.modified

    def shutdown(self) -> None:
        """The program closes normally: no copy, no lock left behind."""
        if self._closed:
            return
        with self._commit_lock:
            self._closed = True
        self.timer.stop()
        self.wait()  # a copy being written is finished first (void), then all is deleted
        self._worker.shutdown(wait=True)
        _unlink(self.staging_path)
        _unlink(self.project_path)
        _unlink(self.sidecar_path)
        self._lock.release(remove=True)

    # ----- writing a copy ---------------------------------------------------------------------

    def _begin(self) -> bool:
        session = self.session
        if session is None:
            return False
        job = _Write(self._snapshot(session.project), self._sidecar(), self._generation)
        self._dirty = False  # changes from now on go into the next copy
        self._tick_missed = False
        self._write = job
        try:
            job.future = self._worker.submit(self._run, job)
        except RuntimeError as exc:  # no new thread while the interpreter shuts down
            job.error = exc
            self._finish(job)
            return False
        return True

    def _snapshot(self, project: Project) -> Project:
        """What the worker writes, copied on the GUI thread: training changes the network and
        history in place and painting the samples, while the worker reads them."""
        if self._dataset_copy is None or self._dataset_copy[0] is not project.dataset:
            self._dataset_copy = (project.dataset, project.dataset.copy())
        return Project(network=project.network.copy(), dataset=self._dataset_copy[1],
                       training=replace(project.training), history=project.history.copy(),
                       lesson=project.lesson, selected_sample=project.selected_sample)

    def _run(self, job: _Write) -> None:
        """The worker thread: write the snapshot to the staging file, then put it in place
        unless the copy was discarded meanwhile. It touches no session and no widget; only
        this thread uses the DatasetText."""
        staging = self.staging_path
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            save_project(job.project, staging, self._dataset_text)
            with self._commit_lock:
                if self._closed or job.generation != self._generation:
                    job.void = True
                else:
                    self._hold_lock()  # before a copy exists, so no scan takes it for a crash's
                    os.replace(staging, self.project_path)
                    _write_json_atomic(self.sidecar_path, {
                        **job.sidecar,
                        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        except Exception as exc:  # ProjectFileError, OSError, …: reported on the GUI thread
            job.error = exc
        finally:
            _unlink(staging)  # gone already unless the copy failed or was void
        try:
            self._worker_done.emit(job)
        except RuntimeError:  # the saver was deleted (its window closed) without shutdown
            pass

    def _on_worker_done(self, job: _Write) -> None:
        self._finish(job)
        if self._tick_missed and not self._closed:
            self.begin_autosave()

    def _finish(self, job: _Write) -> bool:
        """On the GUI thread, once per copy (from `wait` or the worker's signal, whichever
        comes first): tell how it went. True if the copy was put in place."""
        if not job.handled:
            job.handled = True
            self._write = None
            self._report(job)
        return job.error is None and not job.void

    def _report(self, job: _Write) -> None:
        if job.void:
            return  # saved, dropped or replaced meanwhile: nothing to tell
        if job.error is not None:
            self._dirty = True  # tried again at the next tick
            if not self._failing:
                self._failing = True
                self.message_posted.emit(
                    f"Autosave failed ({job.error}); save your work with File ▸ Save")
            print(f"backprop-gui: autosave failed: {job.error}", file=sys.stderr)
            return
        if self._failing:
            self._failing = False
            self.message_posted.emit("Autosave works again")
        self.last_saved = datetime.now()
        self.autosaved.emit(self.project_path)

    def _hold_lock(self) -> None:
        try:
            self._lock.acquire()
        except OSError:
            pass  # no locking on this file system: the sidecar's pid tells others we run

    def _sidecar(self) -> dict:
        """The sidecar's fields but "saved_at", which the worker adds when it writes."""
        path = self.session.path
        return {
            "format": SIDECAR_FORMAT,
            "version": 1,
            "original_path": str(path.resolve()) if path else None,
            "display_name": self.session.display_name,
            "app_version": __version__,
            "pid": os.getpid(),
            "host": socket.gethostname(),
        }

    # ----- session signals ----------------------------------------------------------------------

    def _on_changed(self, *_args: object) -> None:
        self._dirty = True

    def _on_dataset_changed(self) -> None:
        self._dataset_copy = None  # painted in place, or replaced: copy it again

    def _on_file_state_changed(self) -> None:
        if self._closed or self.session is None:
            return
        if self.session.modified:
            self._dirty = True
        else:
            self.discard()  # saved, or undone back to what is on disk

    def _on_project_replaced(self) -> None:
        if not self._closed:
            self.discard()
