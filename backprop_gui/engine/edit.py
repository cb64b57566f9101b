"""Structural edits of a network that return a new Network and leave the old one intact
(engine/dataset_edit.py does the same for a dataset's samples).

Only the weight matrices an edit touches are re-drawn from the seed (per-layer streams, so
the numbers are those `Network.build` would give); every other layer keeps its values.
"""

from __future__ import annotations

from .activations import get_activation
from .dataset import Dataset
from .losses import get_loss
from .network import Network, check_architecture, initial_parameters, layer_rng


def _rebuild(kept: list[tuple] | Network, sizes: list[int], activations: list[str], loss: str,
             fresh: set[int], seed: int, init: str) -> Network:
    """A network with the given architecture; weights[l] for l in `fresh` are re-drawn,
    the others are copied from `kept` (a Network or a list of (W, b) pairs, same index)."""
    check_architecture(sizes, activations, loss)
    if isinstance(kept, Network):
        kept = list(zip(kept.weights, kept.biases))
    weights, biases = [], []
    for l in range(len(sizes) - 1):
        if l in fresh:
            W, b = initial_parameters(sizes[l], sizes[l + 1], init, layer_rng(seed, l))
        else:
            W, b = kept[l][0].copy(), kept[l][1].copy()
        weights.append(W)
        biases.append(b)
    return Network(sizes, activations, loss, weights, biases)


def insert_layer(net: Network, position: int, size: int, activation: str = "relu",
                 seed: int = 0, init: str = "he") -> Network:
    """Insert a hidden layer so that it becomes layer `position` (1 … L, textbook index)."""
    if not 1 <= position <= net.n_layers:
        raise ValueError(f"a hidden layer can go at positions 1 … {net.n_layers}, not {position}")
    if get_activation(activation).output_only:
        raise ValueError(f"{get_activation(activation).display} is only allowed on the output layer")
    sizes = net.sizes[:position] + [size] + net.sizes[position:]
    acts = net.activation_names[:position - 1] + [activation] + net.activation_names[position - 1:]
    # Layers after the new one shift right by one; keep their values, re-draw the two it touches.
    pairs = list(zip(net.weights, net.biases))
    kept = pairs[:position - 1] + [None, None] + pairs[position:]
    return _rebuild(kept, sizes, acts, net.loss_name, {position - 1, position}, seed, init)


def remove_layer(net: Network, position: int, seed: int = 0, init: str = "he") -> Network:
    """Remove hidden layer `position` (1 … L−1); its neighbours get one fresh matrix."""
    if not 1 <= position <= net.n_layers - 1:
        if net.n_layers == 1:
            raise ValueError("this network has no hidden layer to remove")
        raise ValueError(f"only hidden layers 1 … {net.n_layers - 1} can be removed, not {position}")
    sizes = net.sizes[:position] + net.sizes[position + 1:]
    acts = net.activation_names[:position - 1] + net.activation_names[position:]
    pairs = list(zip(net.weights, net.biases))
    kept = pairs[:position - 1] + [None] + pairs[position + 1:]
    return _rebuild(kept, sizes, acts, net.loss_name, {position - 1}, seed, init)


def resize_layer(net: Network, layer: int, size: int, seed: int = 0, init: str = "he") -> Network:
    """Give layer `layer` (0 = input … L = output) `size` neurons; its two matrices are re-drawn."""
    if not 0 <= layer <= net.n_layers:
        raise ValueError(f"there is no layer {layer}")
    if size < 1:
        raise ValueError(f"a layer needs at least one neuron, not {size}")
    sizes = list(net.sizes)
    sizes[layer] = size
    fresh = {l for l in (layer - 1, layer) if 0 <= l < net.n_layers}
    return _rebuild(net, sizes, net.activation_names, net.loss_name, fresh, seed, init)


def set_activation(net: Network, layer: int, activation: str) -> tuple[Network, str | None]:
    """Layer `layer` (1 … L) uses `activation`; weights are kept.

    Returns (network, note): when the output activation no longer fits the loss, the loss
    becomes mean squared error and `note` says so.
    """
    if not 1 <= layer <= net.n_layers:
        raise ValueError(f"layer {layer} has no activation (layers 1 … {net.n_layers} do)")
    act = get_activation(activation)
    if act.output_only and layer != net.n_layers:
        raise ValueError(f"{act.display} is only allowed on the output layer")
    acts = list(net.activation_names)
    acts[layer - 1] = activation
    loss, note = net.loss_name, None
    required = get_loss(loss).requires_output
    if layer == net.n_layers and required and required != activation:
        loss = "mse"
        note = f"{get_loss(net.loss_name).display} needs a {get_activation(required).display} output, so the loss is now mean squared error"
    return _rebuild(net, net.sizes, acts, loss, set(), 0, "he"), note


def set_loss(net: Network, loss: str) -> tuple[Network, str | None]:
    """The network uses `loss`; if it needs another output activation, that is switched too."""
    loss_fn = get_loss(loss)
    acts = list(net.activation_names)
    note = None
    if loss_fn.requires_output and acts[-1] != loss_fn.requires_output:
        acts[-1] = loss_fn.requires_output
        note = f"{loss_fn.display} needs a {get_activation(acts[-1]).display} output layer, so the output activation changed"
    return _rebuild(net, net.sizes, acts, loss, set(), 0, "he"), note


def check_layer_size(net: Network, dataset: Dataset, layer: int, size: int) -> None:
    """ValueError when layer `layer` (0 … L) of `net` cannot have `size` neurons with `dataset`:
    the input layer must match its inputs, and the output layer needs a neuron for each class
    (or one output for two classes)."""
    if layer == 0 and size != dataset.n_inputs:
        raise ValueError(f"the input layer must match the dataset's {dataset.n_inputs} inputs")
    if dataset.is_regression:
        if layer == net.n_layers and size != dataset.n_targets:
            raise ValueError(f"the output layer must match the dataset's {dataset.n_targets} "
                             f"target value{'s' if dataset.n_targets != 1 else ''}")
        return
    n_classes = dataset.n_classes
    if layer == net.n_layers and size < n_classes and not (size == 1 and n_classes <= 2):
        raise ValueError(f"the output layer needs a neuron for each of the {n_classes} classes")


def fit_to_dataset(net: Network, dataset: Dataset, seed: int = 0, init: str = "he") -> Network:
    """`net` with input and output layers sized for `dataset`; unchanged if it already fits."""
    sizes = list(net.sizes)
    acts = list(net.activation_names)
    loss = net.loss_name
    fresh: set[int] = set()
    if sizes[0] != dataset.n_inputs:
        sizes[0] = dataset.n_inputs
        fresh.add(0)
    if dataset.is_regression:
        if sizes[-1] != dataset.n_targets:   # one output per target value, activation kept
            sizes[-1] = dataset.n_targets
            fresh.add(len(sizes) - 2)
            if acts[-1] == "softmax" and dataset.n_targets == 1:
                acts[-1], loss = "linear", "mse"
    elif (sizes[-1] != 1 or dataset.n_classes > 2) and sizes[-1] != dataset.n_classes:
        sizes[-1] = dataset.n_classes
        fresh.add(len(sizes) - 2)
        if acts[-1] != "softmax" and dataset.n_classes > 2:
            acts[-1], loss = "softmax", "cross_entropy"
    if not fresh and acts == net.activation_names and loss == net.loss_name:
        return net
    return _rebuild(net, sizes, acts, loss, fresh, seed, init)
