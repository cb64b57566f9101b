"""Every number a walkthrough step shows, checked against a reference written here in plain
NumPy (the textbook formulas; no engine forward, backward, activation or loss function is
called), and every step's operands recombined into its result with the step's own formula.

A step page is the product of this app: a wrong operand (a⁽ˡ⁾ shown where a⁽ˡ⁻¹⁾ belongs) is
as bad as a wrong result, so each operand is checked by name, value and shape.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from backprop_gui.engine.network import Network
from backprop_gui.engine.walkthrough import walkthrough

LEAK = 0.01          # the leaky ReLU's slope for z ≤ 0, as the app documents it
ALPHA = 0.25
TOL = dict(rtol=1e-10, atol=1e-13)

SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def sup(n: int) -> str:
    return str(n).translate(SUP)


# ----- the reference: textbook formulas, samples as rows --------------------------------------

def f(name: str, z: np.ndarray) -> np.ndarray:
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
    if name == "relu":
        return np.where(z > 0, z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, z, LEAK * z)
    if name == "linear":
        return z.copy()
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    raise AssertionError(name)


def f_prime(name: str, z: np.ndarray) -> np.ndarray:
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 / np.cosh(z) ** 2
    if name == "relu":
        return np.where(z > 0, 1.0, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, 1.0, LEAK)
    if name == "linear":
        return np.ones_like(z)
    raise AssertionError(name)


def loss_value(loss: str, y_hat: np.ndarray, y: np.ndarray) -> float:
    N, K = y.shape
    if loss == "mse":
        return float(((y_hat - y) ** 2).sum() / (N * K))
    if loss == "half_sse":
        return float(0.5 * ((y_hat - y) ** 2).sum())
    if loss == "cross_entropy":
        return float(-(y * np.log(y_hat)).sum() / N)
    if loss == "binary_cross_entropy":
        return float(-(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)).sum() / (N * K))
    raise AssertionError(loss)


def softmax_jacobian_product(a: np.ndarray, da: np.ndarray) -> np.ndarray:
    """∂L/∂z for a softmax output from ∂L/∂a, through the full Jacobian diag(a) − a aᵀ."""
    rows = []
    for a_n, da_n in zip(a, da):
        J = np.diag(a_n) - np.outer(a_n, a_n)
        rows.append(J.T @ da_n)
    return np.array(rows)


@dataclass
class Reference:
    A: list[np.ndarray]        # A[0] = X, A[l] = a⁽ˡ⁾
    Z: list[np.ndarray | None]
    Y: np.ndarray
    loss: float
    dA: list[np.ndarray | None]
    dZ: list[np.ndarray | None]
    dW: list[np.ndarray]
    db: list[np.ndarray]
    W: list[np.ndarray]
    b: list[np.ndarray]


def reference(sizes, acts, loss, W, b, X, Y) -> Reference:
    L = len(sizes) - 1
    A, Z = [X], [None]
    for l in range(1, L + 1):
        Z.append(A[-1] @ W[l - 1].T + b[l - 1])
        A.append(f(acts[l - 1], Z[-1]))
    N, K = Y.shape
    y_hat = A[L]
    dA: list = [None] * (L + 1)
    dZ: list = [None] * (L + 1)
    if loss == "cross_entropy":             # with softmax: the classic (ŷ − y)/N
        dZ[L] = (y_hat - Y) / N
    elif loss == "binary_cross_entropy":    # with sigmoid: (ŷ − y)/(N·K)
        dZ[L] = (y_hat - Y) / (N * K)
    else:
        dA[L] = (y_hat - Y) if loss == "half_sse" else 2.0 * (y_hat - Y) / (N * K)
        if acts[-1] == "softmax":
            dZ[L] = softmax_jacobian_product(y_hat, dA[L])
        else:
            dZ[L] = dA[L] * f_prime(acts[-1], Z[L])
    dW: list = [None] * L
    db: list = [None] * L
    for l in range(L, 0, -1):
        dW[l - 1] = sum(np.outer(dZ[l][n], A[l - 1][n]) for n in range(N))
        db[l - 1] = dZ[l].sum(axis=0)
        if l > 1:
            dA[l - 1] = dZ[l] @ W[l - 1]
            dZ[l - 1] = dA[l - 1] * f_prime(acts[l - 2], Z[l - 1])
    return Reference(A, Z, Y, loss_value(loss, y_hat, Y), dA, dZ, dW, db, W, b)


# ----- the architectures ----------------------------------------------------------------------

# Every output activation and loss the app lets a person combine: cross-entropy needs softmax,
# binary cross-entropy sigmoid (both fused: ∂L/∂z directly); MSE and ½SSE take any output.
OUTPUTS = [
    ("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy"),
    ("sigmoid", "mse"), ("softmax", "mse"), ("tanh", "mse"), ("relu", "mse"),
    ("leaky_relu", "mse"), ("linear", "mse"),
] + [(out, "half_sse") for out in ("sigmoid", "softmax", "tanh", "relu", "leaky_relu", "linear")]

ARCHITECTURES = [
    pytest.param([2, 2, 1], ["sigmoid", "sigmoid"], "binary_cross_entropy", id="2-2-1-sigmoid-bce"),
    pytest.param([2, 2, 1], ["sigmoid", "sigmoid"], "mse", id="2-2-1-sigmoid-mse"),
    pytest.param([2, 2, 1], ["sigmoid", "sigmoid"], "half_sse", id="2-2-1-sigmoid-half_sse"),
    pytest.param([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy",
                 id="16-6-6-2-relu-softmax-ce"),
    pytest.param([16, 6, 6, 2], ["relu", "relu", "softmax"], "mse", id="16-6-6-2-relu-softmax-mse"),
] + [
    pytest.param([3, 5, 4, 4, 3 if out == "softmax" else 2], ["tanh", "leaky_relu", "tanh", out],
                 loss, id=f"3-5-4-4-tanh-leaky-tanh-{out}-{loss}")
    for out, loss in OUTPUTS
]


def sample_data(sizes, out_act, n, seed):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (n, sizes[0]))
    K = sizes[-1]
    if out_act == "softmax":
        Y = np.eye(K)[rng.integers(0, K, n)]
    elif out_act == "sigmoid":
        Y = rng.integers(0, 2, (n, K)).astype(float)
    else:
        Y = rng.uniform(-1.0, 1.0, (n, K))
    return X, Y


def build(sizes, acts, loss, seed=3) -> Network:
    # Non-zero biases so that a step which dropped b, or showed the wrong one, is visible.
    net = Network.build(sizes, acts, loss, seed=seed, init="xavier")
    rng = np.random.default_rng(seed + 100)
    for b in net.biases:
        b[:] = rng.uniform(-0.5, 0.5, b.shape)
    return net


# ----- checks, one per step kind ----------------------------------------------------------------

def same(shown: np.ndarray, expected: np.ndarray, what: str) -> None:
    shown = np.asarray(shown)
    expected = np.asarray(expected)
    assert shown.shape == expected.shape, f"{what}: shape {shown.shape}, expected {expected.shape}"
    np.testing.assert_allclose(shown, expected, **TOL, err_msg=what)


def check_operands(step, expected: dict[str, np.ndarray]) -> None:
    assert set(step.operands) == set(expected), step.title
    for name, value in expected.items():
        same(step.operands[name], value, f"{step.title}: operand {name}")


def check_step(step, ref: Reference, acts: list[str], loss: str) -> None:
    """The operands and result of one step against the reference, and the operands
    recombined by the step's formula into its result."""
    l, L = step.layer, len(ref.A) - 1
    N, K = ref.Y.shape
    s, p = (sup(l), sup(l - 1)) if l is not None else ("", "")
    ops = step.operands
    if step.kind == "z":                    # z = a⁽ˡ⁻¹⁾ · (W⁽ˡ⁾)ᵀ + b⁽ˡ⁾
        check_operands(step, {f"a{p}": ref.A[l - 1], f"W{s}": ref.W[l - 1], f"b{s}": ref.b[l - 1]})
        same(step.result, ref.Z[l], step.title)
        same(step.result, ops[f"a{p}"] @ ops[f"W{s}"].T + ops[f"b{s}"], step.title + " (recombined)")
    elif step.kind == "a":                  # a = f(z)
        check_operands(step, {f"z{s}": ref.Z[l]})
        same(step.result, ref.A[l], step.title)
        same(step.result, f(acts[l - 1], ops[f"z{s}"]), step.title + " (recombined)")
    elif step.kind == "loss":
        check_operands(step, {"ŷ": ref.A[L], "y": ref.Y})
        assert step.result.shape == ()
        assert float(step.result) == pytest.approx(ref.loss, rel=1e-10)
        assert float(step.result) == pytest.approx(loss_value(loss, ops["ŷ"], ops["y"]), rel=1e-10)
    elif step.kind == "dL/da" and l == L:   # ∂L/∂ŷ of a loss that is not fused (MSE, ½SSE)
        check_operands(step, {"ŷ": ref.A[L], "y": ref.Y})
        same(step.result, ref.dA[L], step.title)
        factor = 1.0 if loss == "half_sse" else 2.0 / (N * K)
        same(step.result, factor * (ops["ŷ"] - ops["y"]), step.title + " (recombined)")
    elif step.kind == "dL/da":              # ∂L/∂a⁽ˡ⁾ = ∂L/∂z⁽ˡ⁺¹⁾ · W⁽ˡ⁺¹⁾
        n = sup(l + 1)
        check_operands(step, {f"∂L/∂z{n}": ref.dZ[l + 1], f"W{n}": ref.W[l]})
        same(step.result, ref.dA[l], step.title)
        same(step.result, ops[f"∂L/∂z{n}"] @ ops[f"W{n}"], step.title + " (recombined)")
    elif step.kind == "dL/dz" and l == L and loss not in ("mse", "half_sse"):  # fused: (ŷ − y)/…
        check_operands(step, {"ŷ": ref.A[L], "y": ref.Y})
        same(step.result, ref.dZ[L], step.title)
        per = N if loss == "cross_entropy" else N * K
        same(step.result, (ops["ŷ"] - ops["y"]) / per, step.title + " (recombined)")
    elif step.kind == "dL/dz" and acts[l - 1] == "softmax":    # MSE through softmax: Jacobian
        check_operands(step, {f"∂L/∂a{s}": ref.dA[l], f"a{s}": ref.A[l]})
        same(step.result, ref.dZ[l], step.title)
        same(step.result, softmax_jacobian_product(ops[f"a{s}"], ops[f"∂L/∂a{s}"]),
             step.title + " (recombined)")
    elif step.kind == "dL/dz":              # ∂L/∂z = ∂L/∂a ⊙ f′(z)
        slope = next(name for name in ops if name.endswith(f"′(z{s})"))
        check_operands(step, {f"∂L/∂a{s}": ref.dA[l], f"z{s}": ref.Z[l],
                              slope: f_prime(acts[l - 1], ref.Z[l])})
        same(step.result, ref.dZ[l], step.title)
        same(ops[slope], f_prime(acts[l - 1], ops[f"z{s}"]), step.title + " (f′ of the z shown)")
        same(step.result, ops[f"∂L/∂a{s}"] * ops[slope], step.title + " (recombined)")
    elif step.kind == "dL/dW":              # ∂L/∂W = (∂L/∂z)ᵀ · a⁽ˡ⁻¹⁾
        check_operands(step, {f"∂L/∂z{s}": ref.dZ[l], f"a{p}": ref.A[l - 1]})
        same(step.result, ref.dW[l - 1], step.title)
        same(step.result, ops[f"∂L/∂z{s}"].T @ ops[f"a{p}"], step.title + " (recombined)")
    elif step.kind == "dL/db":              # ∂L/∂b = Σₙ ∂L/∂z
        check_operands(step, {f"∂L/∂z{s}": ref.dZ[l]})
        same(step.result, ref.db[l - 1], step.title)
        same(step.result, ops[f"∂L/∂z{s}"].sum(axis=0), step.title + " (recombined)")
    elif step.kind in ("update_W", "update_b"):     # new θ = θ − α · ∂L/∂θ
        q = "W" if step.kind == "update_W" else "b"
        old = (ref.W if q == "W" else ref.b)[l - 1]
        grad = (ref.dW if q == "W" else ref.db)[l - 1]
        check_operands(step, {f"{q}{s}": old, "α": np.array(ALPHA), f"∂L/∂{q}{s}": grad})
        same(step.result, old - ALPHA * grad, step.title)
        same(step.result, ops[f"{q}{s}"] - ops["α"] * ops[f"∂L/∂{q}{s}"], step.title + " (recombined)")
    else:
        raise AssertionError(f"no check for step kind {step.kind!r} ({step.title})")


