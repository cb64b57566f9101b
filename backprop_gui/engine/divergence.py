"""Why training stopped, and when a step counts as diverged, in sentences for people.

Divergence: a step whose loss is NaN or infinite, exceeds EXPLODE_FACTOR × the initial
loss, or whose update is NaN, infinite or too large to square is not applied. Training
stops with code "diverged", the network keeps its last finite parameters, and the message
names what went wrong and what caused it: weights or inputs that were already huge
(≥ HUGE, 10⁶) when the run began, which no learning rate fixes, or else a learning rate
whose steps made the weights grow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .overflow import HUGE, largest, number_text
from .parameters import FlatParameters
from .notation import symbol
from .project import TrainingConfig

STOP_CODES = ("max_epochs", "target_loss", "diverged", "user", "limit")
EXPLODE_FACTOR = 1e6       # a loss this many times the initial loss counts as diverged
EXPLODE_FLOOR = 1e-2       # ... measured from at least this loss, so a trained net may wobble

@dataclass(frozen=True)
class StopReason:
    """Why training stopped: `code` is one of STOP_CODES, `message` a sentence for people."""

    code: str
    message: str


def explode_threshold(initial_loss: float) -> float:
    """The loss beyond which a step counts as diverged. A non-finite initial loss gives
    −∞: the first step then stops with a message instead of training."""
    base = max(initial_loss, EXPLODE_FLOOR)
    return EXPLODE_FACTOR * base if math.isfinite(base) else -math.inf


class Divergence:
    """Explains a divergence of training on `params` against where the run began
    (`mark_start`); `input_scale` is the largest |input| of the training set.
    `lr`, `steps` and `epoch` are the Trainer's when it happened."""

    def __init__(self, params: FlatParameters, input_scale: float) -> None:
        self.params = params
        self.input_scale = input_scale
        self.initial_loss = math.nan
        self.mark_start(0)

    def mark_start(self, steps: int) -> None:
        """A run begins now, after `steps` steps, from the parameters as they are."""
        self.start_scale = largest([self.params.P])
        self.start_biases = largest(self.params.b)
        self.start_steps = steps

    def of_loss(self, loss: float, lr: float, steps: int, epoch: int,
                evaluated: bool = False) -> StopReason:
        kind = "NaN (not a number)" if math.isnan(loss) else "infinite"
        if not math.isfinite(self.initial_loss):
            weights, data = largest([self.params.P]), self.input_scale
            if not data <= weights:     # NaN inputs (only a program can give them) too
                why = (f"the inputs are too large (up to {number_text(data)}). Scale the "
                       "inputs down.")
            else:
                why = (f"the weights are too large (up to {number_text(weights)}). "
                       "Re-initialise the weights, or make them smaller.")
            return StopReason("diverged", (
                f"The loss of the starting weights is already {kind}, an overflow: {why}"))
        when = f"after epoch {epoch}" if evaluated else _where(steps, epoch)
        what = "the loss on the training set" if evaluated else "the loss"
        if math.isfinite(loss):
            text = (f"Training diverged: {what} exploded from {number_text(self.initial_loss, 4)} "
                    f"to {number_text(loss, 4)} {when}.")
        else:
            text = f"Training diverged: {what} became {kind} {when}."
        return StopReason("diverged", text + self._advice(lr, steps))

    def of_update(self, lr: float, steps: int, epoch: int) -> StopReason:
        # The checked vector is the update α·∂L/∂θ (plus regularisation), not ∂L/∂θ alone.
        what = "the update (learning rate × gradient) grew too large to apply"
        parts = ((name, l, part) for l, block in enumerate(self.params.grad_blocks, start=1)
                 for name, part in (("W", block[:, :-1]), ("b", block[:, -1])))
        for name, l, part in parts:
            if not np.isfinite(part).all():
                p = symbol(name, l)
                what = f"the update of {p} (learning rate × ∂L/∂{p}) became infinite or NaN"
                break
        return StopReason("diverged", f"Training diverged: {what} {_where(steps, epoch)}."
                          + self._advice(lr, steps))

    def _advice(self, lr: float, steps: int) -> str:
        """What caused the divergence and what to do, after the sentence saying what happened."""
        start, data = self.start_scale, self.input_scale
        kept = " The weights were kept at their last finite values."
        if data >= HUGE and data > start:
            return (f" The inputs are huge (up to {number_text(data)}): the gradients of the "
                    f"first layer's weights are as large, so even the learning rate {lr:g} "
                    "takes steps far too large. Scale the inputs down." + kept)
        if start >= HUGE:
            what = "biases" if self.start_biases == start else "weights"
            return (f" The {what} were already huge before training: the largest was "
                    f"{number_text(start)}. Their gradients are huge too, so even the learning "
                    f"rate {lr:g} takes steps far too large, and a lower one would not help. "
                    "Re-initialise the weights, or make them smaller." + kept)
        taken = steps - self.start_steps
        if taken:
            which = "first step" if taken == 1 else f"{taken} steps"
            grew = (f"its {which} made the largest weight grow from {number_text(start)} to "
                    f"{number_text(largest([self.params.P]))}")
        else:
            grew = "its very first step is too large for these weights"
        # A tenth of a usual rate; a tenth of an absurd one (10⁶) is still absurd.
        lower = lr / 10 if lr <= 10 else TrainingConfig().learning_rate
        return (f" The learning rate {lr:g} is too high: {grew}. Try a lower learning rate, "
                f"such as {lower:g}." + kept)


def _where(steps: int, epoch: int) -> str:
    return f"at step {steps + 1} (epoch {epoch + 1})"
