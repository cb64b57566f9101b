"""The lesson state machine and the engine-computed quantities, without a window."""

from __future__ import annotations

import math

import pytest

from backprop_gui.engine.datasets import default_project
from backprop_gui.engine.network import Network
from backprop_gui.lessons import LessonRun, Quantities, QuantityError, loads_lesson
from backprop_gui.lessons.markup import to_html
from backprop_gui.lessons.run import parse_answer
from backprop_gui.lessons.steps import find_step, parse_step_name
from backprop_gui.engine.walkthrough import walkthrough

LESSON = """
id = "run"
title = "Run"
[[page]]
title = "One"
text = "Intro."
[[page]]
title = "Two"
text = "Q."
wait_for_answer = true
[page.question]
ask = "How many parameters?"
number = "param_count"
tolerance = 0
hint = "Count weights and biases."
solution = "{{weight_count}} + {{bias_count}}"
[[page]]
title = "Three"
text = "Which sign?"
[page.question]
ask = "Sign?"
choices = ["negative", "zero", "positive"]
correct = "sign(grad z3[1]) + 2"
[[page]]
title = "End"
text = "Done."
"""


def make_run(tmp_path) -> LessonRun:
    return LessonRun(loads_lesson(LESSON, "run.toml", tmp_path))


def test_next_waits_for_an_answer_then_goes_on(tmp_path) -> None:
    run = make_run(tmp_path)
    assert run.next() and run.index == 1
    assert run.blocked() and not run.next() and run.index == 1
    assert not run.go_to(3)                       # no skipping ahead past unseen pages
    fb = run.submit("150", 158.0)
    assert (fb.kind, fb.text) == ("hint", "Count weights and biases.")
    assert run.blocked()
    fb = run.submit("160", 158.0)
    assert fb.kind == "solution" and not run.blocked()      # the solution frees Next
    assert run.next() and run.index == 2
    assert run.score() == (0, 2)


def test_right_answer_scores_and_unreadable_costs_no_attempt(tmp_path) -> None:
    run = make_run(tmp_path)
    run.next()
    assert run.submit("many", 158.0).kind == "unreadable"
    assert run.answer().attempts == 0
    assert run.submit(" 158 ", 158.0).kind == "right"
    run.next()
    assert run.submit("3", 3.0).kind == "right"
    assert run.score() == (2, 2)


def test_progress_round_trip_and_junk_is_dropped(tmp_path) -> None:
    run = make_run(tmp_path)
    run.next()
    run.submit("158", 158.0)
    run.next()
    saved = run.progress()
    again = LessonRun.resume(run.lesson, saved)
    assert (again.index, again.seen, again.score()) == (2, {0, 1, 2}, (1, 2))
    junk = LessonRun.resume(run.lesson, {"page": 99, "seen": ["x", 50], "answers": {"7": 1}})
    assert (junk.index, junk.seen, junk.answers) == (0, {0}, {})


@pytest.mark.parametrize("text, value", [
    ("0.25", 0.25), ("−0,5", -0.5), ("-3", -3.0), ("1e-3", 0.001), ("50 %", 0.5), (".5", 0.5),
    ("abc", None), ("1,000.5", None), ("", None),
])
def test_parse_answer(text, value) -> None:
    assert parse_answer(text) == value


