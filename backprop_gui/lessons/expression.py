"""The expressions a lesson writes for the numbers it shows or checks: their vocabulary,
the hand-written parser that reads them (never `eval`) and the check, on load, that an
expression names only entries the lesson's network has. Evaluating them against a project
is quantities.py's job.

    param_count                       the network's weights and biases together
    output[1], target[2]              ŷ₁ and y₂ of the selected sample (indices from 1)
    loss, dataset_loss                the selected sample's loss, the mean over every sample
    z2[3], a1[4], W2[3,5], b2[3]      a neuron's z or activation, a weight, a bias
    grad W2[3,5], grad z3[1]          ∂L/∂ of any of them for the selected sample
    2 * param_count, sign(grad W3[1,2]), abs(…)      + − * / and parentheses

The full list is QUANTITIES and INDEXED (with their meanings, shown in the README and in
messages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence, Union

import numpy as np

from .limits import MAX_EXPRESSION_CHARS

# name → meaning: single numbers of the current state.
QUANTITIES: dict[str, str] = {
    "param_count": "weights and biases together",
    "weight_count": "the number of weights",
    "bias_count": "the number of biases",
    "layer_count": "layers after the input",
    "sample_count": "samples in the dataset",
    "class_count": "classes in the dataset",
    "sample": "the number of the selected sample (from 1)",
    "label": "the class of the selected sample (from 1)",
    "prediction": "the class the network predicts for the selected sample (from 1)",
    "loss": "the loss of the selected sample",
    "dataset_loss": "the mean loss over every sample",
    "loss_after_update": "the selected sample's loss after one gradient-descent step on it "
                         "with the project's learning rate (the Steps panel's update)",
    "accuracy": "the fraction of samples classified right (0 … 1)",
    "epoch": "epochs trained so far",
    "gradcheck_error": "the largest relative difference between backprop's gradients and "
                       "finite differences for the selected sample",
    "gradcheck_passes": "the forward passes finite differences take (2 per parameter)",
}
# name[i] → meaning.
INDEXED: dict[str, str] = {
    "output": "output[k]: the network's output ŷₖ for the selected sample",
    "target": "target[k]: the target yₖ of the selected sample",
    "sample_output": "sample_output[n]: the network's first output ŷ₁ for sample n",
    "size": "size[l]: the neurons of layer l (0 is the input)",
    "dead": "dead[l]: the ReLU neurons of layer l whose output is 0 for every sample",
    "inactive": "inactive[l]: the neurons of layer l whose output is 0 for the selected sample",
}
FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sign": lambda x: float(np.sign(x)),
    "abs": abs,
}
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_TOKEN = re.compile(r"""
    \s*(?:
      (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<ref>(?:grad\s+)?[Wbza]\d+\s*\[\s*\d+\s*(?:,\s*\d+\s*)?\])
    | (?P<name>[a-z_]+)(?:\s*\[\s*(?P<index>\d+)\s*\])?
    | (?P<op>[-+*/()])
    )""", re.VERBOSE)
_REF = re.compile(r"(grad\s+)?([Wbza])(\d+)\s*\[\s*(\d+)\s*(?:,\s*(\d+)\s*)?\]")


class QuantityError(ValueError):
    """An expression that cannot be read, or cannot be computed for the current state."""


@dataclass(frozen=True)
class Ref:
    """A named number: `name` with an optional 1-based `index`, or an entry of the network
    (letter W, b, z, a; layer; 1-based row and column), maybe as a gradient."""

    name: str
    index: int | None = None
    layer: int | None = None
    row: int | None = None
    col: int | None = None
    grad: bool = False

    def text(self) -> str:
        if self.layer is None:
            return self.name if self.index is None else f"{self.name}[{self.index}]"
        cols = f",{self.col}" if self.col is not None else ""
        return f"{'grad ' if self.grad else ''}{self.name}{self.layer}[{self.row}{cols}]"


Node = Union[float, Ref, tuple]


def parse(text: str) -> Node:
    """The expression tree of `text`; QuantityError saying what is wrong."""
    text = str(text).translate(_SUPERSCRIPTS).replace("−", "-")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise QuantityError(f"the expression is longer than {MAX_EXPRESSION_CHARS} characters")
    tokens = _tokens(text)
    if not tokens:
        raise QuantityError("the expression is empty")
    parser = _Parser(tokens)
    node = parser.expr()
    if parser.pos < len(tokens):
        raise QuantityError(f"unexpected “{tokens[parser.pos][1]}” in “{text}”")
    return node


def refs(node: Node) -> list[Ref]:
    """Every named number an expression uses."""
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, tuple):
        return [r for part in node[1:] for r in refs(part)]
    return []


def check(text: str, sizes: Sequence[int] | None = None) -> None:
    """QuantityError if `text` is not an expression (with an optional "| decimals"), or names
    an entry a network with these layer sizes lacks (not checked when `sizes` is None)."""
    node = parse(split_format(text)[0])
    if sizes is not None:
        for ref in refs(node):
            problem = range_problem(ref, list(sizes))
            if problem:
                raise QuantityError(problem)


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            bad = text[pos:].strip()[:20]
            raise QuantityError(f"cannot read “{bad}” in “{text}” (write e.g. output[1], "
                                f"grad W2[1,3] or 2 * param_count)")
        kind = m.lastgroup if m.lastgroup != "index" else "name"
        out.append((kind, m.group(0).strip()))
        pos = m.end()
    return out


class _Parser:
    """expr := term (("+" | "-") term)*;  term := factor (("*" | "/") factor)*;
    factor := "-" factor | number | quantity | function "(" expr ")" | "(" expr ")"."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self, op: str) -> bool:
        tok = self._peek()
        if tok is not None and tok == ("op", op):
            self.pos += 1
            return True
        return False

    def expr(self) -> Node:
        node = self.term()
        while True:
            if self._take("+"):
                node = ("+", node, self.term())
            elif self._take("-"):
                node = ("-", node, self.term())
            else:
                return node

    def term(self) -> Node:
        node = self.factor()
        while True:
            if self._take("*"):
                node = ("*", node, self.factor())
            elif self._take("/"):
                node = ("/", node, self.factor())
            else:
                return node

    def factor(self) -> Node:
        tok = self._peek()
        if tok is None:
            raise QuantityError("the expression ends too early")
        kind, text = tok
        self.pos += 1
        if kind == "op":
            if text == "-":
                return ("neg", self.factor())
            if text == "(":
                node = self.expr()
                if not self._take(")"):
                    raise QuantityError("a “(” is never closed")
                return node
            raise QuantityError(f"unexpected “{text}”")
        if kind == "number":
            return float(text)
        if kind == "ref":
            m = _REF.fullmatch(text)
            assert m is not None
            grad, letter, layer, row, col = m.groups()
            if (col is not None) != (letter == "W"):
                raise QuantityError(f"“{text}”: a weight has two indices [j,i]; z, a and b one")
            return Ref(letter, None, int(layer), int(row), None if col is None else int(col),
                       bool(grad))
        # a name, maybe indexed, maybe a function
        m = re.fullmatch(r"([a-z_]+)(?:\s*\[\s*(\d+)\s*\])?", text)
        assert m is not None
        name, index = m.group(1), m.group(2)
        if name in FUNCTIONS and index is None:
            if not self._take("("):
                raise QuantityError(f"{name} needs parentheses: {name}(…)")
            inner = self.expr()
            if not self._take(")"):
                raise QuantityError("a “(” is never closed")
            return ("call", name, inner)
        if name in QUANTITIES and index is None:
            return Ref(name)
        if name in INDEXED and index is not None:
            return Ref(name, int(index))
        if name in INDEXED:
            raise QuantityError(f"“{name}” needs an index: {INDEXED[name].split(':')[0]}")
        known = ", ".join(list(QUANTITIES) + [f"{n}[…]" for n in INDEXED])
        raise QuantityError(f"unknown quantity “{text}” (known: {known}, and entries such "
                            f"as W2[1,3], b2[1], z2[1], a1[2], grad W2[1,3])")


