"""The recovery folder: where autosaved copies live, and finding, claiming and deleting the
copies a crashed run left behind.

    <AppDataLocation>/recovery/<id>.bpnet   the project (engine.projectfile, written atomically)
    <AppDataLocation>/recovery/<id>.json    sidecar: original path, display name, time, version, pid
    <AppDataLocation>/recovery/<id>.lock    locked for as long as the instance that owns <id> runs

An AutoSaver (session/autosave.py) writes the copy while there is unsaved work and deletes it
when the work is saved, thrown away, replaced by New or Open, or the program closes normally;
so a copy that is still there at start-up, whose lock (session/owner_lock.py) nobody holds,
is work a crashed run left behind. `find_recoverable` lists those; the sidecar's format is
written (`sidecar_fields`, `write_sidecar`) and read here.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from .. import __version__
from ..engine.atomic_write import write_atomically
from ..engine.projectfile import load_project
from ..engine.regular_file import read_regular_file
from .owner_lock import OwnerLock, pid_alive, remove_file

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


# ----- the sidecar ------------------------------------------------------------------------------

def sidecar_fields(original_path: Path | None, display_name: str) -> dict:
    """A copy's sidecar fields but "saved_at", which `write_sidecar` adds."""
    return {
        "format": SIDECAR_FORMAT,
        "version": 1,
        "original_path": str(original_path.resolve()) if original_path else None,
        "display_name": display_name,
        "app_version": __version__,
        "pid": os.getpid(),
        "host": socket.gethostname(),
    }


def write_sidecar(path: Path, fields: dict) -> None:
    """Write the sidecar `fields` to `path` atomically, with "saved_at" the time now."""
    data = {**fields, "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    write_atomically(path, [(json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")])


def _read_sidecar(path: Path) -> dict:
    """The sidecar's fields, or {} if it is missing or unreadable (the copy is still offered)."""
    try:
        data = json.loads(read_regular_file(path, MAX_SIDECAR_BYTES).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == SIDECAR_FORMAT else {}


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
    remove_file(entry.project_path)
    remove_file(entry.sidecar_path)
    _release(entry, remove=True)


def release_entry(entry: RecoveryEntry) -> None:
    """Keep the copy for the next start ("Later"): only let go of its lock."""
    _release(entry, remove=False)


def _release(entry: RecoveryEntry, remove: bool) -> None:
    if entry.lock is not None:
        entry.lock.release(remove=remove)
        entry.lock = None
    elif remove:
        remove_file(entry.lock_path)


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
        if same_host and isinstance(pid, int) and pid_alive(pid):
            return None
        return False


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
                remove_file(path)
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
        remove_file(folder / f"{stem}.json")
        if isinstance(lock, OwnerLock):
            lock.release(remove=True)
        else:
            remove_file(folder / f"{stem}.lock")


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return False


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
