"""Training: batch, mini-batch and stochastic gradient descent with momentum, L1/L2 and a
step learning-rate schedule, recording a History once per epoch.

The Trainer computes the math of `Network.forward`, `Network.backward` and
`Network.apply` (the tests hold one step of each equal to 1e-12) on a fast path that
builds no Step records and allocates nothing per step:

- Activations are stored as columns (features × samples), as in the textbook, with a
  last row of ones, and each layer's parameters as one block [W | b]. Then
  z = [W | b] · [a; 1] adds the bias inside the matrix product, and (∂L/∂z) · [a; 1]ᵀ
  is [∂L/∂W | ∂L/∂b] in one product as well: no broadcast add, no bias sum.
- All blocks live in one flat vector, so the update, momentum and the divergence check
  are one NumPy call each. The network's `weights[l]` and `biases[l]` become views
  into that vector (same values, updated in place), so read them through the network
  rather than keeping arrays taken before the Trainer was built.
- The learning rate and the loss's 1/N are folded into ∂L/∂z of the output layer;
  every gradient after it arrives already multiplied by α.

Steps and epochs: `step()` is one update on the next batch of the current pass over the
training set ("batch": all samples; "minibatch": `batch_size` samples of a permutation
drawn afresh each pass from a Generator seeded with `config.seed`; "sgd": one sample).
The step that uses a pass's last samples counts the epoch (and moves a "step" schedule
on), but only `run_epoch()` and `train()` evaluate and append to `history`: a step is
cheap, a GUI can call it for one update. `run_epoch()` finishes the current pass.

Regularisation: `l2` adds l2·W and `l1` adds l1·sign(W) (sign(0) = 0) to the gradient of
every weight matrix, never to a bias; that is the gradient of (l2/2)·Σ W² + l1·Σ |W|.
Reported losses (`step`, `history`, `target_loss`) are the data loss only, comparable
across settings; `penalty()` gives the regularisation term.

Divergence: a step whose loss is NaN or infinite, exceeds 1e6 × the initial loss, or
whose gradient is NaN, infinite or too large to square is not applied. Training stops
with code "diverged", the network keeps its last finite parameters, and the message
names what went wrong and what caused it: weights or inputs that were already huge
(≥ HUGE, 10⁶) when the run began, which no learning rate fixes, or else a learning rate
whose steps made the weights grow. Checking the gradient is enough: finite parameters
minus a gradient whose square is finite cannot overflow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from operator import is_
from typing import Callable

import numpy as np

from .dataset import Dataset
from .kernels import Buffers, dot
from .network import Gradients, Network
from .overflow import HUGE, largest, number_text
from .project import History, TrainingConfig

Array = np.ndarray

STOP_CODES = ("max_epochs", "target_loss", "diverged", "user", "limit")
EXPLODE_FACTOR = 1e6       # a loss this many times the initial loss counts as diverged
EXPLODE_FLOOR = 1e-2       # ... measured from at least this loss, so a trained net may wobble
EVAL_CHUNK = 4096          # samples per forward pass when evaluating; bounds buffer memory

_INF = math.inf
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_HALF = np.array(0.5)      # 0-d: NumPy handles it faster than a Python float


@dataclass(frozen=True)
class StopReason:
    """Why training stopped: `code` is one of STOP_CODES, `message` a sentence for people."""

    code: str
    message: str


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
        self._input_scale = largest([train.inputs])
        self._sizes = list(net.sizes)
        self._lr = self._scheduled_rate()
        self._init_parameters()
        self._init_kernels()

        K = self._sizes[-1]
        self._x = self._with_ones(train.inputs)
        self._yT = np.ascontiguousarray(train.targets(K).T)
        self._train_chunks = self._chunks(self._x, self._yT, train.labels)
        self._val_chunks = [] if val is None else self._chunks(
            self._with_ones(val.inputs), np.ascontiguousarray(val.targets(K).T), val.labels)

        opt = self.config.optimizer
        self._batch = self.n_samples if opt == "batch" else 1 if opt == "sgd" else \
            min(int(self.config.batch_size), self.n_samples)
        self._batch_buffers: dict[int, Buffers] = {}
        self._full_batch: Buffers | None = None
        if opt == "batch":
            self._full_batch = self._batch_buffers[self.n_samples] = (
                self._train_chunks[0] if len(self._train_chunks) == 1 else
                self._make_buffers(self.n_samples, self._x, self._yT, train.labels))
        self._shuffle = np.random.default_rng(self.config.seed)
        self._order: Array | None = None    # this pass's permutation (None: draw at next step)
        self._pos = 0                       # samples of the current pass already used
        self._primed: Buffers | None = None  # buffers whose forward pass is current
        self._primed_loss = 0.0
        self._grad_lr = 0.0                 # α of the step whose α·∇ is in _G (0: none yet)

        self._set_learning_rate(self._lr)
        with _quiet():
            self.initial_loss = self._evaluate(self._train_chunks)[0]
        base = max(self.initial_loss, EXPLODE_FLOOR)
        # A non-finite start makes the first step stop with a message instead of training.
        self._explode_at = EXPLODE_FACTOR * base if math.isfinite(base) else -_INF

    # ----- set-up ---------------------------------------------------------------------

    def _init_parameters(self) -> None:
        sizes, L = self._sizes, len(self._sizes) - 1
        shapes = [(sizes[l + 1], sizes[l] + 1) for l in range(L)]
        total = sum(r * c for r, c in shapes)
        self._P = np.empty(total)           # [W¹ | b¹], [W² | b²], … row-major
        self._G = np.empty(total)           # α × the gradient, same layout
        self._V = np.zeros(total)           # momentum velocity
        self._R = np.empty(total)           # scratch for the regularisation terms
        self._weight_mask = np.zeros(total)
        self._blocks: list[Array] = []
        self._grad_blocks: list[Array] = []
        start = 0
        for r, c in shapes:
            self._blocks.append(self._P[start:start + r * c].reshape(r, c))
            self._grad_blocks.append(self._G[start:start + r * c].reshape(r, c))
            self._weight_mask[start:start + r * c].reshape(r, c)[:, :-1] = 1.0
            start += r * c
        self._W = [B[:, :-1] for B in self._blocks]
        self._b = [B[:, -1] for B in self._blocks]
        self._adopt()

    def _adopt(self) -> None:
        """Copy the network's parameters into the flat vector and hand it back views."""
        net = self.net
        if list(net.sizes) != self._sizes or len(net.weights) != len(self._W) \
                or len(net.biases) != len(self._b):
            raise ValueError("the network's layers changed; build a new Trainer for it")
        for l, (W, b) in enumerate(zip(self._W, self._b)):
            for name, mine, theirs in (("weights", W, net.weights[l]), ("biases", b, net.biases[l])):
                arr = np.asarray(theirs, dtype=np.float64)
                if arr.shape != mine.shape:
                    raise ValueError(f"{name}[{l}] has shape {arr.shape}, expected {mine.shape}")
                if not np.isfinite(arr).all():
                    raise ValueError(f"{name}[{l}] holds NaN or infinite values")
                if arr is not mine:
                    np.copyto(mine, arr)
            net.weights[l], net.biases[l] = W, b
        self._mark_start()

    def begin_run(self) -> None:
        """Training starts from the parameters as they are now (the window calls this when
        Play or a step starts a run; a new Trainer starts from its network's): a divergence
        is explained against them, as weights already huge or as steps that made them grow."""
        self._sync()
        self._mark_start()

    def _mark_start(self) -> None:
        self._start_scale = largest([self._P])
        self._start_biases = largest(self._b)
        self._start_steps = self.steps

    def _sync(self) -> None:
        """Re-adopt if the caller replaced any parameter array since the last call."""
        net = self.net
        if not (len(net.weights) == len(self._W) and all(map(is_, net.weights, self._W))
                and all(map(is_, net.biases, self._b))):
            self._adopt()

    def _init_kernels(self) -> None:
        net = self.net
        self._identity = [act.identity for act in net.activations]
        self._forward_fns = [act.kernel.forward for act in net.activations]
        self._backward_fns = [None if act.identity else act.kernel.backward
                              for act in net.activations]
        loss = self._loss = net.loss_fn.kernel
        self._loss_value, self._loss_gradient = loss.value, loss.gradient
        # Fused: the loss kernel's gradient is already ∂L/∂z of the output layer.
        self._out_backward = None if net.fused_output else self._backward_fns[-1]
        self._single_output = self._sizes[-1] == 1

    def _with_ones(self, inputs: Array) -> Array:
        x = np.ones((inputs.shape[0], inputs.shape[1] + 1))
        x[:, :-1] = inputs
        return x

    def _make_buffers(self, n: int, x: Array | None = None, yT: Array | None = None,
                      labels: Array | None = None) -> Buffers:
        buf = Buffers(self._sizes, self._identity, n, x, yT, labels)
        L = len(self._sizes) - 1
        for l in range(1, L + 1):
            f = self._forward_fns[l - 1]
            if buf.zT[l] is buf.aT[l] or (l == L and self._loss.computes_output):
                f = None        # identity: z is a; or the loss computes the output itself
            buf.forward_plan.append((self._blocks[l - 1], buf.aT_aug[l - 1], buf.zT[l], buf.aT[l],
                                     buf.tT[l], buf.row, f))
        for l in range(L, 0, -1):
            prev = None
            if l > 1:
                prev = (self._W[l - 1].T, buf.dT[l - 1], buf.zT[l - 1], buf.aT[l - 1],
                        buf.tT[l - 1], self._backward_fns[l - 2])
            # ∂L/∂[W | b] = ∂L/∂z · [a; 1]ᵀ
            buf.backward_plan.append((buf.dT[l], buf.aT_aug[l - 1].T, self._grad_blocks[l - 1], prev))
        buf.factor = self._loss.factor(n, self._sizes[-1])
        buf.scale[()] = self._lr * buf.factor
        return buf

    def _chunks(self, x: Array, yT: Array, labels: Array) -> list[Buffers]:
        """Buffers over consecutive slices of a data set, for evaluation."""
        n = x.shape[0]
        # Labels in the dtype the accuracy compares with: no casting per epoch.
        labels = labels == 1 if self._single_output else labels.astype(np.intp)
        chunks = []
        for s in range(0, n, EVAL_CHUNK):
            e = min(s + EVAL_CHUNK, n)
            buf = self._make_buffers(e - s, x[s:e], np.ascontiguousarray(yT[:, s:e]), labels[s:e])
            buf.share = (e - s) / n
            chunks.append(buf)
        return chunks

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
        self._l2_term = lr * self.config.l2 * self._weight_mask
        self._l1_term = lr * self.config.l1 * self._weight_mask

    @property
    def steps_per_epoch(self) -> int:
        """Updates in one pass over the training set: ⌈N / batch size⌉."""
        return -(-self.n_samples // self._batch)

    @property
    def current_learning_rate(self) -> float:
        """α for the current epoch: constant, or α·factor^(epoch // step_every)."""
        return self._lr

    # ----- the hot path -------------------------------------------------------------------

    def _forward(self, buf: Buffers) -> float:
        """Forward pass and loss over `buf`, leaving what the backward pass needs."""
        for block, a_prev, z, a, t, row, f in buf.forward_plan:
            np.dot(block, a_prev, out=z)            # z = [W | b] · [a; 1]
            if f is not None:
                f(z, a, t, row)
        return self._loss_value(buf)

    def _descend(self, buf: Buffers, loss: float) -> StopReason | None:
        """Backward pass and update for the forward pass in `buf`, unless it diverges."""
        if not loss <= self._explode_at:
            return self._diverged_loss(loss)
        L = len(self._sizes) - 1
        dz = buf.dT[L]
        self._loss_gradient(buf, dz)                # α·∂L/∂z (fused) or α·∂L/∂ŷ, then f′
        if self._out_backward is not None:
            self._out_backward(buf.zT[L], buf.out, dz, buf.tT[L])
        for d, a_prev_T, grad, prev in buf.backward_plan:
            np.dot(d, a_prev_T, out=grad)
            if prev is not None:
                WT, d_prev, z, a, t, f = prev
                np.dot(WT, d, out=d_prev)
                if f is not None:
                    f(z, a, d_prev, t)
        P, G = self._P, self._G
        cfg = self.config
        if cfg.l2:
            np.multiply(P, self._l2_term, out=self._R)
            np.add(G, self._R, out=G)
        if cfg.l1:
            np.sign(P, out=self._R)
            np.multiply(self._R, self._l1_term, out=self._R)
            np.add(G, self._R, out=G)
        self._grad_lr = self._lr                    # G holds α·∇ for this α
        if not dot(G, G) < _INF:
            return self._diverged_gradient()
        if cfg.momentum:                            # v ← μv − α∇, W ← W + v
            np.multiply(self._V, cfg.momentum, out=self._V)
            np.subtract(self._V, G, out=self._V)
            np.add(P, self._V, out=P)
        else:
            np.subtract(P, G, out=P)
        return None

    def _next_batch(self) -> Buffers:
        if self._full_batch is not None:
            return self._full_batch
        if self._order is None:
            self._order = self._shuffle.permutation(self.n_samples)
        idx = self._order[self._pos:self._pos + self._batch]
        buf = self._batch_buffers.get(len(idx))
        if buf is None:
            buf = self._batch_buffers[len(idx)] = self._make_buffers(len(idx))
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

    def _evaluate(self, chunks: list[Buffers]) -> tuple[float, float]:
        """(loss, accuracy) over the samples in `chunks`; (NaN, NaN) without samples."""
        if not chunks:
            return math.nan, math.nan
        loss, correct, total = 0.0, 0, 0
        for buf in chunks:
            # Losses are means over samples, so chunks weigh in by their share of samples.
            loss += self._forward(buf) * buf.share
            if self._single_output:             # one output: "1" when ŷ > 0.5
                np.greater(buf.out_flat, _HALF, out=buf.hit)
                np.equal(buf.hit, buf.labels, out=buf.hit)
            else:                               # several: the largest output
                buf.out.argmax(axis=0, out=buf.guess)   # the method: no wrapper, ~1 µs less
                np.equal(buf.guess, buf.labels, out=buf.hit)
            correct += int(np.count_nonzero(buf.hit))
            total += buf.n
        if not total:
            return math.nan, math.nan
        return loss, correct / total

    def evaluate(self) -> tuple[float, float, float, float]:
        """(loss, accuracy, validation loss, validation accuracy) for the current parameters."""
        self._sync()
        self._primed = None
        with _quiet():
            return (*self._evaluate(self._train_chunks), *self._evaluate(self._val_chunks))

    def last_gradients(self) -> Gradients | None:
        """∂L/∂W and ∂L/∂b (regularisation included) of the most recent step, as new
        arrays, or None before the first step. After a divergence, the rejected step's."""
        if not self._grad_lr:
            return None
        blocks = [B / self._grad_lr for B in self._grad_blocks]
        L = len(blocks)
        return Gradients([B[:, :-1].copy() for B in blocks], [B[:, -1].copy() for B in blocks],
                         [None] * (L + 1), [None] * (L + 1))

    def penalty(self) -> float:
        """The regularisation term (l2/2)·Σ W² + l1·Σ |W| over all weights (not biases)."""
        self._sync()
        w = self._P[self._weight_mask == 1.0]
        return 0.5 * self.config.l2 * float(np.dot(w, w)) + self.config.l1 * float(np.abs(w).sum())

    def _record(self) -> tuple[float, float, float, float]:
        """Evaluate after a finished pass and append the epoch to the history."""
        loss, acc = self._evaluate(self._train_chunks)
        if self._full_batch is self._train_chunks[0]:
            # This forward pass is also the next step's: let that step reuse it.
            self._primed, self._primed_loss = self._full_batch, loss
        val_loss, val_acc = self._evaluate(self._val_chunks)
        self.history.append(self.epoch, loss, acc, val_loss, val_acc)
        if not loss <= self._explode_at:
            self.stopped = self._diverged_loss(loss, evaluated=True)
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

    # ----- divergence messages --------------------------------------------------------------

    def _advice(self) -> str:
        """What caused the divergence and what to do, after the sentence saying what happened."""
        lr, start, data = self._lr, self._start_scale, self._input_scale
        kept = " The weights were kept at their last finite values."
        if data >= HUGE and data > start:
            return (f" The inputs are huge (up to {number_text(data)}): the gradients of the "
                    f"first layer's weights are as large, so even the learning rate {lr:g} "
                    "takes steps far too large. Scale the inputs down." + kept)
        if start >= HUGE:
            what = "biases" if self._start_biases == start else "weights"
            return (f" The {what} were already huge before training: the largest was "
                    f"{number_text(start)}. Their gradients are huge too, so even the learning "
                    f"rate {lr:g} takes steps far too large, and a lower one would not help. "
                    "Re-initialise the weights, or make them smaller." + kept)
        steps = self.steps - self._start_steps
        if steps:
            which = "first step" if steps == 1 else f"{steps} steps"
            grew = (f"its {which} made the largest weight grow from {number_text(start)} to "
                    f"{number_text(largest([self._P]))}")
        else:
            grew = "its very first step is too large for these weights"
        # A tenth of a usual rate; a tenth of an absurd one (10⁶) is still absurd.
        lower = lr / 10 if lr <= 10 else TrainingConfig().learning_rate
        return (f" The learning rate {lr:g} is too high: {grew}. Try a lower learning rate, "
                f"such as {lower:g}." + kept)

    def _where(self) -> str:
        return f"at step {self.steps + 1} (epoch {self.epoch + 1})"

    def _diverged_loss(self, loss: float, evaluated: bool = False) -> StopReason:
        kind = "NaN (not a number)" if math.isnan(loss) else "infinite"
        if not math.isfinite(self.initial_loss):
            weights, data = largest([self._P]), self._input_scale
            if not data <= weights:     # NaN inputs (only a program can give them) too
                why = (f"the inputs are too large (up to {number_text(data)}). Scale the "
                       "inputs down.")
            else:
                why = (f"the weights are too large (up to {number_text(weights)}). "
                       "Re-initialise the weights, or make them smaller.")
            return StopReason("diverged", (
                f"The loss of the starting weights is already {kind}, an overflow: {why}"))
        when = f"after epoch {self.epoch}" if evaluated else self._where()
        what = "the loss on the training set" if evaluated else "the loss"
        if math.isfinite(loss):
            text = (f"Training diverged: {what} exploded from {number_text(self.initial_loss, 4)} "
                    f"to {number_text(loss, 4)} {when}.")
        else:
            text = f"Training diverged: {what} became {kind} {when}."
        return StopReason("diverged", text + self._advice())

    def _diverged_gradient(self) -> StopReason:
        # The checked vector is the update α·∂L/∂θ (plus regularisation), not ∂L/∂θ alone.
        what = "the update (learning rate × gradient) grew too large to apply"
        parts = ((name, l, part) for l, block in enumerate(self._grad_blocks, start=1)
                 for name, part in (("W", block[:, :-1]), ("b", block[:, -1])))
        for name, l, part in parts:
            if not np.isfinite(part).all():
                p = f"{name}{str(l).translate(_SUPERSCRIPTS)}"
                what = f"the update of {p} (learning rate × ∂L/∂{p}) became infinite or NaN"
                break
        return StopReason("diverged", f"Training diverged: {what} {self._where()}." + self._advice())
