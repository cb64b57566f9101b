"""Loss landscapes: toy functions f(x, y) to descend, and 2-D slices of a network's loss.

A toy function is a frozen record with its formula and gradient, so a lesson can show the
surface, the arrows −∇f and the path gradient descent takes, all from the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .network import Network, as_batch

Array = np.ndarray

# A descent whose point leaves this square (|x| or |y| beyond it) has diverged.
DIVERGENCE_LIMIT = 1e6

# Batch at most this many floats per layer when slicing a network's loss, to bound memory.
_CHUNK_FLOATS = 2_000_000


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


def descend(fn: ToyFunction, start: Sequence[float], learning_rate: float, steps: int,
            momentum: float = 0.0) -> Descent:
    """Run `steps` steps of gradient descent (with heavy-ball momentum) from `start`.

    Update: v ← μ·v − α·∇f(p), p ← p + v (with μ = 0 this is p ← p − α·∇f(p)). Stops early
    when a point stops being finite or leaves |x|, |y| ≤ DIVERGENCE_LIMIT; a finite point
    that left is kept as the last point so the jump is visible.
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a whole number ≥ 0, got {steps!r}")
    if not (np.isfinite(learning_rate) and learning_rate >= 0):
        raise ValueError(f"learning rate must be a finite number ≥ 0, got {learning_rate}")
    if not 0.0 <= momentum < 1.0:
        raise ValueError(f"momentum must lie in [0, 1), got {momentum}")
    p = np.array(start, dtype=np.float64).reshape(-1)
    if p.shape != (2,) or not np.all(np.isfinite(p)):
        raise ValueError(f"start must be two finite numbers, got {start!r}")
    points = [p.copy()]
    v = np.zeros(2)
    message = ""
    for k in range(1, steps + 1):
        g = np.array(fn.gradient(p[0], p[1]), dtype=np.float64)
        v = momentum * v - learning_rate * g
        with np.errstate(over="ignore", invalid="ignore"):
            p = p + v
        if not np.all(np.isfinite(p)):
            message = f"diverged at step {k}: the point became infinite"
            break
        points.append(p.copy())
        if np.max(np.abs(p)) > DIVERGENCE_LIMIT:
            message = f"diverged at step {k}: the point left |x|, |y| ≤ {DIVERGENCE_LIMIT:g}"
            break
    if message:
        message += f" (learning rate {learning_rate:g} is too large here)"
    pts = np.array(points)
    with np.errstate(over="ignore"):
        values = np.asarray(fn.f(pts[:, 0], pts[:, 1]), dtype=np.float64)
    return Descent(pts, values, bool(message), message)


def gradient_descent_path(fn: ToyFunction, start: Sequence[float], learning_rate: float,
                          steps: int, momentum: float = 0.0) -> Array:
    """The points of `descend(...)`: (steps + 1, 2), fewer rows if it diverged early."""
    return descend(fn, start, learning_rate, steps, momentum).points


def grid(fn: ToyFunction | Callable[[Array, Array], Array], xlim: Sequence[float],
         ylim: Sequence[float], n: int) -> tuple[Array, Array, Array]:
    """X, Y, Z of shape (n, n) for a contour plot: Z[i, j] = f(X[i, j], Y[i, j]), rows follow y."""
    if n < 2:
        raise ValueError(f"a grid needs at least 2 points per side, got {n}")
    f = fn.f if isinstance(fn, ToyFunction) else fn
    X, Y = np.meshgrid(np.linspace(xlim[0], xlim[1], n), np.linspace(ylim[0], ylim[1], n))
    return X, Y, np.asarray(f(X, Y), dtype=np.float64)


# ----- 2-D slices of a real network's loss ------------------------------------------------

ParamRef = tuple  # ("W", layer, row, col) or ("b", layer, row[, 0]); layer is 0-based


