"""What a project file holds: the network, the dataset, training settings and history."""

from __future__ import annotations

from dataclasses import dataclass, field

from .dataset import Dataset
from .network import Network

OPTIMIZERS = ("batch", "minibatch", "sgd")
SCHEDULES = ("constant", "step")


@dataclass
class TrainingConfig:
    """How to train. `optimizer`: "batch" (all samples per step), "minibatch"
    (`batch_size` samples, reshuffled each epoch from `seed`) or "sgd" (one sample)."""

    optimizer: str = "batch"
    learning_rate: float = 0.1
    batch_size: int = 8
    momentum: float = 0.0
    l1: float = 0.0
    l2: float = 0.0
    schedule: str = "constant"
    step_every: int = 100          # step decay: multiply the rate by step_factor every N epochs
    step_factor: float = 0.5
    seed: int = 0
    init: str = "he"
    validation_fraction: float = 0.0
    max_epochs: int | None = None
    target_loss: float | None = None


@dataclass
class History:
    """Per-epoch records; validation lists hold NaN where there is no validation set."""

    epoch: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.epoch)

    def append(self, epoch: int, loss: float, accuracy: float,
               val_loss: float = float("nan"), val_accuracy: float = float("nan")) -> None:
        self.epoch.append(epoch)
        self.loss.append(loss)
        self.accuracy.append(accuracy)
        self.val_loss.append(val_loss)
        self.val_accuracy.append(val_accuracy)


@dataclass
class Project:
    network: Network
    dataset: Dataset
    training: TrainingConfig = field(default_factory=TrainingConfig)
    history: History = field(default_factory=History)
    lesson: str | None = None
    selected_sample: int = 0
