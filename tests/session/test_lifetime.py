"""A session, its undo stack and its training clock can be dropped and collected safely.

The session owns its undo stack and the stack owns its commands; commands that held the
session (or the clock) strongly made reference cycles, and Python's cyclic collector then
tore down the session while the stack still deleted commands whose Python halves were
gone: a segmentation fault, at whatever moment the collector happened to run. Each case
runs in a child process, so a crash fails the test instead of ending the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

PRELUDE = textwrap.dedent("""
    import gc, os
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from backprop_gui.session.session import Session
    from backprop_gui.session.training_clock import TrainingClock
""")

CASES = {
    "a weight edit": """
        s = Session()
        s.set_weight(0, 0, 0, 0.5)
        s.set_bias(1, 0, -0.25)
    """,
    "a training setting": """
        s = Session()
        c = TrainingClock(s)
        c.set_setting("learning_rate", 0.05)
    """,
    "an autosaver dropped after its session": """
        import tempfile
        from backprop_gui.session.autosave import AutoSaver
        s = Session()
        a = AutoSaver(s, folder=tempfile.mkdtemp())
        s.set_weight(0, 0, 0, 0.5)
        a.autosave_if_needed()
        a.shutdown()
        del s                # the saver may hold the session's last reference
        del a
        s = None
    """,
    "an autosaver deleted while its worker writes": """
        import tempfile, threading
        from PySide6.QtCore import QObject
        from backprop_gui.session import autosave
        threading.excepthook = lambda args: os._exit(3)   # an error in the worker fails the case
        gate, real = threading.Event(), autosave.save_project
        autosave.save_project = lambda *args: (gate.wait(10), real(*args))
        s = Session()
        owner = QObject()
        a = autosave.AutoSaver(s, folder=tempfile.mkdtemp(), parent=owner)
        s.set_weight(0, 0, 0, 0.5)
        assert a.begin_autosave()
        writing = a._write.future
        del owner            # the window closes: Qt deletes the saver while its copy is written
        gate.set()
        writing.result()
        app.processEvents()
        autosave.save_project = real
        del a
    """,
    "kept runs renamed and deleted": """
        from backprop_gui.engine.project import TrainingConfig
        from backprop_gui.engine.runs import Run
        s = Session()
        s.runs.add([Run("a", TrainingConfig()), Run("b", TrainingConfig())], "Compare")
        s.runs.rename(0, "c")
        s.runs.delete(1)
    """,
    "a clock in a cycle with its session": """
        s = Session()
        c = TrainingClock(s)
        s.clock = c          # as a window holding both would
        c.play(); c.tick(); c.pause()
        s.set_weight(0, 0, 0, 0.5)
    """,
}


@pytest.mark.parametrize("case", list(CASES))
def test_dropping_a_session_with_undo_history_does_not_crash(case):
    body = textwrap.dedent(CASES[case])
    code = PRELUDE + "for _ in range(20):\n" + textwrap.indent(body, "    ") + (
        "    s = c = None\n    gc.collect()\nprint('survived')\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-X", "faulthandler", "-c", code], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "survived" in done.stdout


def test_undo_still_works_after_a_collection(session):
    # The stack keeps its commands' Python halves (their undo and redo) alive on its own.
    import gc
    w = session.network.weights[0][0, 0]
    session.set_weight(0, 0, 0, 0.5)
    gc.collect()
    session.undo_stack.undo()
    assert session.network.weights[0][0, 0] == w
    session.undo_stack.redo()
    assert session.network.weights[0][0, 0] == 0.5
