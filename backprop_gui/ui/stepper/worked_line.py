"""The hand-worked line of an entry of a worked calculation: how it arises, written with the
numbers on show ("z²[1] = 0.2·1 − 0.5·0.3 + 0.1 = 0.05"), shown under the calculation when
the mouse points at the entry and in its tooltip."""

from __future__ import annotations

import numpy as np

from ...engine.losses import Loss
from .expression import Expression, Term, Token
from ..common.formatting import cell, fmt


def _factor(v: float) -> str:
    """A number inside a product: negative ones in parentheses. Inside a hand-worked line
    NaN and ±∞ are short ("?", "∞"): the line ends with its result, which says "overflow"."""
    text = cell(v)
    return f"({text})" if v < 0 else text


def _signed_sum(parts: list[tuple[float, str]], more: bool = False) -> str:
    """Terms (leading value, rest) joined as a student writes them: "0.2·1 − 0.5·0.3 + …"."""
    out = ""
    for k, (lead, rest) in enumerate(parts):
        body = cell(abs(lead)) + rest
        if k == 0:
            out = ("−" if lead < 0 else "") + body
        else:
            out += (" − " if lead < 0 else " + ") + body
    return out + (" + …" if more else "")


MAX_SUM_TERMS = 6


def _loss_written_out(expr: Expression, value: float) -> str:
    """L written out with ŷ and y for the first few outputs, as its loss record writes it."""
    loss = expr.function
    if not isinstance(loss, Loss) or loss.worked is None:
        return f"L = {fmt(value)}"
    y_hat = next(t for t in expr.terms if t.label == "ŷ").values
    y = next(t for t in expr.terms if t.label == "y").values
    return f"L = {loss.worked(y_hat.T, y.T, cell, MAX_SUM_TERMS)} = {fmt(value)}"


def entry_sentence(expr: Expression, term: Term, r: int, c: int) -> str:
    """How entry (r, c) arises, written with the displayed numbers (the hand-worked line)."""
    name = term.entry_name(r, c, expr.samples)
    value = float(term.values[r, c])
    if not term.is_result:
        extra = "".join(f", {k} = {fmt(v[r, c])}" for k, v in term.aux.items())
        return f"{name} = {fmt(value)}{extra}"
    operands = [t for t in expr.terms if not t.is_result]
    if term.kind == "scalar" and any(t.label == "ŷ" for t in operands):
        return _loss_written_out(expr, value)
    related = {id(t): np.argwhere(expr.related(term, r, c, t)) for t in operands}
    counts = [len(related[id(t)]) for t in operands]
    text = None
    if len(operands) == 1 and counts[0] == 1 and len(expr.items) == 3:
        # A plain copy (∂L/∂b = ∂L/∂z for one sample): name where it comes from.
        t = operands[0]
        text = t.entry_name(*related[id(t)][0], expr.samples)
    elif operands and all(n == 1 for n in counts):
        # Entry by entry (⊙, an activation, the update): replay the row of tokens.
        pieces: list[str] = []
        for item in expr.items:
            if isinstance(item, Token):
                if item.text == "=":
                    break
                pieces.append(" ".join(item.text.replace("⊙", "×").split()))
            elif not item.is_result:
                v = float(item.values[tuple(related[id(item)][0])])
                after_paren = bool(pieces) and pieces[-1].endswith("(")
                pieces.append(cell(v) if after_paren or not pieces else _factor(v))
        text = " ".join(pieces).replace("( ", "(").replace(" )", ")")
    elif len(operands) >= 2 and counts[0] > 1 and counts[0] == counts[1]:
        # A row times a column (z = W a + b, ∂L/∂a = Wᵀ δ, a batch's ∂L/∂W): the dot product.
        a, b = operands[0], operands[1]
        pairs = list(zip(related[id(a)], related[id(b)]))
        parts = [(float(a.values[tuple(i)]), f"·{_factor(b.values[tuple(j)])}")
                 for i, j in pairs[:MAX_SUM_TERMS]]
        more = len(pairs) > MAX_SUM_TERMS
        if len(operands) > 2 and counts[2] == 1:  # + the bias
            bias = float(operands[2].values[tuple(related[id(operands[2])][0])])
            text = _signed_sum(parts, more) + (" − " if bias < 0 else " + ") + cell(abs(bias))
        else:
            text = _signed_sum(parts, more)
    elif len(operands) == 1 and counts[0] > 1 and isinstance(expr.items[0], Token) \
            and expr.items[0].text == "Σₙ":
        t = operands[0]
        idx = related[id(t)]
        text = _signed_sum([(float(t.values[tuple(i)]), "") for i in idx[:MAX_SUM_TERMS]],
                           len(idx) > MAX_SUM_TERMS)
    elif len(operands) == 1 and isinstance(expr.items[0], Token) and expr.items[0].text == "softmax(":
        col = operands[0].values[:, c]
        shown = " + ".join(f"e^{_factor(v)}" for v in col[:MAX_SUM_TERMS])
        more = " + …" if col.size > MAX_SUM_TERMS else ""
        text = f"e^{_factor(col[r])} / ({shown}{more})"
    if text is None:
        return f"{name} = {fmt(value)}"
    return f"{name} = {text} = {fmt(value)}"
