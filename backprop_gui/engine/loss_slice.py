"""2-D slices of a network's loss over the whole dataset, fast enough to follow training.

Two kinds of slice, both on an n×n grid of offsets −span … +span around the current
parameters θ (for odd n the middle offset is exactly 0, so the centre is the current loss):

- **two parameters** (`network_loss_surface`): a weight or bias a along the columns and one
  b along the rows, every other parameter unchanged;
- **two directions** (`direction_loss_surface`): θ + α·d₁ + β·d₂ for two random directions
  in the space of all parameters (`random_directions`), plain (each of length 1) or
  filter-normalised as in Li et al., "Visualizing the Loss Landscape of Neural Nets" (2018):
  each neuron's row of a direction's W scaled to the length of that neuron's row of W, the
  biases left out.

Why it is fast: changing W⁽ˡ⁾[j, i] by δ changes z⁽ˡ⁾[:, j] by δ·a⁽ˡ⁻¹⁾[:, i] (a bias by δ),
so no weight matrix is ever copied per grid point. The layers before the first changed one
run once; the grid's samples then run as one (grid × samples) batch per layer, in chunks of
bounded memory, and each loss has a batched form (`grid_loss`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

import numpy as np

from .losses import Loss
from .network import Network, as_batch
from .overflow import quietly
from .selection import Selection

Array = np.ndarray

# Batch at most this many floats per layer, to bound memory on big networks and datasets.
_CHUNK_FLOATS = 4_000_000

ParamRef = tuple  # ("W", layer, row, col) or ("b", layer, row[, 0]); layer is 0-based
Param = tuple[str, int, int, int]


# ----- naming parameters -------------------------------------------------------------------

def param_ref(item: Selection | ParamRef) -> ParamRef:
    """A weight or bias Selection as the tuple the slices take (a tuple is returned as is)."""
    if isinstance(item, Selection):
        if item.is_neuron:
            raise ValueError(f"{item.name} is a neuron, not a weight or a bias")
        return ("W", item.param, item.j, item.i) if item.is_weight else ("b", item.param, item.j)
    return item


def check_param(net: Network, ref: Selection | ParamRef) -> Param:
    """`ref` validated against `net` as (kind, layer, row, col); col is 0 for a bias."""
    ref = param_ref(ref)
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


def iter_parameters(net: Network) -> Iterator[Selection]:
    """Every weight and bias of `net` in the order of `Network.get_flat` (W¹ row by row,
    then b¹, W², …), made one at a time: a big network has a hundred thousand."""
    for l in range(1, net.n_layers + 1):
        rows, cols = net.weights[l - 1].shape
        for j in range(rows):
            for i in range(cols):
                yield Selection.weight(l, j, i)
        for j in range(rows):
            yield Selection.bias(l, j)


def parameter_at(net: Network, k: int) -> Selection:
    """The weight or bias at position k of `Network.get_flat`."""
    for l, W in enumerate(net.weights, start=1):
        rows, cols = W.shape
        if k < W.size:
            return Selection.weight(l, k // cols, k % cols)
        k -= W.size
        if k < rows:
            return Selection.bias(l, k)
        k -= rows
    raise IndexError("the network has fewer parameters")


def steepest_parameters(net: Network, X: Array, Y: Array, count: int = 2) -> list[Selection]:
    """The `count` weights or biases along which the loss of (X, Y) changes fastest now
    (largest |∂L/∂θ|), in the order of `get_flat`: a slice along them shows the landscape
    training walks down, where a weight behind a dead ReLU shows a flat plain."""
    _, grads = net.gradients(as_batch(X, net.sizes[0]), Y)
    flat = np.concatenate([np.concatenate([dW.ravel(), db]) for dW, db in zip(grads.dW, grads.db)])
    with quietly():
        size = np.where(np.isfinite(flat), np.abs(flat), -1.0)
    chosen = np.sort(np.argsort(-size, kind="stable")[:count])
    return [parameter_at(net, int(k)) for k in chosen]


def param_value(net: Network, ref: Selection | ParamRef) -> float:
    kind, layer, row, col = check_param(net, ref)
    return float(net.weights[layer][row, col] if kind == "W" else net.biases[layer][row])


def offsets(span: float, n: int) -> Array:
    """n offsets from −span to +span; for odd n the middle one is exactly 0."""
    half = (n - 1) / 2.0
    return span * (np.arange(n) - half) / half


def _check_grid(span: float, n: int) -> None:
    if n < 2:
        raise ValueError(f"a grid needs at least 2 points per side, got {n}")
    if not (np.isfinite(span) and span > 0):
        raise ValueError(f"span must be a finite number > 0, got {span}")


# ----- the loss of many batches at once ----------------------------------------------------
# Each takes the output layer's z and, unless the loss is fused with its output activation,
# its a, stacked as (G, N, K) for G batches of N samples, and the targets Y (N, K); it
# returns the G losses. The sums over samples and outputs are matrix products and the
# maximum over the K outputs a loop over K columns: NumPy's reductions over a short last
# axis are many times slower.

def _rows(x: Array) -> Array:
    return x.reshape(x.shape[0], -1)


def _mse(z: Array, a: Array, y: Array) -> Array:
    diff = a - y
    diff *= diff
    return _rows(diff).sum(axis=1) / y.size


def _half_sse(z: Array, a: Array, y: Array) -> Array:
    # ½ Σ over samples and outputs of (ŷ − y)²: summed, not averaged (issue 14's half_sse).
    diff = a - y
    diff *= diff
    return 0.5 * _rows(diff).sum(axis=1)


def _logsumexp(z: Array) -> Array:
    """log Σₖ exp zₖ over the last axis (short: a loop over its columns, made contiguous)."""
    columns = np.ascontiguousarray(np.moveaxis(z, -1, 0))
    top = columns[0].copy()
    for column in columns[1:]:
        np.maximum(top, column, out=top)
    columns -= top
    np.exp(columns, out=columns)
    total = columns.sum(axis=0)
    np.log(total, out=total)
    return total + top


def _cross_entropy(z: Array, a: Array | None, y: Array) -> Array:
    # −Σₖ yₖ log softmax(z)ₖ = (Σₖ yₖ)·logsumexp(z) − Σₖ yₖ zₖ, per sample.
    lse = _rows(_logsumexp(z)) @ y.sum(axis=1)
    return (lse - _rows(z) @ y.ravel()) / y.shape[0]


def _binary_cross_entropy(z: Array, a: Array | None, y: Array) -> Array:
    # −[y log σ(z) + (1 − y) log(1 − σ(z))] = logaddexp(0, z) − y·z, per output.
    return (_rows(np.logaddexp(0.0, z)).sum(axis=1) - _rows(z) @ y.ravel()) / y.size


# The losses of engine/losses.py that have a batched form here; `fused`: computed from z
# alone (they need the output activation their loss requires). Any other loss is computed
# batch by batch with its own `value` (equal, slower).
_BATCHED: dict[str, tuple[Callable[[Array, Array | None, Array], Array], bool]] = {
    "mse": (_mse, False),
    "half_sse": (_half_sse, False),
    "cross_entropy": (_cross_entropy, True),
    "binary_cross_entropy": (_binary_cross_entropy, True),
}


def _needs_output(net: Network) -> bool:
    """Whether the loss needs the output layer's activations (not only its z)."""
    batched = _BATCHED.get(net.loss_name)
    return batched is None or not (batched[1] and net.fused_output)


