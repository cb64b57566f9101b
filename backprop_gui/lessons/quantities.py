"""The numbers a lesson may show or check answers against, computed by the engine.

A question never holds its answer: it names what to compute, in a small vocabulary read by a
hand-written parser (never `eval`):

    param_count                       the network's weights and biases together
    output[1], target[2]              ŷ₁ and y₂ of the selected sample (indices from 1)
    loss, dataset_loss                the selected sample's loss, the mean over every sample
    z2[3], a1[4], W2[3,5], b2[3]      a neuron's z or activation, a weight, a bias
    grad W2[3,5], grad z3[1]          ∂L/∂ of any of them for the selected sample
    2 * param_count, sign(grad W3[1,2]), abs(…)      + − * / and parentheses

The full list is QUANTITIES and INDEXED (with their meanings, shown in the README and in
messages). `Quantities(project)` evaluates an expression for the project as it is now.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable, Sequence, Union

import numpy as np

from ..engine.gradcheck import gradient_check
from ..engine.network import Gradients, Trace
from ..engine.overflow import quietly
from ..engine.project import Project
from ..engine.walkthrough import loss_after_update
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
            problem = _range_problem(ref, list(sizes))
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


def _range_problem(ref: Ref, sizes: list[int]) -> str | None:
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


class Quantities:
    """Evaluates expressions for `project` as it is now (its selected sample); build a new
    one after the project changes. Every number comes from the engine's own passes."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._trace: Trace | None = None
        self._grads: Gradients | None = None
        self._all: Trace | None = None

    def value(self, text: str) -> float:
        """The expression's value; QuantityError if it cannot be read or computed."""
        return self.evaluate(parse(text))

    def evaluate(self, node: Node) -> float:
        try:
            with quietly():
                return float(self._eval(node))
        except QuantityError:
            raise
        except (ValueError, IndexError) as exc:   # a dataset that does not fit the network
            raise QuantityError(str(exc)) from None

    def format(self, text: str) -> str:
        """The value of "expression" or "expression | N" as a lesson's text shows it: with N
        decimals, or whole numbers plainly and others to 4 decimals."""
        expr, decimals = split_format(text)
        return format_number(self.value(expr), decimals)

    # ----- the tree ----------------------------------------------------------------------

    def _eval(self, node: Node) -> float:
        if isinstance(node, float):
            return node
        if isinstance(node, Ref):
            return self._ref(node)
        op = node[0]
        if op == "neg":
            return -self._eval(node[1])
        if op == "call":
            return FUNCTIONS[node[1]](self._eval(node[2]))
        a, b = self._eval(node[1]), self._eval(node[2])
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            raise QuantityError("division by zero")
        return a / b

    # ----- the state ---------------------------------------------------------------------

    def _sample(self) -> tuple[np.ndarray, np.ndarray]:
        ds, net = self.project.dataset, self.project.network
        if ds.n_samples == 0:
            raise QuantityError("the dataset has no samples")
        k = self.project.selected_sample
        return ds.inputs[k], ds.targets(net.sizes[-1])[k]

    def trace(self) -> Trace:
        if self._trace is None:
            self._trace = self.project.network.forward(self._sample()[0])
        return self._trace

    def gradients(self) -> Gradients:
        if self._grads is None:
            y = self._sample()[1]
            self._grads = self.project.network.backward(self.trace(), y)
        return self._grads

    def dataset_trace(self) -> Trace:
        if self._all is None:
            if self.project.dataset.n_samples == 0:
                raise QuantityError("the dataset has no samples")
            self._all = self.project.network.forward(self.project.dataset.inputs)
        return self._all

    def _ref(self, ref: Ref) -> float:
        net = self.project.network
        problem = _range_problem(ref, net.sizes)
        if problem:
            raise QuantityError(problem)
        if ref.layer is not None:
            return self._entry(ref)
        return float(self._named(ref))

    def _entry(self, ref: Ref) -> float:
        net = self.project.network
        l, j = ref.layer, ref.row - 1
        if ref.name in ("W", "b"):
            if ref.grad:
                g = self.gradients()
                arr = g.dW[l - 1] if ref.name == "W" else g.db[l - 1]
            else:
                arr = net.weights[l - 1] if ref.name == "W" else net.biases[l - 1]
            return float(arr[j, ref.col - 1] if ref.name == "W" else arr[j])
        if ref.grad:
            g = self.gradients()
            arr = g.dz[l] if ref.name == "z" else g.da[l]
            if arr is None:   # ∂L/∂ŷ is not formed when softmax and cross-entropy are fused
                raise QuantityError(f"{ref.text()} is not computed for this network "
                                    f"(the loss is taken straight from z)")
            return float(arr[0, j])
        t = self.trace()
        return float((t.z[l] if ref.name == "z" else t.a[l])[0, j])

    def _named(self, ref: Ref) -> float:
        p, net = self.project, self.project.network
        name, i = ref.name, ref.index
        if name == "param_count":
            return net.n_parameters
        if name == "weight_count":
            return sum(w.size for w in net.weights)
        if name == "bias_count":
            return sum(b.size for b in net.biases)
        if name == "layer_count":
            return net.n_layers
        if name == "sample_count":
            return p.dataset.n_samples
        if name == "class_count":
            return p.dataset.n_classes
        if name == "sample":
            self._sample()
            return p.selected_sample + 1
        if name == "label":
            self._sample()
            return int(p.dataset.labels[p.selected_sample]) + 1
        if name == "prediction":
            out = self.trace().output[0]
            return (int(out[0] >= 0.5) if out.size == 1 else int(np.argmax(out))) + 1
        if name == "loss":
            return net.loss(self.trace(), self._sample()[1])
        if name == "loss_after_update":
            x, y = self._sample()
            return loss_after_update(net, x, y, p.training.learning_rate)[1]
        if name == "dataset_loss":
            return net.loss(self.dataset_trace(), p.dataset.targets(net.sizes[-1]))
        if name == "accuracy":
            out = self.dataset_trace().output
            pred = (out[:, 0] >= 0.5).astype(int) if out.shape[1] == 1 else out.argmax(axis=1)
            return float(np.mean(pred == p.dataset.labels))
        if name == "epoch":
            return p.history.epoch[-1] if p.history.epoch else 0
        if name in ("gradcheck_error", "gradcheck_passes"):
            x, y = self._sample()
            report = gradient_check(net, x.reshape(1, -1), y.reshape(1, -1))
            return report.max_error if name == "gradcheck_error" else report.forward_passes
        if name == "output":
            return self.trace().output[0, i - 1]
        if name == "target":
            return self._sample()[1][i - 1]
        if name == "sample_output":
            if not 1 <= i <= p.dataset.n_samples:
                raise QuantityError(f"{ref.text()}: the dataset has {p.dataset.n_samples} samples")
            return self.dataset_trace().output[i - 1, 0]
        if name == "size":
            return net.sizes[i]
        if name == "dead":
            if not net.activations[i - 1].dead_below_zero:
                return 0
            return int(np.all(self.dataset_trace().a[i] <= 0.0, axis=0).sum())
        if name == "inactive":
            return int(np.sum(self.trace().a[i][0] <= 0.0))
        raise QuantityError(f"unknown quantity {ref.text()}")


def split_format(text: str) -> tuple[str, int | None]:
    """("output[1]", 2) for "output[1] | 2"; QuantityError for a bad number of decimals."""
    expr, bar, decimals = str(text).partition("|")
    if not bar:
        return expr.strip(), None
    d = decimals.strip()
    if not d.isdigit() or int(d) > 12:
        raise QuantityError(f"after “|” write the number of decimals 0 … 12, got “{d}”")
    return expr.strip(), int(d)


def format_number(x: float, decimals: int | None = None) -> str:
    """How a lesson writes a computed number: 158, 0.6931, −0.5, 2.3e-09; with `decimals`,
    that many (−0.50, 0.0000)."""
    if not math.isfinite(x):
        return "∞ (overflow)" if math.isinf(x) else "undefined (overflow)"
    if decimals is not None:
        text = f"{x:.{decimals}f}"
        if float(text) == 0:
            text = text.lstrip("-")
    elif x == int(x) and abs(x) < 1e15:
        text = str(int(x))
    elif abs(x) >= 1e-4:
        text = f"{x:.4f}".rstrip("0").rstrip(".")
    else:
        text = f"{x:.2g}"
    return text.replace("-", "−")
