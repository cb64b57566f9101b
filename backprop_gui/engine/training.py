"""Training: batch, mini-batch and stochastic gradient descent with momentum, L1/L2 and a
step learning-rate schedule, recording a History once per epoch.

The Trainer computes the math of `Network.forward`, `Network.backward` and
`Network.apply` (tests/engine/test_kernels.py holds a step of each equal, for every
activation and loss) on a fast path that builds no Step records and allocates nothing
per step: the in-place kernels of the activation and loss records (engine.kernels) run
over buffers of columns by a BatchPass (engine.batch_pass), and the parameters are one
flat vector (engine.parameters), so the network's `weights[l]` and `biases[l]` become
views into it: read them through the network rather than keeping arrays taken before the
Trainer was built.

Steps and epochs: `step()` is one update on the next batch of the current pass over the
training set ("batch": all samples; "minibatch": `batch_size` samples of a permutation
drawn afresh each pass from a Generator seeded with `config.seed`; "sgd": one sample).
The step that uses a pass's last samples counts the epoch (and moves a "step" schedule
on), but only `run_epoch()` and `train()` evaluate and append to `history`: a step is
cheap, a GUI can call it for one update. `run_epoch()` finishes the current pass.

Regularisation (L1 and L2 on the weights, see engine.parameters) is in the update, but
reported losses (`step`, `history`, `target_loss`) are the data loss only, comparable
across settings; `penalty()` gives the regularisation term.

Divergence (see engine.divergence): a step whose loss explodes or whose update overflows
is not applied; training stops with code "diverged" and a message saying why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from .batch_pass import BatchPass, with_ones
from .dataset import Dataset
from .divergence import STOP_CODES, Divergence, StopReason, explode_threshold
from .kernels import Buffers
from .network import Gradients, Network
from .overflow import largest
from .parameters import FlatParameters
from .project import History, TrainingConfig
from .runs import batch_length

__all__ = ["STOP_CODES", "EpochResult", "StopReason", "Trainer"]

Array = np.ndarray


@dataclass(frozen=True)
class EpochResult:
    """What `run_epoch` did. If training diverged, `stopped` says so; an epoch cut short
    by it is not recorded and its numbers are NaN."""

    epoch: int
    steps: int
    loss: float
    accuracy: float
    val_loss: float
    val_accuracy: float
    learning_rate: float
    stopped: StopReason | None = None


def _quiet() -> np.errstate:
    """Overflow to inf and 0/0 happen on the way to divergence, which the Trainer detects
    and explains itself; NumPy's warnings would only repeat it less clearly."""
    return np.errstate(all="ignore")


# ----- the trainer --------------------------------------------------------------------------

def _is_whole(v: object, least: int) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= least


