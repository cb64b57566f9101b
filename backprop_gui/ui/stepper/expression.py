"""A walkthrough Step as a hand-worked calculation: matrices, operators and the result.

`build_expression` turns a Step into an `Expression`: a row of tokens (operators, function
names) and `Term`s (the operand and result arrays in textbook column layout: one row per
neuron, one column per sample). Each term names its row and column *axes* ("out", "in",
"batch", …); two entries are related when they agree on every axis both have, which is
exactly "row j of W² and the vector a¹ for z²[j]". No number is computed here: terms hold
the step's own arrays, transposed for display.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...engine.activations import Activation
from ...engine.losses import Loss
from ...engine.notation import sup
from ...engine.selection import Kind, Selection
from ...engine.walkthrough import Step
from ..common.formatting import cell, fmt

ONE = "one"  # the axis of a column vector's single column (never matched)


@dataclass(eq=False)
class Term:
    """One array drawn as a bracketed matrix with its label above it."""

    label: str                 # as drawn: "W²", "(a¹)ᵀ", "∂L/∂z³"
    values: np.ndarray         # 2-D, in display orientation
    rows: str                  # axis of the rows (for elision and matching)
    cols: str
    symbol: str = ""           # the base name for entry names: "W²", "a¹"
    kind: str = "vector"       # "matrix" (W-like), "vector" (per neuron), "scalar"
    transposed: bool = False   # drawn transposed relative to `symbol`'s own indices
    per_sample: bool = True    # a vector's columns are samples (False for a bias column)
    is_result: bool = False
    select: tuple[Kind, int] | None = None   # what an entry selects: ("weight", 2) for W²'s
    match: tuple[str, str] | None = None   # axes used to relate entries, if not rows/cols
    aux: dict[str, np.ndarray] = field(default_factory=dict)  # extra numbers for tooltips
    texts: dict[tuple[int, int, int], str] = field(default_factory=dict, repr=False)  # fmt cache

    def text(self, r: int, c: int, digits: int = 3) -> str:
        """Entry (r, c) as displayed with `digits` significant digits (formatted once, then
        remembered)."""
        key = (r, c, digits)
        found = self.texts.get(key)
        if found is None:
            found = self.texts[key] = cell(self.values[r, c], digits)
        return found

    @property
    def match_axes(self) -> tuple[str, str]:
        return self.match or (self.rows, self.cols)

    def entry_name(self, r: int, c: int, samples: list[int] | None = None) -> str:
        """The textbook name of entry (r, c), 1-based: "W²[3,5]", "z²[2] (sample 4)"."""
        if self.kind == "scalar":
            return self.symbol or self.label
        if self.kind == "matrix":
            i, j = (c, r) if self.transposed else (r, c)
            return f"{self.symbol}[{i + 1},{j + 1}]"
        neuron, sample = (c, r) if self.transposed else (r, c)
        name = f"{self.symbol}[{neuron + 1}]"
        if self.per_sample and samples is not None and len(samples) > 1:
            name += f" (sample {samples[sample] + 1})"
        return name

    def selection(self, r: int, c: int) -> Selection | None:
        """The session selection that entry (r, c) stands for, if any."""
        if self.select is None:
            return None
        kind, layer = self.select
        if kind == "weight":
            j, i = (c, r) if self.transposed else (r, c)
            return Selection.weight(layer, j, i)
        return Selection(kind, layer, c if self.transposed else r)


@dataclass
class Token:
    """Text between terms: an operator ("+", "·", "=") or a function name ("ReLU(")."""

    text: str
    role: str = "op"    # "op" may start a continuation line; "text" may not


@dataclass
class Expression:
    items: list[Term | Token]
    axes: dict[str, int]
    samples: list[int]            # dataset index of each sample column
    function: Activation | Loss | None = None     # the step's (Step.function)

    @property
    def terms(self) -> list[Term]:
        return [t for t in self.items if isinstance(t, Term)]

    @property
    def result(self) -> Term | None:
        return next((t for t in self.terms if t.is_result), None)

    def related(self, source: Term, r: int, c: int, target: Term) -> np.ndarray:
        """Boolean mask over `target`'s entries related to entry (r, c) of `source`."""
        given = {}
        for axis, index in zip(source.match_axes, (r, c)):
            if axis != ONE:
                given[axis] = index
        rows = np.ones(target.values.shape[0], dtype=bool)
        cols = np.ones(target.values.shape[1], dtype=bool)
        trow, tcol = target.match_axes
        if trow in given:
            rows = np.arange(rows.size) == given[trow]
        if tcol in given:
            cols = np.arange(cols.size) == given[tcol]
        return rows[:, None] & cols[None, :]


