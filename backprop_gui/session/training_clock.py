"""TrainingClock: trains the session's network in time slices that fit in a frame.

A QTimer fires on a 16 ms grid; each tick runs as many Trainer steps as fit in a time
budget (the FramePacer keeps it to what the views leave of the frame), then tells the
session the parameters changed and emits `progressed` once, so views redraw at most once
per frame.

The Trainer trains `session.network` in place. A run is one undo entry (see
training_commands): pushed when the run first trains, retitled ("Train epochs 1–50") when
it pauses; undoing it returns the network and the loss history to where the run began.
"""

from __future__ import annotations

import dataclasses
import math
from time import perf_counter

import numpy as np
from PySide6.QtCore import QAbstractEventDispatcher, QObject, Qt, QTimer, Signal

from ..engine.network import Gradients, Network
from ..engine.limits import training_problem
from ..engine.project import History, spread_out
from ..engine.training import Trainer
from .frame_pacer import FramePacer
from .session import NO_SAMPLES, Session
from .snapshots import SnapshotStore
from .commands import Weak
from .training_commands import RetitleRun, SetTrainingSettingCommand, TrainingStateCommand

SPEEDS: tuple[float | None, ...] = (1, 5, 20, 100, None)   # epochs per second; None: no limit
MAX_GRADIENT_POINTS = 20_000
DISPLAY_GRADIENT_SAMPLES = 512  # samples for ∂L/∂W when no training step has been taken


def step_gradients(trainer: Trainer) -> Gradients | None:
    """∂L/∂W and ∂L/∂b (regularisation included) of the trainer's last step, as new arrays."""
    return trainer.last_gradients()


def gradient_rms(grads: Gradients) -> np.ndarray:
    """The root mean square of each layer's ∂L/∂W (NaN or ∞ once a gradient overflowed).

    Each layer is divided by its largest |value| before squaring: a gradient past 10¹⁵⁴,
    which training may still apply with a small learning rate, would otherwise square to ∞."""
    return np.array([_rms(g) for g in grads.dW])


def _rms(g: np.ndarray) -> float:
    largest = float(np.max(np.abs(g))) if g.size else 0.0
    if largest == 0.0 or not math.isfinite(largest):
        return largest
    return largest * math.sqrt(float(np.mean(np.square(g / largest))))


def epoch_range_text(first: int, last: int, steps: int) -> str:
    """The undo entry's name: "Train epoch 5", "Train epochs 1–50" or "Train 3 steps"."""
    if last < first:
        return f"Train {steps} step{'s' if steps != 1 else ''}"
    return f"Train epoch {last}" if first == last else f"Train epochs {first}–{last}"


