"""Reading lesson files: every broken fixture gives its message, naming file, page and field."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backprop_gui.lessons import LessonError, load_lesson, loads_lesson
from backprop_gui.lessons.limits import MAX_LESSON_BYTES

from .conftest import BROKEN

GOOD = """
id = "tiny"
title = "A tiny lesson"
summary = "Two pages."
order = 3

[[page]]
title = "Start"
text = "The network has {{param_count}} parameters."
actions = [
  { do = "open_project", file = "digits.bpnet" },
  { do = "select_sample", sample = 2 },
  { do = "show_step", step = "dL/dz3" },
  { do = "select", item = "W2[3,5]" },
  { do = "highlight", layer = 1, neurons = [1, 2] },
  { do = "colour_edges", by = "gradients" },
  { do = "bring_to_front", panel = "Steps" },
  { do = "lock_controls", controls = ["learning_rate"] },
]

[[page]]
title = "Predict"
text = "What is **ŷ₁**?"
wait_for_answer = true
[page.question]
ask = "ŷ₁ = ?"
number = "output[1]"
tolerance = 0.01
hint = "Look at the output layer."
solution = "ŷ₁ = {{output[1]}}"
solution_step = "a3"
review_page = 1
"""


def expected_message(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: ")
    return first.removeprefix("# expect: ")


@pytest.mark.parametrize("name", sorted(p.name for p in BROKEN.iterdir()))
def test_each_broken_fixture_gives_its_message(broken_dir: Path, name: str) -> None:
    with pytest.raises(LessonError) as info:
        load_lesson(broken_dir / name)
    assert str(info.value) == expected_message(BROKEN / name)


def test_a_good_lesson_loads_with_every_field(lesson_dir: Path) -> None:
    (lesson_dir / "tiny.toml").write_text(GOOD, encoding="utf-8")
    lesson = load_lesson(lesson_dir / "tiny.toml")
    assert (lesson.id, lesson.title, lesson.order, len(lesson.pages)) == ("tiny", "A tiny lesson", 3, 2)
    first = lesson.pages[0]
    assert [a.kind for a in first.actions] == [
        "open_project", "select_sample", "show_step", "select", "highlight", "colour_edges",
        "bring_to_front", "lock_controls"]
    assert first.actions[0].args == {"file": lesson_dir / "digits.bpnet"}
    assert first.actions[4].args == {"layer": 1, "neurons": (1, 2)}
    q = lesson.pages[1].question
    assert (q.expression, q.tolerance, q.solution_step, q.review_page) == ("output[1]", 0.01, "a3", 1)
    assert lesson.pages[1].wait_for_answer


def test_the_same_lesson_as_json(lesson_dir: Path) -> None:
    import json
    import tomllib

    (lesson_dir / "tiny.json").write_text(json.dumps(tomllib.loads(GOOD)), encoding="utf-8")
    assert len(load_lesson(lesson_dir / "tiny.json").pages) == 2


def test_not_utf8(lesson_dir: Path) -> None:
    (lesson_dir / "latin1.toml").write_bytes('id = "x"\ntitle = "Über"\n'.encode("latin-1"))
    with pytest.raises(LessonError, match=r"^latin1.toml: the file is not UTF-8 text \(byte 0xdc "
                                          r"at offset 18\); save it as UTF-8$"):
        load_lesson(lesson_dir / "latin1.toml")


def test_huge_file_refused_before_reading(lesson_dir: Path) -> None:
    path = lesson_dir / "huge.toml"
    with open(path, "wb") as f:
        f.truncate(MAX_LESSON_BYTES + 1)
    with pytest.raises(LessonError, match=r"^huge.toml: the file is 524,289 bytes; a lesson may "
                                          r"be at most 512 KB$"):
        load_lesson(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_fifo_refused_without_waiting(lesson_dir: Path) -> None:
    path = lesson_dir / "pipe.toml"
    os.mkfifo(path)
    with pytest.raises(LessonError, match=r"^pipe.toml: .*is not a regular file \(it is a named pipe\)$"):
        load_lesson(path)


def test_a_broken_project_beside_the_lesson(lesson_dir: Path) -> None:
    (lesson_dir / "bad.bpnet").write_text("{}", encoding="utf-8")
    text = GOOD.replace("digits.bpnet", "bad.bpnet")
    with pytest.raises(LessonError, match=r"^tiny.toml: page 1, action 1: file: the project "
                                          r"“bad.bpnet” cannot be opened: "):
        loads_lesson(text, "tiny.toml", lesson_dir)


def test_json_wrong_type_names_the_field(lesson_dir: Path) -> None:
    text = '{"id": "j", "title": "J", "page": [{"title": "One", "text": 5}]}'
    with pytest.raises(LessonError) as info:
        loads_lesson(text, "j.json", lesson_dir)
    assert str(info.value) == "j.json: page 1: text: must be text, got the number 5"


def test_entities_and_unbalanced_placeholders_refused(lesson_dir: Path) -> None:
    for text, message in [
        ("a &lt;b&gt;", "HTML entities are not allowed (found “&lt;”)"),
        ("{{loss", "a “{{” has no matching “}}”"),
    ]:
        toml = f'id = "x"\ntitle = "X"\n[[page]]\ntitle = "T"\ntext = "{text}"\n'
        with pytest.raises(LessonError, match="^x.toml: page 1: text: " + message.replace("(", r"\(").replace(")", r"\)")):
            loads_lesson(toml, "x.toml", lesson_dir)


def test_a_comparison_sign_is_not_markup(lesson_dir: Path) -> None:
    toml = 'id = "x"\ntitle = "X"\n[[page]]\ntitle = "T"\ntext = "x < 0.5 and y > 2, z<0"\n'
    assert loads_lesson(toml, "x.toml", lesson_dir).pages[0].text == "x < 0.5 and y > 2, z<0"
