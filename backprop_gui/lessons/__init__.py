"""Lesson files: the format, the loader and validator, the numbers a question checks against,
and the lesson state machine (no Qt, no widgets).

A lesson is data (TOML or JSON): pages of text, setup actions the window applies when a page
opens, questions whose right answer the engine computes for the state the page set up.
Nothing in a lesson file can run code or reach the network. `resources/lessons/README.md`
describes the format for teachers.
"""

from __future__ import annotations

from .catalog import bundled_lessons, find_bundled
from .loader import LessonError, load_lesson, loads_lesson
from .model import Action, Lesson, Page, Question
from .expression import QuantityError
from .quantities import Quantities
from .run import Feedback, LessonRun

__all__ = ["Action", "Feedback", "Lesson", "LessonError", "LessonRun", "Page", "Quantities",
           "QuantityError", "Question", "bundled_lessons", "find_bundled", "load_lesson",
           "loads_lesson"]
