"""The bundled lessons' projects are exactly what tests/lessons/lesson_projects.py builds."""

from __future__ import annotations

import pytest

from backprop_gui.engine.projectfile import dumps_project

from .lesson_projects import FOLDER, PROJECTS


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_bundled_project_is_what_the_builder_makes(name: str) -> None:
    assert (FOLDER / name).read_text(encoding="utf-8") == dumps_project(PROJECTS[name]())
