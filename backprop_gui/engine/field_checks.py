"""Checkers of one parsed JSON value each, and the one error they raise.

Every reader of a project file (project_schema.py) builds on these: each takes a parsed
value and the path of the field it came from, and raises ProjectFileError naming that path,
so that a problem anywhere in a file reads the same way ("network.sizes[2]: expected an
integer, got the string '3'"). They know JSON and NumPy, nothing of networks or datasets.
"""

from __future__ import annotations

import json
import math
from typing import Any, NoReturn

import numpy as np

Array = np.ndarray
MAX_INT = 2**63 - 1          # larger integers would overflow NumPy's int64

_MISSING = object()
_NUMBER_TYPES = {int, float}   # exactly: bool is an int subclass, and true is not a number


class ProjectFileError(Exception):
    """A project could not be loaded or saved; str() names the field and the problem."""

    def __init__(self, problem: str, field: str = "") -> None:
        super().__init__(f"{field}: {problem}" if field else problem)
        self.field = field
        self.problem = problem


class _Constant:
    """What the parser returns for the non-standard literals NaN, Infinity and -Infinity,
    so that validation can refuse them with the field's path."""

    def __init__(self, literal: str) -> None:
        self.literal = literal


def _fail(path: str, problem: str) -> NoReturn:
    raise ProjectFileError(problem, path)


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def _short(s: str, limit: int = 40) -> str:
    return repr(s if len(s) <= limit else s[:limit] + "…")


def _describe(v: Any) -> str:
    """How a parsed JSON value reads in an error message."""
    if v is None or isinstance(v, bool):
        return json.dumps(v)
    if isinstance(v, _Constant):
        return f"the literal {v.literal}"
    if isinstance(v, (int, float)):
        return f"the number {v!r}" if abs(v) < 1e30 else "a huge number"
    if isinstance(v, str):
        return f"the string {_short(v)}"
    if isinstance(v, list):
        return f"a list of {_plural(len(v), 'item')}"
    if isinstance(v, dict):
        return "an object"
    return type(v).__name__


# ----- reading: one small checker per kind of value -------------------------------------


def _get(obj: dict, key: str, path: str) -> Any:
    value = obj.get(key, _MISSING)
    if value is _MISSING:
        _fail(f"{path}.{key}" if path else key, "missing")
    return value


def _object(v: Any, path: str) -> dict:
    if not isinstance(v, dict):
        _fail(path, f"expected an object, got {_describe(v)}")
    return v


def _list(v: Any, path: str) -> list:
    if not isinstance(v, list):
        _fail(path, f"expected a list, got {_describe(v)}")
    return v


def _string(v: Any, path: str, nullable: bool = False) -> str | None:
    if v is None and nullable:
        return None
    if not isinstance(v, str):
        _fail(path, f"expected {'null or ' if nullable else ''}a string, got {_describe(v)}")
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:
        _fail(path, "the string holds an unpaired surrogate (\\ud800 … \\udfff)")
    return v


def _integer(v: Any, path: str, lo: int = 0, hi: int = MAX_INT, rule: str = "") -> int:
    # bool is a subclass of int in Python, but true is not a number in a project file.
    if type(v) is not int:
        _fail(path, f"expected an integer, got {_describe(v)}")
    if not lo <= v <= hi:
        _fail(path, rule or (f"must be at least {lo}, got {v}" if hi == MAX_INT
                             else f"must lie in {lo} … {hi}, got {v}"))
    return v


def _number(v: Any, path: str, ok=lambda x: True, rule: str = "") -> float:
    if type(v) not in (int, float):
        _fail(path, f"expected a number, got {_describe(v)}")
    x = _to_float(v)
    if x is None or not math.isfinite(x):
        _fail(path, f"expected a finite number, got {_describe(v)}")
    if not ok(x):
        _fail(path, f"{rule}, got {x!r}")
    return x


def _to_float(v: int | float) -> float | None:
    try:
        return float(v)
    except OverflowError:    # an integer beyond float64's range
        return None


def _choice(v: Any, path: str, known, what: str) -> str:
    if not isinstance(v, str):
        _fail(path, f"expected the name of {what}, got {_describe(v)}")
    if v not in known:
        _fail(path, f"unknown {what.split(' ', 1)[1]} {_short(v)} (known: {', '.join(known)})")
    return v


def _numbers(v: Any, path: str, n: int | None) -> Array:
    """A list of `n` finite numbers as float64 (n=None: any length)."""
    if not isinstance(v, list):
        _fail(path, f"expected a list of numbers, got {_describe(v)}")
    if n is not None and len(v) != n:
        _fail(path, f"expected {_plural(n, 'number')}, got {len(v)}")
    # map(type) and set() run in C: a Python loop over every number was most of the time
    # spent opening a project of 2,000 images.
    if not set(map(type, v)) <= _NUMBER_TYPES:
        for j, x in enumerate(v):
            if type(x) not in (int, float):
                _fail(f"{path}[{j}]", f"expected a number, got {_describe(x)}")
    try:
        arr = np.array(v, dtype=np.float64)
    except OverflowError:  # an integer beyond float64's range: mark it as not finite
        arr = np.array([np.inf if _to_float(x) is None else x for x in v], dtype=np.float64)
    if not np.isfinite(arr).all():
        j = int(np.flatnonzero(~np.isfinite(arr))[0])
        _fail(f"{path}[{j}]", f"expected a finite number, got {_describe(v[j])}")
    return arr


def _matrix(v: Any, path: str, rows: int | None, cols: int, note: str = "") -> Array:
    """`rows` rows of `cols` finite numbers as a float64 (rows, cols) array."""
    shape = f"{_plural(rows, 'row') if rows is not None else 'rows'} of {_plural(cols, 'number')}"
    if not isinstance(v, list):
        _fail(path, f"expected a list of {shape}, got {_describe(v)}")
    if rows is not None and len(v) != rows:
        _fail(path, f"expected {shape}, got {_plural(len(v), 'row')}")
    for i, row in enumerate(v):
        if not isinstance(row, list):
            _fail(f"{path}[{i}]", f"expected a list of {_plural(cols, 'number')}, got {_describe(row)}")
        if len(row) != cols:
            _fail(f"{path}[{i}]", f"expected {_plural(cols, 'number')}{note}, got {len(row)}")
    out = np.empty((len(v), cols))
    for i, row in enumerate(v):
        out[i] = _numbers(row, f"{path}[{i}]", cols)
    return out


def _labels(v: Any, path: str, n: int, n_classes: int, rows_path: str) -> Array:
    v = _list(v, path)
    if len(v) != n:
        _fail(path, f"expected {_plural(n, 'label')} (one per row of {rows_path}), got {len(v)}")
    rule = f"out of range: there {'is' if n_classes == 1 else 'are'} {_plural(n_classes, 'class', 'classes')}"
    for i, label in enumerate(v):
        if type(label) is not int or not 0 <= label < n_classes:
            _integer(label, f"{path}[{i}]", 0, n_classes - 1,
                     f"label {label} is {rule}, so labels lie in 0 … {n_classes - 1}")
    return np.array(v, dtype=np.int64).reshape(-1)


def _boolean(v: Any, path: str) -> bool:
    if not isinstance(v, bool):
        _fail(path, f"expected true or false, got {_describe(v)}")
    return v
