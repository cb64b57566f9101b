"""Replacing a file so that it is either the old one or the new one, never half of each.

Save and autosave both go through `write_atomically`: the new bytes go to a temporary file in
the same folder, are flushed to the disk, and the temporary file is renamed over the target
(an atomic step on every file system the app supports). If anything fails, the old file is
untouched and the temporary file is removed.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable


def write_atomically(path: str | os.PathLike, pieces: Iterable[bytes], keep_mode: bool = True) -> None:
    """Write the concatenated `pieces` to `path` atomically (OSError if it cannot be done).

    Through a symbolic link the file it points to is replaced, not the link. With
    `keep_mode`, a replaced file keeps its permissions plus write permission for its owner."""
    target = os.path.realpath(os.fspath(path))
    folder, name = os.path.split(target)
    tmp = None
    try:
        fd, tmp = _create_temp(folder, name)
        with os.fdopen(fd, "wb") as f:
            f.writelines(pieces)
            f.flush()
            os.fsync(f.fileno())
        if keep_mode:
            _copy_mode(target, tmp)
        os.replace(tmp, target)
        tmp = None
        _fsync_folder(folder)
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _create_temp(folder: str, name: str) -> tuple[int, str]:
    # os.open with mode 0o666 lets the umask decide permissions, as for any new file.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def _copy_mode(source: str, dest: str) -> None:
    # The old file's permissions, and write permission for its owner: saving over a file
    # makes it the user's to edit (the window asks first when the file is read-only). A new
    # file gets the umask's mode, as any new file does.
    try:
        os.chmod(dest, stat.S_IMODE(os.stat(source).st_mode) | stat.S_IWUSR)
    except OSError:  # no old file, or a file system without permissions
        pass


def _fsync_folder(folder: str) -> None:
    # Makes the rename itself durable on POSIX; folders cannot be opened on Windows.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
