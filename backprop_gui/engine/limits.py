"""How big a project may be, and the range of every training setting: one home for both.

The loader refuses a file beyond these limits with a message naming the field, the Network
menu stops at them, the Trainer checks the same ranges and the settings' widgets take their
ranges from here, so a value one part accepts is never refused by another.

Why these numbers: a classroom laptop must open any project that loads in under two
seconds and keep training smooth. Measured offscreen on a 2-core machine: 30 layers
of 32 neurons took 1.6 s to open, a 2,048-neuron layer 1.4 s, 100,000 samples 18 s, a
compact 14 MB file of ten 1,024-wide layers 15 s; within these limits the slowest case
(784-300-100-10 with 2,000 images) opens in about 1 s. They leave room for every classic
example: 784-300-100-10 on 28×28 images, deep narrow chains that show vanishing gradients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MAX_FILE_BYTES = 20 * 1024 * 1024   # a project file, read at most this far
MAX_LAYERS = 20                      # layers after the input (19 hidden and the output)
MAX_INPUTS = 4096                    # numbers per sample: a 64×64 image
MAX_NEURONS = 1024                   # neurons in a hidden or output layer
MAX_PARAMETERS = 300_000             # weights and biases together
MAX_SAMPLES = 10_000                 # training samples, and again test samples
MAX_SEED = 2**31 - 1                 # what a spin box (a C int) can hold
MAX_EPOCHS = 1_000_000_000
# The history is bounded too: MAX_RECORDS in engine.project (it thins, rather than refuses).
MAX_RUNS = 8                         # named runs kept side by side (engine.runs), as many as
                                     # the plots' palette has colours that stay apart
MAX_RUN_NAME = 60                    # characters in a run's name (a legend entry)


@dataclass(frozen=True)
class Bound:
    """The allowed range of one numeric training setting: low … high (low excluded when
    `open_low`), whole numbers only when `integer`, None allowed when `optional`."""

    low: float
    high: float
    integer: bool = False
    optional: bool = False
    open_low: bool = False

    def contains(self, value: object) -> bool:
        if value is None:
            return self.optional
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            return False
        if self.integer and not isinstance(value, (int, np.integer)):
            return False
        x = float(value)
        if not math.isfinite(x):
            return False
        above = x > self.low if self.open_low else x >= self.low
        return above and x <= self.high

    def rule(self) -> str:
        """"must lie in 0 … 0.9" (for messages that go on with ", got …")."""
        kind = "a whole number in" if self.integer else "in"
        low = f"{_number(self.low)} (excluded)" if self.open_low else _number(self.low)
        return f"must be {kind} {low} … {_number(self.high)}"


def _number(x: float) -> str:
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:g}"


# Every numeric field of TrainingConfig; the choices (optimizer, schedule, init) are checked
# against their tuples. The widgets show these ranges (see ui/training/training_settings.py).
TRAINING_BOUNDS: dict[str, Bound] = {
    "learning_rate": Bound(1e-6, 1e6),
    "batch_size": Bound(1, MAX_SAMPLES, integer=True),
    "momentum": Bound(0.0, 0.999),
    "l1": Bound(0.0, 10.0),
    "l2": Bound(0.0, 10.0),
    "step_every": Bound(1, 1_000_000, integer=True),
    "step_factor": Bound(0.0, 10.0, open_low=True),
    "seed": Bound(0, MAX_SEED, integer=True),
    "validation_fraction": Bound(0.0, 0.9),
    "max_epochs": Bound(1, MAX_EPOCHS, integer=True, optional=True),
    "target_loss": Bound(0.0, 1000.0, optional=True),
}


# A number of a table dataset, typed in the Input panel: an input (not clipped to 0 … 1 as an
# image's ink is) or a regression target. ±1,000 leaves room for raw units (a temperature, a
# price) while the first steps of a small network stay far from overflow.
TABLE_VALUE = Bound(-1000.0, 1000.0)


def training_problem(field: str, value: object) -> str | None:
    """Why `value` cannot be the training setting `field`, or None when it can."""
    bound = TRAINING_BOUNDS.get(field)
    if bound is None or bound.contains(value):
        return None
    return f"{field.replace('_', ' ')} {bound.rule()}, got {value!r}"


def architecture_problem(sizes: list[int]) -> str | None:
    """Why a network with these layer sizes is too big for the app, or None."""
    if len(sizes) - 1 > MAX_LAYERS:
        return (f"the network has {len(sizes) - 1} layers after the input; at most "
                f"{MAX_LAYERS} are allowed")
    if sizes and sizes[0] > MAX_INPUTS:
        return f"the input layer has {sizes[0]} neurons; at most {MAX_INPUTS} are allowed"
    for i, n in enumerate(sizes[1:], start=1):
        if n > MAX_NEURONS:
            return f"layer {i} has {n} neurons; at most {MAX_NEURONS} are allowed"
    n_params = sum(a * b + b for a, b in zip(sizes, sizes[1:]))
    if n_params > MAX_PARAMETERS:
        return (f"the network has {n_params:,} weights and biases; at most "
                f"{MAX_PARAMETERS:,} are allowed")
    return None
