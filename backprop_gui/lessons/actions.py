"""The page actions a lesson may use, what each takes, and how each is checked on load.

An action is a table with `do` naming it and its arguments beside it:

    { do = "select_sample", sample = 1 }

The window applies them (ui/lesson/setup.py); this module only knows their names and
arguments, so a lesson is checked completely before anything changes. Actions for panels
that plug in by their dock name (Landscape, Graph) are listed here too: a window without
such a panel says so on the page instead of failing.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from ..engine.compare import MAX_COMPARE_EPOCHS, MAX_VARIANTS, MIN_VARIANTS
from ..engine.landscape_presets import PRESETS
from ..engine.limits import TRAINING_BOUNDS
from ..engine.selection import Selection
from .limits import MAX_LIST_ITEMS, MAX_RUN_EPOCHS, MAX_TITLE_CHARS
from .steps import step_name_problem

# The Steps panel's tabs, by the names a lesson uses (steps_tab).
STEPS_TABS = ("step", "explain", "check")
# The docks a lesson may name (View ▸ Panels lists the same ones).
PANELS = ("Lesson", "Input", "Inspector", "Dataset", "Steps", "Plots", "Landscape", "Graph",
          "Decision map")
# The controls a lesson may hide or lock, with what each is.
CONTROLS: dict[str, str] = {
    "learning_rate": "the learning rate on the Training toolbar",
    "play": "Play / Pause",
    "one_epoch": "One Epoch",
    "one_batch": "One Batch",
    "reset_training": "Reset (fresh weights)",
    "speed": "the training speed",
    "training_settings": "the Settings button (optimiser, batch size, …)",
    "apply_update": "Apply update in the Steps panel",
    "network_menu": "the Network menu (layers, neurons, activations, loss)",
    "training_toolbar": "the whole Training toolbar",
    "main_toolbar": "the main toolbar (files, undo, weights/gradients)",
}
COLOUR_MODES = ("weights", "gradients")
SCOPES = ("sample", "batch")
LANDSCAPE_RUN = ("step", "play", "pause", "reset")
OPTIMIZERS = ("batch", "minibatch", "sgd")


class ActionError(ValueError):
    """What is wrong with one action; `field` names the argument ("" for the whole action)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Context:
    """What the loader knows while it checks a lesson page by page: the folder beside the
    lesson and the shape of the project the pages so far have opened (None: the student's
    own project, unknown until the lesson runs)."""

    folder: Path | None
    sizes: list[int] | None = None
    n_samples: int | None = None
    open_project: Callable[[Path], tuple[list[int], int]] | None = None


# ----- argument readers --------------------------------------------------------------------

def _str(v: Any, field: str) -> str:
    if not isinstance(v, str):
        raise ActionError(f"must be text, got {_kind(v)}", field)
    if len(v) > MAX_TITLE_CHARS:
        raise ActionError(f"is longer than {MAX_TITLE_CHARS} characters", field)
    return v


