"""File errors in plain words first, the technical detail kept for the "Show Details…" part."""

from __future__ import annotations

import errno

from backprop_gui.engine.field_checks import ProjectFileError
from backprop_gui.engine.regular_file import FileTooLargeError
from backprop_gui.ui.common.error_text import (NOT_A_PROJECT, open_problem, recover_problem,
                                        save_problem)


def wrapped(cause: BaseException, message: str) -> ProjectFileError:
    """As engine.projectfile.load_project raises it: a ProjectFileError from the OSError."""
    try:
        raise ProjectFileError(message) from cause
    except ProjectFileError as e:
        return e


def test_a_damaged_project_says_so_and_keeps_the_field_in_the_detail():
    problem = open_problem("/home/class/lesson.bpnet",
                           ProjectFileError("must be a whole number", "training.max_epochs"))
    assert problem.text == f"{NOT_A_PROJECT}\n\nThe project you had open has not changed."
    assert problem.detail == ("“/home/class/lesson.bpnet” could not be opened:\n"
                              "training.max_epochs: must be a whole number")


def test_reading_failures_name_their_cause_plainly():
    denied = wrapped(PermissionError(errno.EACCES, "Permission denied"), "could not open x")
    assert open_problem("/x/a.bpnet", denied).text.startswith(
        "You do not have permission to read “a.bpnet”.")
    huge = wrapped(FileTooLargeError("the file is over 20 bytes", 30), "the file is 30 MB")
    assert open_problem("/x/a.bpnet", huge).text.startswith(
        "“a.bpnet” is too large to be a Backprop GUI project.")
    gone = FileNotFoundError(errno.ENOENT, "No such file or directory")
    assert "not there any more" in open_problem("/x/a.bpnet", gone).text
    problem = recover_problem("Lesson 3", "/data/autosave/3.bpnet", ProjectFileError("bad"))
    assert problem.text == ("The work autosaved for “Lesson 3” could not be recovered.\n\n"
                            "The autosaved copy is damaged.")


def test_a_failed_save_says_why_and_what_to_do():
    full = save_problem("/media/usb/work.bpnet", OSError(errno.ENOSPC, "No space left on device"))
    assert full.text.startswith("The project could not be saved as “work.bpnet”. The disk is full.")
    assert "Save As" in full.text
    assert full.detail == "Saving to “/media/usb/work.bpnet” failed:\nNo space left on device."
    read_only = save_problem("/cd/work.bpnet", OSError(errno.EROFS, "Read-only file system"))
    assert "read-only" in read_only.text
