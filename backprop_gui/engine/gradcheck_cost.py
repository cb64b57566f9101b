"""Why backpropagation: the cost of finite differences against backprop, timed on this computer.

Estimating every gradient by central differences nudges each of the P parameters by ±ε and
runs the network twice: 2·P forward passes. Backprop gets all P gradients from one forward
and one backward pass. `measure_cost` times both for a network on given data and
`cost_ladder` does it for networks of growing size, so the ratio (which grows like P) is
seen growing. The finite-difference passes are the real thing (a parameter nudged, the loss
computed, the parameter put back), timed until all 2·P are done or `budget` seconds have
passed; in the second case the time of all 2·P is the time per pass so far times 2·P, and
`measured_passes` says how many were timed. Backprop is timed as the median of a few runs.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .limits import architecture_problem
from .network import Network

Array = np.ndarray

BACKPROP_REPEATS = 7
LADDER_WIDTHS = (2, 8, 32, 128)   # the hidden layer of the networks in the table


@dataclass(frozen=True)
class CostFigures:
    """Finite differences against backprop for one network on one batch of data."""

    sizes: tuple[int, ...]
    n_parameters: int
    forward_passes: int            # 2·P: what finite differences need
    measured_passes: int           # of those, how many were run and timed
    finite_difference_seconds: float   # for all 2·P (estimated when measured_passes < 2·P)
    backprop_seconds: float        # one forward and one backward pass
    backprop_forward_passes: int = 1
    backprop_backward_passes: int = 1

    @property
    def estimated(self) -> bool:
        """True when the finite-difference time is extrapolated from a part of the passes."""
        return self.measured_passes < self.forward_passes

    @property
    def ratio(self) -> float:
        """How many times faster backprop is (∞ when its time was below the clock's tick)."""
        if self.backprop_seconds <= 0:
            return float("inf")
        return self.finite_difference_seconds / self.backprop_seconds


def _nudged_passes(net: Network, X: Array, Y: Array, eps: float, deadline: float) -> int:
    """Run the central-difference passes in order until done or past `deadline`; how many
    forward passes ran. Each parameter is put back exactly (the saved value itself)."""
    done = 0
    for param in (*net.weights, *net.biases):
        for idx in np.ndindex(param.shape):
            original = param[idx]
            try:
                param[idx] = original + eps
                net.loss(net.forward(X), Y)
                param[idx] = original - eps
                net.loss(net.forward(X), Y)
            finally:
                param[idx] = original
            done += 2
            if time.perf_counter() > deadline:
                return done
    return done


def _backprop_seconds(net: Network, X: Array, Y: Array, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        trace = net.forward(X)
        net.loss(trace, Y)
        net.backward(trace, Y, input_gradient=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure_cost(net: Network, X: Array, Y: Array, budget: float = 0.05, eps: float = 1e-6,
                 repeats: int = BACKPROP_REPEATS) -> CostFigures:
    """Time 2·P forward passes of finite differences against one forward + one backward pass
    of backprop for `net` on (X, Y); `net` itself is not touched (a copy is nudged)."""
    work = net.copy()
    P = work.n_parameters
    with np.errstate(all="ignore"):    # a huge network's overflow is not what is measured
        start = time.perf_counter()
        done = _nudged_passes(work, X, Y, eps, start + budget)
        elapsed = time.perf_counter() - start
        backprop = _backprop_seconds(work, X, Y, repeats)
    return CostFigures(sizes=tuple(net.sizes), n_parameters=P, forward_passes=2 * P,
                       measured_passes=done,
                       finite_difference_seconds=elapsed * (2 * P) / max(done, 1),
                       backprop_seconds=backprop)


def ladder_networks(net: Network, widths: tuple[int, ...] = LADDER_WIDTHS) -> list[Network]:
    """Networks like `net` (its inputs, outputs, output activation and loss) with one hidden
    layer of each width, for the table of how the ratio grows with the size; widths that
    would pass the app's limits (engine.limits) are left out."""
    hidden = next((name for name in net.activation_names[:-1]
                   if not ACTIVATIONS[name].output_only), "tanh")
    ladder = []
    for width in widths:
        sizes = [net.sizes[0], width, net.sizes[-1]]
        if architecture_problem(sizes) is None:
            ladder.append(Network.build(sizes, [hidden, net.activation_names[-1]],
                                        net.loss_name, seed=0))
    return ladder


def cost_ladder(net: Network, X: Array, Y: Array, budget: float = 0.02,
                widths: tuple[int, ...] = LADDER_WIDTHS) -> list[CostFigures]:
    """`measure_cost` for each of `ladder_networks(net, widths)`, smallest first."""
    return [measure_cost(n, X, Y, budget) for n in ladder_networks(net, widths)]
