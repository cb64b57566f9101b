"""The lessons shipped in resources/lessons/, in their order."""

from __future__ import annotations

from pathlib import Path

from ..resources import resource_path
from .loader import LESSON_SUFFIXES, LessonError, load_lesson
from .model import Lesson


def lesson_files(folder: Path | None = None) -> list[Path]:
    folder = folder or resource_path("lessons")
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in LESSON_SUFFIXES and p.is_file())


def bundled_lessons(folder: Path | None = None) -> tuple[list[Lesson], list[str]]:
    """(the lessons that load, sorted by `order` then title; a message for each that does not)."""
    lessons, problems = [], []
    for path in lesson_files(folder):
        try:
            lessons.append(load_lesson(path))
        except LessonError as exc:
            problems.append(str(exc))
    lessons.sort(key=lambda lesson: (lesson.order, lesson.title))
    return lessons, problems


def find_bundled(lesson_id: str, folder: Path | None = None) -> Lesson:
    """The bundled lesson with this id; LessonError listing the ids there are."""
    lessons, _ = bundled_lessons(folder)
    for lesson in lessons:
        if lesson.id == lesson_id:
            return lesson
    known = ", ".join(lesson.id for lesson in lessons) or "none"
    raise LessonError(f"there is no lesson “{lesson_id}” (bundled lessons: {known})")