class TrainingClock(QObject):
    """Play, pause and step training of the session's network; keeps snapshots for replay."""

    progressed = Signal()            # training moved on (at most once per frame)
    # The open run's undo command: the undo stack owns it (see commands.Weak).
    _run_command = Weak()
    running_changed = Signal(bool)
    diverged = Signal(str)           # the loss or gradient blew up: the reason and advice
    stopped = Signal(str)            # training stopped by itself (limit, target, change)
    failed = Signal(str)             # the settings cannot be trained with
    history_reset = Signal()         # the history was replaced (undo, reset, new project)
    settings_changed = Signal()      # a training setting changed (edit, undo or redo)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.speed: float | None = None
        self.pacer = FramePacer()
        self.snapshots = SnapshotStore()
        self.divergence: str | None = None
        self._running = False
        # Single-shot, re-armed after each tick for the rest of the frame: the views then
        # always paint between two ticks, even when a frame runs long.
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.tick)
        self._trainer: Trainer | None = None
        self._trainer_inputs: tuple | None = None
        self._data_version = 0
        self._last_slice = 0.0               # how long the last tick trained
        self._dispatcher: QAbstractEventDispatcher | None = None
        self._owed = 0.0
        self._last_owed_time: float | None = None
        self._partial_epoch = False
        self._goal_epoch: int | None = None
        self._start_kind = "play"
        self._emitting = False
        self._run_ids = 0
        self._run_id = 0                 # the open run's id (0: none)
        self._run_command = None
        self._run_kind = ""
        self._run_first_epoch = 0
        self._run_first_step = 0
        self._last_gradients: Gradients | None = None
        self._display_gradients: Gradients | None = None
        self._last_good: tuple[int, int, list[np.ndarray], list[np.ndarray]] | None = None
        self.gradient_epochs: list[int] = []
        self.gradient_rms: list[np.ndarray] = []
        self.snapshots.clear(session.network)
        session.structure_changed.connect(self._on_structure_changed)
        session.dataset_changed.connect(self._on_dataset_changed)
        session.parameters_changed.connect(self._on_parameters_changed)
        session.project_replaced.connect(self._on_project_replaced)

    # ----- state -----------------------------------------------------------------------------

    @property
    def budget(self) -> float:
        """The training time of a tick, in seconds (adapted as frames go by)."""
        return self.pacer.budget

    @property
    def is_running(self) -> bool:
        return self._running

    @property
    def history(self) -> History:
        return self.session.project.history

    @property
    def epoch(self) -> int:
        h = self.history
        return h.epoch[-1] if len(h) else 0

    @property
    def trainer(self) -> Trainer | None:
        return self._trainer

    @property
    def can_restore_last_good(self) -> bool:
        return self.divergence is not None and self._last_good is not None

    def gradients(self) -> Gradients | None:
        """The gradients to show: the last step's, else over (up to 512 of) the training set."""
        if self._last_gradients is not None:
            return self._last_gradients
        if self._display_gradients is None:
            net, ds = self.session.network, self.session.dataset
            if ds.n_samples == 0:
                return None
            n = min(ds.n_samples, DISPLAY_GRADIENT_SAMPLES)
            try:
                Y = ds.targets(net.sizes[-1], ds.labels[:n])
                with np.errstate(all="ignore"):
                    self._display_gradients = net.gradients(ds.inputs[:n], Y)[1]
            except ValueError:
                return None
        return self._display_gradients

    @property
    def gradients_from_step(self) -> bool:
        return self._last_gradients is not None

    # ----- commands ----------------------------------------------------------------------------

    def play(self) -> None:
        if self._running:
            return
        self._goal_epoch = None
        self._start()

    def toggle(self) -> None:
        self.pause() if self._running else self.play()

    def pause(self) -> None:
        self._halt(retitle=True)

    def _halt(self, retitle: bool) -> None:
        # No retitle (a push) while an undo command runs: pushing inside undo or redo
        # would re-enter the undo stack. The run's text is kept current anyway.
        if not self._running:
            return
        self._running = False
        self._timer.stop()
        self._watch_idle(False)
        self._goal_epoch = None
        if retitle:
            self._retitle_run()
        self.running_changed.emit(False)

    def step_epoch(self) -> None:
        """Train until the current epoch is complete (one whole epoch at an epoch boundary)."""
        self.pause()
        trainer = self._ensure_trainer()
        if trainer is None:
            return
        self._goal_epoch = trainer.epoch + 1
        self._start(kind="step")

    def step_batch(self) -> None:
        """One optimisation step on the next mini-batch (one sample for SGD, all for batch)."""
        self.pause()
        trainer = self._ensure_trainer()
        if trainer is None or not self._may_train(trainer):
            return
        self.divergence = None
        self._open_run("step")
        before = (trainer.steps, trainer.epoch)
        reason = trainer.train(max_steps=1)
        self._after_training(trainer, before, reason)
        self._retitle_run()

    def reset(self) -> None:
        """Fresh weights from the seed and an empty history, as one undo step."""
        self.pause()
        stack = self.session.undo_stack
        stack.beginMacro(f"Reset training (seed {self.session.training.seed})")
        try:
            self.session.reinitialise()
            stack.push(TrainingStateCommand(self, "Clear loss history", self.session.network,
                                            History()))
        finally:
            stack.endMacro()
        self._run_id = 0
        self.divergence = None

    def restore_last_good(self) -> bool:
        """Return to the parameters of the last tick before training diverged (undoable)."""
        if self._last_good is None:
            return False
        epoch, n_records, weights, biases = self._last_good
        net = self.session.network
        good = Network(net.sizes, net.activation_names, net.loss_name, weights, biases)
        history = self.history.prefix(n_records)
        self.pause()
        self.session.undo_stack.push(TrainingStateCommand(
            self, f"Restore last good weights (epoch {epoch})", good, history))
        self.divergence = None
        return True

    def restore_snapshot(self, epoch: int) -> bool:
        """Go back to the snapshot at `epoch`: its weights, and the history up to it (undoable)."""
        snap = self.snapshots.snapshot_at(epoch)
        net = self.session.network
        if snap is None or [W.shape for W in snap.weights] != [W.shape for W in net.weights]:
            return False
        self.pause()
        n_records = sum(1 for e in self.history.epoch if e <= snap.epoch)
        self.session.undo_stack.push(TrainingStateCommand(
            self, f"Go back to epoch {snap.epoch}", snap.network_like(self.session.network),
            self.history.prefix(n_records)))
        return True

    def set_speed(self, epochs_per_second: float | None) -> None:
        self.speed = epochs_per_second
        self._owed = 0.0

    def set_setting(self, field: str, value, text: str | None = None) -> None:
        """Change one TrainingConfig field (one undo step; edits of one field merge)."""
        names = {f.name for f in dataclasses.fields(self.session.training)}
        if field not in names:
            raise ValueError(f"unknown training setting {field!r}")
        problem = training_problem(field, value)
        if problem:
            raise ValueError(problem[0].upper() + problem[1:])
        if getattr(self.session.training, field) == value:
            return
        label = field.replace("_", " ")
        self.session.undo_stack.push(SetTrainingSettingCommand(
            self, field, value, text or f"Set {label} to {value}"))

    # ----- the time slice ----------------------------------------------------------------------

    def _start(self, kind: str = "play") -> None:
        trainer = self._ensure_trainer()
        if trainer is None or not self._may_train(trainer):
            return
        self.divergence = None
        self._start_kind = kind
        self._running = True
        self.pacer.restart()
        self._watch_idle(True)
        self._last_owed_time = None
        self._owed = 1.0 if self.speed is not None else 0.0  # the first epoch comes at once
        self.running_changed.emit(True)
        self.tick()

    def _may_train(self, trainer: Trainer) -> bool:
        limit = self.session.training.max_epochs
        if limit is not None and trainer.epoch >= limit:
            self.stopped.emit(f"Already trained {trainer.epoch} epochs, the limit set under "
                              f"“Stop after”. Raise the limit or reset the training to go on.")
            return False
        return True

    def tick(self) -> None:
        """One frame's worth of training (the timer calls it; tests may call it directly)."""
        if not self._running:
            return
        start = perf_counter()
        self._last_slice = 0.0
        try:
            self._train_slice(start, self.pacer.begin(start))
        finally:
            if self._running:
                self._timer.start(self.pacer.end(perf_counter(), trained=self._last_slice > 0))

    def _watch_idle(self, on: bool) -> None:
        """While running, tell the pacer each time the event loop is about to wait."""
        if on and self._dispatcher is None:
            self._dispatcher = QAbstractEventDispatcher.instance(self.thread())
            if self._dispatcher is not None:
                self._dispatcher.aboutToBlock.connect(self._loop_waiting)
        elif not on and self._dispatcher is not None:
            self._dispatcher.aboutToBlock.disconnect(self._loop_waiting)
            self._dispatcher = None

    def _loop_waiting(self) -> None:
        self.pacer.loop_waiting(perf_counter())

    def _train_slice(self, start: float, budget: float) -> None:
        trainer = self._ensure_trainer()
        if trainer is None:
            return
        epochs = self._epochs_this_tick(trainer, start)
        if epochs == 0:
            return
        self._open_run(self._start_kind)
        deadline = start + budget
        before = (trainer.steps, trainer.epoch)
        reason = trainer.train(epochs=epochs, should_stop=lambda: perf_counter() >= deadline)
        self._last_slice = perf_counter() - start
        done = trainer.epoch - before[1]
        self._partial_epoch = reason.code == "user" and (epochs is None or done < epochs)
        if self.speed is not None:
            self._owed = max(0.0, self._owed - done)
        self._after_training(trainer, before, reason)
        if self._running and self._goal_epoch is not None and trainer.epoch >= self._goal_epoch:
            self.pause()

    def _epochs_this_tick(self, trainer: Trainer, now: float) -> int | None:
        """Whole epochs to train now: None for no limit, 0 to wait for the next tick."""
        if self._goal_epoch is not None:
            return max(1, self._goal_epoch - trainer.epoch)
        if self.speed is None:
            return None
        if self._last_owed_time is not None:
            self._owed += self.speed * (now - self._last_owed_time)
        self._last_owed_time = now
        # After a stall, catch up a quarter of a second at most rather than in one burst.
        self._owed = min(self._owed, max(1.0, self.speed * 0.25))
        want = int(self._owed)
        if want == 0 and self._partial_epoch:
            return 1
        return want

    def _after_training(self, trainer: Trainer, before: tuple[int, int], reason) -> None:
        steps = trainer.steps - before[0]
        if steps:
            grads = step_gradients(trainer)
            if grads is not None:
                self._last_gradients = grads
                self._record_gradient_size(trainer.epoch, grads)
            self._display_gradients = None
            net = self.session.network
            if reason.code != "diverged" and self.snapshots.wants(trainer.epoch):
                self.snapshots.add(trainer.epoch, self._latest_loss(), net, grads)
            if reason.code != "diverged":
                self._remember_good(trainer.epoch)
            self._name_run()
            self._emitting = True
            try:
                self.session.parameters_updated_in_place()
            finally:
                self._emitting = False
            self.progressed.emit()
        if reason.code == "diverged":
            self.divergence = reason.message
            self.pause()
            self.diverged.emit(reason.message)
        elif reason.code in ("max_epochs", "target_loss"):
            self.pause()
            self.stopped.emit(reason.message)

    def _latest_loss(self) -> float:
        return self.history.loss[-1] if len(self.history) else float("nan")

    def _record_gradient_size(self, epoch: int, grads: Gradients) -> None:
        if self.gradient_epochs and self.gradient_epochs[-1] == epoch:
            self.gradient_rms[-1] = gradient_rms(grads)
            return
        self.gradient_epochs.append(int(epoch))
        self.gradient_rms.append(gradient_rms(grads))
        if len(self.gradient_epochs) > MAX_GRADIENT_POINTS:
            # One point per span of epochs, evenly spread: halving every point each time
            # instead left the start of a long run (where gradients vanish or explode)
            # with fewer and fewer points.
            keep = spread_out(self.gradient_epochs, 0, len(self.gradient_epochs),
                              MAX_GRADIENT_POINTS // 2)
            self.gradient_epochs = [self.gradient_epochs[i] for i in keep]
            self.gradient_rms = [self.gradient_rms[i] for i in keep]

    def _remember_good(self, epoch: int) -> None:
        net = self.session.network
        self._last_good = (epoch, len(self.history), [W.copy() for W in net.weights],
                           [b.copy() for b in net.biases])

    # ----- the trainer and the open run --------------------------------------------------------

    def _ensure_trainer(self) -> Trainer | None:
        s = self.session
        inputs = (s.network, s.dataset, s.project.history, self._data_version,
                  dataclasses.astuple(s.training))
        t = self._trainer_inputs
        if (self._trainer is not None and t is not None and t[0] is inputs[0]
                and t[1] is inputs[1] and t[2] is inputs[2] and t[3:] == inputs[3:]):
            return self._trainer
        if not s.has_samples:
            self.pause()
            self.failed.emit(f"Nothing to train on. {NO_SAMPLES}.")
            return None
        try:
            self._trainer = Trainer(s.network, s.dataset, s.training, history=s.project.history)
        except ValueError as exc:
            self._trainer = None
            self._trainer_inputs = None
            self.pause()
            self.failed.emit(f"Cannot train: {exc}.")
            return None
        self._trainer_inputs = inputs
        self._partial_epoch = False
        if self._last_good is None or self._last_good[2][0].shape != s.network.weights[0].shape:
            self._remember_good(self.epoch)
        return self._trainer

    def _open_run(self, kind: str) -> None:
        """Make sure the top undo command is this run's (push a new one if not)."""
        stack = self.session.undo_stack
        top = stack.command(stack.index() - 1) if stack.index() > 0 else None
        if (self._run_id and kind == self._run_kind and isinstance(top, TrainingStateCommand)
                and top.run_id == self._run_id and stack.index() != stack.cleanIndex()
                and stack.index() == stack.count()):
            return
        self._run_ids += 1
        self._run_id = self._run_ids
        self._run_kind = kind
        trainer = self._trainer
        if trainer is not None:
            trainer.begin_run()     # a divergence is explained against where this run began
        self._run_first_epoch = (trainer.epoch if trainer else self.epoch) + 1
        self._run_first_step = trainer.steps if trainer else 0
        self._last_good = None
        self._remember_good(self.epoch)
        command = TrainingStateCommand(self, "Train the network", run_id=self._run_id)
        stack.push(command)
        self._run_command = command
        if self.snapshots.wants(self.epoch):
            # Where this run starts, so the history slider can go back to it.
            loss = self._latest_loss() if len(self.history) else (
                trainer.initial_loss if trainer else float("nan"))
            self.snapshots.add(self.epoch, loss, self.session.network, self.gradients())

    def _run_text(self) -> str:
        steps = (self._trainer.steps - self._run_first_step) if self._trainer else 0
        return epoch_range_text(self._run_first_epoch, self.epoch, steps)

    def _name_run(self) -> None:
        """Keep the open run's name current ("Train epochs 1–37") after every slice."""
        command = self._run_command
        if command is None or not self._run_id:
            return
        try:
            command.setText(self._run_text())
        except RuntimeError:  # the stack deleted it (dropped from the redo list)
            self._run_command = None

    def _retitle_run(self) -> None:
        """Show the open run's name on the Undo action: merge a retitle into it (QUndoStack
        announces the new text only when its top command changes or merges)."""
        stack = self.session.undo_stack
        top = stack.command(stack.index() - 1) if stack.index() > 0 else None
        if (not self._run_id or not isinstance(top, TrainingStateCommand)
                or top.run_id != self._run_id or stack.index() == stack.cleanIndex()
                or stack.index() != stack.count()):
            return
        stack.push(RetitleRun(self._run_text(), self._run_id))

    # ----- called by the undo commands -----------------------------------------------------------

    def _apply_state(self, net: Network, history: History) -> None:
        self._halt(retitle=False)
        self.session.project.history = history
        self._last_gradients = None
        self._display_gradients = None
        self.divergence = None
        self._trim_to_history()
        self.session._set_network(net)
        self.history_reset.emit()

    def _apply_setting(self, field: str, value) -> None:
        setattr(self.session.training, field, value)
        self.settings_changed.emit()

    def _trim_to_history(self) -> None:
        last = self.epoch
        self.snapshots.truncate_after(last)
        keep = [i for i, e in enumerate(self.gradient_epochs) if e <= last]
        self.gradient_epochs = [self.gradient_epochs[i] for i in keep]
        self.gradient_rms = [self.gradient_rms[i] for i in keep]

    # ----- session signals ---------------------------------------------------------------------

    def _stop_for_change(self, what: str) -> None:
        if self._running:
            self._halt(retitle=False)
            self.stopped.emit(f"Training paused: {what}.")

    def _on_structure_changed(self) -> None:
        self._stop_for_change("the network's layers changed")
        net = self.session.network
        if self.gradient_rms and len(self.gradient_rms[-1]) != net.n_layers:
            self.gradient_epochs, self.gradient_rms = [], []
        if self.snapshots.snapshots and [W.shape for W in self.snapshots.snapshots[0].weights] \
                != [W.shape for W in net.weights]:
            self.snapshots.clear(net)
        self._last_gradients = None
        self._last_good = None

    def _on_dataset_changed(self) -> None:
        self._data_version += 1
        self._display_gradients = None
        self._stop_for_change("the dataset changed")

    def _on_parameters_changed(self) -> None:
        if self._emitting:
            return
        self._display_gradients = None
        if self._trainer is not None and self._trainer.net is not self.session.network:
            self._stop_for_change("the weights were replaced")

    def _on_project_replaced(self) -> None:
        self._halt(retitle=False)
        self._run_command = None
        self._trainer = None
        self._trainer_inputs = None
        self._run_id = 0
        self._last_gradients = None
        self._display_gradients = None
        self._last_good = None
        self.divergence = None
        self.snapshots.clear(self.session.network)
        self.gradient_epochs, self.gradient_rms = [], []
        self.history_reset.emit()
        self.settings_changed.emit()

