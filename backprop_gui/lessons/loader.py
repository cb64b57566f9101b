"""Reading and checking a lesson file (TOML or JSON, UTF-8).

Everything is checked before a lesson is shown, so a teacher sees every mistake at once:
each problem is a LessonError whose message names the file, the page and the field,

    broken.toml: page 4, action 2: do: unknown action 'hilight' (did you mean 'highlight'?)

never a traceback. The file is data: `tomllib` or `json` read it, nothing in it is executed,
nothing is fetched. Projects and pictures are files beside the lesson; the projects are
opened once here (with the engine's own loader) to check what the pages name in them.
"""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from ..engine.projectfile import load_project
from ..engine.regular_file import FileTooLargeError, NotRegularFileError, read_regular_file
from . import limits as L
from .actions import ActionError, Context, _did_you_mean, _kind, read_action
from .markup import markup_problem, placeholders
from .model import Action, Lesson, Page, Question
from .expression import QuantityError, check
from .steps import step_name_problem

FORMAT_TAG = "backprop-gui-lesson"
FORMAT_VERSION = 1
LESSON_SUFFIXES = (".toml", ".json")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_LESSON_FIELDS = ("format", "version", "id", "title", "summary", "order", "language", "page")
_PAGE_FIELDS = ("title", "text", "actions", "question", "wait_for_answer", "images")
_QUESTION_FIELDS = ("ask", "number", "tolerance", "relative", "choices", "correct", "hint",
                    "solution", "solution_step", "review_page")


class LessonError(ValueError):
    """A lesson that cannot be used; the message names the file, the page and the field."""


class _Problem(Exception):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where


def load_lesson(path: str | os.PathLike) -> Lesson:
    """Read and check the lesson at `path`; LessonError for anything wrong with it."""
    path = Path(path)
    name = path.name
    try:
        data = read_regular_file(path, L.MAX_LESSON_BYTES)
    except FileTooLargeError as exc:
        raise LessonError(f"{name}: the file is {exc.size:,} bytes; a lesson may be at most "
                          f"{L.MAX_LESSON_BYTES // 1024} KB") from None
    except NotRegularFileError as exc:
        raise LessonError(f"{name}: {exc}") from None
    except OSError as exc:
        raise LessonError(f"{name}: cannot be read: {exc.strerror or exc}") from None
    return loads_lesson(data, name=name, folder=path.parent, path=path)


def loads_lesson(data: bytes | str, name: str = "lesson.toml", folder: Path | None = None,
                 path: Path | None = None) -> Lesson:
    """The lesson in `data` (TOML unless `name` ends in .json); projects and pictures are
    looked for in `folder`. LessonError naming `name`, the page and the field."""
    try:
        raw = _parse(data, name)
        return _lesson(raw, Context(folder, open_project=_project_shape), path)
    except _Problem as p:
        where = f"{name}: {p.where}: " if p.where else f"{name}: "
        raise LessonError(where + str(p)) from None
    except RecursionError:
        raise LessonError(f"{name}: the file is nested too deeply") from None


