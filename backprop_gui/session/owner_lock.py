"""Who owns a recovery copy: an exclusive lock on a small file, held while its instance runs.

Why a lock and not only the process id: the operating system releases a lock when its process
ends, even in a crash, while a process id may be reused after a reboot (a crash by power cut
would then hide the copy) or belong to another computer sharing the same home folder (school
networks). Where a file system cannot lock, the process id is the fallback (`pid_alive`).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import IO


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
            remove_file(self.path)  # while still locked, so no one locks the old file meanwhile
        if f is not None:
            f.close()  # closing releases the lock
        if remove:
            remove_file(self.path)


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


def pid_alive(pid: int) -> bool:
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


def remove_file(path: Path) -> None:
    """Delete `path` if it is there and can go; never raises."""
    try:
        path.unlink()
    except OSError:
        pass  # gone already, or e.g. still open by its owner on Windows: the next scan tidies it