def _col(arr: np.ndarray) -> np.ndarray:
    """Samples-as-rows (N, n) → textbook columns (n, N); a (n,) vector → (n, 1)."""
    arr = np.asarray(arr)
    return arr.reshape(-1, 1) if arr.ndim == 1 else arr.T


def _neuron_term(label: str, arr: np.ndarray, rows: str, layer: int | None, result: bool = False,
                 aux: dict | None = None) -> Term:
    return Term(label, _col(arr), rows, "batch", symbol=label, kind="vector", is_result=result,
                select=("neuron", layer) if layer is not None else None, aux=aux or {})


def build_expression(step: Step, n_layers: int, samples: list[int]) -> Expression:
    """The worked calculation of `step` (`samples`: dataset index of each sample row)."""
    ops = step.operands
    N = len(samples)
    axes = {"batch": N, ONE: 1}
    items: list[Term | Token]
    if step.kind == "z":
        items = _weighted_sum(step, axes)
    elif step.kind == "a":
        items = _activation(step, axes)
    elif step.kind == "loss":
        items = _loss(step, axes, n_layers)
    elif step.phase == "backward" and set(ops) == {"ŷ", "y"}:
        items = _output_gradient(step, axes, n_layers, N)
    elif step.kind == "dL/dW":
        items = _weight_gradient(step, axes)
    elif step.kind == "dL/db":
        items = _bias_gradient(step, axes, N)
    elif step.kind == "dL/da" and any(k.startswith("W") for k in ops):
        items = _back_through_weights(step, axes)
    elif step.kind == "dL/dz" and any("′" in k for k in ops):
        items = _times_derivative(step, axes)
    elif step.phase == "update":
        items = _update(step, axes)
    else:
        items = _generic(step, axes)
    return Expression(items, axes, samples, step.function)


# Each of these lays out one kind of step and records the sizes of its axes in `axes`.

def _weighted_sum(step: Step, axes: dict[str, int]) -> list[Term | Token]:
    """z⁽ˡ⁾ = W⁽ˡ⁾ · a⁽ˡ⁻¹⁾ + b⁽ˡ⁾."""
    ops, l = step.operands, step.layer
    s, p = sup(l), sup(l - 1)
    W = ops[f"W{s}"]
    axes.update(out=W.shape[0], **{"in": W.shape[1]})
    return [
        Term(f"W{s}", W, "out", "in", symbol=f"W{s}", kind="matrix", select=("weight", l)),
        Token("·"),
        _neuron_term(f"a{p}", ops[f"a{p}"], "in", l - 1),
        Token("+"),
        Term(f"b{s}", _col(ops[f"b{s}"]), "out", ONE, symbol=f"b{s}", per_sample=False,
             select=("bias", l)),
        Token("="),
        _neuron_term(step.result_name, step.result, "out", l, result=True),
    ]


