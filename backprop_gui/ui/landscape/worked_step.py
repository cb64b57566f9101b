"""One step of gradient descent on a toy function written out with its numbers, line by line,
as the step-through writes its worked calculations (three significant digits, a real minus
sign, never a bare "nan" or "inf")."""

from __future__ import annotations

from typing import Sequence

from ...engine.landscape import DescentStep, ToyFunction, is_global_minimum, nearest_minimum
from ..common.formatting import MINUS, fmt

# A descent this close to a known minimum has reached it (the view's coordinates are ~1).
REACHED = 1e-3


def vec(v: Sequence[float]) -> str:
    """(x, y) as a student writes it: "(0.8, −1.2)"."""
    return f"({fmt(v[0])}, {fmt(v[1])})"


def point_name(p: Sequence[float]) -> str:
    return vec(p)


def _minus(a: float, b: float) -> str:
    """"a − b" with a negative b in parentheses."""
    text = fmt(b)
    return f"{fmt(a)} {MINUS} {'(' + text + ')' if b < 0 else text}"


def _plus(a: float, b: float) -> str:
    text = fmt(b)
    return f"{fmt(a)} + {'(' + text + ')' if b < 0 else text}"


def _gradient_rule(fn: ToyFunction) -> str:
    """The right-hand side of the function's gradient formula: "(2x, 2y)"."""
    return fn.gradient_formula.split("=", 1)[-1].strip()


def step_lines(fn: ToyFunction, step: DescentStep) -> list[str]:
    """The step's calculation, one line each: the point, f, ∇f, the update, the new point."""
    p, g, n, a = step.point, step.gradient, step.noise, step.learning_rate
    lines = [f"Step {step.k}:  α = {fmt(a)}"
             + (f",  momentum μ = {fmt(step.momentum)}" if step.momentum else ""),
             f"p = {vec(p)}",
             f"f(p) = {fmt(step.value)}",
             f"∇f(p) = {_gradient_rule(fn)} = {vec(g)}"]
    grad_name = "∇f"
    if n.any():
        grad_name = "g"
        noisy = g + n
        lines.append(f"g = ∇f + noise = {vec(g)} + {vec(n)} = {vec(noisy)}")
    scaled = step.scaled_gradient
    lines.append(f"α·{grad_name} = {fmt(a)} × {vec(g + n)} = {vec(scaled)}")
    if step.momentum:
        v0, v = step.velocity_before, step.velocity
        lines.append(f"v = μ·v − α·{grad_name} = {fmt(step.momentum)} × {vec(v0)} {MINUS} "
                     f"{vec(scaled)} = {vec(v)}")
        if step.new_point is not None:
            lines.append(f"p + v = ({_plus(p[0], v[0])}, {_plus(p[1], v[1])}) = "
                         f"{vec(step.new_point)}")
    elif step.new_point is not None:
        lines.append(f"p − α·{grad_name} = ({_minus(p[0], scaled[0])}, {_minus(p[1], scaled[1])})"
                     f" = {vec(step.new_point)}")
    if step.new_value is not None:
        change = step.new_value - step.value
        word = "down" if change < 0 else "up"
        lines.append(f"f: {fmt(step.value)} → {fmt(step.new_value)}  ({word} by {fmt(abs(change))})")
    if step.diverged:
        lines.append(divergence_text(step))
    return lines


def divergence_text(step: DescentStep) -> str:
    """What to tell the student when the descent blew up."""
    return (f"Diverged at step {step.k}: the point flew out of the landscape. The learning "
            f"rate α = {fmt(step.learning_rate)} is too large here: each step overshoots "
            f"further than the one before. Press Reset and try a smaller α.")


def minimum_text(fn: ToyFunction, point: Sequence[float]) -> str:
    """Which known minimum `point` has reached ("" if none yet)."""
    index, distance = nearest_minimum(fn, point)
    if distance > REACHED:
        return ""
    x, y = fn.minima[index]
    value = fmt(float(fn.f(x, y)))
    if is_global_minimum(fn, index):
        kind = "the global minimum" if len(fn.minima) > 1 else "the minimum"
        return f"Reached {kind}: f = {value} at {vec((x, y))}."
    best = min(range(len(fn.minima)), key=lambda i: float(fn.f(*fn.minima[i])))
    bx, by = fn.minima[best]
    return (f"Reached a local minimum: f = {value} at {vec((x, y))}. The global minimum, "
            f"f = {fmt(float(fn.f(bx, by)))} at {vec((bx, by))}, is lower, but every way "
            f"there goes uphill first.")
