"""The numbers a lesson may show or check answers against, computed by the engine.

A question never holds its answer: it names what to compute in the small language of
expression.py ("param_count", "grad W2[3,5]", "2 * output[1]"), read by a hand-written parser,
never `eval`. Here `Quantities(project)` evaluates such an expression for the project as it
is now, from the engine's own forward and backward passes.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.gradcheck import gradient_check
from ..engine.network import Gradients, Trace
from ..engine.overflow import quietly
from ..engine.project import Project
from ..engine.walkthrough import loss_after_update
from .expression import FUNCTIONS, Node, QuantityError, Ref, parse, range_problem, split_format


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
        problem = range_problem(ref, net.sizes)
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