def _activation(step: Step, axes: dict[str, int]) -> list[Term | Token]:
    """a⁽ˡ⁾ = f(z⁽ˡ⁾) (just "z = a" for a linear layer)."""
    (zname, z), = step.operands.items()
    l = step.layer
    axes.update(out=z.shape[1])
    func = step.formula.split("=", 1)[1].strip()
    zterm = _neuron_term(zname, z, "out", l)
    if step.function is not None and not step.function.elementwise:
        zterm.match = ("k", "batch")  # e.g. softmax: every output depends on the whole column
    items: list[Term | Token]
    if func == zname:  # a linear layer: a = z
        items = [zterm, Token("=")]
    else:
        items = [Token(func.split("(")[0] + "(", "text"), zterm, Token(")", "text"), Token("=")]
    items.append(_neuron_term(step.result_name, step.result, "out", l, result=True))
    return items


def _loss(step: Step, axes: dict[str, int], n_layers: int) -> list[Term | Token]:
    """L(ŷ, y) = L."""
    y_hat, y = step.operands["ŷ"], step.operands["y"]
    axes.update(out=y_hat.shape[1])
    return [Token("L(", "text"), _neuron_term("ŷ", y_hat, "out", n_layers), Token(",", "text"),
            _neuron_term("y", y, "out", None), Token(")", "text"), Token("="),
            Term("L", np.array([[float(step.result)]]), ONE, ONE, symbol="L", kind="scalar",
                 is_result=True)]


def _weight_gradient(step: Step, axes: dict[str, int]) -> list[Term | Token]:
    """∂L/∂W⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾ · (a⁽ˡ⁻¹⁾)ᵀ."""
    l = step.layer
    s, p = sup(l), sup(l - 1)
    dz, a = step.operands[f"∂L/∂z{s}"], step.operands[f"a{p}"]
    axes.update(out=dz.shape[1], **{"in": a.shape[1]})
    return [
        _neuron_term(f"∂L/∂z{s}", dz, "out", l),
        Token("·"),
        Term(f"(a{p})ᵀ", np.asarray(a), "batch", "in", symbol=f"a{p}", transposed=True,
             select=("neuron", l - 1)),
        Token("="),
        Term(step.result_name, step.result, "out", "in", symbol=step.result_name, kind="matrix",
             is_result=True, select=("weight", l)),
    ]


def _bias_gradient(step: Step, axes: dict[str, int], N: int) -> list[Term | Token]:
    """∂L/∂b⁽ˡ⁾ = Σₙ ∂L/∂z⁽ˡ⁾ (the sum only shown for more than one sample)."""
    l = step.layer
    dz = step.operands[f"∂L/∂z{sup(l)}"]
    axes.update(out=dz.shape[1])
    R = step.result_name
    return ([Token("Σₙ", "text")] if N > 1 else []) + [
        _neuron_term(f"∂L/∂z{sup(l)}", dz, "out", l), Token("="),
        Term(R, _col(step.result), "out", ONE, symbol=R, per_sample=False, is_result=True,
             select=("bias", l))]


def _back_through_weights(step: Step, axes: dict[str, int]) -> list[Term | Token]:
    """∂L/∂a⁽ˡ⁾ = (W⁽ˡ⁺¹⁾)ᵀ · ∂L/∂z⁽ˡ⁺¹⁾."""
    l = step.layer
    n = l + 1
    W, dz = step.operands[f"W{sup(n)}"], step.operands[f"∂L/∂z{sup(n)}"]
    axes.update(out=W.shape[0], **{"in": W.shape[1]})
    return [
        Term(f"(W{sup(n)})ᵀ", W.T, "in", "out", symbol=f"W{sup(n)}", kind="matrix",
             transposed=True, select=("weight", n)),
        Token("·"),
        _neuron_term(f"∂L/∂z{sup(n)}", dz, "out", n),
        Token("="),
        _neuron_term(step.result_name, step.result, "in", l, result=True),
    ]


