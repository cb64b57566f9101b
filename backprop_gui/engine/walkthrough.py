"""One training step as a list of explainable Step records, in teaching order.

Notation. Arrays hold samples as rows, so every formula is written the way the engine
computes it and each operand has exactly the shape shown beside it:

    z² = a¹ · (W²)ᵀ + b²              (N, n₂) = (N, n₁) · (n₁, n₂) + (n₂,)
    ∂L/∂W² = (∂L/∂z²)ᵀ · a¹           (n₂, n₁): summed over the N samples by the product
    ∂L/∂a¹ = ∂L/∂z² · W²              (N, n₁)

For one sample this is the textbook column-vector form transposed: z = W a + b,
∂L/∂W = ∂L/∂z · aᵀ, ∂L/∂a = Wᵀ ∂L/∂z. ⊙ is the elementwise product; superscripts are
textbook layer indices (a⁰ is the input).

Every number in a Step is the engine's own: `walkthrough` runs `Network.forward`,
`Network.loss` and `Network.backward` once each and only files their results, and the
update steps come from `Network.apply` run on a copy. Step arrays are read-only copies,
so neither the window nor a later training step can change what a Step shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .activations import Activation
from .losses import Loss
from .network import Gradients, Network, Trace
from .notation import sup

Array = np.ndarray

PHASES = ("forward", "loss", "backward", "update")
KINDS = ("z", "a", "loss", "dL/da", "dL/dz", "dL/dW", "dL/db", "update_W", "update_b")



# eq=False: comparing records that hold arrays elementwise would be ambiguous.
@dataclass(frozen=True, eq=False)
class Step:
    """One explainable computation: `result_name` = `formula` applied to `operands`.

    `layer` is the textbook index 1 … L (None for the loss); `kind` is a machine key from
    KINDS; operand names match the symbols in `formula`. All arrays are read-only.
    `function` is the activation or loss whose formula the step shows (None for sums,
    products and updates), for views that explain it further.
    """

    phase: str
    layer: int | None
    title: str
    formula: str
    operands: dict[str, Array]
    result_name: str
    result: Array
    kind: str
    explanation: str = ""
    function: Activation | Loss | None = None


def _step(phase: str, layer: int | None, kind: str, title: str, formula: str,
          operands: dict[str, Array], result_name: str, result: Array,
          explanation: str, function: Activation | Loss | None = None) -> Step:
    return Step(phase=phase, layer=layer, title=title, formula=formula, operands=operands,
                result_name=result_name, result=result, kind=kind, explanation=explanation,
                function=function)


class _Frozen:
    """Read-only copies of engine arrays, one per array, shared by every step that shows it."""

    def __init__(self) -> None:
        self._done: dict[int, Array] = {}
        self._keep: list[Array] = []  # keeps ids unique while this object lives

    def __call__(self, arr: Array | float) -> Array:
        if isinstance(arr, np.ndarray):
            hit = self._done.get(id(arr))
            if hit is not None:
                return hit
            out = arr.copy()
            self._done[id(arr)] = out
            self._keep.append(arr)
        else:
            out = np.array(arr, dtype=np.float64)
        out.setflags(write=False)
        return out


def walkthrough(net: Network, x: Array | Sequence[float], y: Array | Sequence[float],
                learning_rate: float) -> list[Step]:
    """Forward, loss, backward and update of one gradient-descent step, as Step records.

    `x` is one sample (n_in,) or a batch (N, n_in); `y` the matching targets. `net` is not
    changed: the update steps show the new parameters, and `net.apply(grads, learning_rate)`
    with the same gradients produces exactly those numbers.
    """
    trace = net.forward(x)
    loss = net.loss(trace, y)
    grads = net.backward(trace, y, input_gradient=False)
    Y = net.targets(y, trace.output.shape[0])
    updated = net.copy()
    updated.apply(grads, learning_rate)
    frozen = _Frozen()
    steps = _forward_steps(net, trace, frozen)
    steps.append(_loss_step(net, trace, Y, loss, frozen))
    steps += _backward_steps(net, trace, grads, Y, frozen)
    steps += _update_steps(net, updated, grads, learning_rate, frozen)
    return steps


def forward_walkthrough(net: Network, x: Array | Sequence[float]) -> list[Step]:
    """The forward phase alone, for an input with nothing to learn from (the Input panel's
    Try it input is not in the dataset: the network predicts it but never trains on it)."""
    return _forward_steps(net, net.forward(x), _Frozen())


def loss_after_update(net: Network, x: Array | Sequence[float], y: Array | Sequence[float],
                      learning_rate: float) -> tuple[float, float]:
    """(loss before, loss after) one gradient-descent step on (x, y); `net` is not changed."""
    trial = net.copy()
    trace = trial.forward(x)
    before = trial.loss(trace, y)
    trial.apply(trial.backward(trace, y, input_gradient=False), learning_rate)
    return before, trial.loss(trial.forward(x), y)


# ----- the four phases -------------------------------------------------------------------

def _forward_steps(net: Network, trace: Trace, frozen: _Frozen) -> list[Step]:
    steps = []
    for l in range(1, net.n_layers + 1):
        s, p = sup(l), sup(l - 1)
        act = net.activations[l - 1]
        where = "the inputs" if l == 1 else f"layer {l - 1}'s activations"
        steps.append(_step(
            "forward", l, "z", f"Layer {l}: weighted sum z{s}",
            f"z{s} = a{p} · (W{s})ᵀ + b{s}",
            {f"a{p}": frozen(trace.a[l - 1]), f"W{s}": frozen(net.weights[l - 1]),
             f"b{s}": frozen(net.biases[l - 1])},
            f"z{s}", frozen(trace.z[l]),
            f"Each neuron of layer {l} adds up {where}, each multiplied by its weight, "
            f"plus its bias."))
        formula = f"a{s} = z{s}" if act.identity else f"a{s} = {act.symbol}(z{s})"
        steps.append(_step(
            "forward", l, "a", f"Layer {l}: activation a{s} ({act.display})",
            formula, {f"z{s}": frozen(trace.z[l])}, f"a{s}", frozen(trace.a[l]),
            _activation_explanation(act, l == net.n_layers), act))
    return steps


def _activation_explanation(act: Activation, output: bool) -> str:
    if act.explanation:
        return act.explanation
    role = "the network's output ŷ" if output else "what the next layer receives"
    return f"The activation function bends each weighted sum; the result is {role}."


def _loss_step(net: Network, trace: Trace, Y: Array, loss: float, frozen: _Frozen) -> Step:
    loss_fn = net.loss_fn
    return _step(
        "loss", None, "loss",
        f"Loss: {loss_fn.display.lower()} of the output ŷ = a{sup(net.n_layers)}",
        loss_fn.formula, {"ŷ": frozen(trace.output), "y": frozen(Y)}, "L", frozen(loss),
        "One number measures how far the outputs are from the targets; training lowers it. "
        + loss_fn.convention, loss_fn)


def _backward_steps(net: Network, trace: Trace, grads: Gradients, Y: Array,
                    frozen: _Frozen) -> list[Step]:
    L = net.n_layers
    sL = sup(L)
    steps = []
    if net.fused_output:
        act = net.activations[-1]
        formula = net.loss_fn.fused_formula.replace("∂L/∂z", f"∂L/∂z{sL}", 1)
        steps.append(_step(
            "backward", L, "dL/dz", f"Layer {L}: error signal ∂L/∂z{sL} at the output",
            formula, {"ŷ": frozen(trace.output), "y": frozen(Y)},
            f"∂L/∂z{sL}", frozen(grads.dz[L]),
            f"{act.display} and {net.loss_fn.display.lower()} fit together: the gradient with "
            f"respect to z{sL} is simply prediction minus target (averaged).", net.loss_fn))
    else:
        rhs = net.loss_fn.grad_formula.split("=", 1)[1].strip()
        steps.append(_step(
            "backward", L, "dL/da", f"Layer {L}: gradient of the loss with respect to ŷ = a{sL}",
            f"∂L/∂a{sL} = {rhs}", {"ŷ": frozen(trace.output), "y": frozen(Y)},
            f"∂L/∂a{sL}", frozen(grads.da[L]),
            "Backpropagation starts at the loss: how much would L change if each output "
            "moved a little? " + net.loss_fn.convention, net.loss_fn))
        steps.append(_dz_step(net, trace, grads, L, frozen))
    for l in range(L, 0, -1):
        s, p = sup(l), sup(l - 1)
        steps.append(_step(
            "backward", l, "dL/dW", f"Layer {l}: gradient for the weights W{s}",
            f"∂L/∂W{s} = (∂L/∂z{s})ᵀ · a{p}",
            {f"∂L/∂z{s}": frozen(grads.dz[l]), f"a{p}": frozen(trace.a[l - 1])},
            f"∂L/∂W{s}", frozen(grads.dW[l - 1]),
            f"Weight W{s}[j,i] multiplies a{p}[i] on its way into z{s}[j], so its gradient is "
            f"∂L/∂z{s}[j] · a{p}[i], summed over the samples."))
        steps.append(_step(
            "backward", l, "dL/db", f"Layer {l}: gradient for the biases b{s}",
            f"∂L/∂b{s} = Σₙ ∂L/∂z{s}", {f"∂L/∂z{s}": frozen(grads.dz[l])},
            f"∂L/∂b{s}", frozen(grads.db[l - 1]),
            f"A bias is added straight into z{s}, so its gradient is ∂L/∂z{s} itself, "
            "summed over the samples."))
        if l > 1:
            steps.append(_step(
                "backward", l - 1, "dL/da", f"Layer {l - 1}: gradient passed back to a{p}",
                f"∂L/∂a{p} = ∂L/∂z{s} · W{s}",
                {f"∂L/∂z{s}": frozen(grads.dz[l]), f"W{s}": frozen(net.weights[l - 1])},
                f"∂L/∂a{p}", frozen(grads.da[l - 1]),
                f"Each neuron of layer {l - 1} feeds every neuron of layer {l}; its gradient "
                "adds up those paths, each weighted by the weight on it (the chain rule)."))
            steps.append(_dz_step(net, trace, grads, l - 1, frozen))
    return steps


def _dz_step(net: Network, trace: Trace, grads: Gradients, l: int, frozen: _Frozen) -> Step:
    s = sup(l)
    act = net.activations[l - 1]
    fprime = act.slope_symbol
    title = f"Layer {l}: error signal ∂L/∂z{s} through {act.display}"
    if not act.elementwise:  # e.g. softmax without its fused loss: a full Jacobian
        return _step(
            "backward", l, "dL/dz", title, act.jacobian_formula.format(s=s),
            {f"∂L/∂a{s}": frozen(grads.da[l]), f"a{s}": frozen(trace.a[l])},
            f"∂L/∂z{s}", frozen(grads.dz[l]), act.jacobian_explanation, act)
    # f′ shown as an operand is the very derivative function backward() multiplies by.
    fp = act.derivative(trace.z[l], trace.a[l])
    return _step(
        "backward", l, "dL/dz", title,
        f"∂L/∂z{s} = ∂L/∂a{s} ⊙ {fprime}(z{s})",
        {f"∂L/∂a{s}": frozen(grads.da[l]), f"z{s}": frozen(trace.z[l]),
         f"{fprime}(z{s})": frozen(fp)},
        f"∂L/∂z{s}", frozen(grads.dz[l]),
        f"Chain rule through the activation: multiply by its slope {fprime} at z{s}; where "
        "the slope is 0 the gradient stops.", act)


def _update_steps(net: Network, updated: Network, grads: Gradients, learning_rate: float,
                  frozen: _Frozen) -> list[Step]:
    alpha = frozen(learning_rate)
    steps = []
    for l in range(1, net.n_layers + 1):
        s = sup(l)
        for kind, p, old, new, g in (
                ("update_W", "W", net.weights, updated.weights, grads.dW),
                ("update_b", "b", net.biases, updated.biases, grads.db)):
            steps.append(_step(
                "update", l, kind, f"Layer {l}: update {p}{s}",
                f"new {p}{s} = {p}{s} − α · ∂L/∂{p}{s}",
                {f"{p}{s}": frozen(old[l - 1]), "α": alpha, f"∂L/∂{p}{s}": frozen(g[l - 1])},
                f"new {p}{s}", frozen(new[l - 1]),
                "Gradient descent: step each parameter a little against its gradient, "
                "scaled by the learning rate α, so the loss goes down."))
    return steps


# ----- one weight's chain rule -------------------------------------------------------------

@dataclass(frozen=True)
class Factor:
    """One named number in a product, e.g. ("W³[0,1]", 0.42)."""

    label: str
    value: float


@dataclass(frozen=True)
class PathTerm:
    """One path through the next layer: the product of its factors."""

    factors: tuple[Factor, ...]
    value: float


@dataclass(frozen=True)
class ChainRuleExplanation:
    """∂L/∂W⁽ˡ⁾[j,i] for one sample, taken apart by the chain rule.

    gradient = dz · a_in, where for a hidden layer
    dz = derivative · Σ paths, each path being W⁽ˡ⁺¹⁾[k,j] · ∂L/∂z⁽ˡ⁺¹⁾[k].
    For the output layer `derivative` is None and `paths` is empty.
    """

    layer: int
    row: int
    col: int
    formula: str            # ∂L/∂W²[j,i] = ∂L/∂z²[j] · a¹[i]
    dz: Factor              # ∂L/∂z⁽ˡ⁾[j], the engine's number
    a_in: Factor            # a⁽ˡ⁻¹⁾[i]
    gradient: Factor        # ∂L/∂W⁽ˡ⁾[j,i], the engine's number
    dz_formula: str         # how ∂L/∂z⁽ˡ⁾[j] arises
    derivative: Factor | None = None
    paths: tuple[PathTerm, ...] = field(default_factory=tuple)
    path_sum: float | None = None   # Σ paths = ∂L/∂a⁽ˡ⁾[j]

    @property
    def recomposed(self) -> float:
        """The gradient rebuilt from the factors shown (equal to `gradient` up to rounding)."""
        if self.derivative is None:
            return self.dz.value * self.a_in.value
        return self.derivative.value * self.path_sum * self.a_in.value


def chain_rule_paths(net: Network, trace: Trace, grads: Gradients, l: int, j: int,
                     i: int) -> ChainRuleExplanation:
    """The chain rule for weight W⁽ˡ⁾[j,i] (`net.weights[l - 1][j, i]`) on a one-sample trace."""
    L = net.n_layers
    if trace.a[0].shape[0] != 1:
        raise ValueError(f"chain_rule_paths needs a trace of one sample, got {trace.a[0].shape[0]}")
    if not 1 <= l <= L:
        raise ValueError(f"layer must be 1 … {L}, got {l}")
    n_out, n_in = net.weights[l - 1].shape
    if not (0 <= j < n_out and 0 <= i < n_in):
        raise ValueError(f"W{sup(l)} has shape {(n_out, n_in)}; index [{j},{i}] is outside it")
    s, p = sup(l), sup(l - 1)
    dz = Factor(f"∂L/∂z{s}[{j}]", float(grads.dz[l][0, j]))
    a_in = Factor(f"a{p}[{i}]", float(trace.a[l - 1][0, i]))
    gradient = Factor(f"∂L/∂W{s}[{j},{i}]", float(grads.dW[l - 1][j, i]))
    formula = f"{gradient.label} = {dz.label} · {a_in.label}"
    if l == L:
        if net.fused_output:
            source = net.loss_fn.fused_formula.replace("∂L/∂z", f"∂L/∂z{s}", 1)
        elif not net.activations[-1].elementwise:
            source = f"∂L/∂z{s} = {net.activations[-1].symbol} Jacobian applied to ∂L/∂a{s}"
        else:
            source = f"∂L/∂z{s} = ∂L/∂a{s} ⊙ {net.activations[-1].slope_symbol}(z{s})"
        return ChainRuleExplanation(l, j, i, formula, dz, a_in, gradient, source)
    n = sup(l + 1)
    act = net.activations[l - 1]
    fprime = act.slope_symbol
    derivative = Factor(f"{fprime}(z{s}[{j}])",
                        float(act.derivative(trace.z[l], trace.a[l])[0, j]))
    W_next, dz_next = net.weights[l], grads.dz[l + 1][0]
    paths = tuple(
        PathTerm((Factor(f"W{n}[{k},{j}]", float(W_next[k, j])),
                  Factor(f"∂L/∂z{n}[{k}]", float(dz_next[k]))),
                 float(W_next[k, j] * dz_next[k]))
        for k in range(W_next.shape[0]))
    path_sum = float(sum(t.value for t in paths))
    dz_formula = f"{dz.label} = {derivative.label} · Σₖ W{n}[k,{j}] · ∂L/∂z{n}[k]"
    return ChainRuleExplanation(l, j, i, formula, dz, a_in, gradient, dz_formula,
                                derivative, paths, path_sum)
