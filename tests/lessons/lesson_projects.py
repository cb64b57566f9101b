"""How the bundled lessons' projects (resources/lessons/*.bpnet) are made.

    .venv/bin/python -m tests.lessons.lesson_projects     # rewrite them

tests/lessons/test_bundled.py checks that the files are exactly what this builds, so the
projects can always be made again and explained.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from backprop_gui.engine.dataset import Dataset
from backprop_gui.engine.datasets import load_builtin
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


PROJECTS = {"digits.bpnet": digits_project, "softmax.bpnet": softmax_project}


def main() -> None:
    for name, build in PROJECTS.items():
        (FOLDER / name).write_text(dumps_project(build()), encoding="utf-8")
        print(f"wrote {FOLDER / name}")


if __name__ == "__main__":
    main()
