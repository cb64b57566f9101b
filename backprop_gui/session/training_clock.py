"""TrainingClock: plays, pauses and steps training of the session's network in time slices
that fit in a frame, and tells the views about each frame.

A QTimer fires on a 16 ms grid; each tick runs as many Trainer steps as fit in a time
budget (the FramePacer keeps it to what the views leave of the frame). The Trainer trains
`session.network` in place. What training leaves behind besides the network (the run's
undo entry, snapshots, the last good weights, gradients) is kept by `clock.recorder`, a
RunRecorder.

The training-frame protocol
---------------------------
After each tick that trained (and after One Batch) the clock

1. has changed `session.network` in place and appended each finished epoch to
   `session.project.history`;
2. emits the session's `parameters_changed` and `values_changed`, as any edit does, so a
   view of the network's values follows training with nothing more (if its drawing is
   costly it paces its repaints with ui.throttle.Throttle);
3. emits `frame` once, last, with a TrainingFrame: the epoch and steps reached, whether an
   epoch ended in this frame, and whether the frames stream.

While `streaming` is True, the next frame follows within STREAM_GAP_S: faster than anyone
reads. A view may then draw for speed, leave out or delay what cannot be read at that pace,
and be inexact. When a stream ends (Pause, the end of One Epoch, a stop or divergence, a
change of the project, a slower speed), one more frame comes with `streaming` False, and the
view then draws everything exactly. A frame may also come with `streaming` False on its own
(One Batch, a slow speed): draw it exactly. A view never needs to know how the clock paces
itself: to join live training it connects a slot to `frame`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from time import perf_counter

from PySide6.QtCore import QAbstractEventDispatcher, QObject, Qt, QTimer, Signal

from ..engine.training import Trainer
from .frame_pacer import FramePacer, SpeedLimit
from .run_recorder import RunRecorder
from .session import NO_SAMPLES, Session

SPEEDS: tuple[float | None, ...] = (1, 5, 10, 20, 100, None)   # epochs per second; None: no limit
# The speed the training controls start at. A first Play is watched, not just run: on the
# default project the loss falls from 0.60 to 0.05 in ~60 epochs and the accuracy reaches
# 100 % at epoch 30, so 10 epochs a second shows that fall over six seconds (without a limit
# it is over within the first frames).
DEFAULT_SPEED: float | None = 10
STREAM_GAP_S = 0.1     # frames closer together than this are a stream (see the protocol)


@dataclass(frozen=True)
class TrainingFrame:
    """One training frame, as views hear of it (see the protocol in the module docstring)."""

    epoch: int            # epochs trained so far
    steps: int            # optimisation steps taken since the trainer was made
    epoch_ended: bool     # an epoch ended in this frame: the history has a new record
    streaming: bool       # the next frame follows within STREAM_GAP_S: draw for speed


class TrainingClock(QObject):
    """Play, pause and step training of the session's network."""

    frame = Signal(object)           # a TrainingFrame (see the protocol above)
    running_changed = Signal(bool)
    diverged = Signal(str)           # the loss or gradient blew up: the reason and advice
    stopped = Signal(str)            # training stopped by itself (limit, target, change)
    failed = Signal(str)             # the settings cannot be trained with
    settings_changed = Signal()      # a training setting changed (edit, undo or redo)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.recorder = RunRecorder(session, self)
        self.pacer = FramePacer()
        self.speed_limit = SpeedLimit()   # no limit until a control sets DEFAULT_SPEED
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
        self._goal_epoch: int | None = None
        self._start_kind = "play"
        self._emitting = False
        self._last_frame: TrainingFrame | None = None
        self.recorder.replacing.connect(self._on_replacing)
        session.structure_changed.connect(self._on_structure_changed)
        session.dataset_changed.connect(self._on_dataset_changed)
        session.parameters_changed.connect(self._on_parameters_changed)
        session.project_replaced.connect(self._on_project_replaced)
        session.training_changed.connect(self.settings_changed)

    # ----- state -----------------------------------------------------------------------------

    @property
    def budget(self) -> float:
        """The training time of a tick, in seconds (adapted as frames go by)."""
        return self.pacer.budget

    @property
    def is_running(self) -> bool:
        return self._running

    @property
    def speed(self) -> float | None:
        """Epochs per second (None: as fast as the frames allow)."""
        return self.speed_limit.speed

    @property
    def epoch(self) -> int:
        """The epochs trained (the history's last epoch)."""
        return self.recorder.epoch

    @property
    def trainer(self) -> Trainer | None:
        return self._trainer

    @property
    def can_restore_last_good(self) -> bool:
        return self.divergence is not None and self.recorder.has_last_good

    # ----- commands ----------------------------------------------------------------------------

    def play(self) -> None:
        if self._running:
            return
        self._goal_epoch = None
        self._start()

    def toggle(self) -> None:
        self.pause() if self._running else self.play()

    def pause(self) -> None:
        self._halt(show_run_name=True)

    def _halt(self, show_run_name: bool) -> None:
        # `show_run_name` False: an undo command runs, or a change that pushes its own
        # entry; the stack then announces its new top itself.
        if not self._running:
            return
        self._running = False
        self._timer.stop()
        self._watch_idle(False)
        self._goal_epoch = None
        if show_run_name:
            self.recorder.show_run_name()
        self._end_stream()
        self.running_changed.emit(False)

    def step_epoch(self, epochs: int = 1) -> None:
        """Train until the current epoch is complete (one whole epoch at an epoch boundary),
        and `epochs` − 1 more (a lesson's "run 100 epochs")."""
        self.pause()
        trainer = self._ensure_trainer()
        if trainer is None:
            return
        self._goal_epoch = trainer.epoch + max(1, int(epochs))
        self._start(kind="step")

    def step_batch(self) -> None:
        """One optimisation step on the next mini-batch (one sample for SGD, all for batch)."""
        self.pause()
        trainer = self._ensure_trainer()
        if trainer is None or not self._may_train(trainer):
            return
        self.divergence = None
        self.recorder.open_run("step", trainer)
        before = (trainer.steps, trainer.epoch)
        reason = trainer.train(max_steps=1)
        self._after_training(trainer, before, reason)
        self.recorder.show_run_name()

    def reset(self) -> None:
        """Fresh weights from the seed and an empty history, as one undo step."""
        self.pause()
        self.recorder.reset()
        self.divergence = None

    def restore_last_good(self) -> bool:
        """Return to the parameters of the last tick before training diverged (undoable)."""
        if not self.recorder.has_last_good:
            return False
        self.pause()
        self.recorder.restore_last_good()
        self.divergence = None
        return True

    def restore_snapshot(self, epoch: int) -> bool:
        """Go back to the snapshot at `epoch`: its weights, and the history up to it (undoable)."""
        snap = self.recorder.snapshot_to_restore(epoch)
        if snap is None:
            return False
        self.pause()
        self.recorder.restore_snapshot(snap)
        return True

    def set_speed(self, epochs_per_second: float | None) -> None:
        self.speed_limit.set_speed(epochs_per_second)
        if self._running and not self._streams():
            self._end_stream()

    def set_setting(self, field: str, value, text: str | None = None) -> None:
        """Change one TrainingConfig field (see Session.set_training_setting)."""
        self.session.set_training_setting(field, value, text)

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
        self.speed_limit.restart()
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
        self.recorder.open_run(self._start_kind, trainer)
        deadline = start + budget
        before = (trainer.steps, trainer.epoch)
        reason = trainer.train(epochs=epochs, should_stop=lambda: perf_counter() >= deadline)
        self._last_slice = perf_counter() - start
        done = trainer.epoch - before[1]
        stopped_inside = reason.code == "user" and (epochs is None or done < epochs)
        self.speed_limit.partial_epoch = stopped_inside
        self.speed_limit.trained(done)
        goal_reached = self._goal_epoch is not None and trainer.epoch >= self._goal_epoch
        self._after_training(trainer, before, reason, last=goal_reached)
        if self._running and goal_reached:
            self.pause()

    def _epochs_this_tick(self, trainer: Trainer, now: float) -> int | None:
        """Whole epochs to train now: None for no limit, 0 to wait for the next tick."""
        if self._goal_epoch is not None:
            return max(1, self._goal_epoch - trainer.epoch)
        return self.speed_limit.epochs(now)

    def _after_training(self, trainer: Trainer, before: tuple[int, int], reason,
                        last: bool = False) -> None:
        """Record the slice, tell the views (the protocol above), stop if training must.
        `last`: the slice reached the step's goal, the clock pauses next."""
        stops = reason.code in ("diverged", "max_epochs", "target_loss")
        if trainer.steps > before[0]:
            self.recorder.record(trainer, diverged=reason.code == "diverged")
            self._emitting = True
            try:
                self.session.parameters_updated_in_place()
            finally:
                self._emitting = False
            streaming = self._running and not (stops or last) and self._streams()
            self._emit_frame(TrainingFrame(trainer.epoch, trainer.steps,
                                           trainer.epoch > before[1], streaming))
        if reason.code == "diverged":
            self.divergence = reason.message
            self.pause()
            self.diverged.emit(reason.message)
        elif stops:
            self.pause()
            self.stopped.emit(reason.message)

    def _streams(self) -> bool:
        """Whether the next frame follows within STREAM_GAP_S (while running)."""
        return self._goal_epoch is not None or self.speed_limit.next_within(STREAM_GAP_S)

    def _emit_frame(self, frame: TrainingFrame) -> None:
        self._last_frame = frame
        self.frame.emit(frame)

    def _end_stream(self) -> None:
        """After streamed frames, the exact one the protocol promises."""
        last = self._last_frame
        if last is not None and last.streaming:
            self._emit_frame(dataclasses.replace(last, epoch_ended=False, streaming=False))

    # ----- the trainer -------------------------------------------------------------------------

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
        self.speed_limit.partial_epoch = False
        self.recorder.ensure_last_good()
        return self._trainer

    # ----- called by the recorder and the undo commands ----------------------------------------

    def _on_replacing(self) -> None:
        """An undo, redo or reset replaces the network and the history: stop training."""
        self._halt(show_run_name=False)
        self.divergence = None


    # ----- session signals ---------------------------------------------------------------------

    def _stop_for_change(self, what: str) -> None:
        if self._running:
            self._halt(show_run_name=False)
            self.stopped.emit(f"Training paused: {what}.")

    def _on_structure_changed(self) -> None:
        self._stop_for_change("the network's layers changed")
        self.recorder.network_reshaped()

    def _on_dataset_changed(self) -> None:
        self._data_version += 1
        self.recorder.drop_display_gradients()
        self._stop_for_change("the dataset changed")

    def _on_parameters_changed(self) -> None:
        if self._emitting:
            return
        self.recorder.drop_display_gradients()
        if self._trainer is not None and self._trainer.net is not self.session.network:
            self._stop_for_change("the weights were replaced")

    def _on_project_replaced(self) -> None:
        self._halt(show_run_name=False)
        self._trainer = None
        self._trainer_inputs = None
        self.divergence = None
        self.recorder.forget()
        self.settings_changed.emit()
