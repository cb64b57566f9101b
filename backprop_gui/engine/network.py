"""A fully connected network: parameters, forward pass, loss, backward pass, update.

Notation follows the textbook: z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾ and a⁽ˡ⁾ = f(z⁽ˡ⁾) for
l = 1 … L, with samples as rows, so Z = A_prev @ W.T + b. Parameter lists are 0-based
(`weights[l - 1]` is W⁽ˡ⁾, shape (n_out, n_in)); trace and gradient lists use the
textbook index (`trace.z[l]` is z⁽ˡ⁾, `trace.a[0]` is the input).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .activations import Activation, get_activation
from .limits import architecture_problem
from .losses import Loss, get_loss
from .overflow import quietly

Array = np.ndarray

INITIALISERS = ("he", "xavier", "uniform", "zeros")


@dataclass
class Trace:
    """Everything the forward pass computed: z[l] and a[l] for l = 0 … L (z[0] is None)."""

    z: list[Array | None]
    a: list[Array]

    @property
    def output(self) -> Array:
        return self.a[-1]


@dataclass
class Gradients:
    """∂L/∂ of every quantity: dW[l], db[l] match `weights`/`biases`; dz[l], da[l] match the trace.

    dz[0] is None; da[L] (∂L/∂ŷ) is None when the loss is fused with the output activation,
    because then ∂L/∂z⁽ᴸ⁾ is computed directly.
    """

    dW: list[Array]
    db: list[Array]
    dz: list[Array | None]
    da: list[Array | None]


def as_batch(x: Array | Sequence[float], width: int, name: str = "X") -> Array:
    """`x` as a float64 (N, width) array; a single sample (width,) becomes (1, width)."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
    if arr.ndim != 2 or arr.shape[1] != width:
        raise ValueError(f"{name} must have shape (N, {width}), got {np.shape(x)}")
    return arr


def initial_parameters(n_in: int, n_out: int, init: str, rng: np.random.Generator) -> tuple[Array, Array]:
    """Fresh (W, b) for one layer drawn from `rng`."""
    if init == "he":
        return rng.normal(0.0, np.sqrt(2.0 / n_in), (n_out, n_in)), np.zeros(n_out)
    if init == "xavier":
        limit = np.sqrt(6.0 / (n_in + n_out))
        return rng.uniform(-limit, limit, (n_out, n_in)), np.zeros(n_out)
    if init == "uniform":
        # As in the classic NumPy XOR tutorial: weights and biases from U(0, 1).
        return rng.uniform(0.0, 1.0, (n_out, n_in)), rng.uniform(0.0, 1.0, n_out)
    if init == "zeros":
        return np.zeros((n_out, n_in)), np.zeros(n_out)
    raise ValueError(f"unknown initialiser {init!r} (known: {', '.join(INITIALISERS)})")


def layer_rng(seed: int, layer: int) -> np.random.Generator:
    """The generator for one layer; each layer has its own stream so re-initialising one
    layer from the seed gives the same numbers as building the whole network."""
    return np.random.default_rng([int(seed), int(layer)])


def check_architecture(sizes: Sequence[int], activations: Sequence[str], loss: str) -> None:
    """Raise ValueError explaining why this architecture is not allowed, if it is not."""
    if len(sizes) < 2:
        raise ValueError("a network needs at least an input and an output layer")
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"layer {i} must have at least one neuron, got {n!r}")
    too_big = architecture_problem([int(n) for n in sizes])
    if too_big:
        raise ValueError(too_big)
    if len(activations) != len(sizes) - 1:
        raise ValueError(
            f"{len(sizes) - 1} layers need {len(sizes) - 1} activations, got {len(activations)}")
    acts = [get_activation(name) for name in activations]
    for l, act in enumerate(acts[:-1], start=1):
        if act.output_only:
            raise ValueError(f"{act.display} is only allowed on the output layer, not on layer {l}")
    loss_fn = get_loss(loss)
    out = acts[-1]
    if loss_fn.requires_output and out.name != loss_fn.requires_output:
        need = get_activation(loss_fn.requires_output).display
        raise ValueError(f"{loss_fn.display} needs a {need} output layer, not {out.display}")
    if out.name == "softmax" and sizes[-1] < 2:
        raise ValueError("a Softmax output layer needs at least two neurons")


