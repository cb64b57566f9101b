"""Shared test set-up: Qt renders offscreen (no display needed) and the locale is UTF-8.

Set at import time, before pytest-qt creates the QApplication (on first use of qapp/qtbot).
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")


import signal  # noqa: E402

import pytest  # noqa: E402


class Hung(BaseException):
    """Raised in a test that blocked; a BaseException, so no `except Exception` (nor
    `except OSError`, as TimeoutError would be) in the code under test swallows it."""


@pytest.fixture
def no_hang():
    """Turn a hang (a blocking open() of a named pipe, say) into a failure after 10 s.

    PEP 475: a signal handler that raises ends the interrupted system call instead of
    retrying it, so the test fails with Hung rather than blocking the suite."""
    def expire(signum, frame):
        raise Hung("still blocked after 10 s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, 10.0)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, old)
