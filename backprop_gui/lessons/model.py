"""What a loaded lesson is: frozen records the loader builds after checking every field."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Action:
    """One setup step of a page: `kind` (e.g. "select_sample") and its checked arguments
    (numbers as given: 1-based where a person counts; `file` resolved beside the lesson)."""

    kind: str
    args: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """"select_sample sample=1", for messages and the self-test."""
        parts = " ".join(f"{k}={v}" for k, v in self.args.items())
        return f"{self.kind} {parts}".strip()


@dataclass(frozen=True)
class Question:
    """A number to predict (`expression`, checked within `tolerance`, or within `relative`
    of it) or a choice among `choices` (`correct` is a 1-based index or an expression giving
    one). `hint` comes after a wrong answer, `solution` (and the step `solution_step`, shown
    in the Steps panel) after a second one; `review_page` (1-based) offers to look back."""

    ask: str
    expression: str | None = None
    tolerance: float = 0.005
    relative: float | None = None
    choices: tuple[str, ...] = ()
    correct: int | str | None = None
    hint: str = ""
    solution: str = ""
    solution_step: str | None = None
    review_page: int | None = None

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)


@dataclass(frozen=True)
class Page:
    title: str
    text: str
    actions: tuple[Action, ...] = ()
    question: Question | None = None
    wait_for_answer: bool = False
    images: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    summary: str
    pages: tuple[Page, ...]
    path: Path | None = None
    order: int = 1000
    language: str = "en"

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path is not None else None

    @property
    def questions(self) -> list[tuple[int, Question]]:
        """(page index, question) of every question, in page order."""
        return [(i, p.question) for i, p in enumerate(self.pages) if p.question is not None]