def _check_param(net: Network, ref: ParamRef) -> tuple[str, int, int, int]:
    """`ref` validated against `net` as (kind, layer, row, col); col is 0 for a bias."""
    if not isinstance(ref, (tuple, list)) or len(ref) not in (3, 4) or ref[0] not in ("W", "b"):
        raise ValueError(f"a parameter is (\"W\" or \"b\", layer, row, col), got {ref!r}")
    try:
        kind, layer, row = ref[0], int(ref[1]), int(ref[2])
        col = int(ref[3]) if len(ref) == 4 else 0
    except (TypeError, ValueError):
        raise ValueError(f"layer, row and column must be whole numbers, got {ref!r}") from None
    if not 0 <= layer < net.n_layers:
        raise ValueError(f"layer {layer} does not exist; layers are 0 … {net.n_layers - 1}")
    n_out, n_in = net.weights[layer].shape
    if kind == "b" and col != 0:
        raise ValueError(f"a bias has no column; got column {col} for {ref!r}")
    if kind == "W" and len(ref) != 4:
        raise ValueError(f"a weight needs a row and a column, got {ref!r}")
    if not 0 <= row < n_out or not 0 <= col < (n_in if kind == "W" else 1):
        shape = (n_out, n_in) if kind == "W" else (n_out,)
        raise ValueError(f"{ref!r} is outside {kind} of layer {layer}, whose shape is {shape}")
    return kind, layer, row, col


def _value(net: Network, ref: tuple[str, int, int, int]) -> float:
    kind, layer, row, col = ref
    return float(net.weights[layer][row, col] if kind == "W" else net.biases[layer][row])


def _offsets(span: float, n: int) -> Array:
    """n offsets from −span to +span; for odd n the middle one is exactly 0."""
    half = (n - 1) / 2.0
    return span * (np.arange(n) - half) / half


def network_loss_surface(net: Network, X: Array, Y: Array, param_a: ParamRef, param_b: ParamRef,
                         span: float, n: int) -> tuple[Array, Array, Array]:
    """The loss on an n×n grid of two parameters around their current values ± span.

    Returns (A, B, Z) of shape (n, n), rows following b as in `grid`: Z[i, j] is the loss
    with parameter a set to A[i, j] and b to B[i, j], every other parameter unchanged.
    The network is never modified: the grid is evaluated as a batch of parameter copies.
    """
    ref_a, ref_b = _check_param(net, param_a), _check_param(net, param_b)
    if ref_a == ref_b:
        raise ValueError(f"choose two different parameters, got {param_a!r} twice")
    if n < 2:
        raise ValueError(f"a grid needs at least 2 points per side, got {n}")
    if not (np.isfinite(span) and span > 0):
        raise ValueError(f"span must be a finite number > 0, got {span}")
    X = as_batch(X, net.sizes[0])
    Y = net.targets(Y, X.shape[0])
    A, B = np.meshgrid(_value(net, ref_a) + _offsets(span, n), _value(net, ref_b) + _offsets(span, n))
    values = {ref_a: A.ravel(), ref_b: B.ravel()}
    first = min(ref_a[1], ref_b[1])
    # Layers before the first chosen parameter do not change: run them once.
    a_fixed = net.forward(X).a[first]
    G, N = A.size, X.shape[0]
    # Per grid point the batch holds one activation block and a copy of each changed W.
    per_point = N * max(net.sizes) + sum(net.weights[l].size for l in {ref_a[1], ref_b[1]})
    chunk = max(1, _CHUNK_FLOATS // per_point)
    Z = np.empty(G)
    for start in range(0, G, chunk):
        stop = min(G, start + chunk)
        a: Array = a_fixed
        z: Array = a_fixed
        for l in range(first, net.n_layers):
            W, b = net.weights[l], net.biases[l]
            changed = [(ref, vals[start:stop]) for ref, vals in values.items() if ref[1] == l]
            if changed:
                Wg = np.repeat(W[None], stop - start, axis=0)
                bg = np.repeat(b[None], stop - start, axis=0)
                for (kind, _, row, col), vals in changed:
                    if kind == "W":
                        Wg[:, row, col] = vals
                    else:
                        bg[:, row] = vals
                z = a @ Wg.transpose(0, 2, 1) + bg[:, None, :]
            else:
                z = a @ W.T + b
            a = net.activations[l].forward(z)
        for g in range(stop - start):
            Z[start + g] = net.loss_fn.value(a[g], Y, z[g] if net.fused_output else None)
    return A, B, Z.reshape(A.shape)
