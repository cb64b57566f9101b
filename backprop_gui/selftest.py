"""`backprop-gui --self-test`: a quick check, on the machine it runs on, that everything works.

Meant for the person who installs Backprop GUI on thirty school computers: one command
that loads every bundled dataset, runs the maths on it, reads every bundled lesson and draws
the window offscreen, printing one line per check and a summary. Exit status 0 means all
checks passed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Callable

import numpy as np

TRAINING_EPOCHS = 20


def _check_dataset(name: str) -> str:
    from backprop_gui.engine.chain import chain_graph
    from backprop_gui.engine.datasets import default_network_for, load_builtin
    from backprop_gui.engine.gradcheck import gradient_check
    from backprop_gui.engine.network import Network
    from backprop_gui.engine.project import TrainingConfig
    from backprop_gui.engine.selection import Selection
    from backprop_gui.engine.training import Trainer
    from backprop_gui.engine.walkthrough import walkthrough

    ds = load_builtin(name)
    sizes, activations, loss = default_network_for(ds)
    net = Network.build(sizes, activations, loss, seed=0)
    Y = ds.targets(net.sizes[-1])
    steps = walkthrough(net, ds.inputs[0], Y[0], 0.1)
    phases = {s.phase for s in steps}
    if phases != {"forward", "loss", "backward", "update"}:
        raise AssertionError(f"walkthrough phases {sorted(phases)}")
    # The Graph panel's chain rule for W¹[1,1] multiplies back to backprop's gradient.
    trace = net.forward(ds.inputs[0])
    rule = chain_graph(net, trace, net.backward(trace, Y[0]), Y[0], Selection.weight(1, 0, 0),
                       net.loss(trace, Y[0])).rule
    if not rule.agrees():
        raise AssertionError(f"chain rule {rule.value!r} ≠ backprop {rule.gradient!r}")
    report = gradient_check(net, ds.inputs[:4], Y[:4])
    if not report.passed(1e-5):
        raise AssertionError(f"gradient check error {report.max_error:.2e}")
    before = net.loss(net.forward(ds.inputs), Y)
    trainer = Trainer(net, ds, TrainingConfig(seed=0))
    stopped = trainer.train(epochs=TRAINING_EPOCHS)
    after = trainer.history.loss[-1]
    if stopped.code == "diverged" or not np.isfinite(after) or after >= before:
        raise AssertionError(f"training did not lower the loss ({before:.4f} → {after:.4f}; "
                             f"{stopped.message})")
    return (f"{ds.n_samples} samples, network {'-'.join(map(str, net.sizes))}, "
            f"{len(steps)} walkthrough steps, loss {before:.4f} → {after:.4f} "
            f"after {TRAINING_EPOCHS} epochs")


def _check_project_file() -> str:
    from backprop_gui.engine.projectfile import load_project, save_project
    from backprop_gui.session.session import default_project

    project = default_project()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "check.bpnet"
        save_project(project, path)
        loaded = load_project(path)
    for a, b in zip(project.network.weights + project.network.biases,
                    loaded.network.weights + loaded.network.biases):
        if not np.array_equal(a, b):
            raise AssertionError("parameters changed on the way through the file")
    if not np.array_equal(project.dataset.inputs, loaded.dataset.inputs):
        raise AssertionError("the dataset changed on the way through the file")
    return "saved and re-read exactly"


def _check_landscape() -> str:
    import time

    from backprop_gui.engine.landscape import TOY_FUNCTIONS, Descender
    from backprop_gui.engine.loss_slice import network_loss_surface, steepest_parameters
    from backprop_gui.session.session import default_project

    step = Descender(TOY_FUNCTIONS["bowl"], (1.0, 1.5), 0.1).step()
    if not np.allclose(step.new_point, (0.8, 1.2), rtol=1e-15, atol=0):
        raise AssertionError(f"one step on the bowl gave {step.new_point}, not (0.8, 1.2)")
    project = default_project()
    net, data = project.network, project.dataset
    Y = data.targets(net.sizes[-1])
    a, b = steepest_parameters(net, data.inputs, Y)
    start = time.perf_counter()
    _, _, Z = network_loss_surface(net, data.inputs, Y, a, b, 1.0, 101)
    took = (time.perf_counter() - start) * 1e3
    if not np.isclose(Z[50, 50], net.loss(net.forward(data.inputs), Y), rtol=1e-12, atol=0):
        raise AssertionError("the loss slice's centre is not the network's loss")
    return f"one step on the bowl exact; 101×101 loss slice along {a.name}, {b.name} in {took:.0f} ms"


def _lesson_files() -> list[Path]:
    from backprop_gui.resources import resource_path

    folder = resource_path("lessons")
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".toml", ".json"))


def _check_lesson(path: Path) -> str:
    """Load the lesson, apply every page's setup in a window drawn offscreen, and compute
    every number its text shows and every question's answer."""
    from PySide6.QtCore import QCoreApplication, QEvent, QSettings

    from backprop_gui.lessons import QuantityError, load_lesson
    from backprop_gui.lessons.markup import placeholders
    from backprop_gui.ui.window.main_window import MainWindow

    lesson = load_lesson(path)
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(os.path.join(tmp, "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, remember_layout=False)
        try:
            controller = window.lessons
            controller.open_lesson(lesson, page=1)
            for number in range(1, len(lesson.pages) + 1):
                notes = controller.apply_page(number)
                clock = window.training.clock
                while clock.is_running:
                    clock.tick()
                runner = controller.setup.compare_runner
                if runner is not None and runner.running:
                    runner.run_to_end()
                if notes:
                    raise AssertionError(f"page {number}: " + "; ".join(notes))
                page = lesson.pages[number - 1]
                texts = [page.text] + ([page.question.ask, page.question.hint,
                                        page.question.solution, *page.question.choices]
                                       if page.question else [])
                quantities = controller.quantities()
                for expr in (e for text in texts for e in placeholders(text)):
                    try:
                        quantities.format(expr)
                    except QuantityError as exc:
                        raise AssertionError(f"page {number}: {{{{{expr}}}}}: {exc}") from None
                if page.question is not None:
                    value = controller.expected()
                    if not np.isfinite(value):
                        raise AssertionError(f"page {number}: the answer is {value}")
                    if page.question.is_choice and not 1 <= value <= len(page.question.choices):
                        raise AssertionError(f"page {number}: the right choice is {value}")
        finally:
            window.lessons.close_lesson(show_welcome=False)
            window.close()
            window.deleteLater()
            # Gone now, not whenever an event loop next runs (the next check makes a window too).
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    questions = len(lesson.questions)
    return f"“{lesson.title}”: {len(lesson.pages)} pages set up, {questions} questions answerable"


def _check_window(file: str | None) -> str:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from backprop_gui.session.session import Session
    from backprop_gui.ui.window.main_window import MainWindow

    app = QApplication.instance()
    session = Session()
    if file:
        session.open_file(file)
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(os.path.join(tmp, "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(session, settings=settings, remember_layout=False)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        image = window.grab().toImage()
        window.close()
        window.deleteLater()
        app.processEvents()
    if image.isNull() or image.width() < 100:
        raise AssertionError("the window did not render")
    small = image.scaled(64, 40)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    if len(colours) < 16:
        raise AssertionError(f"the window looks blank ({len(colours)} colours)")
    return f"rendered {image.width()}×{image.height()}, {len(window.dock_names())} panels"


def _check_guide() -> str:
    from backprop_gui.ui.guide.contents import Guide

    guide = Guide.load()
    problems = guide.problems()
    if problems:
        raise AssertionError(f"{len(problems)} problems, e.g. {problems[0]}")
    return f"{len(guide.pages())} pages, {len(guide.glossary_terms())} glossary terms, links resolve"


def _check_compare() -> str:
    """Train ▸ Compare…: each run equals what the Trainer gives for its setting."""
    from backprop_gui.engine.compare import CompareJob, preset_variants
    from backprop_gui.engine.training import Trainer
    from backprop_gui.session.session import default_project

    project = default_project()
    net, data, base = project.network, project.dataset, project.training
    variants = preset_variants("optimizers", base)
    job = CompareJob(net, data, base, variants, epochs=3)
    while not job.advance():
        pass
    for variant, run in zip(variants, job.runs, strict=True):
        trainer = Trainer(net.copy(), data, variant.config(base))
        trainer.train(epochs=3)
        if run.history.loss != trainer.history.loss:
            raise AssertionError(f"the compared run {run.name!r} differs from its training")
    return f"{len(job.runs)} runs ({'; '.join(r.name for r in job.runs)}) equal their training"


def checks(file: str | None = None) -> list[tuple[str, Callable[[], str]]]:
    from backprop_gui.engine.datasets import BUILTIN_DATASETS

    found: list[tuple[str, Callable[[], str]]] = [
        (f"dataset {name}", lambda n=name: _check_dataset(n)) for name in BUILTIN_DATASETS
    ]
    found.append(("project file round trip", _check_project_file))
    found.append(("landscape", _check_landscape))
    found.append(("compare runs", _check_compare))
    lessons = _lesson_files()
    found += [(f"lesson {p.name}", lambda p=p: _check_lesson(p)) for p in lessons]
    if not lessons:
        found.append(("lessons", lambda: "none bundled"))
    found.append(("user guide", _check_guide))
    found.append(("main window" + (f" with {Path(file).name}" if file else ""),
                  lambda: _check_window(file)))
    return found


def run_self_test(file: str | None = None, out=None) -> int:
    """Run every check, print a line for each and a summary; 0 if all passed, else 1."""
    out = out or sys.stdout
    passed = failed = 0
    for name, check in checks(file):
        try:
            detail = check()
        except Exception as exc:
            failed += 1
            print(f"FAIL  {name}: {type(exc).__name__}: {exc}", file=out)
            if os.environ.get("BACKPROP_GUI_DEBUG"):
                traceback.print_exc()
        else:
            passed += 1
            print(f"ok    {name}: {detail}", file=out)
    print(f"self-test: {passed} checks passed, {failed} failed", file=out)
    return 0 if failed == 0 else 1