class Network:
    """A fully connected feed-forward network with float64 parameters."""

    def __init__(self, sizes: Sequence[int], activations: Sequence[str], loss: str,
                 weights: Sequence[Array], biases: Sequence[Array]) -> None:
        check_architecture(sizes, activations, loss)
        self.sizes: list[int] = [int(n) for n in sizes]
        self.activation_names: list[str] = list(activations)
        self.loss_name: str = loss
        self.activations: list[Activation] = [get_activation(a) for a in activations]
        self.loss_fn: Loss = get_loss(loss)
        if len(weights) != self.n_layers or len(biases) != self.n_layers:
            raise ValueError(f"expected {self.n_layers} weight matrices and bias vectors")
        self.weights: list[Array] = []
        self.biases: list[Array] = []
        for l in range(self.n_layers):
            W = np.array(weights[l], dtype=np.float64)
            b = np.array(biases[l], dtype=np.float64)
            shape = (self.sizes[l + 1], self.sizes[l])
            if W.shape != shape:
                raise ValueError(f"weights[{l}] must have shape {shape}, got {W.shape}")
            if b.shape != (shape[0],):
                raise ValueError(f"biases[{l}] must have shape ({shape[0]},), got {b.shape}")
            self.weights.append(W)
            self.biases.append(b)

    @classmethod
    def build(cls, sizes: Sequence[int], activations: Sequence[str] | None = None,
              loss: str = "mse", seed: int = 0, init: str = "he") -> Network:
        """A network with fresh parameters; the same seed gives the same numbers.

        Without `activations`, hidden layers use ReLU and the output layer the activation
        the loss pairs with (Softmax for cross-entropy, Sigmoid otherwise).
        """
        if activations is None:
            out = get_loss(loss).requires_output or "sigmoid"
            activations = ["relu"] * (len(sizes) - 2) + [out]
        check_architecture(sizes, activations, loss)
        params = [initial_parameters(sizes[l], sizes[l + 1], init, layer_rng(seed, l))
                  for l in range(len(sizes) - 1)]
        return cls(sizes, activations, loss, [W for W, _ in params], [b for _, b in params])

    # ----- structure -------------------------------------------------------------------

    @property
    def n_layers(self) -> int:
        """Number of weight layers L (the input layer is not counted)."""
        return len(self.sizes) - 1

    @property
    def n_parameters(self) -> int:
        return sum(W.size + b.size for W, b in zip(self.weights, self.biases))

    @property
    def fused_output(self) -> bool:
        """True when ∂L/∂z of the output layer is computed directly as (ŷ − y)/…"""
        return (self.loss_fn.fused_grad is not None
                and self.activations[-1].name == self.loss_fn.requires_output)

    def same_architecture(self, other: Network) -> bool:
        """Same layer sizes, activations and loss (the values may differ)."""
        return (self.sizes == other.sizes and self.activation_names == other.activation_names
                and self.loss_name == other.loss_name)

    def copy(self) -> Network:
        return Network(self.sizes, self.activation_names, self.loss_name,
                       [W.copy() for W in self.weights], [b.copy() for b in self.biases])

    def reinitialise_layer(self, l: int, seed: int, init: str = "he") -> None:
        """Fresh parameters for weights[l] only, exactly as `build` would draw them."""
        self.weights[l], self.biases[l] = initial_parameters(
            self.sizes[l], self.sizes[l + 1], init, layer_rng(seed, l))

    def get_flat(self) -> Array:
        """All parameters in one vector: W⁽¹⁾, b⁽¹⁾, W⁽²⁾, b⁽²⁾, … (row-major)."""
        parts = []
        for W, b in zip(self.weights, self.biases):
            parts += [W.ravel(), b]
        return np.concatenate(parts)

    def set_flat(self, flat: Array) -> None:
        """Set all parameters from a vector laid out as in `get_flat`."""
        flat = np.asarray(flat, dtype=np.float64)
        if flat.shape != (self.n_parameters,):
            raise ValueError(f"expected {self.n_parameters} values, got shape {flat.shape}")
        i = 0
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            self.weights[l] = flat[i:i + W.size].reshape(W.shape).copy()
            i += W.size
            self.biases[l] = flat[i:i + b.size].copy()
            i += b.size

    # ----- the four operations ---------------------------------------------------------

    def forward(self, X: Array | Sequence[float]) -> Trace:
        """Run the network on X (N, n_in) or one sample (n_in,) and keep every z and a.

        Huge parameters or inputs overflow to ±∞ and NaN; those are results here, like in
        `loss`, `backward` and `apply` (see engine.overflow): callers check np.isfinite."""
        a = as_batch(X, self.sizes[0])
        zs: list[Array | None] = [None]
        acts: list[Array] = [a]
        with quietly():
            for W, b, f in zip(self.weights, self.biases, self.activations):
                z = a @ W.T + b
                a = f.forward(z)
                zs.append(z)
                acts.append(a)
        return Trace(zs, acts)

    def predict(self, X: Array | Sequence[float]) -> Array:
        return self.forward(X).output

    def targets(self, Y: Array | Sequence[float], n: int) -> Array:
        """Y as a float64 (n, n_out) array, validated against the output layer."""
        Y = as_batch(Y, self.sizes[-1], name="Y")
        if Y.shape[0] != n:
            raise ValueError(f"Y has {Y.shape[0]} rows but X has {n}")
        return Y

    def loss(self, trace: Trace, Y: Array | Sequence[float]) -> float:
        """The loss of the traced forward pass against targets Y."""
        Y = self.targets(Y, trace.output.shape[0])
        z = trace.z[-1] if self.fused_output else None
        with quietly():
            return self.loss_fn.value(trace.output, Y, z)

    def backward(self, trace: Trace, Y: Array | Sequence[float], *,
                 input_gradient: bool = True) -> Gradients:
        """Backpropagation: ∂L/∂ of every z, a, W and b for the traced pass.

        With `input_gradient=False`, ∂L/∂a⁽⁰⁾ (the gradient for the input pixels) is skipped.
        """
        L = self.n_layers
        Y = self.targets(Y, trace.output.shape[0])
        dz: list[Array | None] = [None] * (L + 1)
        da: list[Array | None] = [None] * (L + 1)
        dW: list[Array] = [None] * L  # type: ignore[list-item]
        db: list[Array] = [None] * L  # type: ignore[list-item]
        with quietly():
            if self.fused_output:
                dz[L] = self.loss_fn.fused_grad(trace.output, Y)
            else:
                da[L] = self.loss_fn.grad(trace.output, Y)
                dz[L] = self.activations[-1].backward(trace.z[L], trace.a[L], da[L])
            for l in range(L, 0, -1):
                dW[l - 1] = dz[l].T @ trace.a[l - 1]
                db[l - 1] = dz[l].sum(axis=0)
                if l > 1 or input_gradient:
                    da[l - 1] = dz[l] @ self.weights[l - 1]
                if l > 1:
                    dz[l - 1] = self.activations[l - 2].backward(trace.z[l - 1], trace.a[l - 1],
                                                                 da[l - 1])
        return Gradients(dW, db, dz, da)

    def apply(self, grads: Gradients, learning_rate: float) -> None:
        """Plain gradient descent: W ← W − α ∂L/∂W and b ← b − α ∂L/∂b, in place."""
        with quietly():
            for l in range(self.n_layers):
                self.weights[l] -= learning_rate * grads.dW[l]
                self.biases[l] -= learning_rate * grads.db[l]

    def gradients(self, X: Array, Y: Array) -> tuple[float, Gradients]:
        """Forward, loss and backward in one call: (loss, gradients)."""
        trace = self.forward(X)
        return self.loss(trace, Y), self.backward(trace, Y, input_gradient=False)

    def __repr__(self) -> str:
        acts = "/".join(self.activation_names)
        return f"Network({'-'.join(map(str, self.sizes))}, {acts}, loss={self.loss_name})"