def _times_derivative(step: Step, axes: dict[str, int]) -> list[Term | Token]:
    """∂L/∂z⁽ˡ⁾ = ∂L/∂a⁽ˡ⁾ ⊙ f′(z⁽ˡ⁾)."""
    ops, l = step.operands, step.layer
    s = sup(l)
    fp_name = next(k for k in ops if "′" in k)
    da = ops[f"∂L/∂a{s}"]
    axes.update(out=da.shape[1])
    return [_neuron_term(f"∂L/∂a{s}", da, "out", l), Token("⊙"),
            _neuron_term(fp_name, ops[fp_name], "out", None, aux={f"z{s}": _col(ops[f"z{s}"])}),
            Token("="), _neuron_term(step.result_name, step.result, "out", l, result=True)]


def _update(step: Step, axes: dict[str, int]) -> list[Term | Token]:
    """W⁽ˡ⁾ − α · ∂L/∂W⁽ˡ⁾ = the new W⁽ˡ⁾ (or the same for b⁽ˡ⁾)."""
    ops, l = step.operands, step.layer
    p = "W" if step.kind == "update_W" else "b"
    s = sup(l)
    old, g = ops[f"{p}{s}"], ops[f"∂L/∂{p}{s}"]
    alpha = float(ops["α"])
    axes.update(out=old.shape[0], **{"in": old.shape[1] if old.ndim == 2 else 1})
    cols = "in" if p == "W" else ONE
    kind = "matrix" if p == "W" else "vector"
    select: tuple[Kind, int] = ("weight" if p == "W" else "bias", l)

    def param(label: str, arr: np.ndarray, result: bool = False) -> Term:
        return Term(label, arr if arr.ndim == 2 else _col(arr), "out", cols, symbol=label,
                    kind=kind, per_sample=False, is_result=result, select=select)

    return [param(f"{p}{s}", old), Token(f"−  {fmt(alpha)} ·"), param(f"∂L/∂{p}{s}", g),
            Token("="), param(step.result_name, step.result, result=True)]


def _output_gradient(step: Step, axes: dict[str, int], n_layers: int, N: int) -> list:
    """∂L/∂z (fused) or ∂L/∂a of the output from ŷ and y: (ŷ − y) over a constant, or
    ŷ − y itself (a loss summed over the samples: ½ sum of squared errors)."""
    y_hat, y = step.operands["ŷ"], step.operands["y"]
    K = y_hat.shape[1]
    axes.update(out=K)
    rhs = step.formula.split("=", 1)[1].strip()
    result = _neuron_term(step.result_name, step.result, "out", step.layer, result=True)
    if rhs == "ŷ − y":
        return [_neuron_term("ŷ", y_hat, "out", n_layers), Token("−"),
                _neuron_term("y", y, "out", None), Token("="), result]
    # The constant the difference is divided by, written out for this batch.
    divisor = {"(ŷ − y) / N": N, "(ŷ − y) / (N·K)": N * K, "2(ŷ − y) / (N·K)": N * K}.get(rhs)
    if divisor is None:
        return _generic(step, axes)
    lead = [Token("2 · (", "text")] if rhs.startswith("2") else [Token("(", "text")]
    return lead + [_neuron_term("ŷ", y_hat, "out", n_layers), Token("−"),
                   _neuron_term("y", y, "out", None), Token(f") / {divisor}", "text"),
                   Token("="), result]


def _generic(step: Step, axes: dict[str, int]) -> list:
    """Operands side by side, then the result (e.g. the softmax Jacobian without its loss)."""
    items: list = []
    for name, arr in step.operands.items():
        arr = np.asarray(arr)
        if arr.ndim == 0:
            items += [Token(f"{name} = {fmt(float(arr))}", "text"), Token(",", "text")]
            continue
        axes.setdefault("out", arr.shape[-1])
        items += [_neuron_term(name, arr, "out", step.layer), Token(",", "text")]
    if items:
        items[-1] = Token("⟶")
    res = np.asarray(step.result)
    if res.ndim == 0:
        items.append(Term(step.result_name, res.reshape(1, 1), ONE, ONE, symbol=step.result_name,
                          kind="scalar", is_result=True))
    else:
        items.append(_neuron_term(step.result_name, res, "out", step.layer, result=True))
    return items