def expected_kinds(n_layers: int, loss: str) -> list[tuple[str, int | None]]:
    """(kind, layer) of every step, in teaching order."""
    L = n_layers
    order = [(k, l) for l in range(1, L + 1) for k in ("z", "a")] + [("loss", None)]
    if loss in ("mse", "half_sse"):
        order.append(("dL/da", L))
    order.append(("dL/dz", L))
    for l in range(L, 0, -1):
        order += [("dL/dW", l), ("dL/db", l)]
        if l > 1:
            order += [("dL/da", l - 1), ("dL/dz", l - 1)]
    order += [(k, l) for l in range(1, L + 1) for k in ("update_W", "update_b")]
    return order


@pytest.mark.parametrize("n_samples", [1, 4])
@pytest.mark.parametrize("sizes, acts, loss", ARCHITECTURES)
def test_every_operand_and_result_matches_a_plain_numpy_reference(sizes, acts, loss, n_samples):
    net = build(sizes, acts, loss)
    X, Y = sample_data(sizes, acts[-1], n_samples, seed=len(sizes) + n_samples)
    W = [w.copy() for w in net.weights]
    b = [v.copy() for v in net.biases]
    ref = reference(sizes, acts, loss, W, b, X, Y)
    x, y = (X[0], Y[0]) if n_samples == 1 else (X, Y)   # one sample as the app passes it
    steps = walkthrough(net, x, y, ALPHA)
    assert [(st.kind, st.layer) for st in steps] == expected_kinds(len(sizes) - 1, loss)
    for step in steps:
        check_step(step, ref, acts, loss)


