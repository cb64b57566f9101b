"""How the bundled lessons' projects (resources/lessons/*.bpnet) are made.

    .venv/bin/python -m tests.lessons.lesson_projects     # rewrite them

tests/lessons/test_bundled.py checks that the files are exactly what this builds, so the
projects can always be made again and explained.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from backprop_gui.engine.dataset import Dataset
from backprop_gui.engine.datasets import load_builtin, make_xor
from backprop_gui.engine.network import Network
from backprop_gui.engine.project import Project, TrainingConfig
from backprop_gui.engine.projectfile import dumps_project

FOLDER = Path(__file__).resolve().parents[2] / "resources" / "lessons"
DIGITS_SEED = 3     # a second hidden layer with a neuron dead on every image; ŷ₁ = 0.38 for image 1


def digits_project() -> Project:
    """Lesson 4 and 6: 4×4 images of 0 and 1, 16-6-6-2, ReLU, ReLU, softmax, mean squared error."""
    dataset = load_builtin("digits01", seed=0)
    net = Network.build([16, 6, 6, 2], ["relu", "relu", "softmax"], "mse", seed=DIGITS_SEED)
    return Project(network=net, dataset=dataset,
                   training=TrainingConfig(seed=DIGITS_SEED, learning_rate=0.5),
                   lesson="digits")


def softmax_project() -> Project:
    """Lesson 5: 2-3-3-3, ReLU, ReLU, softmax with cross-entropy, weights set by hand so
    that for sample 1 (x = [1, 1], class 2) ŷ = [0.5, 0.5, 0] (the third output is
    e⁻⁴¹·⁵/2, about 5·10⁻¹⁹) against y = [0, 1, 0]; the backward pass then carries
    [0.25, −0.25, 0] down both hidden layers (the third neuron of each is switched off by ReLU)."""
    inputs = np.array([[1.0, 1.0], [2.0, 0.0], [0.0, 2.0], [0.5, 0.5], [-1.0, 0.5], [1.5, 1.0]])
    labels = np.array([1, 0, 2, 1, 0, 2])
    dataset = Dataset("softmax", "Three classes", inputs, labels, ["A", "B", "C"], kind="points",
                      description="Six points; the first is the lesson's sample.")
    net = Network.build([2, 3, 3, 3], ["relu", "relu", "softmax"], "cross_entropy", seed=0)
    net.weights[0][:] = [[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]]
    net.biases[0][:] = [0.0, 0.0, 0.0]
    net.weights[1][:] = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.5, 1.0]]
    net.biases[1][:] = [0.0, 0.0, -2.0]
    net.weights[2][:] = [[1.0, 0.5, 0.0], [0.5, 1.0, 0.0], [-20.0, -20.0, 1.0]]
    net.biases[2][:] = [0.0, 0.0, 0.0]
    return Project(network=net, dataset=dataset,
                   training=TrainingConfig(seed=0, learning_rate=0.1), lesson="softmax")


def chain_project() -> Project:
    """Lesson 1 (and lesson 2's network slice): x → σ → σ, one neuron per layer, on one
    sample x = 1.5, y = 1, with the classic chain-rule walkthrough's parameters
    (w¹ = 0.8, b¹ = 0.1, w² = −0.6, b² = 0.3). The mean squared error of one output on one
    sample is exactly its C = (a² − y)²: C = 0.294600, ∂C/∂w² = −0.211704, ∂C/∂w¹ = 0.040806."""
    dataset = Dataset("chain", "One sample", [[1.5]], [0], ["y"], kind="table",
                      description="One input x = 1.5 and its target y = 1.", values=[[1.0]])
    net = Network([1, 1, 1], ["sigmoid", "sigmoid"], "mse",
                  [np.array([[0.8]]), np.array([[-0.6]])], [np.array([0.1]), np.array([0.3])])
    return Project(network=net, dataset=dataset,
                   training=TrainingConfig(optimizer="sgd", batch_size=1, seed=0,
                                           learning_rate=0.1, validation_fraction=0.0),
                   lesson="chain")


def chain_wide_project() -> Project:
    """Lesson 1's last pages: the chain with a second neuron in the hidden layer and in the
    output layer (1-2-2), so that ∂C/∂a¹₁ is a sum over the two neurons of the next layer.
    The first hidden neuron and the first output keep the chain's weights."""
    dataset = Dataset("chain2", "One sample, two targets", [[1.5]], [0], ["y₁ = 1", "y₂ = 1"],
                      kind="table", description="One input x = 1.5; targets y = [1, 0].",
                      values=[[1.0, 0.0]])
    net = Network([1, 2, 2], ["sigmoid", "sigmoid"], "mse",
                  [np.array([[0.8], [-0.4]]), np.array([[-0.6, 0.5], [0.7, 0.2]])],
                  [np.array([0.1, 0.2]), np.array([0.3, -0.1])])
    return Project(network=net, dataset=dataset,
                   training=TrainingConfig(optimizer="sgd", batch_size=1, seed=0,
                                           learning_rate=0.1, validation_fraction=0.0),
                   lesson="chain")


def tutorial_weights(n_hidden: int | None) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The classic NumPy XOR tutorial's draws: np.random.seed(1), then uniform draws of the
    hidden weights (2×2, [input, hidden]), the hidden bias, the output weights and bias, in
    that order; returned in the app's (n_out, n_in) layout. With n_hidden None, the same
    draws for a network without a hidden layer (weights 2×1, then the bias)."""
    np.random.seed(1)
    if n_hidden is None:
        w, b = np.random.uniform(size=(2, 1)), np.random.uniform(size=(1, 1))
        return [w.T], [b.ravel()]
    hw, hb = np.random.uniform(size=(2, n_hidden)), np.random.uniform(size=(1, n_hidden))
    ow, ob = np.random.uniform(size=(n_hidden, 1)), np.random.uniform(size=(1, 1))
    return [hw.T, ow.T], [hb.ravel(), ob.ravel()]


def _xor(sizes: list[int], loss: str, learning_rate: float) -> Project:
    weights, biases = tutorial_weights(sizes[1] if len(sizes) == 3 else None)
    net = Network(sizes, ["sigmoid"] * (len(sizes) - 1), loss, weights, biases)
    return Project(network=net, dataset=make_xor(),
                   training=TrainingConfig(optimizer="batch", learning_rate=learning_rate, seed=1,
                                           validation_fraction=0.0, max_epochs=10_000))


def xor_tutorial_project() -> Project:
    """Lesson 3: the tutorial itself, 2-2-1 sigmoid, ½ Σ (ŷ − y)² (half_sse), α = 0.1."""
    return _xor([2, 2, 1], "half_sse", 0.1)


def xor_tutorial_mse_project() -> Project:
    """Lesson 3's last page: the same start with the mean squared error, at α = 0.2 (the
    mean over 4 samples halves half_sse's gradient: 2(ŷ − y)/4), the same trajectory."""
    return _xor([2, 2, 1], "mse", 0.2)


def xor_no_hidden_project() -> Project:
    """Lesson 3: XOR without a hidden layer (2-1 sigmoid), the tutorial's seed and rate."""
    return _xor([2, 1], "half_sse", 0.1)


PROJECTS = {"digits.bpnet": digits_project, "softmax.bpnet": softmax_project,
            "chain.bpnet": chain_project, "chain_wide.bpnet": chain_wide_project,
            "xor_tutorial.bpnet": xor_tutorial_project,
            "xor_tutorial_mse.bpnet": xor_tutorial_mse_project,
            "xor_no_hidden.bpnet": xor_no_hidden_project}


def main() -> None:
    for name, build in PROJECTS.items():
        (FOLDER / name).write_text(dumps_project(build()), encoding="utf-8")
        print(f"wrote {FOLDER / name}")


if __name__ == "__main__":
    main()