def _int(v: Any, field: str, low: int, high: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ActionError(f"must be a whole number, got {_kind(v)}", field)
    if not low <= v <= high:
        raise ActionError(f"must be in {low} … {high:,}, got {v}", field)
    return v


def _number(v: Any, field: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ActionError(f"must be a number, got {_kind(v)}", field)
    return float(v)


def _choice(v: Any, field: str, options: Sequence[str]) -> str:
    v = _str(v, field)
    if v not in options:
        raise ActionError(f"must be one of {', '.join(options)}, got “{v}”{_did_you_mean(v, options)}",
                          field)
    return v


def _names(v: Any, field: str, options: Sequence[str]) -> tuple[str, ...]:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not v:
        raise ActionError(f"must be a list of names, got {_kind(v)}", field)
    if len(v) > MAX_LIST_ITEMS:
        raise ActionError(f"names more than {MAX_LIST_ITEMS} items", field)
    return tuple(_choice(x, field, options) for x in v)


def _selection(v: Any, field: str, ctx: Context, kinds: Sequence[str] = ("neuron", "weight", "bias")) -> str:
    text = _str(v, field)
    try:
        sel = Selection.parse(text)
    except ValueError as exc:
        raise ActionError(str(exc), field) from None
    if sel.kind not in kinds:
        raise ActionError(f"“{text}” is a {sel.kind}; name a {' or a '.join(kinds)}", field)
    if ctx.sizes is not None and not sel.exists_in(ctx.sizes):
        raise ActionError(f"“{text}”: the network ({'-'.join(map(str, ctx.sizes))}) has no such "
                          f"{sel.kind}", field)
    return text


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return f"true/false ({str(v).lower()})"
    if isinstance(v, (int, float)):
        return f"the number {v}"
    if isinstance(v, str):
        return f"the text “{v[:40]}”"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a table"
    return type(v).__name__


def _did_you_mean(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean “{close[0]}”?)" if close else ""


# ----- each action ---------------------------------------------------------------------------

def _open_project(a: dict, ctx: Context) -> dict:
    name = _str(a.get("file"), "file")
    if Path(name).name != name or name in ("", ".", ".."):
        raise ActionError(f"must be a file name beside the lesson, without folders, got “{name}”",
                          "file")
    if ctx.folder is None:
        raise ActionError("a lesson read from text has no folder to find a project in", "file")
    path = ctx.folder / name
    if not path.is_file():
        raise ActionError(f"there is no project “{name}” beside the lesson", "file")
    if ctx.open_project is not None:
        try:
            ctx.sizes, ctx.n_samples = ctx.open_project(path)
        except Exception as exc:   # ProjectFileError, OSError: say which file and why
            raise ActionError(f"the project “{name}” cannot be opened: {exc}", "file") from None
    return {"file": path}


def _select_sample(a: dict, ctx: Context) -> dict:
    high = ctx.n_samples if ctx.n_samples is not None else 10**9
    if ctx.n_samples == 0:
        raise ActionError("the project has no samples", "sample")
    return {"sample": _int(a.get("sample"), "sample", 1, high)}


def _show_step(a: dict, ctx: Context) -> dict:
    step = _str(a.get("step"), "step")
    problem = step_name_problem(step, ctx.sizes)
    if problem:
        raise ActionError(problem, "step")
    out: dict[str, Any] = {"step": step}
    if "scope" in a:
        out["scope"] = _choice(a["scope"], "scope", SCOPES)
    return out


def _highlight(a: dict, ctx: Context) -> dict:
    top = len(ctx.sizes) - 1 if ctx.sizes is not None else 10**6
    layer = _int(a.get("layer"), "layer", 0, top)
    out: dict[str, Any] = {"layer": layer}
    if "neurons" in a:
        v = a["neurons"]
        if not isinstance(v, list) or not v or len(v) > 1024:
            raise ActionError(f"must be a list of neuron numbers, got {_kind(v)}", "neurons")
        high = ctx.sizes[layer] if ctx.sizes is not None else 10**6
        out["neurons"] = tuple(_int(x, "neurons", 1, high) for x in v)
    return out


def _learning_rate(v: Any, field: str) -> float:
    value = _number(v, field)
    bound = TRAINING_BOUNDS["learning_rate"]
    if not bound.contains(value):
        raise ActionError(f"{bound.rule()}, got {v}", field)
    return value


def _landscape(a: dict, ctx: Context) -> dict:
    out: dict[str, Any] = {}
    if "preset" in a:
        out["preset"] = _choice(a["preset"], "preset", [p.name for p in PRESETS])
    if "function" in a:
        out["function"] = _str(a["function"], "function")
    if "start" in a:
        v = a["start"]
        if not isinstance(v, list) or len(v) != 2:
            raise ActionError(f"must be two numbers [x, y], got {_kind(v)}", "start")
        out["start"] = (_number(v[0], "start"), _number(v[1], "start"))
    if "learning_rate" in a:
        out["learning_rate"] = _learning_rate(a["learning_rate"], "learning_rate")
    if "run" in a:
        out["run"] = _choice(a["run"], "run", LANDSCAPE_RUN)
    if not out:
        raise ActionError("says nothing to do: give preset, function, start, learning_rate or run")
    return out


def _compare(a: dict, ctx: Context) -> dict:
    optimizers = _names(a.get("optimizers"), "optimizers", OPTIMIZERS)
    if not MIN_VARIANTS <= len(optimizers) <= MAX_VARIANTS or len(set(optimizers)) != len(optimizers):
        raise ActionError(f"must name {MIN_VARIANTS} to {MAX_VARIANTS} different optimizers",
                          "optimizers")
    return {"optimizers": optimizers,
            "epochs": _int(a.get("epochs"), "epochs", 1, MAX_COMPARE_EPOCHS)}


@dataclass(frozen=True)
class ActionSpec:
    meaning: str
    fields: tuple[str, ...]                       # the arguments it accepts
    read: Callable[[dict, Context], dict]
    panel: str | None = None                      # the dock it needs, if any


ACTIONS: dict[str, ActionSpec] = {
    "open_project": ActionSpec("open the project file beside the lesson (a copy: the lesson's "
                               "file is never changed)", ("file",), _open_project),
    "select_sample": ActionSpec("show sample N (from 1)", ("sample",), _select_sample),
    "show_step": ActionSpec("move the step-through to a step (scope: sample or batch)",
                            ("step", "scope"), _show_step, "Steps"),
    "select": ActionSpec("select a neuron, weight or bias, e.g. W2[3,5]", ("item",),
                         lambda a, c: {"item": _selection(a.get("item"), "item", c)}),
    "highlight": ActionSpec("light up a layer, or some of its neurons, in the diagram",
                            ("layer", "neurons"), _highlight),
    "clear_highlight": ActionSpec("take the highlight away", (), lambda a, c: {}),
    "colour_edges": ActionSpec("colour the diagram's edges by weights or gradients", ("by",),
                               lambda a, c: {"by": _choice(a.get("by"), "by", COLOUR_MODES)}),
    "bring_to_front": ActionSpec("show a panel and bring it to the front", ("panel",),
                                 lambda a, c: {"panel": _choice(a.get("panel"), "panel", PANELS)}),
    "steps_tab": ActionSpec("Steps panel: bring it to the front at a tab: step (This step), "
                            "explain (Explain ∂L/∂w) or check (Gradient check)", ("tab",),
                            lambda a, c: {"tab": _choice(a.get("tab"), "tab", STEPS_TABS)},
                            "Steps"),
    "show_panels": ActionSpec("show panels", ("panels",),
                              lambda a, c: {"panels": _names(a.get("panels"), "panels", PANELS)}),
    "hide_panels": ActionSpec("hide panels (View ▸ Panels brings them back)", ("panels",),
                              lambda a, c: {"panels": _names(a.get("panels"), "panels", PANELS)}),
    "show_controls": ActionSpec("show controls hidden before", ("controls",),
                                lambda a, c: {"controls": _names(a.get("controls"), "controls",
                                                                 list(CONTROLS))}),
    "hide_controls": ActionSpec("hide controls while the lesson is open", ("controls",),
                                lambda a, c: {"controls": _names(a.get("controls"), "controls",
                                                                 list(CONTROLS))}),
    "lock_controls": ActionSpec("grey out controls while the lesson is open", ("controls",),
                                lambda a, c: {"controls": _names(a.get("controls"), "controls",
                                                                 list(CONTROLS))}),
    "unlock_controls": ActionSpec("make locked controls usable again", ("controls",),
                                  lambda a, c: {"controls": _names(a.get("controls"), "controls",
                                                                   list(CONTROLS))}),
    "run_epochs": ActionSpec("train N epochs with the project's settings", ("epochs",),
                             lambda a, c: {"epochs": _int(a.get("epochs"), "epochs", 1,
                                                          MAX_RUN_EPOCHS)}),
    "compare": ActionSpec("train copies of the network side by side, one per optimizer "
                          "(Train ▸ Compare…), and keep them as runs in the Loss plot",
                          ("optimizers", "epochs"), _compare),
    "set_learning_rate": ActionSpec("set the learning rate", ("value",),
                                    lambda a, c: {"value": _learning_rate(a.get("value"), "value")}),
    "landscape": ActionSpec("Landscape panel: choose a preset or a function, place the start, "
                            "set the learning rate, step, play, pause or reset the descent",
                            ("preset", "function", "start", "learning_rate", "run"), _landscape,
                            "Landscape"),
    "landscape_slice": ActionSpec("Landscape panel: the network's loss along two weights",
                                  ("a", "b"),
                                  lambda a, c: {"a": _selection(a.get("a"), "a", c, ("weight", "bias")),
                                                "b": _selection(a.get("b"), "b", c, ("weight", "bias"))},
                                  "Landscape"),
    "graph": ActionSpec("Graph panel: show the computation of one parameter's gradient",
                        ("parameter",),
                        lambda a, c: {"parameter": _selection(a.get("parameter"), "parameter", c,
                                                              ("weight", "bias"))},
                        "Graph"),
}


def read_action(raw: Any, ctx: Context) -> tuple[str, dict]:
    """(kind, checked arguments) of one action table; ActionError naming what is wrong."""
    if not isinstance(raw, dict):
        raise ActionError(f"an action is a table such as {{ do = \"select_sample\", sample = 1 }}, "
                          f"got {_kind(raw)}")
    kind = raw.get("do")
    if not isinstance(kind, str):
        raise ActionError("says no action: write do = \"…\"", "do")
    spec = ACTIONS.get(kind)
    if spec is None:
        raise ActionError(f"unknown action '{kind}'{_did_you_mean(kind, list(ACTIONS))}", "do")
    for key in raw:
        if key != "do" and key not in spec.fields:
            accepted = ", ".join(spec.fields) or "nothing else"
            raise ActionError(f"{kind} takes {accepted}, not “{key}”{_did_you_mean(key, spec.fields)}",
                              key)
    return kind, spec.read(raw, ctx)
