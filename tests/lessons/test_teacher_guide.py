"""resources/lessons/README.md stays true: its complete example loads and runs, and it names
every action, control and number the app knows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from backprop_gui.lessons import Quantities, load_lesson
from backprop_gui.lessons.actions import ACTIONS, CONTROLS
from backprop_gui.lessons.expression import INDEXED, QUANTITIES
from backprop_gui.resources import resource_path

GUIDE = resource_path("lessons", "README.md").read_text(encoding="utf-8")


def test_the_complete_example_loads_and_its_numbers_compute(tmp_path: Path) -> None:
    example = re.search(r"## A complete small lesson.*?```toml\n(.*?)```", GUIDE, re.DOTALL).group(1)
    (tmp_path / "first-look.toml").write_text(example, encoding="utf-8")
    shutil.copy(resource_path("lessons", "digits.bpnet"), tmp_path / "digits.bpnet")
    lesson = load_lesson(tmp_path / "first-look.toml")
    assert [p.title for p in lesson.pages] == ["The network", "Predict a number", "A choice"]
    from backprop_gui.engine.projectfile import load_project

    q = Quantities(load_project(tmp_path / "digits.bpnet"))
    assert q.value("z1[1]") == q.project.network.forward(q.project.dataset.inputs[0]).z[1][0, 0]
    assert q.value(lesson.pages[2].question.correct) in (1.0, 2.0, 3.0)


def test_every_action_control_and_number_is_described() -> None:
    for name in list(ACTIONS) + list(CONTROLS) + list(QUANTITIES) + list(INDEXED):
        assert f"`{name}" in GUIDE, name
