"""What the views read off the open project: the forward and backward passes of the input
shown (the selected sample or the Try it input) and the forward pass of the whole dataset,
each computed once per change.

The Session owns one DerivedValues and calls `invalidate` on every change of what they depend
on (network, dataset, the input shown). It holds no link back to the session: the project (or
the network and the input) is passed in with every question.
"""

from __future__ import annotations

import numpy as np

from ..engine.network import Gradients, Network, Trace
from ..engine.project import Project

# A project file may hold a dataset with no samples (the format allows it).
NO_SAMPLES = "No samples yet: add one with + Add or choose a built-in dataset"


class NoSamplesError(ValueError):
    """Asked for the selected sample of a dataset that has none."""

    def __init__(self) -> None:
        super().__init__(NO_SAMPLES)


def sample_input(project: Project) -> np.ndarray:
    """The selected sample's inputs; NoSamplesError when the dataset has none."""
    if project.dataset.n_samples == 0:
        raise NoSamplesError()
    return project.dataset.inputs[project.selected_sample]


def sample_target(project: Project) -> np.ndarray:
    """The selected sample's target row; NoSamplesError when the dataset has none."""
    dataset, i = project.dataset, project.selected_sample
    if dataset.n_samples == 0:
        raise NoSamplesError()
    return dataset.targets(project.network.sizes[-1], slice(i, i + 1))[0]


class DerivedValues:
    """The passes of one project, cached until `invalidate`."""

    def __init__(self) -> None:
        self.revision = 0
        self._trace: Trace | None = None
        self._gradients: Gradients | None = None
        self._dataset_trace: Trace | None = None

    def invalidate(self, sample_only: bool = False) -> None:
        """Something they depend on changed (with `sample_only`, only the selected sample)."""
        self.revision += 1
        self._trace = None
        self._gradients = None
        if not sample_only:
            self._dataset_trace = None

    def trace(self, network: Network, x: np.ndarray) -> Trace:
        """The forward pass of the input shown, `x` (the session's `sample_input()`)."""
        if self._trace is None:
            self._trace = network.forward(x)
        return self._trace

    def gradients(self, network: Network, x: np.ndarray, y: np.ndarray) -> Gradients:
        if self._gradients is None:
            self._gradients = network.backward(self.trace(network, x), y)
        return self._gradients

    def dataset_trace(self, project: Project) -> Trace:
        if self._dataset_trace is None:
            self._dataset_trace = project.network.forward(project.dataset.inputs)
        return self._dataset_trace

    def dead_neurons(self, project: Project, layer: int) -> np.ndarray:
        net, dataset = project.network, project.dataset
        if not net.activations[layer - 1].dead_below_zero or dataset.n_samples == 0:
            return np.zeros(net.sizes[layer], dtype=bool)
        return np.all(self.dataset_trace(project).a[layer] <= 0.0, axis=0)

    def loss_on_dataset(self, project: Project) -> float:
        net, dataset = project.network, project.dataset
        if dataset.n_samples == 0:
            raise NoSamplesError()
        return net.loss(self.dataset_trace(project), dataset.targets(net.sizes[-1]))
