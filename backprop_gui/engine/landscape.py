"""Loss landscapes: toy functions f(x, y) to descend (2-D slices of a network's loss are in
loss_slice.py).

A toy function is a frozen record with its formula and gradient, so a lesson can show the
surface, the arrows −∇f and the path gradient descent takes, all from the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np


Array = np.ndarray

# A descent whose point leaves this square (|x| or |y| beyond it) has diverged.
DIVERGENCE_LIMIT = 1e6

# SGD-style noise fades linearly to nothing over this many steps, as the noise of SGD does
# when its learning rate decays: it shakes the point early and lets it settle at the end.
NOISE_FADE_STEPS = 200


@dataclass(frozen=True)
class ToyFunction:
    """A function of two variables with its gradient, view window and known local minima."""

    name: str
    title: str
    formula: str
    gradient_formula: str
    f: Callable[[Array, Array], Array]
    gradient: Callable[[Array, Array], tuple[Array, Array]]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    minima: tuple[tuple[float, float], ...]
    description: str = ""

    def __call__(self, x: Array, y: Array) -> Array:
        return self.f(x, y)


def _bowl(x: Array, y: Array) -> Array:
    return x * x + y * y


def _bowl_grad(x: Array, y: Array) -> tuple[Array, Array]:
    return 2.0 * x, 2.0 * y


def _ravine(x: Array, y: Array) -> Array:
    return x * x + 10.0 * y * y


def _ravine_grad(x: Array, y: Array) -> tuple[Array, Array]:
    return 2.0 * x, 20.0 * y


def _bumpy(x: Array, y: Array) -> Array:
    return (x * x + y * y) / 10.0 - np.cos(2.0 * x) * np.cos(2.0 * y)


def _bumpy_grad(x: Array, y: Array) -> tuple[Array, Array]:
    return (x / 5.0 + 2.0 * np.sin(2.0 * x) * np.cos(2.0 * y),
            y / 5.0 + 2.0 * np.cos(2.0 * x) * np.sin(2.0 * y))


# Local minima of `bumpy` inside its view, found by Newton's method (rounded to 6 places).
# The wide bowl (x² + y²)/10 pulls each minimum of −cos(2x)·cos(2y) slightly towards 0.
_BUMPY_MINIMA = (
    (0.0, 0.0),                                              # f = −1 (global)
    (1.494891, 1.494891), (-1.494891, 1.494891),             # f ≈ −0.530
    (-1.494891, -1.494891), (1.494891, -1.494891),
    (2.989782, 0.0), (0.0, 2.989782),                        # f ≈ −0.060
    (-2.989782, 0.0), (0.0, -2.989782),
    (2.98185, 2.98185), (-2.98185, 2.98185),                 # f ≈ 0.877
    (-2.98185, -2.98185), (2.98185, -2.98185),
)

TOY_FUNCTIONS: dict[str, ToyFunction] = {
    fn.name: fn
    for fn in (
        ToyFunction(
            "bowl", "Bowl", "f(x, y) = x² + y²", "∇f = (2x, 2y)", _bowl, _bowl_grad,
            (-2.0, 2.0), (-2.0, 2.0), ((0.0, 0.0),),
            "A perfectly round bowl with one minimum at (0, 0). Every step of gradient "
            "descent shrinks the distance to the minimum by the factor (1 − 2α), so a "
            "learning rate above 1 makes it diverge."),
        ToyFunction(
            "ravine", "Ravine", "f(x, y) = x² + 10·y²", "∇f = (2x, 20y)", _ravine, _ravine_grad,
            (-2.0, 2.0), (-2.0, 2.0), ((0.0, 0.0),),
            "A long narrow valley, ten times steeper across than along. Plain gradient "
            "descent zig-zags across it (and diverges for α > 0.1); momentum helps it "
            "roll along the valley floor."),
        ToyFunction(
            "bumpy", "Bumpy bowl",
            "f(x, y) = (x² + y²)/10 − cos(2x)·cos(2y)",
            "∇f = (x/5 + 2·sin 2x·cos 2y, y/5 + 2·cos 2x·sin 2y)",
            _bumpy, _bumpy_grad, (-3.5, 3.5), (-3.5, 3.5), _BUMPY_MINIMA,
            "A wide bowl covered in bumps. The lowest point is at (0, 0), but there are "
            "twelve more local minima in view: near (±1.49, ±1.49), (±2.99, 0), (0, ±2.99) "
            "and (±2.98, ±2.98). Where gradient descent ends depends on where it starts."),
    )
}


def get_toy_function(name: str) -> ToyFunction:
    """The toy function called `name`; ValueError listing the known names otherwise."""
    try:
        return TOY_FUNCTIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown function {name!r} (known: {', '.join(TOY_FUNCTIONS)})") from None


def nearest_minimum(fn: ToyFunction, point: Sequence[float]) -> tuple[int, float]:
    """(index into `fn.minima`, Euclidean distance) of the known minimum closest to `point`."""
    dist = np.linalg.norm(np.asarray(fn.minima) - np.asarray(point, dtype=np.float64), axis=1)
    i = int(np.argmin(dist))
    return i, float(dist[i])


def is_global_minimum(fn: ToyFunction, index: int) -> bool:
    """Whether `fn.minima[index]` is the lowest of the known minima."""
    values = [float(fn.f(x, y)) for x, y in fn.minima]
    return values[index] <= min(values)


# ----- gradient descent on a toy function ------------------------------------------------

@dataclass(frozen=True)
class Descent:
    """The path of gradient descent: points (k+1, 2), f at each, and whether it diverged."""

    points: Array
    values: Array
    diverged: bool
    message: str

    @property
    def n_steps(self) -> int:
        return len(self.points) - 1


def _check_rates(learning_rate: float, momentum: float, noise: float) -> None:
    if not (np.isfinite(learning_rate) and learning_rate >= 0):
        raise ValueError(f"learning rate must be a finite number ≥ 0, got {learning_rate}")
    if not 0.0 <= momentum < 1.0:
        raise ValueError(f"momentum must lie in [0, 1), got {momentum}")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number ≥ 0, got {noise}")


@dataclass(frozen=True)
class DescentStep:
    """One update with every number the worked calculation writes out.

    g = ∇f(p) + noise, v ← μ·v − α·g, p ← p + v. `new_point` is None when the update left
    the finite numbers; `diverged` then (or when it left |x|, |y| ≤ DIVERGENCE_LIMIT) says so.
    """

    k: int                       # 1 for the first step
    point: Array                 # p before the step
    value: float                 # f(p)
    gradient: Array              # ∇f(p)
    noise: Array                 # added to the gradient (zeros without noise)
    learning_rate: float
    momentum: float
    velocity_before: Array       # v before (zeros without momentum)
    velocity: Array              # v after: the change of p
    new_point: Array | None      # p after; None when it is not finite
    new_value: float | None
    diverged: str                # "" or why the descent stops here

    @property
    def scaled_gradient(self) -> Array:
        """α·g, what plain descent subtracts."""
        return self.learning_rate * (self.gradient + self.noise)


class Descender:
    """Gradient descent on a toy function one step at a time, as a lesson shows it.

    Heavy-ball momentum μ and SGD-style noise are options; with both 0 a step is
    p ← p − α·∇f(p). The noise of step k is σₖ·ξ with ξ ~ N(0, I) from a NumPy generator
    seeded with `seed` (a run replays exactly) and σₖ = σ·(1 − (k − 1)/NOISE_FADE_STEPS)
    until it reaches 0. After a step that diverged, `step` raises.
    """

    def __init__(self, fn: ToyFunction, start: Sequence[float], learning_rate: float,
                 momentum: float = 0.0, noise: float = 0.0, seed: int = 0) -> None:
        _check_rates(learning_rate, momentum, noise)
        p = np.array(start, dtype=np.float64).reshape(-1)
        if p.shape != (2,) or not np.all(np.isfinite(p)):
            raise ValueError(f"start must be two finite numbers, got {start!r}")
        self.fn = fn
        self.learning_rate, self.momentum, self.noise = float(learning_rate), float(momentum), float(noise)
        self.point = p
        self.velocity = np.zeros(2)
        self.k = 0
        self.diverged = ""
        self._rng = np.random.default_rng(seed)

    def set_rates(self, learning_rate: float, momentum: float = 0.0, noise: float = 0.0) -> None:
        """New α, μ and σ for the steps to come (the point and velocity stay)."""
        _check_rates(learning_rate, momentum, noise)
        self.learning_rate, self.momentum, self.noise = float(learning_rate), float(momentum), float(noise)

    def step(self) -> DescentStep:
        if self.diverged:
            raise RuntimeError(f"the descent has stopped: {self.diverged}")
        fn, p, v0 = self.fn, self.point, self.velocity
        g = np.array(fn.gradient(p[0], p[1]), dtype=np.float64)
        sigma = self.noise * max(0.0, 1.0 - self.k / NOISE_FADE_STEPS)
        noise = sigma * self._rng.standard_normal(2) if sigma else np.zeros(2)
        with np.errstate(over="ignore", invalid="ignore"):
            v = self.momentum * v0 - self.learning_rate * (g + noise)
            new = p + v
        self.k += 1
        message = ""
        if not np.all(np.isfinite(new)):
            message = f"diverged at step {self.k}: the point became infinite"
        elif np.max(np.abs(new)) > DIVERGENCE_LIMIT:
            message = f"diverged at step {self.k}: the point left |x|, |y| ≤ {DIVERGENCE_LIMIT:g}"
        if message:
            message += f" (learning rate {self.learning_rate:g} is too large here)"
            self.diverged = message
        finite = bool(np.all(np.isfinite(new)))
        with np.errstate(over="ignore"):
            new_value = float(fn.f(new[0], new[1])) if finite else None
        step = DescentStep(self.k, p.copy(), float(fn.f(p[0], p[1])), g, noise,
                           self.learning_rate, self.momentum, v0.copy(), v,
                           new.copy() if finite else None, new_value, message)
        if finite:
            self.point, self.velocity = new, v
        return step

    def settled(self, tolerance: float = 1e-7) -> bool:
        """Whether plain descent has come to rest: the last move and ∇f both below
        `tolerance` (not while noise still shakes it)."""
        if self.k == 0 or (self.noise and self.k < NOISE_FADE_STEPS):
            return False
        g = np.array(self.fn.gradient(self.point[0], self.point[1]), dtype=np.float64)
        return float(np.hypot(*self.velocity)) < tolerance and float(np.hypot(*g)) < tolerance


def descend(fn: ToyFunction, start: Sequence[float], learning_rate: float, steps: int,
            momentum: float = 0.0, noise: float = 0.0, seed: int = 0) -> Descent:
    """Run `steps` steps of gradient descent (see Descender) from `start`.

    Update: v ← μ·v − α·(∇f(p) + noise), p ← p + v (with μ = 0 and no noise this is
    p ← p − α·∇f(p)). Stops early when a point stops being finite or leaves
    |x|, |y| ≤ DIVERGENCE_LIMIT; a finite point that left is kept as the last point so the
    jump is visible.
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a whole number ≥ 0, got {steps!r}")
    walker = Descender(fn, start, learning_rate, momentum, noise, seed)
    points = [walker.point.copy()]
    for _ in range(steps):
        step = walker.step()
        if step.new_point is not None:
            points.append(step.new_point)
        if step.diverged:
            break
    pts = np.array(points)
    with np.errstate(over="ignore"):
        values = np.asarray(fn.f(pts[:, 0], pts[:, 1]), dtype=np.float64)
    return Descent(pts, values, bool(walker.diverged), walker.diverged)


def gradient_descent_path(fn: ToyFunction, start: Sequence[float], learning_rate: float,
                          steps: int, momentum: float = 0.0, noise: float = 0.0,
                          seed: int = 0) -> Array:
    """The points of `descend(...)`: (steps + 1, 2), fewer rows if it diverged early."""
    return descend(fn, start, learning_rate, steps, momentum, noise, seed).points


def grid(fn: ToyFunction | Callable[[Array, Array], Array], xlim: Sequence[float],
         ylim: Sequence[float], n: int) -> tuple[Array, Array, Array]:
    """X, Y, Z of shape (n, n) for a contour plot: Z[i, j] = f(X[i, j], Y[i, j]), rows follow y."""
    if n < 2:
        raise ValueError(f"a grid needs at least 2 points per side, got {n}")
    f = fn.f if isinstance(fn, ToyFunction) else fn
    X, Y = np.meshgrid(np.linspace(xlim[0], xlim[1], n), np.linspace(ylim[0], ylim[1], n))
    return X, Y, np.asarray(f(X, Y), dtype=np.float64)