def test_the_reference_covers_every_output_the_app_allows():
    """OUTPUTS lists every (output activation, loss) pair that builds; nothing is left out."""
    from backprop_gui.engine.activations import ACTIVATIONS
    from backprop_gui.engine.losses import LOSSES

    allowed = []
    for out in ACTIVATIONS:
        for loss in LOSSES:
            try:
                Network.build([2, 3, 3], ["tanh", out], loss)
            except ValueError:
                continue
            allowed.append((out, loss))
    assert sorted(allowed) == sorted(OUTPUTS)


def test_the_reference_itself_is_right_for_a_hand_computed_2_2_1_net():
    """The reference, checked once by hand so it cannot share a mistake with the engine:
    2-2-1, sigmoid everywhere, MSE, W¹ = [[1, 0], [0, 1]], b¹ = 0, W² = [[1, −1]], b² = 0."""
    W = [np.eye(2), np.array([[1.0, -1.0]])]
    b = [np.zeros(2), np.zeros(1)]
    X, Y = np.array([[0.0, 0.0]]), np.array([[1.0]])
    ref = reference([2, 2, 1], ["sigmoid", "sigmoid"], "mse", W, b, X, Y)
    # z¹ = 0 → a¹ = (½, ½); z² = ½ − ½ = 0 → ŷ = ½; L = (½ − 1)² = ¼.
    np.testing.assert_array_equal(ref.A[1], [[0.5, 0.5]])
    assert ref.A[2][0, 0] == 0.5 and ref.loss == 0.25
    # ∂L/∂ŷ = 2(½ − 1) = −1; σ′(0) = ¼ → ∂L/∂z² = −¼; ∂L/∂W² = −¼ · (½, ½) = (−⅛, −⅛).
    assert ref.dA[2][0, 0] == -1.0 and ref.dZ[2][0, 0] == -0.25
    np.testing.assert_array_equal(ref.dW[1], [[-0.125, -0.125]])
    # ∂L/∂a¹ = −¼ · (1, −1); ∂L/∂z¹ = that · ¼ = (−1/16, 1/16); ∂L/∂W¹ = outer with x = 0.
    np.testing.assert_array_equal(ref.dZ[1], [[-0.0625, 0.0625]])
    np.testing.assert_array_equal(ref.dW[0], np.zeros((2, 2)))
    np.testing.assert_array_equal(ref.db[0], [-0.0625, 0.0625])