def test_quantities_match_hand_computed_values() -> None:
    # A 2-2-1 sigmoid network with known weights on one sample: every number by hand.
    net = Network.build([2, 2, 1], ["sigmoid", "sigmoid"], "mse", seed=0)
    net.weights[0][:] = [[0.5, -1.0], [1.0, 2.0]]
    net.biases[0][:] = [0.0, -1.0]
    net.weights[1][:] = [[1.0, -1.0]]
    net.biases[1][:] = [0.5]
    project = default_project("xor")
    project.network = net
    project.selected_sample = 3                     # x = [1, 1], y = 0
    q = Quantities(project)
    sig = lambda z: 1 / (1 + math.exp(-z))
    z1 = [0.5 - 1.0, 1.0 + 2.0 - 1.0]
    a1 = [sig(z1[0]), sig(z1[1])]
    z2 = a1[0] - a1[1] + 0.5
    a2 = sig(z2)
    assert q.value("z1[2]") == pytest.approx(2.0)
    assert q.value("a1[1]") == pytest.approx(a1[0])
    assert q.value("output[1]") == pytest.approx(a2)
    assert q.value("loss") == pytest.approx(a2 ** 2)           # MSE of one output, y = 0
    dz2 = 2 * a2 * a2 * (1 - a2)
    assert q.value("grad z2[1]") == pytest.approx(dz2)
    assert q.value("grad W2[1,2]") == pytest.approx(dz2 * a1[1])
    assert q.value("grad b1[1]") == pytest.approx(dz2 * 1.0 * a1[0] * (1 - a1[0]))
    assert q.value("param_count") == 9
    assert q.value("2 * (weight_count - bias_count) / 2") == 3
    assert q.value("-sign(grad W2[1,2])") == -1
    assert q.value("target[1]") == 0 and q.value("sample") == 4 and q.value("label") == 1
    # Any sample's output, whichever is selected: sample 1 is x = [0, 0].
    h = [sig(0.0), sig(-1.0)]
    assert q.value("sample_output[1]") == pytest.approx(sig(h[0] - h[1] + 0.5))
    assert q.value("sample_output[4]") == pytest.approx(a2)


def test_quantity_errors_say_what_is_wrong() -> None:
    q = Quantities(default_project())
    for text, message in [
        ("output[5]", "output[5]: the network has 2 outputs"),
        ("W9[1,1]", "W9[1,1]: no layer 9 (layers 1 … 3)"),
        ("W2[1]", "“W2[1]”: a weight has two indices [j,i]; z, a and b one"),
        ("1 / (loss - loss)", "division by zero"),
        ("loss +", "the expression ends too early"),
        ("__import__('os')", "cannot read"),
        ("output", "“output” needs an index: output[k]"),
        ("sample_output[0]", "sample_output[0]: samples are numbered from 1"),
        ("sample_output[999]", "sample_output[999]: the dataset has"),
    ]:
        with pytest.raises(QuantityError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
            q.value(text)


def test_step_names_find_the_walkthrough_step() -> None:
    p = default_project()
    steps = walkthrough(p.network, p.dataset.inputs[0], p.dataset.targets(2)[0], 0.1)
    i = find_step(steps, "∂L/∂z³")
    assert (steps[i].kind, steps[i].layer) == ("dL/dz", 3)
    assert parse_step_name("update W2") == ("update_W", 2)
    with pytest.raises(ValueError, match="names no step"):
        parse_step_name("dz3")


def test_markup_escapes_everything_but_its_own_tags() -> None:
    html = to_html('**ŷ** & *x* < `1`\n\n- one\n- two\n\n# Head')
    assert html == ("<p><b>ŷ</b> &amp; <i>x</i> &lt; <code>1</code></p>\n"
                    "<ul><li>one</li><li>two</li></ul>\n<h3>Head</h3>")
    assert "<img" not in to_html('<img src="http://x">') and "&lt;img" in to_html("<img>")


def test_glossary_links_become_links_to_the_glossary_and_nothing_else() -> None:
    assert to_html("An [[epoch]], the [[learning rate|step size]], **[[ReLU]]**.") == (
        '<p>An <a href="glossary:epoch">epoch</a>, the '
        '<a href="glossary:learning-rate">step size</a>, '
        '<b><a href="glossary:relu">ReLU</a></b>.</p>')
    # Not a term: left as written (escaped), never an address of the teacher's choosing.
    assert to_html('[[http://x.org/"a]]') == "<p>[[http://x.org/&quot;a]]</p>"
    assert to_html("[[a|b|c]]") == "<p>[[a|b|c]]</p>"
