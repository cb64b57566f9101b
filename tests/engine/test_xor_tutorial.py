"""The classic NumPy XOR tutorial, reproduced by the app's engine.

The tutorial: 2 inputs, 2 sigmoid hidden neurons, 1 sigmoid output; `np.random.seed(1)`, then
`np.random.uniform` draws, in this order, the hidden weights (2×2, [input, hidden]), the hidden
bias (1×2), the output weights (2×1) and the output bias (1×1); learning rate 0.1; 10,000
full-batch epochs of its hand-written update. That update is gradient descent on
L = ½ Σ (ŷ − y)², summed over the samples: the app's `half_sse`. With `mse` (the mean over the
N = 4 samples and K = 1 output) the gradient is 2(ŷ − y)/(N·K) = (ŷ − y)/2 per sample, so the
same steps need learning rate 0.1 · N·K/2 = 0.2.

The tutorial's loop is written below as it is published (variable names shortened), and is the
reference; the app's matrices are (n_out, n_in), the tutorial's transposed.
"""

from __future__ import annotations

import numpy as np
import pytest

from backprop_gui.engine.datasets import make_xor
from backprop_gui.engine.network import Network
from backprop_gui.engine.project import TrainingConfig
from backprop_gui.engine.projectfile import load_project
from backprop_gui.engine.training import Trainer
from backprop_gui.resources import resource_path

EPOCHS = 10_000
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
Y = np.array([[0], [1], [1], [0]])
# What the tutorial's run ends with (its weights after 10,000 updates, fed the four inputs),
# computed once with the loop below; the tutorial's own last print (the forward pass of epoch
# 10,000, before its update) is [0.06368082, 0.94085536, 0.94108726, 0.06402009].
FINAL_OUTPUTS = [0.06367371, 0.94086271, 0.94109457, 0.06401166]


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    return x * (1 - x)


def tutorial_weights():
    """The tutorial's initial parameters, drawn exactly as it draws them."""
    np.random.seed(1)
    hidden_weights = np.random.uniform(size=(2, 2))
    hidden_bias = np.random.uniform(size=(1, 2))
    output_weights = np.random.uniform(size=(2, 1))
    output_bias = np.random.uniform(size=(1, 1))
    return hidden_weights, hidden_bias, output_weights, output_bias


def tutorial_run(lr: float = 0.1, epochs: int = EPOCHS):
    """The tutorial's training loop. Returns its parameters after training, the outputs each
    epoch's forward pass computed and the loss ½ Σ error² of each epoch."""
    hidden_weights, hidden_bias, output_weights, output_bias = tutorial_weights()
    outputs, losses = [], []
    for _ in range(epochs):
        hidden_layer_output = sigmoid(np.dot(X, hidden_weights) + hidden_bias)
        predicted_output = sigmoid(np.dot(hidden_layer_output, output_weights) + output_bias)
        error = Y - predicted_output
        d_predicted_output = error * sigmoid_derivative(predicted_output)
        error_hidden_layer = d_predicted_output.dot(output_weights.T)
        d_hidden_layer = error_hidden_layer * sigmoid_derivative(hidden_layer_output)
        output_weights += hidden_layer_output.T.dot(d_predicted_output) * lr
        output_bias += np.sum(d_predicted_output, axis=0, keepdims=True) * lr
        hidden_weights += X.T.dot(d_hidden_layer) * lr
        hidden_bias += np.sum(d_hidden_layer, axis=0, keepdims=True) * lr
        outputs.append(predicted_output.ravel().copy())
        losses.append(0.5 * float(np.sum(error ** 2)))
    return (hidden_weights, hidden_bias, output_weights, output_bias), np.array(outputs), losses


def losses_after_each_epoch(params, losses) -> np.ndarray:
    hw, hb, ow, ob = params
    final = sigmoid(sigmoid(X @ hw + hb) @ ow + ob)
    return np.array(losses[1:] + [0.5 * float(np.sum((Y - final) ** 2))])


def app_network(loss: str) -> Network:
    """The tutorial's initial weights in the app's layout: W = the tutorial's transposed."""
    hw, hb, ow, ob = tutorial_weights()
    return Network([2, 2, 1], ["sigmoid", "sigmoid"], loss, [hw.T, ow.T], [hb.ravel(), ob.ravel()])


@pytest.fixture(scope="module")
def tutorial():
    return tutorial_run()


def train(net: Network, lr: float, epochs: int = EPOCHS) -> Trainer:
    trainer = Trainer(net, make_xor(), TrainingConfig(optimizer="batch", learning_rate=lr))
    trainer.train(epochs)
    assert trainer.epoch == epochs and trainer.stopped.code == "limit"
    return trainer


