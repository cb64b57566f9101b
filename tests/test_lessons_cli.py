"""The lessons on the command line: --list-lessons (without Qt), --lesson/--page checked
before the window starts, --screenshot of a lesson page, and --self-test's lesson checks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from backprop_gui import app


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8")
    return subprocess.run([sys.executable, "-m", "backprop_gui", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_list_lessons_prints_id_and_title_without_qt() -> None:
    code = ("import sys, io, contextlib\nfrom backprop_gui import app\nout = io.StringIO()\n"
            "with contextlib.redirect_stdout(out):\n    rc = app.main(['--list-lessons'])\n"
            "print(rc, repr(out.getvalue()), sorted(m for m in sys.modules if m.startswith('PySide6')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == (
        "0 'chain       One neuron per layer: the chain rule (8 pages)\\n"
        "landscape   Gradient descent on a landscape (11 pages)\\n"
        "xor         XOR needs a hidden layer (9 pages)\\n"
        "digits      Is it a 0 or a 1? (14 pages)\\n"
        "softmax     Softmax and cross-entropy, step by step (11 pages)\\n"
        "efficiency  Why backpropagation is efficient (6 pages)\\n' []"), result.stderr


@pytest.mark.parametrize("args, message", [
    (["--lesson", "nope"], "there is no lesson “nope” (bundled lessons: chain, landscape, xor, digits, softmax, efficiency)"),
    (["--page", "2"], "--page needs --lesson"),
    (["--lesson", "digits", "--page", "30"], "--page 30: the lesson “digits” has 14 pages"),
    (["--lesson", "digits", "--page", "0"], "argument --page: expected a page number 1, 2, …, got '0'"),
])
def test_a_wrong_lesson_or_page_is_a_usage_error(capsys, args, message) -> None:
    with pytest.raises(SystemExit) as info:
        app.main(args)
    assert info.value.code == 2
    assert capsys.readouterr().err.strip().endswith(f"backprop-gui: error: {message}")


def test_screenshot_of_a_lesson_page(tmp_path) -> None:
    out = tmp_path / "lesson.png"
    result = run("--lesson", "softmax", "--page", "3", "--screenshot", str(out), "--size", "1024x600")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_self_test_sets_up_every_page_and_reports_what_fails(qapp, tmp_path) -> None:
    from backprop_gui.selftest import _check_lesson

    good = tmp_path / "good.toml"
    good.write_text('id = "g"\ntitle = "G"\n[[page]]\ntitle = "T"\ntext = "{{param_count}}"\n'
                    '[page.question]\nask = "?"\nnumber = "output[1]"\n', encoding="utf-8")
    assert _check_lesson(good) == "“G”: 1 pages set up, 1 questions answerable"
    # Without open_project the loader cannot know the network; the self-test finds out.
    step = tmp_path / "step.toml"
    step.write_text('id = "s"\ntitle = "S"\n[[page]]\ntitle = "T"\ntext = "x"\n'
                    'actions = [{ do = "show_step", step = "dL/da3" }]\n', encoding="utf-8")
    with pytest.raises(AssertionError, match=r"^page 1: Could not show step: the step-through "
                                             r"of this network has no step “dL/da3”$"):
        _check_lesson(step)
    number = tmp_path / "number.toml"
    number.write_text('id = "n"\ntitle = "N"\n[[page]]\ntitle = "T"\ntext = "{{output[5]}}"\n',
                      encoding="utf-8")
    with pytest.raises(AssertionError, match=r"^page 1: \{\{output\[5\]\}\}: output\[5\]: the "
                                             r"network has 2 outputs$"):
        _check_lesson(number)