def range_problem(ref: Ref, sizes: list[int]) -> str | None:
    """What is wrong with `ref` for a network of these layer sizes (None: nothing)."""
    L = len(sizes) - 1
    if ref.layer is None:
        if ref.index is None:
            return None
        if ref.name == "sample_output":
            return None if ref.index >= 1 else f"{ref.text()}: samples are numbered from 1"
        if ref.name in ("output", "target"):
            top = sizes[-1]
            return None if 1 <= ref.index <= top else \
                f"{ref.text()}: the network has {top} output{'s' if top != 1 else ''}"
        low = 0 if ref.name == "size" else 1
        if not low <= ref.index <= L:
            return f"{ref.text()}: the layers are numbered {low} … {L}"
        return None
    lowest = 0 if ref.name == "a" else 1
    if not lowest <= ref.layer <= L:
        return f"{ref.text()}: no layer {ref.layer} (layers {lowest} … {L})"
    if ref.grad and ref.name == "a" and ref.layer == 0:
        return f"{ref.text()}: the gradient of an input is not computed"
    if not 1 <= ref.row <= sizes[ref.layer]:
        return f"{ref.text()}: layer {ref.layer} has {sizes[ref.layer]} neurons"
    if ref.col is not None and not 1 <= ref.col <= sizes[ref.layer - 1]:
        return f"{ref.text()}: layer {ref.layer - 1} has {sizes[ref.layer - 1]} neurons"
    return None


def split_format(text: str) -> tuple[str, int | None]:
    """("output[1]", 2) for "output[1] | 2"; QuantityError for a bad number of decimals."""
    expr, bar, decimals = str(text).partition("|")
    if not bar:
        return expr.strip(), None
    d = decimals.strip()
    if not d.isdigit() or int(d) > 12:
        raise QuantityError(f"after “|” write the number of decimals 0 … 12, got “{d}”")
    return expr.strip(), int(d)
