"""Reading a file the user (or a file handed round a classroom) names, without hanging.

`open()` on a named pipe waits for a writer forever, a device such as /dev/zero never ends,
and a socket or a folder is not a document at all. Every file the app reads (projects,
lessons, recovery copies and their sidecars) goes through `read_regular_file`, which opens
only regular files and never reads more than a set number of bytes.
"""

from __future__ import annotations

import os
import stat

# Open without waiting: on a named pipe a plain open() blocks until a writer appears.
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


class NotRegularFileError(OSError):
    """The path names something other than a regular file (a pipe, a device, a folder…)."""


class FileTooLargeError(OSError):
    """The file holds more bytes than the reader accepts."""

    def __init__(self, message: str, size: int) -> None:
        super().__init__(message)
        self.size = size


def kind_of(mode: int) -> str:
    """What a file of this st_mode is, in words ("a named pipe", "a folder", …)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def check_regular(path: str | os.PathLike, mode: int) -> None:
    if not stat.S_ISREG(mode):
        name = os.fspath(path)
        raise NotRegularFileError(f"“{name}” is not a regular file (it is {kind_of(mode)})")


def read_regular_file(path: str | os.PathLike, max_bytes: int) -> bytes:
    """The bytes of the regular file at `path` (symbolic links followed).

    NotRegularFileError for a pipe, socket, device or folder, FileTooLargeError past
    `max_bytes`, another OSError when it cannot be read. Never blocks on a special file."""
    path = os.fspath(path)
    # stat first: opening a socket fails with a confusing "No such device or address",
    # and opening some devices (a tape, a terminal) has side effects.
    check_regular(path, os.stat(path).st_mode)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        check_regular(path, info.st_mode)  # it may have been swapped since the stat
        if info.st_size > max_bytes:
            raise FileTooLargeError(f"the file is {info.st_size} bytes", info.st_size)
        chunks, total = [], 0
        # Read one byte past the limit: the size fstat reported may be out of date.
        while total <= max_bytes:
            chunk = os.read(fd, max_bytes + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise FileTooLargeError(f"the file is over {max_bytes} bytes", total)
        return b"".join(chunks)
    finally:
        os.close(fd)
