"""Shared by the lesson tests: a folder with a project beside the lesson files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backprop_gui.engine.datasets import default_project
from backprop_gui.engine.projectfile import save_project

BROKEN = Path(__file__).parent / "broken"


@pytest.fixture
def lesson_dir(tmp_path: Path) -> Path:
    """tmp_path holding digits.bpnet (the default 16-6-6-2 project with 24 samples)."""
    save_project(default_project(), tmp_path / "digits.bpnet")
    return tmp_path


@pytest.fixture
def broken_dir(lesson_dir: Path) -> Path:
    for path in BROKEN.iterdir():
        shutil.copy(path, lesson_dir / path.name)
    return lesson_dir
