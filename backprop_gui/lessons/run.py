"""The lesson state machine: which page is open, what the student answered, the score.

`LessonRun` knows nothing of windows: the panel shows `page`, calls `next`/`back`, and hands
`submit` the student's text and the value the engine computed for it. What a run remembers
between sessions (`progress()` / `LessonRun(lesson, progress)`) is a plain dict.

Predict, then reveal: a right answer is right; the first wrong one gets the hint, the second
the worked solution (`Feedback.kind` "hint", "solution"). A page with `wait_for_answer` lets
the student go on only once the question is answered right or its solution has been shown.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from .model import Lesson, Page, Question


@dataclass
class Answer:
    attempts: int = 0
    right: bool = False          # answered right (before or after a hint)
    revealed: bool = False       # the solution was shown
    given: str = ""
    scored: bool = False         # answered right before the solution was shown

    @property
    def done(self) -> bool:
        return self.right or self.revealed


@dataclass(frozen=True)
class Feedback:
    kind: str          # "right", "hint", "solution", "unreadable"
    text: str = ""


@dataclass
class LessonRun:
    lesson: Lesson
    index: int = 0
    seen: set[int] = field(default_factory=set)
    answers: dict[int, Answer] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = max(0, min(self.index, len(self.lesson.pages) - 1))
        self.seen.add(self.index)

    # ----- pages ---------------------------------------------------------------------------

    @property
    def page(self) -> Page:
        return self.lesson.pages[self.index]

    @property
    def n_pages(self) -> int:
        return len(self.lesson.pages)

    @property
    def at_first(self) -> bool:
        return self.index == 0

    @property
    def at_last(self) -> bool:
        return self.index == self.n_pages - 1

    def answer(self, index: int | None = None) -> Answer:
        i = self.index if index is None else index
        return self.answers.setdefault(i, Answer())

    def blocked(self) -> bool:
        """Whether Next waits for this page's question to be answered."""
        page = self.page
        return page.wait_for_answer and page.question is not None and not self.answer().done

    def can_go_next(self) -> bool:
        return not self.at_last and not self.blocked()

    def go_to(self, index: int) -> bool:
        """Open page `index` (0-based): any page already seen, or the next one when this one
        does not wait. False if the lesson does not allow it."""
        if not 0 <= index < self.n_pages or index == self.index:
            return False
        if index > self.index and index not in self.seen:
            if index != self.index + 1 or self.blocked():
                return False
        self.index = index
        self.seen.add(index)
        return True

    def next(self) -> bool:
        return self.can_go_next() and self.go_to(self.index + 1)

    def back(self) -> bool:
        return self.go_to(self.index - 1)

    # ----- answers -------------------------------------------------------------------------

    def submit(self, given: str, expected: float) -> Feedback:
        """Check the student's `given` text against `expected` (the engine's value; for a
        choice, the 1-based number of the right choice). Counts an attempt unless the text
        cannot be read."""
        question = self.page.question
        if question is None:
            raise ValueError("this page asks no question")
        answer = self.answer()
        value = parse_answer(given) if not question.is_choice else _choice_number(given)
        if value is None:
            return Feedback("unreadable", "Type a number, such as 0.25 or −3.")
        answer.attempts += 1
        answer.given = given.strip()
        if is_right(question, value, expected):
            answer.scored = answer.scored or not answer.revealed
            answer.right = True
            return Feedback("right", "Right!")
        if answer.attempts == 1 and question.hint:
            return Feedback("hint", question.hint)
        answer.revealed = True
        return Feedback("solution", question.solution)

    def reveal(self) -> Feedback:
        """Show the worked solution without (another) answer."""
        question = self.page.question
        if question is None:
            raise ValueError("this page asks no question")
        self.answer().revealed = True
        return Feedback("solution", question.solution)

    def score(self) -> tuple[int, int]:
        """(questions answered right without seeing the solution first, questions)."""
        questions = self.lesson.questions
        right = sum(1 for i, _ in questions if i in self.answers and self.answers[i].scored)
        return right, len(questions)

    # ----- remembering ----------------------------------------------------------------------

    def progress(self) -> dict[str, Any]:
        return {"page": self.index, "seen": sorted(self.seen),
                "answers": {str(i): [a.attempts, a.right, a.revealed, a.given, a.scored]
                            for i, a in self.answers.items() if a.attempts or a.revealed}}

    @classmethod
    def resume(cls, lesson: Lesson, progress: Any) -> LessonRun:
        """A run continuing `progress` (as `progress()` gave it); anything unreadable or that
        no longer fits the lesson (a teacher edited it) is dropped, not an error."""
        run = cls(lesson)
        if not isinstance(progress, dict):
            return run
        n = len(lesson.pages)
        seen = progress.get("seen")
        if isinstance(seen, list):
            run.seen |= {i for i in seen if isinstance(i, int) and 0 <= i < n}
        answers = progress.get("answers")
        if isinstance(answers, dict):
            for key, v in answers.items():
                if (isinstance(key, str) and key.isdigit() and int(key) < n
                        and lesson.pages[int(key)].question is not None
                        and isinstance(v, list) and len(v) == 5):
                    attempts, right, revealed, given, scored = v
                    if isinstance(attempts, int) and isinstance(given, str):
                        run.answers[int(key)] = Answer(attempts, bool(right), bool(revealed),
                                                       given[:100], bool(scored))
        page = progress.get("page")
        if isinstance(page, int) and page in run.seen:
            run.index = page
        return run


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def parse_answer(text: str) -> float | None:
    """The number a student typed: "0.25", "-3", "−0,5" (a decimal comma), "1e-3", "50 %"
    is 0.5; None when it is not a number."""
    t = str(text).strip().replace("−", "-").replace("\u2009", "").replace(" ", "")
    percent = t.endswith("%")
    t = t.rstrip("%")
    if "," in t and "." not in t and t.count(",") == 1:
        t = t.replace(",", ".")
    if not _NUMBER.fullmatch(t):
        return None
    value = float(t)
    return value / 100 if percent else value


def _choice_number(text: str) -> float | None:
    t = str(text).strip()
    return float(int(t)) if t.isdigit() else None


def is_right(question: Question, value: float, expected: float) -> bool:
    if not math.isfinite(expected):
        return False
    if question.is_choice:
        return int(value) == int(round(expected))
    allowed = question.tolerance
    if question.relative is not None:
        allowed = max(allowed, question.relative * abs(expected))
    return abs(value - expected) <= allowed + 1e-12 * max(1.0, abs(expected))