def assert_same_parameters(net: Network, params, atol: float) -> None:
    hw, hb, ow, ob = params
    np.testing.assert_allclose(net.weights[0], hw.T, rtol=0, atol=atol)
    np.testing.assert_allclose(net.biases[0], hb.ravel(), rtol=0, atol=atol)
    np.testing.assert_allclose(net.weights[1], ow.T, rtol=0, atol=atol)
    np.testing.assert_allclose(net.biases[1], ob.ravel(), rtol=0, atol=atol)


def test_the_tutorial_loop_ends_where_the_tutorial_says(tutorial):
    params, outputs, _losses = tutorial
    np.testing.assert_allclose(outputs[-1], [0.06368082, 0.94085536, 0.94108726, 0.06402009],
                               atol=5e-9)
    hw, hb, ow, ob = params
    final = sigmoid(sigmoid(X @ hw + hb) @ ow + ob).ravel()
    np.testing.assert_allclose(final, FINAL_OUTPUTS, atol=5e-9)


def test_half_sse_at_learning_rate_0_1_reproduces_the_tutorial(tutorial):
    params, outputs, losses = tutorial
    net = app_network("half_sse")
    # Epoch 1 starts from the same outputs and the same loss.
    np.testing.assert_allclose(net.forward(X.astype(float)).output.ravel(), outputs[0], rtol=0,
                               atol=1e-15)
    trainer = train(net, 0.1)
    assert_same_parameters(net, params, atol=1e-10)   # measured: 2.7e-15
    np.testing.assert_allclose(net.forward(X.astype(float)).output.ravel(), FINAL_OUTPUTS,
                               atol=1e-6)
    # The history records each epoch's loss after its update: the tutorial's ½ Σ error² of
    # the next epoch's forward pass (and, after the last, of the final outputs).
    np.testing.assert_allclose(trainer.history.loss, losses_after_each_epoch(params, losses),
                               rtol=1e-6, atol=0)
    assert trainer.history.epoch[-1] == EPOCHS


def test_half_sse_matches_the_tutorial_at_every_epoch_of_the_first_hundred():
    _params, outputs, _losses = tutorial_run(epochs=100)
    net = app_network("half_sse")
    trainer = Trainer(net, make_xor(), TrainingConfig(optimizer="batch", learning_rate=0.1))
    for epoch in range(100):
        shown = net.forward(X.astype(float)).output.ravel()
        np.testing.assert_allclose(shown, outputs[epoch], rtol=0, atol=1e-12, err_msg=f"{epoch}")
        trainer.run_epoch()


def test_mse_at_learning_rate_0_2_takes_the_same_steps(tutorial):
    params, _outputs, losses = tutorial
    net = app_network("mse")
    trainer = train(net, 0.2)
    assert_same_parameters(net, params, atol=1e-10)   # measured: 2.7e-15
    np.testing.assert_allclose(net.forward(X.astype(float)).output.ravel(), FINAL_OUTPUTS,
                               atol=1e-6)
    # The loss itself is the other convention's: the mean Σ e² / N = ½ Σ e² · 2/4.
    np.testing.assert_allclose(trainer.history.loss, losses_after_each_epoch(params, losses) / 2,
                               rtol=1e-6, atol=0)
    # And at the tutorial's 0.1 mse takes half steps: a different trajectory.
    slow = app_network("mse")
    train(slow, 0.1, epochs=1000)
    ref, _, _ = tutorial_run(epochs=1000)
    assert np.max(np.abs(slow.weights[0] - ref[0].T)) > 0.01


def test_the_tutorial_project_file_holds_the_tutorial_setup(tutorial):
    project = load_project(resource_path("lessons", "xor_tutorial.bpnet"))
    net, config = project.network, project.training
    assert net.sizes == [2, 2, 1] and net.activation_names == ["sigmoid", "sigmoid"]
    assert net.loss_name == "half_sse"
    assert (config.optimizer, config.learning_rate, config.max_epochs) == ("batch", 0.1, EPOCHS)
    assert config.validation_fraction == 0.0 and len(project.history) == 0
    initial = app_network("half_sse")
    for mine, theirs in zip(net.weights + net.biases, initial.weights + initial.biases):
        assert np.array_equal(mine, theirs)          # the tutorial's draws, to the last bit
    assert project.dataset.name == "xor"
    np.testing.assert_array_equal(project.dataset.inputs, X)
    np.testing.assert_array_equal(project.dataset.targets(1), Y)
    trainer = Trainer(net, project.dataset, config)
    trainer.train()                                  # stops at max_epochs
    assert trainer.epoch == EPOCHS
    np.testing.assert_allclose(net.forward(X.astype(float)).output.ravel(), FINAL_OUTPUTS,
                               atol=1e-6)
