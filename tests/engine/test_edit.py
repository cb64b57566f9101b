"""Structural edits: only the matrices an edit touches are re-drawn, the rest keep their values."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine import edit
from backprop_gui.engine.dataset import Dataset
from backprop_gui.engine.network import Network


@pytest.fixture
def net() -> Network:
    return Network.build([16, 6, 6, 2], ["relu", "relu", "softmax"], "cross_entropy", seed=3)


def test_insert_layer_keeps_untouched_layers_and_draws_new_ones_from_the_seed(net):
    new = edit.insert_layer(net, 2, 4, "tanh", seed=3)
    assert new.sizes == [16, 6, 4, 6, 2]
    assert new.activation_names == ["relu", "tanh", "relu", "softmax"]
    assert np.array_equal(new.weights[0], net.weights[0])
    assert np.array_equal(new.weights[3], net.weights[2])
    rebuilt = Network.build(new.sizes, new.activation_names, new.loss_name, seed=3)
    assert np.array_equal(new.weights[1], rebuilt.weights[1])
    assert np.array_equal(new.weights[2], rebuilt.weights[2])
    assert net.sizes == [16, 6, 6, 2], "the original network is untouched"


def test_remove_layer_undoes_insert_when_seed_matches(net):
    inserted = edit.insert_layer(net, 2, 4, "tanh", seed=3)
    removed = edit.remove_layer(inserted, 2, seed=3)
    assert removed.sizes == net.sizes
    for W_new, W_old in zip(removed.weights, net.weights):
        assert np.array_equal(W_new, W_old)


@pytest.mark.parametrize("position", [0, 3, 4])
def test_only_hidden_layers_can_be_removed(net, position):
    with pytest.raises(ValueError, match="hidden"):
        edit.remove_layer(net, position)


def test_resize_layer_redraws_its_two_matrices(net):
    new = edit.resize_layer(net, 2, 7, seed=3)
    assert new.sizes == [16, 6, 7, 2]
    assert np.array_equal(new.weights[0], net.weights[0])
    assert new.weights[1].shape == (7, 6) and new.weights[2].shape == (2, 7)


def test_softmax_is_refused_on_a_hidden_layer(net):
    with pytest.raises(ValueError, match="only allowed on the output layer"):
        edit.set_activation(net, 1, "softmax")


def test_changing_output_activation_away_from_softmax_switches_loss_to_mse(net):
    new, note = edit.set_activation(net, 3, "sigmoid")
    assert new.loss_name == "mse" and "mean squared error" in note
    assert np.array_equal(new.weights[2], net.weights[2])


def test_cross_entropy_switches_output_to_softmax():
    net = Network.build([2, 3, 2], ["tanh", "sigmoid"], "mse", seed=0)
    new, note = edit.set_loss(net, "cross_entropy")
    assert new.activation_names == ["tanh", "softmax"] and "Softmax" in note


def test_fit_to_dataset_resizes_input_and_output_layers(net):
    ds = Dataset("d", "d", np.zeros((3, 9)), [0, 1, 2], ["a", "b", "c"], "image", (3, 3))
    fitted = edit.fit_to_dataset(net, ds, seed=3)
    assert fitted.sizes == [9, 6, 6, 3]
    assert np.array_equal(fitted.weights[1], net.weights[1])
    assert edit.fit_to_dataset(fitted, ds) is fitted


def test_check_layer_size_keeps_the_input_and_enough_outputs_for_the_dataset(net):
    ds = Dataset("d", "d", np.zeros((3, 16)), [0, 1, 2], ["a", "b", "c"])
    edit.check_layer_size(net, ds, 1, 9)              # hidden layers may have any size
    edit.check_layer_size(net, ds, 3, 3)
    with pytest.raises(ValueError, match="the input layer must match the dataset's 16 inputs"):
        edit.check_layer_size(net, ds, 0, 15)
    with pytest.raises(ValueError, match="a neuron for each of the 3 classes"):
        edit.check_layer_size(net, ds, 3, 2)
    two = Dataset("d", "d", np.zeros((2, 16)), [0, 1], ["a", "b"])
    edit.check_layer_size(net, two, 3, 1)             # one sigmoid unit tells two classes apart
    with pytest.raises(ValueError, match="a neuron for each of the 3 classes"):
        edit.check_layer_size(net, ds, 3, 1)
