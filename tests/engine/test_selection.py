"""Selection: one index convention (the textbook's) for neurons, weights and biases."""

from __future__ import annotations

import pytest

from backprop_gui.engine.network import Network
from backprop_gui.engine.selection import Selection

SIZES = [4, 3, 2]     # W¹ is 3×4, W² is 2×3


def test_named_constructors_use_textbook_layers_and_0_based_indices():
    w = Selection.weight(2, 1, 2)           # W²[2,3]: from neuron 3 of layer 1 to neuron 2 of layer 2
    assert (w.kind, w.layer, w.j, w.i) == ("weight", 2, 1, 2)
    assert w.is_weight and not w.is_bias and not w.is_neuron
    assert w.param == 1                     # network.weights[1] is W²
    assert w.name == "W²[2,3]" and str(w) == "W²[2,3]"
    b = Selection.bias(1, 0)
    assert b.param == 0 and b.name == "b¹[1]" and b.is_bias
    n = Selection.neuron(0, 3)
    assert n.name == "a⁰[4]" and n.is_neuron and n.i is None
    with pytest.raises(ValueError):
        n.param                             # a neuron is not a parameter


def test_the_param_index_reads_the_same_numbers_as_the_network():
    net = Network.build(SIZES, ["relu", "sigmoid"], "mse", seed=3)
    w = Selection.weight(2, 1, 2)
    assert net.weights[w.param][w.j, w.i] == net.weights[1][1, 2]
    assert net.weights[w.param].shape == (SIZES[w.layer], SIZES[w.layer - 1])
    b = Selection.bias(2, 1)
    assert net.biases[b.param][b.j] == net.biases[1][1]


def test_selections_are_values():
    assert Selection.weight(2, 1, 2) == Selection("weight", 2, 1, 2)
    assert Selection.weight(2, 1, 2) != Selection.weight(2, 2, 1)
    assert Selection.bias(2, 1) != Selection.neuron(2, 1)
    assert len({Selection.neuron(1, 0), Selection.neuron(1, 0), Selection.bias(1, 0)}) == 2
    with pytest.raises(AttributeError):
        Selection.neuron(1, 0).j = 2        # frozen


def test_numpy_integers_become_plain_ints():
    import numpy as np

    s = Selection.weight(np.int64(1), np.intp(0), np.int32(2))
    assert type(s.layer) is int and type(s.j) is int and type(s.i) is int
    assert repr(s) == "Selection(kind='weight', layer=1, j=0, i=2)"


@pytest.mark.parametrize("make", [
    lambda: Selection("edge", 1, 0),                 # unknown kind
    lambda: Selection("weight", 1, 0),               # a weight needs i
    lambda: Selection("bias", 1, 0, 2),              # a bias has no i
    lambda: Selection.weight(0, 0, 0),               # W⁰ does not exist
    lambda: Selection.bias(0, 0),
    lambda: Selection.neuron(-1, 0),
    lambda: Selection.neuron(1, -1),
    lambda: Selection.weight(1, 0, -1),
])
def test_impossible_selections_are_refused(make):
    with pytest.raises(ValueError):
        make()


def test_exists_in_checks_every_index_against_the_layer_sizes():
    assert Selection.neuron(0, 3).exists_in(SIZES)
    assert not Selection.neuron(0, 4).exists_in(SIZES)
    assert Selection.neuron(2, 1).exists_in(SIZES)
    assert not Selection.neuron(3, 0).exists_in(SIZES)     # no layer 3
    assert Selection.weight(1, 2, 3).exists_in(SIZES)      # W¹ is 3×4
    assert not Selection.weight(1, 3, 0).exists_in(SIZES)  # row 4 of W¹
    assert not Selection.weight(1, 0, 4).exists_in(SIZES)  # column 5 of W¹
    assert Selection.weight(2, 1, 2).exists_in(SIZES)      # W² is 2×3
    assert not Selection.weight(2, 1, 3).exists_in(SIZES)
    assert not Selection.weight(3, 0, 0).exists_in(SIZES)
    assert Selection.bias(2, 1).exists_in(SIZES)
    assert not Selection.bias(2, 2).exists_in(SIZES)


@pytest.mark.parametrize("text, want", [
    ("W2[3,5]", Selection.weight(2, 2, 4)),
    ("W²[3,5]", Selection.weight(2, 2, 4)),
    (" W2 [ 3 , 5 ] ", Selection.weight(2, 2, 4)),
    ("W12[1,10]", Selection.weight(12, 0, 9)),
    ("b1[2]", Selection.bias(1, 1)),
    ("b¹[2]", Selection.bias(1, 1)),
    ("a0[4]", Selection.neuron(0, 3)),
    ("a³[1]", Selection.neuron(3, 0)),
])
def test_parse_reads_the_names_the_app_writes(text, want):
    assert Selection.parse(text) == want


@pytest.mark.parametrize("sel", [Selection.weight(2, 2, 4), Selection.bias(3, 0),
                                 Selection.neuron(0, 11), Selection.weight(10, 0, 0)])
def test_parse_reads_back_every_name(sel):
    assert Selection.parse(sel.name) == sel


@pytest.mark.parametrize("text", ["", "W2", "W2[3]", "b2[3,5]", "a1[1,1]", "W0[1,1]", "b0[1]",
                                  "W2[0,1]", "a1[0]", "x1[1]", "W2[3,5]!", "W-1[1,1]", "w2[3,5]",
                                  "W2(3,5)", "W2[3;5]"])
def test_parse_refuses_anything_else(text):
    with pytest.raises(ValueError):
        Selection.parse(text)


def test_array_in_and_index_find_a_parameter_to_read_and_write():
    net = Network.build(SIZES, ["relu", "sigmoid"], "mse", seed=3)
    w, b = Selection.weight(2, 1, 2), Selection.bias(1, 2)
    assert w.index == (1, 2) and b.index == (2,)
    assert w.array_in(net) is net.weights[1] and b.array_in(net) is net.biases[0]
    w.array_in(net)[w.index] = 0.25
    b.array_in(net)[b.index] = -1.5
    assert net.weights[1][1, 2] == 0.25 and net.biases[0][2] == -1.5
    with pytest.raises(ValueError):
        Selection.neuron(1, 0).index
