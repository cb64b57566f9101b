"""Autosave: unsaved work survives a crash, a power cut or a killed process.

While the project has unsaved changes, an AutoSaver writes a recovery copy every minute (only
when something changed since the last copy) to the recovery folder (session/recovery.py, which
also finds what a crashed run left behind). The copy is deleted when the work is saved, thrown
away, replaced by New or Open, or the program closes normally.

Writing a copy takes ~0.1 s for a 784-input project and over a second for a 1000x784 dataset
or a long loss history, so the window does not do it: the GUI thread takes a snapshot of the
project (copies of its arrays and lists: ~2 ms, the dataset only when it changed), and a
worker thread writes it to a staging file (`.<id>.writing.tmp`, which no scan offers), renames
that into place and writes the sidecar; the GUI thread then hears how it went. Putting a copy
in place and deleting it (`discard`) hold one lock, and a copy discarded while it was being
written (the work was saved, dropped or replaced) is void: its staging file is deleted, never
renamed into place.
"""

from __future__ import annotations

import os
import secrets
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from ..engine.dataset import Dataset
from ..engine.project import Project
from ..engine.projectfile import DatasetText, save_project
from .commands import Weak
from .owner_lock import OwnerLock, remove_file
from .recovery import recovery_folder, sidecar_fields, write_sidecar
from .session import Session

DEFAULT_INTERVAL_S = 60


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
            remove_file(self.project_path)
            remove_file(self.sidecar_path)
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
        remove_file(self.staging_path)
        remove_file(self.project_path)
        remove_file(self.sidecar_path)
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
                       lesson=project.lesson, selected_sample=project.selected_sample,
                       runs=[run.copy() for run in project.runs])

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
                    write_sidecar(self.sidecar_path, job.sidecar)
        except Exception as exc:  # ProjectFileError, OSError, …: reported on the GUI thread
            job.error = exc
        finally:
            remove_file(staging)  # gone already unless the copy failed or was void
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
        return sidecar_fields(self.session.path, self.session.display_name)

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
