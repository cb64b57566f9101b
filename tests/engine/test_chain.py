"""The computational graph of one parameter: hand-computed numbers for a 1-1-1 chain, the
engine's own numbers for wider networks, and a chain rule that multiplies back to backprop's."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop_gui.engine.chain import chain_graph, suitable
from backprop_gui.engine.network import Network
from backprop_gui.engine.selection import Selection


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def one_one_one() -> Network:
    # w¹ = 0.5, b¹ = 0.1, w² = −0.3, b² = 0.2; sigmoid, sigmoid, mean squared error.
    return Network([1, 1, 1], ["sigmoid", "sigmoid"], "mse",
                   [np.array([[0.5]]), np.array([[-0.3]])], [np.array([0.1]), np.array([0.2])])


def graph_for(net: Network, x, y, sel: Selection):
    trace = net.forward(x)
    grads = net.backward(trace, y)
    return chain_graph(net, trace, grads, np.asarray(y, dtype=float), sel, net.loss(trace, y)), \
        trace, grads


def test_a_1_1_1_chain_by_hand():
    net = one_one_one()
    graph, _trace, _grads = graph_for(net, [2.0], [1.0], Selection.weight(1, 0, 0))
    # By hand: x = 2, y = 1.
    z1 = 0.5 * 2.0 + 0.1
    a1 = sigmoid(z1)
    z2 = -0.3 * a1 + 0.2
    a2 = sigmoid(z2)
    loss = (a2 - 1.0) ** 2
    da2 = 2.0 * (a2 - 1.0)
    dz2 = da2 * a2 * (1.0 - a2)
    da1 = dz2 * -0.3
    dz1 = da1 * a1 * (1.0 - a1)
    dw1 = dz1 * 2.0
    expected = {            # key: (value, gradient)
        "param": (0.5, dw1), "input": (2.0, None), "product": (1.0, dz1), "rest": (0.1, None),
        "z1": (z1, dz1), "a1": (a1, da1), "z2": (z2, dz2), "a2": (a2, da2), "loss": (loss, 1.0),
    }
    assert [n.key for n in graph.nodes] == list(expected)
    for key, (value, grad) in expected.items():
        node = graph.node(key)
        assert node.values == pytest.approx((value,), rel=1e-12), key
        if grad is None:
            assert node.grads is None, key
        else:
            assert node.grads == pytest.approx((grad,), rel=1e-12), key
    # Edges carry the local derivatives: ∂(w·x)/∂w = x, σ′(z¹) = a¹(1 − a¹), ∂z²/∂a¹ = w².
    local = {(e.source, e.target): e.values for e in graph.edges}
    assert local[("param", "product")] == (2.0,)
    assert local[("z1", "a1")] == pytest.approx((a1 * (1 - a1),), rel=1e-12)
    assert local[("a1", "z2")] == (-0.3,)
    assert local[("a2", "loss")] == pytest.approx((da2,), rel=1e-12)
    rule = graph.rule
    assert rule.symbols == ("∂z¹[1]/∂W¹[1,1]", "∂a¹[1]/∂z¹[1]", "∂L/∂a¹[1]")
    assert [f.label for f in rule.factors] == ["a⁰[1]", "σ′(z¹[1])", "Σₖ W²[k,1] · ∂L/∂z²[k]"]
    assert rule.value == pytest.approx(dw1, rel=1e-12) and rule.agrees()


def test_the_output_weight_of_a_1_1_1_chain_uses_the_losss_formula():
    net = one_one_one()
    graph, trace, grads = graph_for(net, [2.0], [1.0], Selection.weight(2, 0, 0))
    rule = graph.rule
    a1, a2 = trace.a[1][0, 0], trace.a[2][0, 0]
    assert [f.label for f in rule.factors] == ["a¹[1]", "σ′(z²[1])", "2(ŷ − y) / (N·K)"]
    assert [f.value for f in rule.factors] == [a1, a2 * (1 - a2), grads.da[2][0, 0]]
    assert rule.loss_rule == "∂L/∂ŷ[1] = 2(ŷ − y) / (N·K)"
    assert [(f.label, f.value) for f in rule.loss_operands] == [("ŷ[1]", a2), ("y[1]", 1.0)]
    assert rule.paths == () and rule.agrees()
    assert rule.value == pytest.approx(grads.dW[1][0, 0], rel=1e-12)


NETWORKS = {
    "sigmoid-mse": lambda: Network.build([2, 3, 2], ["sigmoid", "sigmoid"], "mse", seed=4),
    "relu-softmax-ce": lambda: Network.build([2, 3, 2], ["relu", "softmax"], "cross_entropy",
                                             seed=5, init="xavier"),
    "tanh-softmax-mse": lambda: Network.build([2, 3, 2], ["tanh", "softmax"], "mse", seed=6),
    "one-output": lambda: Network.build([2, 3, 1], ["sigmoid", "sigmoid"], "mse", seed=8),
    "deep": lambda: Network.build([3, 4, 3, 2], ["tanh", "leaky_relu", "sigmoid"],
                                  "binary_cross_entropy", seed=7),
}


def parameters(net: Network):
    for l in range(1, net.n_layers + 1):
        n_out, n_in = net.weights[l - 1].shape
        for j in range(n_out):
            yield Selection.bias(l, j)
            for i in range(n_in):
                yield Selection.weight(l, j, i)


@pytest.mark.parametrize("name", NETWORKS)
def test_every_parameters_graph_holds_the_engines_numbers(name):
    net = NETWORKS[name]()
    x = np.array([0.7, -0.4, 0.9])[:net.sizes[0]]
    y = np.eye(net.sizes[-1])[1] if net.sizes[-1] > 1 else np.ones(1)
    for sel in parameters(net):
        graph, trace, grads = graph_for(net, x, y, sel)
        l, j = sel.layer, sel.j
        param = graph.node("param")
        assert param.values == (float(sel.array_in(net)[sel.index]),)
        dparam = (grads.dW if sel.is_weight else grads.db)[l - 1][sel.index]
        assert param.grads == (dparam,)
        assert graph.node(f"z{l}").values == (trace.z[l][0, j],)
        assert graph.node(f"z{l}").grads == (grads.dz[l][0, j],)
        for m in range(l + 1, net.n_layers + 1):      # the layers after: whole groups
            assert graph.node(f"z{m}").values == tuple(trace.z[m][0])
            assert graph.node(f"z{m}").grads == tuple(grads.dz[m][0])
            a = graph.node(f"a{m}")
            assert a.values == tuple(trace.a[m][0])
            if grads.da[m] is None:
                assert a.grads is None                 # fused with the loss: not computed
            else:
                assert a.grads == tuple(grads.da[m][0])
        assert graph.node("loss").values == (net.loss(trace, y),)
        L = net.n_layers
        into_loss = [e for e in graph.edges if e.target == "loss"]
        assert len(into_loss) == 1
        if grads.da[L] is not None:                     # ∂L/∂ŷ: local derivative of the loss
            assert into_loss[0].values == (
                (grads.da[L][0, j],) if l == L else tuple(grads.da[L][0]))
        rule = graph.rule
        assert rule.gradient == dparam
        assert abs(rule.value - dparam) <= 1e-12 * max(1.0, abs(dparam)), sel
        if l < net.n_layers:
            assert len(rule.paths) == net.sizes[l + 1]   # Σₖ over the next layer
            assert sum(t.value for t in rule.paths) == pytest.approx(grads.da[l][0, j],
                                                                     rel=1e-12, abs=1e-300)


def test_a_neuron_or_a_missing_parameter_has_no_graph():
    net = one_one_one()
    assert not suitable(None, net)
    assert not suitable(Selection.neuron(1, 0), net)
    assert not suitable(Selection.weight(1, 0, 1), net)
    assert suitable(Selection.bias(2, 0), net)
    trace = net.forward([1.0])
    with pytest.raises(ValueError, match="not a weight or a bias"):
        chain_graph(net, trace, net.backward(trace, [1.0]), np.ones(1), Selection.neuron(1, 0),
                    0.0)
    batch = net.forward([[1.0], [2.0]])
    with pytest.raises(ValueError, match="one sample"):
        chain_graph(net, batch, net.backward(batch, [[1.0], [0.0]]), np.ones(1),
                    Selection.bias(1, 0), 0.0)