def _parse(data: bytes | str, name: str) -> Any:
    if isinstance(data, (bytes, bytearray)):
        if len(data) > L.MAX_LESSON_BYTES:
            raise _Problem("", f"the file is {len(data):,} bytes; a lesson may be at most "
                               f"{L.MAX_LESSON_BYTES // 1024} KB")
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise _Problem("", f"the file is not UTF-8 text (byte 0x{data[e.start]:02x} at "
                               f"offset {e.start}); save it as UTF-8") from None
    else:
        text = data.removeprefix("\ufeff")
    if name.lower().endswith(".json"):
        try:
            return json.loads(text, parse_constant=lambda c: math.nan)
        except json.JSONDecodeError as e:
            raise _Problem("", f"not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}") from None
        except ValueError as e:
            raise _Problem("", f"not valid JSON: {e}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise _Problem("", f"not valid TOML: {e}") from None


def _project_shape(path: Path) -> tuple[list[int], int]:
    project = load_project(path)
    return list(project.network.sizes), project.dataset.n_samples


# ----- fields ----------------------------------------------------------------------------------

def _unknown(raw: dict, known: tuple[str, ...], where: str) -> None:
    for key in raw:
        if key not in known:
            raise _Problem(where, f"unknown field '{key}'{_did_you_mean(key, known)}")


def _text(raw: dict, key: str, where: str, required: bool = True, limit: int = L.MAX_TEXT_CHARS,
          ctx: Context | None = None) -> str:
    if key not in raw:
        if required:
            raise _Problem(where, f"{key}: missing (write {key} = \"…\")")
        return ""
    v = raw[key]
    if not isinstance(v, str):
        raise _Problem(where, f"{key}: must be text, got {_kind(v)}")
    if len(v) > limit:
        raise _Problem(where, f"{key}: is {len(v):,} characters long; at most {limit:,} are allowed")
    problem = markup_problem(v)
    if problem:
        raise _Problem(where, f"{key}: {problem}")
    for expr in placeholders(v):
        try:
            check(expr, ctx.sizes if ctx else None)
        except QuantityError as exc:
            raise _Problem(where, f"{key}: {{{{{expr}}}}}: {exc}") from None
    return v


def _lesson(raw: Any, ctx: Context, path: Path | None) -> Lesson:
    if not isinstance(raw, dict):
        raise _Problem("", "a lesson is a table of fields (id, title, pages)")
    _unknown(raw, _LESSON_FIELDS, "")
    fmt = raw.get("format", FORMAT_TAG)
    if fmt != FORMAT_TAG:
        raise _Problem("", f"format: must be \"{FORMAT_TAG}\", got {_kind(fmt)}")
    version = raw.get("version", FORMAT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _Problem("", f"version: must be a whole number ≥ 1, got {_kind(version)}")
    if version > FORMAT_VERSION:
        raise _Problem("", f"version: the lesson is format version {version}; this Backprop GUI "
                           f"reads version {FORMAT_VERSION} (update the app)")
    lesson_id = _text(raw, "id", "", limit=L.MAX_ID_CHARS)
    if not _ID.fullmatch(lesson_id):
        raise _Problem("", f"id: use lower-case letters, digits, “-” and “_”, got “{lesson_id}”")
    title = _text(raw, "title", "", limit=L.MAX_TITLE_CHARS)
    summary = _text(raw, "summary", "", required=False)
    order = raw.get("order", 1000)
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= 10**6:
        raise _Problem("", f"order: must be a whole number in 0 … 1,000,000, got {_kind(order)}")
    language = _text(raw, "language", "", required=False, limit=20) or "en"
    pages_raw = raw.get("page")
    if not isinstance(pages_raw, list) or not pages_raw:
        raise _Problem("", "page: a lesson needs at least one page ([[page]] with a title and text)")
    if len(pages_raw) > L.MAX_PAGES:
        raise _Problem("", f"page: the lesson has {len(pages_raw)} pages; at most {L.MAX_PAGES} "
                           f"are allowed")
    pages = tuple(_page(p, i + 1, len(pages_raw), ctx) for i, p in enumerate(pages_raw))
    return Lesson(lesson_id, title, summary, pages, path=path, order=order, language=language)


def _page(raw: Any, number: int, n_pages: int, ctx: Context) -> Page:
    where = f"page {number}"
    if not isinstance(raw, dict):
        raise _Problem(where, f"a page is a table with a title and text, got {_kind(raw)}")
    _unknown(raw, _PAGE_FIELDS, where)
    # Actions first: the project they open is the one the text's numbers are checked against.
    actions_raw = raw.get("actions", [])
    if not isinstance(actions_raw, list):
        raise _Problem(where, f"actions: must be a list of tables, got {_kind(actions_raw)}")
    if len(actions_raw) > L.MAX_ACTIONS:
        raise _Problem(where, f"actions: {len(actions_raw)} actions; at most {L.MAX_ACTIONS} per page")
    actions = []
    for k, a in enumerate(actions_raw, start=1):
        try:
            kind, args = read_action(a, ctx)
        except ActionError as exc:
            field = f"{exc.field}: " if exc.field else ""
            raise _Problem(f"{where}, action {k}", f"{field}{exc}") from None
        actions.append(Action(kind, args))
    title = _text(raw, "title", where, limit=L.MAX_TITLE_CHARS, ctx=ctx)
    text = _text(raw, "text", where, ctx=ctx)
    wait = raw.get("wait_for_answer", False)
    if not isinstance(wait, bool):
        raise _Problem(where, f"wait_for_answer: must be true or false, got {_kind(wait)}")
    question = None
    if "question" in raw:
        question = _question(raw["question"], f"{where}, question", n_pages, ctx)
    elif wait:
        raise _Problem(where, "wait_for_answer: the page has no question to wait for")
    images = _images(raw.get("images", []), where, ctx)
    return Page(title, text, tuple(actions), question, wait, images)


def _images(raw: Any, where: str, ctx: Context) -> tuple[Path, ...]:
    if not isinstance(raw, list) or len(raw) > L.MAX_IMAGES:
        raise _Problem(where, f"images: must be a list of at most {L.MAX_IMAGES} file names")
    out = []
    for name in raw:
        if not isinstance(name, str) or Path(name).name != name or \
                Path(name).suffix.lower() not in IMAGE_SUFFIXES:
            raise _Problem(where, f"images: “{name}” must be a PNG or JPEG file name beside "
                                  f"the lesson, without folders")
        path = (ctx.folder or Path(".")) / name
        if ctx.folder is None or not path.is_file():
            raise _Problem(where, f"images: there is no picture “{name}” beside the lesson")
        if path.stat().st_size > L.MAX_IMAGE_BYTES:
            raise _Problem(where, f"images: “{name}” is larger than "
                                  f"{L.MAX_IMAGE_BYTES // 2**20} MB")
        out.append(path)
    return tuple(out)


def _finite(v: Any, where: str, field: str, low: float, strict: bool = False) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) \
            or v < low or (strict and v == low):
        rel = ">" if strict else "≥"
        raise _Problem(where, f"{field}: must be a number {rel} {low:g}, got {_kind(v)}")
    return float(v)


def _question(raw: Any, where: str, n_pages: int, ctx: Context) -> Question:
    if not isinstance(raw, dict):
        raise _Problem(where, f"must be a table (ask = \"…\", number = \"…\"), got {_kind(raw)}")
    _unknown(raw, _QUESTION_FIELDS, where)
    ask = _text(raw, "ask", where, ctx=ctx)
    hint = _text(raw, "hint", where, required=False, ctx=ctx)
    solution = _text(raw, "solution", where, required=False, ctx=ctx)
    has_number, has_choices = "number" in raw, "choices" in raw
    if has_number == has_choices:
        raise _Problem(where, "give either number = \"expression\" (a number to predict) or "
                              "choices = [\"…\", …] with correct = N")
    expression, choices, correct = None, (), None
    tolerance = _finite(raw.get("tolerance", 0.005), where, "tolerance", 0.0)
    relative = None
    if "relative" in raw:
        relative = _finite(raw["relative"], where, "relative", 0.0, strict=True)
        if relative >= 1:
            raise _Problem(where, f"relative: must be below 1 (0.01 is 1 %), got {raw['relative']}")
    if has_number:
        expression = _expression(raw["number"], where, "number", ctx)
        if "correct" in raw:
            raise _Problem(where, "correct: belongs to a choice question; a number question "
                                  "is checked against number = \"…\"")
    else:
        v = raw["choices"]
        if not isinstance(v, list) or not 2 <= len(v) <= L.MAX_CHOICES:
            raise _Problem(where, f"choices: must be a list of 2 … {L.MAX_CHOICES} texts")
        choices = tuple(_text({"choices": c}, "choices", where, limit=L.MAX_TITLE_CHARS, ctx=ctx)
                        for c in v)
        if "correct" not in raw:
            raise _Problem(where, "correct: missing (the number of the right choice, from 1, or "
                                  "an expression giving it)")
        c = raw["correct"]
        if isinstance(c, str):
            correct = _expression(c, where, "correct", ctx)
        elif isinstance(c, bool) or not isinstance(c, int) or not 1 <= c <= len(choices):
            raise _Problem(where, f"correct: must be a choice's number 1 … {len(choices)}, "
                                  f"got {_kind(c)}")
        else:
            correct = c
        if "tolerance" in raw or "relative" in raw:
            raise _Problem(where, "tolerance: belongs to a number question")
    step = raw.get("solution_step")
    if step is not None:
        if not isinstance(step, str):
            raise _Problem(where, f"solution_step: must be a step's name, got {_kind(step)}")
        problem = step_name_problem(step, ctx.sizes)
        if problem:
            raise _Problem(where, f"solution_step: {problem}")
    review = raw.get("review_page")
    if review is not None and (isinstance(review, bool) or not isinstance(review, int)
                               or not 1 <= review <= n_pages):
        raise _Problem(where, f"review_page: must be a page number 1 … {n_pages}, got {_kind(review)}")
    return Question(ask, expression, tolerance, relative, choices, correct, hint, solution,
                    step, review)


def _expression(v: Any, where: str, field: str, ctx: Context) -> str:
    if not isinstance(v, str):
        raise _Problem(where, f"{field}: must be an expression in quotes such as "
                              f"\"param_count\" (the engine computes the answer), got {_kind(v)}")
    if "|" in v:
        raise _Problem(where, f"{field}: “| decimals” belongs in text ({{{{loss | 2}}}}), not "
                              f"in an answer's expression")
    try:
        check(v, ctx.sizes)
    except QuantityError as exc:
        raise _Problem(where, f"{field}: {exc}") from None
    return v