class Trainer:
    """Trains `net` in place on `dataset` as `config` says; see the module docstring.

    The config is copied when the Trainer is built: to change a setting, build a new one.
    `epoch` counts completed passes over the training set, `steps` applied updates;
    `history` gains one record per epoch finished by `run_epoch` or `train` (pass an
    existing History to continue it: epochs then count on from its last record).
    """

    def __init__(self, net: Network, dataset: Dataset, config: TrainingConfig,
                 history: History | None = None) -> None:
        config.validate()
        self.net = net
        self.config = replace(config)
        self.history = History() if history is None else history
        self.epoch = self.history.epoch[-1] if len(self.history) else 0
        self.steps = 0
        self.stopped: StopReason | None = None

        if dataset.n_inputs != net.sizes[0]:
            raise ValueError(f"the dataset has {dataset.n_inputs} inputs per sample but the "
                             f"network's input layer has {net.sizes[0]} neurons")
        train, val = dataset.split(config.validation_fraction, config.seed)
        if train.n_samples == 0:
            raise ValueError("no training samples are left after the validation split")
        self.train_set, self.validation_set = train, val
        self.n_samples = train.n_samples
        self._sizes = list(net.sizes)
        self._lr = self._scheduled_rate()
        self._params = FlatParameters(net, self.config)
        self._divergence = Divergence(self._params, largest([train.inputs]))
        fast = self._pass = BatchPass(net, self._params)
        # Bound once: the hot path then calls them without looking them up.
        self._forward, self._backward, self._evaluate = fast.forward, fast.backward, fast.evaluate

        K = self._sizes[-1]
        self._x = with_ones(train.inputs)
        self._yT = np.ascontiguousarray(train.targets(K).T)
        # A regression table has no classes: no labels, no accuracy (NaN).
        def labels(ds: Dataset) -> Array | None:
            return None if ds.is_regression else ds.labels

        self._train_chunks = fast.chunks(self._x, self._yT, labels(train), self._lr)
        self._val_chunks = [] if val is None else fast.chunks(
            with_ones(val.inputs), np.ascontiguousarray(val.targets(K).T), labels(val), self._lr)

        opt = self.config.optimizer
        self._batch = batch_length(self.config, self.n_samples)
        self._batch_buffers: dict[int, Buffers] = {}
        self._full_batch: Buffers | None = None
        if opt == "batch":
            self._full_batch = self._batch_buffers[self.n_samples] = (
                self._train_chunks[0] if len(self._train_chunks) == 1 else
                fast.buffers(self.n_samples, self._lr, self._x, self._yT, labels(train)))
        self._shuffle = np.random.default_rng(self.config.seed)
        self._order: Array | None = None    # this pass's permutation (None: draw at next step)
        self._pos = 0                       # samples of the current pass already used
        self._primed: Buffers | None = None  # buffers whose forward pass is current
        self._primed_loss = 0.0
        self._grad_lr = 0.0                 # α of the step whose α·∇ is in G (0: none yet)

        self._set_learning_rate(self._lr)
        with _quiet():
            self.initial_loss = self._evaluate(self._train_chunks)[0]
        self._divergence.initial_loss = self.initial_loss
        self._explode_at = explode_threshold(self.initial_loss)

    # ----- set-up ---------------------------------------------------------------------

    def begin_run(self) -> None:
        """Training starts from the parameters as they are now (the window calls this when
        Play or a step starts a run; a new Trainer starts from its network's): a divergence
        is explained against them, as weights already huge or as steps that made them grow."""
        self._sync()
        self._divergence.mark_start(self.steps)

    def _sync(self) -> None:
        """Re-adopt if the caller replaced any parameter array since the last call: the
        run then starts again from them, for the divergence messages."""
        if not self._params.held_by(self.net):
            self._params.adopt(self.net)
            self._divergence.mark_start(self.steps)

    def _all_buffers(self) -> list[Buffers]:
        return [*self._train_chunks, *self._val_chunks, *self._batch_buffers.values()]

    # ----- learning rate ----------------------------------------------------------------

    def _scheduled_rate(self) -> float:
        c = self.config
        if c.schedule == "step":
            return c.learning_rate * c.step_factor ** (self.epoch // c.step_every)
        return c.learning_rate

    def _set_learning_rate(self, lr: float) -> None:
        self._lr = lr
        for buf in self._all_buffers():
            buf.scale[()] = lr * buf.factor
        self._params.set_rate(lr)

    @property
    def steps_per_epoch(self) -> int:
        """Updates in one pass over the training set: ⌈N / batch size⌉."""
        return -(-self.n_samples // self._batch)

    @property
    def current_learning_rate(self) -> float:
        """α for the current epoch: constant, or α·factor^(epoch // step_every)."""
        return self._lr

    # ----- the hot path -------------------------------------------------------------------

    def _descend(self, buf: Buffers, loss: float) -> StopReason | None:
        """Backward pass and update for the forward pass in `buf`, unless it diverges."""
        if not loss <= self._explode_at:
            return self._divergence.of_loss(loss, self._lr, self.steps, self.epoch)
        self._backward(buf)
        self._grad_lr = self._lr                    # G holds α·∇ for this α
        if not self._params.update():
            return self._divergence.of_update(self._lr, self.steps, self.epoch)
        return None

    def _next_batch(self) -> Buffers:
        if self._full_batch is not None:
            return self._full_batch
        if self._order is None:
            self._order = self._shuffle.permutation(self.n_samples)
        idx = self._order[self._pos:self._pos + self._batch]
        buf = self._batch_buffers.get(len(idx))
        if buf is None:
            buf = self._batch_buffers[len(idx)] = self._pass.buffers(len(idx), self._lr)
        np.take(self._x, idx, axis=0, out=buf.x, mode="clip")    # "clip": unbuffered
        np.take(self._yT, idx, axis=1, out=buf.yT, mode="clip")
        return buf

    def _step(self, reuse: bool) -> tuple[float, bool]:
        """One update; (batch loss, whether it finished a pass). Sets `stopped` on divergence."""
        buf = self._next_batch()
        if reuse and self._primed is buf:
            loss = self._primed_loss
        else:
            loss = self._forward(buf)
        self._primed = None
        reason = self._descend(buf, loss)
        if reason is not None:
            self.stopped = reason
            return loss, False
        self.steps += 1
        self._pos += buf.n
        if self._pos < self.n_samples:
            return loss, False
        self._pos, self._order = 0, None
        self.epoch += 1
        if self.config.schedule != "constant":
            lr = self._scheduled_rate()
            if lr != self._lr:
                self._set_learning_rate(lr)
        return loss, True

    # ----- evaluation ---------------------------------------------------------------------

    def evaluate(self) -> tuple[float, float, float, float]:
        """(loss, accuracy, validation loss, validation accuracy) for the current parameters."""
        self._sync()
        self._primed = None
        with _quiet():
            return (*self._evaluate(self._train_chunks), *self._evaluate(self._val_chunks))

    def last_gradients(self) -> Gradients | None:
        """∂L/∂W and ∂L/∂b (regularisation included) of the most recent step, as new
        arrays, or None before the first step. After a divergence, the rejected step's."""
        return self._params.gradients(self._grad_lr) if self._grad_lr else None

    def penalty(self) -> float:
        """The regularisation term (l2/2)·Σ W² + l1·Σ |W| over all weights (not biases)."""
        self._sync()
        return self._params.penalty()

    def _record(self) -> tuple[float, float, float, float]:
        """Evaluate after a finished pass and append the epoch to the history."""
        loss, acc = self._evaluate(self._train_chunks)
        if self._full_batch is self._train_chunks[0]:
            # This forward pass is also the next step's: let that step reuse it.
            self._primed, self._primed_loss = self._full_batch, loss
        val_loss, val_acc = self._evaluate(self._val_chunks)
        self.history.append(self.epoch, loss, acc, val_loss, val_acc)
        if not loss <= self._explode_at:
            self.stopped = self._divergence.of_loss(loss, self._lr, self.steps, self.epoch,
                                                    evaluated=True)
        return loss, acc, val_loss, val_acc

    # ----- public driving -------------------------------------------------------------------

    def _begin(self) -> None:
        self._sync()
        self.stopped = None
        self._primed = None

    def step(self) -> float:
        """One optimisation step on the next mini-batch; returns that batch's loss.

        A step never evaluates or records history (only `run_epoch`/`train` do), but a
        step that uses the last samples of a pass counts the epoch. If the step would
        diverge it is not applied and `stopped` says why.
        """
        self._begin()
        with _quiet():
            return self._step(reuse=False)[0]

    def run_epoch(self) -> EpochResult:
        """Finish the current pass over the training data (a whole pass at an epoch
        boundary), then evaluate and record the epoch."""
        self._begin()
        with _quiet():
            return self._run_epoch()

    def _run_epoch(self) -> EpochResult:
        start = self.steps
        while True:
            _, finished = self._step(reuse=True)
            if self.stopped is not None:
                nan = math.nan
                return EpochResult(self.epoch, self.steps - start, nan, nan, nan, nan,
                                   self._lr, self.stopped)
            if finished:
                return EpochResult(self.epoch, self.steps - start, *self._record(), self._lr,
                                   self.stopped)

    def train(self, epochs: int | None = None, *, max_steps: int | None = None,
              should_stop: Callable[[], bool] | None = None) -> StopReason:
        """Train until config.max_epochs, config.target_loss, divergence, `epochs` more
        epochs, `max_steps` more steps or `should_stop()` returning True (asked after every
        step; it must not change the network). Returns the reason, also kept in `stopped`.
        """
        cfg = self.config
        for name, v in (("epochs", epochs), ("max_steps", max_steps)):
            if v is not None and not _is_whole(v, 0):
                raise ValueError(f"{name} must be a whole number ≥ 0, got {v!r}")
        if epochs is None and max_steps is None and should_stop is None and cfg.max_epochs is None:
            raise ValueError("train() needs a limit: epochs, max_steps, should_stop or "
                             "config.max_epochs")
        self._begin()
        with _quiet():
            reason = self._train(epochs, max_steps, should_stop)
        self.stopped = reason
        return reason

    def _train(self, epochs: int | None, max_steps: int | None,
               should_stop: Callable[[], bool] | None) -> StopReason:
        cfg = self.config
        epoch0, steps0 = self.epoch, self.steps
        while True:
            if cfg.max_epochs is not None and self.epoch >= cfg.max_epochs and self._pos == 0:
                reason = StopReason("max_epochs", f"Reached the maximum of {cfg.max_epochs} epochs.")
                break
            if epochs is not None and self.epoch - epoch0 >= epochs and self._pos == 0:
                reason = StopReason("limit", f"Trained the requested {epochs} epochs.")
                break
            if max_steps is not None and self.steps - steps0 >= max_steps:
                reason = StopReason("limit", f"Took the requested {max_steps} steps.")
                break
            _, finished = self._step(reuse=True)
            if self.stopped is not None:
                return self.stopped
            if finished:
                loss = self._record()[0]
                if self.stopped is not None:
                    return self.stopped
                if cfg.target_loss is not None and loss <= cfg.target_loss:
                    reason = StopReason("target_loss", (
                        f"The training loss {loss:.4g} reached the target "
                        f"{cfg.target_loss:g} after {self.epoch} epochs."))
                    break
            if should_stop is not None and should_stop():
                reason = StopReason("user", "Stopped on request.")
                break
        return reason