def grid_loss(net: Network, z_out: Array, a_out: Array | None, Y: Array) -> Array:
    """The loss of each batch in a stack: z_out and a_out (G, N, K), targets Y (N, K);
    a_out may be None when `_needs_output(net)` is False."""
    batched = _BATCHED.get(net.loss_name)
    with quietly():
        if batched is not None and (net.fused_output or not batched[1]):
            return batched[0](z_out, a_out, Y)
        loss: Loss = net.loss_fn
        return np.array([loss.value(a, Y, z if net.fused_output else None)
                         for a, z in zip(a_out, z_out)])


def _layer(net: Network, l: int, a: Array) -> Array:
    """z of network layer l for a stack of batches a (…, N, n): one matrix product."""
    W = net.weights[l]
    return (a.reshape(-1, a.shape[-1]) @ W.T + net.biases[l]).reshape(*a.shape[:-1], W.shape[0])


def _forward_from(net: Network, layer: int, z: Array, Y: Array) -> Array:
    """The loss of each batch in a stack (G, N, n) whose z of network layer `layer`
    (0-based) is `z`: the activation, the later layers as one batch, and the loss."""
    last = net.n_layers - 1
    with quietly():
        for l in range(layer + 1, last + 1):
            z = _layer(net, l, net.activations[l - 1].forward(z))
        a = net.activations[last].forward(z) if _needs_output(net) else None
    return grid_loss(net, z, a, Y)


