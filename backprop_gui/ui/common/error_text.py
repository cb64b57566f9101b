"""What went wrong with a file, for people: plain words first ("This file is not a Backprop
GUI project, or it is damaged."), and the technical detail (the field, the byte, the
system's own words) kept for a teacher or a bug report, shown under "Show Details…".

The engine's errors name the exact field and problem; they stay the detail. The plain words
depend only on the kind of failure: what the file is, whether it could be read at all.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass

from ...engine.regular_file import FileTooLargeError, NotRegularFileError

NOT_A_PROJECT = "This file is not a Backprop GUI project, or it is damaged."
UNCHANGED = "The project you had open has not changed."
STILL_OPEN = "Your project is still open: try File ▸ Save As… to save it somewhere else."

_NO_PERMISSION = (errno.EACCES, errno.EPERM, errno.EROFS)


@dataclass(frozen=True)
class FileProblem:
    text: str      # plain words, what a student reads first
    detail: str    # exactly what failed (collapsed under the text)


def technical(exc: BaseException) -> str:
    """The error as the program knows it (OSError's strerror rather than its repr)."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}."
    return str(exc) or type(exc).__name__


def _os_error(exc: BaseException) -> OSError | None:
    """The OSError behind `exc` (the engine wraps read errors in ProjectFileError)."""
    for e in (exc, exc.__cause__):
        if isinstance(e, OSError):
            return e
    return None


def _reading(name: str, exc: BaseException) -> str:
    """Why the file `name` could not be read, in plain words."""
    os_error = _os_error(exc)
    if isinstance(os_error, NotRegularFileError):
        return (f"“{name}” is not an ordinary file (it is a folder, a device or another "
                f"special file), so it cannot be opened as a project.")
    if isinstance(os_error, FileTooLargeError):
        return f"“{name}” is too large to be a Backprop GUI project."
    if os_error is not None:
        if os_error.errno in _NO_PERMISSION:
            return f"You do not have permission to read “{name}”."
        if os_error.errno == errno.ENOENT:
            return f"“{name}” is not there any more (it may have been moved or deleted)."
        return f"“{name}” could not be read from the disk."
    return NOT_A_PROJECT


def open_problem(path: str | os.PathLike, exc: BaseException) -> FileProblem:
    """Open failed: why, plainly, and that nothing was lost."""
    name = os.path.basename(os.fspath(path)) or os.fspath(path)
    return FileProblem(f"{_reading(name, exc)}\n\n{UNCHANGED}",
                       f"“{os.fspath(path)}” could not be opened:\n{technical(exc)}")


def recover_problem(name: str, path: str | os.PathLike, exc: BaseException) -> FileProblem:
    """The autosaved copy of the project `name` could not be opened."""
    reason = _reading(os.path.basename(os.fspath(path)), exc)
    if reason == NOT_A_PROJECT:
        reason = "The autosaved copy is damaged."
    return FileProblem(f"The work autosaved for “{name}” could not be recovered.\n\n{reason}",
                       f"“{os.fspath(path)}” could not be opened:\n{technical(exc)}")


def save_problem(path: str | os.PathLike, exc: BaseException) -> FileProblem:
    """Save failed: why, plainly, and what to do."""
    name = os.path.basename(os.fspath(path)) or os.fspath(path)
    os_error = _os_error(exc)
    if os_error is not None and os_error.errno == errno.ENOSPC:
        reason = "The disk is full."
    elif os_error is not None and os_error.errno in _NO_PERMISSION:
        reason = "You do not have permission to write there, or the disk is read-only."
    elif os_error is not None:
        reason = "The disk or the folder reported an error."
    else:
        reason = "Something in the project could not be written."
    return FileProblem(f"The project could not be saved as “{name}”. {reason}\n\n{STILL_OPEN}",
                       f"Saving to “{os.fspath(path)}” failed:\n{technical(exc)}")
