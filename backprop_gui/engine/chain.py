"""The computational graph of one weight or bias: its chain of nodes to the loss, micrograd-style.

For W⁽ˡ⁾[j,i] the chain is  w → w·a → z⁽ˡ⁾[j] → a⁽ˡ⁾[j] → z⁽ˡ⁺¹⁾ → a⁽ˡ⁺¹⁾ → … → ŷ → L.
Up to a⁽ˡ⁾[j] each node is one number. Neuron j feeds every neuron k of the next layer, so
from there on a node is a whole layer (a group, one entry per neuron): the loss feels the
weight along all of them, and ∂L/∂a⁽ˡ⁾[j] is the sum Σₖ over them. A bias starts at b⁽ˡ⁾[j]
and joins z⁽ˡ⁾[j] directly. Side inputs that the chain needs but that are not on it (the
incoming activation a⁽ˡ⁻¹⁾[i], the rest of the weighted sum) sit below the node they feed
(`lane` 1, same column).

Every value and gradient is the engine's: `Network.forward`'s Trace, `Network.backward`'s
Gradients, an activation record's `derivative`, and `walkthrough.chain_rule_paths` for the
terms of the sum over k. Each number also names the walkthrough step that computes it
(`StepKey`, the step's (phase, kind, layer)), so a view can fill the values forward and the
gradients backward exactly as the step-through goes. `ChainRule` writes ∂L/∂p out as a product
of factors that multiplies back to backprop's own number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .network import Gradients, Network, Trace
from .notation import entry, input_name, sup, symbol
from .selection import Selection
from .walkthrough import Factor, PathTerm, chain_rule_paths

# The walkthrough step that computes a number: (phase, kind, layer) as in walkthrough.KINDS.
StepKey = tuple[str, str, "int | None"]


@dataclass(frozen=True)
class Node:
    """One node: a number (`values` has one entry) or a layer of them (`group`).

    `grads` are ∂L/∂ of each entry; None where the backward pass does not compute one (a side
    input, or ŷ when the loss is fused with the output activation). `value_step` and
    `grad_step` are the walkthrough steps that compute them (None: known before the pass).
    """

    key: str
    label: str
    caption: str
    names: tuple[str, ...]
    values: tuple[float, ...]
    grads: tuple[float, ...] | None
    value_step: StepKey | None
    grad_step: StepKey | None
    column: int
    lane: int = 0
    group: bool = False


@dataclass(frozen=True)
class Edge:
    """source → target, labelled with the local derivative ∂target/∂source.

    `values` is its number, or one number per neuron k for a fan-out into a layer (`fan_out`);
    empty when it is no single number (a whole weight matrix, softmax's Jacobian, a loss
    fused with the output). `on_path` is False for side inputs the chain does not go through.
    """

    source: str
    target: str
    label: str
    values: tuple[float, ...] = ()
    on_path: bool = True
    fan_out: bool = False
    note: str = ""


@dataclass(frozen=True)
class ChainRule:
    """∂L/∂p = product of `factors`; for a hidden layer the last factor is ∂L/∂a⁽ˡ⁾[j], the
    sum of `paths` (one per neuron k of the next layer).

    `symbols[n]` is factor n as a derivative (∂z¹[1]/∂W¹[1,1]), `factors[n]` its formula and
    number (Factor("σ′(z¹[1])", 0.235)). `loss_rule` is how the last factor of an output layer
    arises (the loss record's formula) with `loss_operands` (ŷ and y); `value` multiplies the
    factors shown, `gradient` is backprop's own number.
    """

    target: str
    symbols: tuple[str, ...]
    factors: tuple[Factor, ...]
    paths: tuple[PathTerm, ...]
    path_names: tuple[tuple[str, str], ...]   # (W⁽ˡ⁺¹⁾[k,j], ∂L/∂z⁽ˡ⁺¹⁾[k]) of each path
    loss_rule: str
    loss_operands: tuple[Factor, ...]
    value: float
    gradient: float

    @property
    def summed(self) -> bool:
        return bool(self.paths)

    def agrees(self, tolerance: float = 1e-12) -> bool:
        """Whether the factors multiply to backprop's number (relative to its size)."""
        if not (math.isfinite(self.value) and math.isfinite(self.gradient)):
            return False
        return abs(self.value - self.gradient) <= tolerance * max(1.0, abs(self.gradient))


@dataclass(frozen=True)
class ChainGraph:
    selection: Selection
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    rule: ChainRule

    def node(self, key: str) -> Node:
        for node in self.nodes:
            if node.key == key:
                return node
        raise KeyError(key)

    @property
    def n_columns(self) -> int:
        return max(n.column for n in self.nodes) + 1


def suitable(selection: Selection | None, net: Network) -> bool:
    """Whether `selection` is a weight or a bias of `net` (what a chain starts at)."""
    return (selection is not None and not selection.is_neuron
            and selection.exists_in(net.sizes))


def chain_graph(net: Network, trace: Trace, grads: Gradients, y: np.ndarray,
                selection: Selection, loss: float) -> ChainGraph:
    """The graph from `selection` (a weight or bias of `net`) to the loss, for one sample:
    `trace` = net.forward(x), `grads` = net.backward(trace, y), `loss` = net.loss(trace, y)."""
    if not suitable(selection, net):
        raise ValueError(f"{selection} is not a weight or a bias of this network")
    if trace.a[0].shape[0] != 1:
        raise ValueError("the computational graph is drawn for one sample")
    return _Builder(net, trace, grads, np.asarray(y, dtype=np.float64).reshape(-1), selection,
                    float(loss)).build()


def _row(arr: np.ndarray | None) -> tuple[float, ...] | None:
    return None if arr is None else tuple(float(v) for v in np.asarray(arr).reshape(-1))


class _Builder:
    def __init__(self, net: Network, trace: Trace, grads: Gradients, y: np.ndarray,
                 sel: Selection, loss: float) -> None:
        self.net, self.trace, self.grads, self.y, self.sel, self.loss = (
            net, trace, grads, y, sel, loss)
        self.L = net.n_layers
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []

    # ----- graph ------------------------------------------------------------------------------

    def build(self) -> ChainGraph:
        l, j = self.sel.layer, self.sel.j
        column = self._parameter_part(l, j)
        column = self._neuron_part(l, j, column)
        for m in range(l + 1, self.L + 1):
            column = self._layer_part(m, column)
        self._loss_node(column)
        return ChainGraph(self.sel, tuple(self.nodes), tuple(self.edges), self._rule())

    def _add(self, key: str, label: str, caption: str, names: tuple[str, ...],
             values, grads, value_step, grad_step, column: int, lane: int = 0,
             group: bool = False) -> None:
        self.nodes.append(Node(key, label, caption, names, _row(values), _row(grads),
                               value_step, grad_step, column, lane, group))

    def _parameter_part(self, l: int, j: int) -> int:
        """w, its input and w·a (or b) and the rest of the weighted sum; returns z's column."""
        net, trace, sel = self.net, self.trace, self.sel
        W, b, a_prev = net.weights[l - 1], net.biases[l - 1], trace.a[l - 1][0]
        z_key = f"z{l}"
        dz = self.grads.dz[l][0, j]
        z_step, dz_step = ("forward", "z", l), ("backward", "dL/dz", l)
        if sel.is_bias:
            self._add("param", sel.name, "bias", (sel.name,), b[j], self.grads.db[l - 1][j],
                      None, ("backward", "dL/db", l), 0)
            others = float(W[j] @ a_prev)
            self._add("rest", f"Σᵢ {symbol('W', l)}[{j + 1},i]·{symbol('a', l - 1)}[i]",
                      f"the weighted inputs ({W.shape[1]} term{'s' * (W.shape[1] != 1)})", ("Σ",), others, None,
                      z_step, None, 1, lane=1)
            self.edges.append(Edge("param", z_key, "1", (1.0,)))
            self.edges.append(Edge("rest", z_key, "1", (1.0,), on_path=False))
            return 1
        i = sel.i
        a_name = entry("a", l - 1, i)
        w, a_in = float(W[j, i]), float(a_prev[i])
        self._add("param", sel.name, "weight", (sel.name,), w, self.grads.dW[l - 1][j, i],
                  None, ("backward", "dL/dW", l), 0)
        caption = f"input {input_name(i)}" if l == 1 else f"neuron {i + 1} of layer {l - 1}"
        self._add("input", a_name, caption, (a_name,), a_in, None,
                  None if l == 1 else ("forward", "a", l - 1), None, 1, lane=1)
        self._add("product", f"{sel.name}·{a_name}", "the weight's term of z",
                  (f"{sel.name}·{a_name}",), w * a_in, dz, z_step, dz_step, 1)
        rest = float(b[j] + sum(W[j, k] * a_prev[k] for k in range(W.shape[1]) if k != i))
        n_other = W.shape[1] - 1
        self._add("rest", f"{entry('b', l, j)} + {n_other} other term{'s' * (n_other != 1)}",
                  "the rest of the weighted sum", ("rest",), rest, None, z_step, None, 2, lane=1)
        self.edges.append(Edge("param", "product", a_name, (a_in,)))
        self.edges.append(Edge("input", "product", sel.name, (w,), on_path=False))
        self.edges.append(Edge("product", z_key, "1", (1.0,)))
        self.edges.append(Edge("rest", z_key, "1", (1.0,), on_path=False))
        return 2

    def _neuron_part(self, l: int, j: int, column: int) -> int:
        """z⁽ˡ⁾[j] and a⁽ˡ⁾[j] (ŷ for the output layer); returns the next free column."""
        net, trace, grads = self.net, self.trace, self.grads
        z_name = entry("z", l, j)
        self._add(f"z{l}", z_name, "weighted sum", (z_name,), trace.z[l][0, j], grads.dz[l][0, j],
                  ("forward", "z", l), ("backward", "dL/dz", l), column)
        act = net.activations[l - 1]
        a_key = f"a{l}"
        if l == self.L and not act.elementwise:
            # Softmax: every output depends on z[j], so ŷ is the whole layer.
            self._output_group(column + 1)
            self.edges.append(Edge(f"z{l}", a_key, act.symbol, note=f"{act.display}: every ŷₖ "
                                   "depends on every z; the Jacobian is not one number"))
            return column + 2
        a_name = entry("a", l, j)
        label = f"ŷ[{j + 1}]" if l == self.L else a_name
        da = None if grads.da[l] is None else grads.da[l][0, j]
        self._add(a_key, label, f"{act.display}({z_name})", (label,), trace.a[l][0, j], da,
                  ("forward", "a", l), None if da is None else ("backward", "dL/da", l),
                  column + 1)
        slope = float(act.derivative(trace.z[l], trace.a[l])[0, j])
        self.edges.append(Edge(f"z{l}", a_key, f"{act.slope_symbol}({z_name})", (slope,)))
        return column + 2

    def _layer_part(self, m: int, column: int) -> int:
        """z⁽ᵐ⁾ and a⁽ᵐ⁾ of a layer after the selected neuron's, as groups."""
        net, trace, grads = self.net, self.trace, self.grads
        n = net.sizes[m]
        names = tuple(entry("z", m, k) for k in range(n))
        # A layer of one neuron is one node, as in a 1-1-1 chain; a wider one a group.
        self._add(f"z{m}", symbol("z", m) if n > 1 else names[0],
                  f"weighted sums, k = 1…{n}" if n > 1 else "weighted sum", names, trace.z[m][0],
                  grads.dz[m][0], ("forward", "z", m), ("backward", "dL/dz", m), column,
                  group=n > 1)
        prev = f"a{m - 1}"
        if m == self.sel.layer + 1:
            j = self.sel.j
            k = "k" if n > 1 else "1"
            self.edges.append(Edge(prev, f"z{m}", f"{symbol('W', m)}[{k},{j + 1}]",
                                   _row(net.weights[m - 1][:, j]), fan_out=True))
        else:
            self.edges.append(Edge(prev, f"z{m}", symbol("W", m), note=(
                f"every a{sup(m - 1)} feeds every z{sup(m)}: the local derivatives are the "
                f"whole matrix W{sup(m)}")))
        act = net.activations[m - 1]
        if m == self.L:
            self._output_group(column + 1)
        else:
            a_names = tuple(entry("a", m, k) for k in range(n))
            self._add(f"a{m}", symbol("a", m) if n > 1 else a_names[0],
                      f"{act.display}, k = 1…{n}" if n > 1 else act.display, a_names,
                      trace.a[m][0], grads.da[m][0], ("forward", "a", m),
                      ("backward", "dL/da", m), column + 1, group=n > 1)
        if act.elementwise:
            slopes = _row(act.derivative(trace.z[m], trace.a[m]))
            z_name = f"{symbol('z', m)}ₖ" if n > 1 else names[0]
            self.edges.append(Edge(f"z{m}", f"a{m}", f"{act.slope_symbol}({z_name})", slopes))
        else:
            self.edges.append(Edge(f"z{m}", f"a{m}", act.symbol, note=(
                f"{act.display}: every output depends on every z; the Jacobian is not one "
                "number per neuron")))
        return column + 2

    def _output_group(self, column: int) -> None:
        L, net, grads = self.L, self.net, self.grads
        n = net.sizes[L]
        names = tuple(f"ŷ[{k + 1}]" for k in range(n))
        da = None if grads.da[L] is None else grads.da[L][0]
        self._add(f"a{L}", "ŷ" if n > 1 else names[0],
                  f"{net.activations[-1].display}, k = 1…{n}", names,
                  self.trace.a[L][0], da, ("forward", "a", L),
                  None if da is None else ("backward", "dL/da", L), column, group=n > 1)

    def _loss_node(self, column: int) -> None:
        L, net = self.L, self.net
        first_backward = ("backward", "dL/dz", L) if net.fused_output else ("backward", "dL/da", L)
        self._add("loss", "L", net.loss_fn.display, ("L",), self.loss, 1.0, ("loss", "loss", None),
                  first_backward, column)
        source = self.nodes[-2]
        if net.fused_output:
            rhs = net.loss_fn.fused_formula.split("=", 1)[1].strip()
            self.edges.append(Edge(source.key, "loss", "fused", note=(
                f"{net.activations[-1].display} and {net.loss_fn.display.lower()} are "
                f"differentiated together: ∂L/∂z{sup(L)} = {rhs}")))
            return
        da = self.grads.da[L][0]
        # From the selected neuron's own ŷ[j], or from the whole output layer after it.
        values = (float(da[self.sel.j]),) if self.sel.layer == L else _row(da)
        self.edges.append(Edge(source.key, "loss", "∂L/∂ŷ" + ("ₖ" if source.group else ""),
                               values, fan_out=source.group))

    # ----- the chain rule ------------------------------------------------------------------------

    def _rule(self) -> ChainRule:
        net, trace, grads, sel = self.net, self.trace, self.grads, self.sel
        l, j, L = sel.layer, sel.j, self.L
        p = sel.name
        z_name, a_name = entry("z", l, j), entry("a", l, j)
        if sel.is_weight:
            a_in = entry("a", l - 1, sel.i)
            first = Factor(a_in, float(trace.a[l - 1][0, sel.i]))
            gradient = float(grads.dW[l - 1][j, sel.i])
        else:
            first = Factor("1", 1.0)
            gradient = float(grads.db[l - 1][j])
        symbols = [f"∂{z_name}/∂{p}"]
        factors = [first]
        act = net.activations[l - 1]
        paths: tuple[PathTerm, ...] = ()
        path_names: tuple[tuple[str, str], ...] = ()
        loss_rule, operands = "", ()
        y_hat = Factor(f"ŷ[{j + 1}]", float(trace.a[L][0, j])) if l == L else None
        if l == L and (net.fused_output or not act.elementwise):
            symbols.append(f"∂L/∂{z_name}")
            factors.append(Factor(f"∂L/∂{z_name}", float(grads.dz[L][0, j])))
            if net.fused_output:
                loss_rule = net.loss_fn.fused_formula.replace("∂L/∂z", f"∂L/∂{z_name}", 1)
            else:
                loss_rule = act.jacobian_formula.format(s=sup(L))
            operands = (y_hat, Factor(f"y[{j + 1}]", float(self.y[j])))
        else:
            symbols.append(f"∂{a_name}/∂{z_name}")
            factors.append(Factor(f"{act.slope_symbol}({z_name})",
                                  float(act.derivative(trace.z[l], trace.a[l])[0, j])))
            symbols.append(f"∂L/∂{a_name}")
            if l == L:
                rhs = net.loss_fn.grad_formula.split("=", 1)[1].strip()
                factors.append(Factor(rhs, float(grads.da[L][0, j])))
                loss_rule = f"∂L/∂ŷ[{j + 1}] = {rhs}"
                operands = (y_hat, Factor(f"y[{j + 1}]", float(self.y[j])))
            else:
                explained = chain_rule_paths(net, trace, grads, l, j, sel.i or 0)
                paths = explained.paths
                path_names = tuple((entry("W", l + 1, k, j), f"∂L/∂{entry('z', l + 1, k)}")
                                   for k in range(len(paths)))
                factors.append(Factor(f"Σₖ {symbol('W', l + 1)}[k,{j + 1}] · "
                                      f"∂L/∂{symbol('z', l + 1)}[k]", explained.path_sum))
        value = 1.0
        for factor in factors:
            value *= factor.value
        return ChainRule(f"∂L/∂{p}", tuple(symbols), tuple(factors), paths, path_names,
                         loss_rule, operands, value, gradient)
