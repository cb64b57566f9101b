"""Compare settings: train copies of one network from the same weights, one per variant.

Train ▸ Compare… trains 2–4 variants of the current settings (batch GD against mini-batch
against SGD, two learning rates, with and without momentum, or any mix) for the same
number of epochs, each with the engine's Trainer on a copy of the same network and with the
same seed, so the curves differ only by the setting. A CompareJob does the work in slices
(`advance` stops when `should_stop()` says so and goes on where it stopped): the window
runs it a few milliseconds at a time and stays responsive. The result is one Run per
variant, exactly the history `Trainer(net.copy(), dataset, config).train(epochs=n)` gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from .dataset import Dataset
from .limits import MAX_RUNS
from .network import Network
from .project import TrainingConfig
from .runs import Run, epoch_counts
from .training import StopReason, Trainer

MIN_VARIANTS, MAX_VARIANTS = 2, 4
MAX_COMPARE_EPOCHS = 100_000
# Fields a variant may change; the others (seed, initialiser, validation split, L1/L2, the
# schedule) stay the current settings', so every variant sees the same samples in the
# same shuffled order where its batches allow.
VARIANT_FIELDS = ("optimizer", "batch_size", "learning_rate", "momentum")
PRESETS = {
    "optimizers": "Batch GD vs mini-batch vs SGD",
    "learning_rates": "Two learning rates",
    "momentum": "With and without momentum",
}


def _g(x: float) -> str:
    return f"{x:g}"


def variant_name(config: TrainingConfig) -> str:
    """A short name saying what a variant trains with, e.g. "SGD, α = 0.1"."""
    optimizer = {"batch": "Batch GD", "sgd": "SGD"}.get(
        config.optimizer, f"Mini-batch of {config.batch_size}")
    name = f"{optimizer}, α = {_g(config.learning_rate)}"
    if config.momentum:
        name += f", momentum {_g(config.momentum)}"
    return name


@dataclass(frozen=True)
class Variant:
    """One setting to compare: its name and the TrainingConfig fields it changes."""

    name: str
    changes: dict = field(default_factory=dict)

    def config(self, base: TrainingConfig) -> TrainingConfig:
        """`base` with the changes, trained for a set number of epochs (no epoch limit, no
        target loss: every variant runs as long as the others). ValueError if invalid."""
        unknown = set(self.changes) - set(VARIANT_FIELDS)
        if unknown:
            raise ValueError(f"a variant cannot change {', '.join(sorted(unknown))}")
        config = replace(base, **self.changes, max_epochs=None, target_loss=None)
        config.validate()
        return config


def preset_variants(preset: str, base: TrainingConfig) -> list[Variant]:
    """The variants of a preset (see PRESETS), around the current settings `base`."""
    if preset == "optimizers":
        changes = [{"optimizer": "batch"}, {"optimizer": "minibatch"}, {"optimizer": "sgd"}]
    elif preset == "learning_rates":
        changes = [{"learning_rate": base.learning_rate},
                   {"learning_rate": base.learning_rate / 10}]
    elif preset == "momentum":
        changes = [{"momentum": 0.0}, {"momentum": 0.9}]
    else:
        raise ValueError(f"unknown preset {preset!r} (known: {', '.join(PRESETS)})")
    return [Variant(variant_name(replace(base, **c)), c) for c in changes]


class CompareJob:
    """Trains each variant in turn on its own copy of `network`; see the module docstring."""

    def __init__(self, network: Network, dataset: Dataset, base: TrainingConfig,
                 variants: list[Variant], epochs: int) -> None:
        if not MIN_VARIANTS <= len(variants) <= MAX_VARIANTS:
            raise ValueError(f"compare {MIN_VARIANTS} to {MAX_VARIANTS} settings, "
                             f"got {len(variants)}")
        if isinstance(epochs, bool) or not isinstance(epochs, int) or \
                not 1 <= epochs <= MAX_COMPARE_EPOCHS:
            raise ValueError(f"epochs must be a whole number in 1 … {MAX_COMPARE_EPOCHS:,}, "
                             f"got {epochs!r}")
        if dataset.n_samples == 0:
            raise ValueError("the dataset has no samples to train on")
        self.network = network.copy()       # the same initial weights for every variant
        self.dataset = dataset
        self.epochs = epochs
        self.variants = list(variants)
        self.configs = [v.config(base) for v in variants]
        self.total_steps = sum(epochs * epoch_counts(dataset.n_samples, c)[0]
                               for c in self.configs)
        self.runs: list[Run] = []            # one per finished variant
        self.stops: list[StopReason | None] = []   # why each ended early (None: it did not)
        self._trainer: Trainer | None = None
        self._steps_before = 0               # steps of the variants already finished

    @property
    def done(self) -> bool:
        return len(self.runs) == len(self.variants)

    @property
    def steps_done(self) -> int:
        return self._steps_before + (self._trainer.steps if self._trainer else 0)

    @property
    def current(self) -> int:
        """The index of the variant in training (len(variants) when all are done)."""
        return len(self.runs)

    def advance(self, should_stop: Callable[[], bool] = lambda: False) -> bool:
        """Train until every variant is done (True) or `should_stop()` (False), asked after
        every weight update."""
        while not self.done:
            trainer = self._trainer
            if trainer is None:
                config = self.configs[self.current]
                trainer = self._trainer = Trainer(self.network.copy(), self.dataset, config)
            remaining = self.epochs * trainer.steps_per_epoch - trainer.steps
            if remaining > 0:
                reason = trainer.train(max_steps=remaining, should_stop=should_stop)
                if reason.code == "user":
                    return False
            self._finish(trainer)
            if should_stop():
                return self.done
        return True

    def _finish(self, trainer: Trainer) -> None:
        stopped = trainer.stopped if trainer.stopped and trainer.stopped.code == "diverged" \
            else None
        self.runs.append(Run(self.variants[self.current].name, replace(trainer.config),
                             trainer.history, updates_per_epoch=trainer.steps_per_epoch,
                             samples_per_epoch=trainer.n_samples,
                             color=len(self.runs) % MAX_RUNS))
        self.stops.append(stopped)
        # Count what the variant would have done: a divergence ends it early.
        self._steps_before += self.epochs * trainer.steps_per_epoch
        self._trainer = None
