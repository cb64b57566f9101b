"""The session's runs: kept by Compare, renamed and deleted through the undo stack, shown or
hidden without it; the comparison itself runs in slices and keeps exactly the Trainer's runs."""

from __future__ import annotations

from dataclasses import replace

import pytest

from backprop_gui.engine.compare import CompareJob, preset_variants
from backprop_gui.engine.limits import MAX_RUNS
from backprop_gui.engine.project import History, TrainingConfig
from backprop_gui.engine.runs import Run
from backprop_gui.engine.training import Trainer
from backprop_gui.session import compare_runner
from backprop_gui.session.compare_runner import CompareRunner


def run(name: str) -> Run:
    history = History()
    history.append(1, 0.5, 0.5)
    return Run(name, TrainingConfig(), history)


def test_added_runs_get_their_own_colours_and_names_and_undo_removes_them(session):
    session.runs.add([run("A"), run("A")], "Compare 2 settings")
    assert [(r.name, r.color) for r in session.runs] == [("A", 0), ("A (2)", 1)]
    assert session.modified and session.undo_stack.undoText() == "Compare 2 settings"
    session.undo_stack.undo()
    assert len(session.runs) == 0 and not session.modified
    session.undo_stack.redo()
    assert [r.name for r in session.runs] == ["A", "A (2)"]


def test_rename_and_delete_are_undoable_and_names_are_checked(session, qtbot):
    session.runs.add([run("A"), run("B")], "Compare")
    with qtbot.waitSignal(session.runs.changed):
        session.runs.rename(1, "  <b>SGD</b>  ")
    assert session.runs[1].name == "<b>SGD</b>"      # kept as typed (shown as plain text)
    assert session.undo_stack.undoText() == "Rename run “B” to “<b>SGD</b>”"
    for bad, message in (("", "A run needs a name"), ("a\nb", "must not hold control"),
                         ("x" * 61, "at most 60 characters")):
        with pytest.raises(ValueError, match=message):
            session.runs.rename(0, bad)
    session.runs.delete(0)
    assert [r.name for r in session.runs] == ["<b>SGD</b>"]
    assert session.undo_stack.undoText() == "Delete run “A”"
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert [r.name for r in session.runs] == ["A", "B"]


def test_showing_and_hiding_is_no_edit_and_survives_undo(session):
    session.runs.add([run("A"), run("B")], "Compare")
    session.runs.rename(0, "C")
    count = session.undo_stack.count()
    session.runs.set_visible(1, False)
    assert session.undo_stack.count() == count
    session.undo_stack.undo()                          # the rename
    assert [(r.name, r.visible) for r in session.runs] == [("A", True), ("B", False)]


def test_no_more_than_max_runs_are_kept(session):
    session.runs.add([run(str(i)) for i in range(MAX_RUNS - 1)], "Compare")
    with pytest.raises(ValueError, match=f"at most {MAX_RUNS} runs .* delete 1 first"):
        session.runs.add([run("x"), run("y")], "Compare")
    assert len(session.runs) == MAX_RUNS - 1


def test_new_project_has_no_runs(session, qtbot):
    session.runs.add([run("A")], "Compare")
    with qtbot.waitSignal(session.runs.changed):
        session.new_project()
    assert len(session.runs) == 0


def test_the_runner_trains_in_slices_and_keeps_the_trainers_runs(session, qtbot, monkeypatch):
    # A slice then stops after one update, whatever the machine's speed.
    monkeypatch.setattr(compare_runner, "SLICE_SECONDS", 0.0)
    base = replace(session.training, seed=3)
    variants = preset_variants("optimizers", base)
    job = CompareJob(session.network, session.dataset, base, variants, epochs=3)
    runner = CompareRunner(session, job)
    progress = []
    runner.progressed.connect(lambda done, total, name: progress.append((done, total)))
    with qtbot.waitSignal(runner.finished, timeout=20_000) as finished:
        runner.start()
    assert finished.args[0].startswith("Kept 3 runs")
    # One update a slice (a slice that ends a setting may take none): every count shows.
    done = [d for d, total in progress]
    assert job.total_steps == 84 and all(total == 84 for _, total in progress)
    assert done == sorted(done) and set(done) == set(range(1, 85))
    assert [r.name for r in session.runs] == [v.name for v in variants]
    for variant, kept in zip(variants, session.runs, strict=True):
        trainer = Trainer(session.network.copy(), session.dataset,
                          replace(base, **variant.changes))
        trainer.train(epochs=3)
        assert kept.history.loss == trainer.history.loss
    assert session.undo_stack.undoText() == "Compare 3 settings over 3 epochs"


def test_cancel_keeps_nothing(session, qtbot):
    job = CompareJob(session.network, session.dataset, session.training,
                     preset_variants("momentum", session.training), epochs=2000)
    runner = CompareRunner(session, job)
    with qtbot.waitSignal(runner.progressed, timeout=5000):
        runner.start()
    with qtbot.waitSignal(runner.finished) as finished:
        runner.cancel()
    assert "cancelled" in finished.args[0]
    qtbot.wait(50)
    assert len(session.runs) == 0 and not runner.running