# ----- two parameters ----------------------------------------------------------------------

def _change(ref: Param, a_prev: Array, n_out: int) -> Array:
    """How z of the parameter's layer changes per unit change of the parameter: (…, N, n_out)."""
    kind, _, row, col = ref
    dz = np.zeros((*a_prev.shape[:-1], n_out))
    dz[..., row] = a_prev[..., col] if kind == "W" else 1.0
    return dz


def network_loss_surface(net: Network, X: Array, Y: Array, param_a: Selection | ParamRef,
                         param_b: Selection | ParamRef, span: float,
                         n: int) -> tuple[Array, Array, Array]:
    """The loss on an n×n grid of two parameters around their current values ± span.

    Returns (A, B, Z) of shape (n, n), rows following b as in `landscape.grid`: Z[i, j] is
    the loss with parameter a set to A[i, j] and b to B[i, j], every other parameter
    unchanged. The network is never modified.
    """
    ref_a, ref_b = check_param(net, param_a), check_param(net, param_b)
    if ref_a == ref_b:
        raise ValueError(f"choose two different parameters, got {param_a!r} twice")
    _check_grid(span, n)
    X = as_batch(X, net.sizes[0])
    Y = net.targets(Y, X.shape[0])
    steps = offsets(span, n)
    A, B = np.meshgrid(param_value(net, ref_a) + steps, param_value(net, ref_b) + steps)
    # `inner` is the parameter in the earlier layer: its offsets make a stack of n batches
    # that run up to the layer of `outer`, whose offsets then make n such stacks.
    outer_is_b = ref_b[1] >= ref_a[1]
    inner, outer = (ref_a, ref_b) if outer_is_b else (ref_b, ref_a)
    trace = net.forward(X)
    with quietly():
        z = trace.z[inner[1] + 1] + steps[:, None, None] * _change(
            inner, trace.a[inner[1]], net.sizes[inner[1] + 1])[None]
        for l in range(inner[1] + 1, outer[1] + 1):
            a = net.activations[l - 1].forward(z)
            z = _layer(net, l, a)
        a_prev = trace.a[outer[1]] if outer[1] == inner[1] else a
        dz = _change(outer, a_prev, z.shape[-1])
    # z (n, N, m): a batch per offset of inner; each chunk of outer's offsets makes n each.
    rows = max(1, _CHUNK_FLOATS // (n * X.shape[0] * max(net.sizes)))
    Z = np.empty((n, n))
    for start in range(0, n, rows):
        stop = min(n, start + rows)
        with quietly():
            zs = z[None] + steps[start:stop, None, None, None] * dz[None]
        Z[start:stop] = _forward_from(net, outer[1], zs.reshape(-1, *z.shape[1:]), Y).reshape(-1, n)
    return A, B, (Z if outer_is_b else Z.T)


# ----- two directions ----------------------------------------------------------------------

@dataclass(frozen=True)
class Directions:
    """Two directions in the space of all parameters, laid out as `Network.get_flat`."""

    d1: Array
    d2: Array
    filter_normalised: bool
    seed: int

    @property
    def description(self) -> str:
        if self.filter_normalised:
            return ("random directions, filter-normalised: each neuron's incoming weights "
                    "scaled to the length of its own weights, biases left out")
        return "random directions, plain: each of length 1 over all parameters"


def _layers_of(net: Network, flat: Array) -> list[tuple[Array, Array]]:
    """A flat vector (as `get_flat`) cut into one (W-shaped, b-shaped) pair per layer."""
    out, i = [], 0
    for W, b in zip(net.weights, net.biases):
        out.append((flat[i:i + W.size].reshape(W.shape), flat[i + W.size:i + W.size + b.size]))
        i += W.size + b.size
    return out


def random_directions(net: Network, seed: int = 0, filter_normalised: bool = True) -> Directions:
    """Two random directions for `direction_loss_surface` (seeded: the same seed, the same)."""
    rng = np.random.default_rng(seed)
    made = []
    for _ in range(2):
        d = rng.standard_normal(net.n_parameters)
        if filter_normalised:
            for (dW, db), W in zip(_layers_of(net, d), net.weights):
                norms = np.linalg.norm(dW, axis=1, keepdims=True)
                dW *= np.linalg.norm(W, axis=1, keepdims=True) / np.where(norms > 0, norms, 1.0)
                db[:] = 0.0
        else:
            d /= np.linalg.norm(d)
        made.append(d)
    return Directions(made[0], made[1], filter_normalised, seed)


def direction_loss_surface(net: Network, X: Array, Y: Array, directions: Directions,
                           span: float, n: int) -> tuple[Array, Array, Array]:
    """The loss at θ + α·d₁ + β·d₂ on an n×n grid of α, β in −span … +span.

    Returns (Alpha, Beta, Z) shaped (n, n), rows following β. Every layer changes, and each
    layer's z is linear in α and β given its input: z = a·(W + α·D₁ + β·D₂)ᵀ + (b + α·e₁ + β·e₂).
    """
    _check_grid(span, n)
    if directions.d1.shape != (net.n_parameters,) or directions.d2.shape != (net.n_parameters,):
        raise ValueError("the directions were made for a network of another size")
    X = as_batch(X, net.sizes[0])
    Y = net.targets(Y, X.shape[0])
    steps = offsets(span, n)
    Alpha, Beta = np.meshgrid(steps, steps)
    first, second = _layers_of(net, directions.d1), _layers_of(net, directions.d2)
    N, width = X.shape[0], max(net.sizes)
    rows = max(1, _CHUNK_FLOATS // (3 * n * N * width))
    Z = np.empty((n, n))
    for start in range(0, n, rows):
        alpha = Alpha[start:start + rows].reshape(-1, 1, 1)
        beta = Beta[start:start + rows].reshape(-1, 1, 1)
        with quietly():
            a: Array = X[None]
            z: Array = X[None]
            for l, (W, b) in enumerate(zip(net.weights, net.biases)):
                (D1, e1), (D2, e2) = first[l], second[l]
                rows_in = a.reshape(-1, a.shape[-1])
                shape = (*a.shape[:-1], W.shape[0])
                # Three contiguous products, combined in place: z = (aWᵀ + b) + α(aD₁ᵀ + e₁) + β(aD₂ᵀ + e₂).
                along_1 = (rows_in @ D1.T + e1).reshape(shape) * alpha
                along_2 = (rows_in @ D2.T + e2).reshape(shape) * beta
                z = along_1
                z += along_2
                z += (rows_in @ W.T + b).reshape(shape)
                if l < net.n_layers - 1 or _needs_output(net):
                    a = net.activations[l].forward(z)
            out = a if _needs_output(net) else None
        Z[start:start + rows] = grid_loss(net, z.reshape(-1, *z.shape[-2:]),
                                          None if out is None else out.reshape(-1, *out.shape[-2:]),
                                          Y).reshape(-1, n)
    return Alpha, Beta, Z


def project_path(directions: Directions, centre: Array, points: Sequence[Array] | Array) -> Array:
    """Parameter vectors (k, P) as (α, β) coordinates around `centre`: the least-squares
    projection onto the plane of the two directions (they need not be orthogonal)."""
    basis = np.column_stack([directions.d1, directions.d2])
    deltas = np.asarray(points, dtype=np.float64).reshape(-1, basis.shape[0]) - centre
    coords, *_ = np.linalg.lstsq(basis, deltas.T, rcond=None)
    return coords.T
