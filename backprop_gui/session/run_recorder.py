"""RunRecorder: what training leaves behind, apart from the trained network itself.

- One undo entry per run (training_commands.TrainingStateCommand): pushed when the run first
  trains, named after the epochs it trained ("Train epochs 1–50"); undoing it returns the
  network and the loss history to where the run began.
- Snapshots of the parameters for the history slider (SnapshotStore).
- The last good weights, to go back to after training diverged.
- The gradients of the last step, and the size of each layer's gradient over time.

The TrainingClock trains and tells the recorder what happened: `open_run` before a slice
trains, `record` after it took steps, `show_run_name` when the run pauses. The recorder
never trains and never starts or stops the clock: before an undo, a redo or a reset replaces
the network and the history, it emits `replacing`, and the clock stops.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from ..engine.network import Gradients, Network
from ..engine.project import History
from ..engine.training import Trainer
from .commands import Weak
from .gradient_sizes import GradientSizes
from .session import Session
from .snapshots import Snapshot, SnapshotStore
from .training_commands import TrainingStateCommand

DISPLAY_GRADIENT_SAMPLES = 512  # samples for ∂L/∂W when no training step has been taken


def epoch_range_text(first: int, last: int, steps: int) -> str:
    """The undo entry's name: "Train epoch 5", "Train epochs 1–50" or "Train 3 steps"."""
    if last < first:
        return f"Train {steps} step{'s' if steps != 1 else ''}"
    return f"Train epoch {last}" if first == last else f"Train epochs {first}–{last}"


class RunRecorder(QObject):
    """The record of the session's training: undo entries, snapshots, gradients."""

    replacing = Signal()         # an undo, redo or reset is about to replace network and history
    history_reset = Signal()     # the history was replaced (undo, reset, new project)
    # The open run's undo command: the undo stack owns it (see commands.Weak).
    _run_command = Weak()

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.snapshots = SnapshotStore()
        self.gradient_sizes = GradientSizes()
        self._run_ids = 0
        self._run_id = 0                 # the open run's id (0: none)
        self._run_command = None
        self._run_kind = ""
        self._run_first_epoch = 0
        self._run_first_step = 0
        self._last_gradients: Gradients | None = None
        self._display_gradients: Gradients | None = None
        self._last_good: tuple[int, int, list[np.ndarray], list[np.ndarray]] | None = None
        self.snapshots.clear(session.network)

    @property
    def history(self) -> History:
        return self.session.project.history

    @property
    def epoch(self) -> int:
        h = self.history
        return h.epoch[-1] if len(h) else 0

    # ----- gradients ---------------------------------------------------------------------------

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
                Y = ds.targets(net.sizes[-1], slice(0, n))
                with np.errstate(all="ignore"):
                    self._display_gradients = net.gradients(ds.inputs[:n], Y)[1]
            except ValueError:
                return None
        return self._display_gradients

    @property
    def gradients_from_step(self) -> bool:
        return self._last_gradients is not None

    def drop_display_gradients(self) -> None:
        """The parameters or the data changed: the training set's gradients are out of date."""
        self._display_gradients = None

    # ----- recording a run ---------------------------------------------------------------------

    def open_run(self, kind: str, trainer: Trainer) -> None:
        """Make sure the top undo command is this run's (push a new one if not). `kind`:
        "play" or "step"; a run of another kind starts a new entry."""
        stack = self.session.undo_stack
        top = stack.command(stack.index() - 1) if stack.index() > 0 else None
        if (self._run_id and kind == self._run_kind and isinstance(top, TrainingStateCommand)
                and top.run_id == self._run_id and top.is_open_run
                and stack.index() != stack.cleanIndex()
                and stack.index() == stack.count()):
            return
        self._run_ids += 1
        self._run_id = self._run_ids
        self._run_kind = kind
        trainer.begin_run()     # a divergence is explained against where this run began
        self._run_first_epoch = trainer.epoch + 1
        self._run_first_step = trainer.steps
        self._last_good = None
        self._remember_good(self.epoch)
        command = TrainingStateCommand(self, "Train the network", run_id=self._run_id)
        stack.push(command)
        self._run_command = command
        if self.snapshots.wants(self.epoch):
            # Where this run starts, so the history slider can go back to it.
            loss = self._latest_loss() if len(self.history) else trainer.initial_loss
            self.snapshots.add(self.epoch, loss, self.session.network, self.gradients())

    def record(self, trainer: Trainer, diverged: bool) -> None:
        """A slice of the open run took steps: keep its gradients, a snapshot when one is
        due, the weights as the last good ones (unless it diverged), and the run's name."""
        grads = trainer.last_gradients()
        if grads is not None:
            self._last_gradients = grads
            self.gradient_sizes.record(trainer.epoch, grads)
        self._display_gradients = None
        if not diverged:
            if self.snapshots.wants(trainer.epoch):
                self.snapshots.add(trainer.epoch, self._latest_loss(), self.session.network,
                                   grads)
            self._remember_good(trainer.epoch)
        self._name_run(trainer.steps - self._run_first_step)

    def _name_run(self, steps: int) -> None:
        """Keep the open run's name current ("Train epochs 1–37") after every slice."""
        command = self._run_command
        if command is None or not self._run_id:
            return
        try:
            command.setText(epoch_range_text(self._run_first_epoch, self.epoch, steps))
        except RuntimeError:  # the stack deleted it (dropped from the redo list)
            self._run_command = None

    def show_run_name(self) -> None:
        """Show the open run's name on the Undo action, if the run is what Undo undoes.

        QUndoStack announces a new undo text only when its top command changes, not when
        the top command renames itself; its listeners (the window's Undo action) hear it
        from here, through the stack's own signal."""
        stack = self.session.undo_stack
        top = stack.command(stack.index() - 1) if stack.index() > 0 else None
        if self._run_id and isinstance(top, TrainingStateCommand) and top.run_id == self._run_id:
            stack.undoTextChanged.emit(stack.undoText())

    def end_run(self) -> None:
        """The next slice starts a new undo entry."""
        self._run_id = 0

    def _latest_loss(self) -> float:
        return self.history.loss[-1] if len(self.history) else float("nan")

    # ----- the last good weights ---------------------------------------------------------------

    @property
    def has_last_good(self) -> bool:
        return self._last_good is not None

    def ensure_last_good(self) -> None:
        """Take the current weights as the last good ones if none of this shape are known."""
        net = self.session.network
        if self._last_good is None or self._last_good[2][0].shape != net.weights[0].shape:
            self._remember_good(self.epoch)

    def _remember_good(self, epoch: int) -> None:
        net = self.session.network
        self._last_good = (epoch, len(self.history), [W.copy() for W in net.weights],
                           [b.copy() for b in net.biases])

    # ----- going back (each one undo entry; the clock has paused) ----------------------------

    def reset(self) -> None:
        """Fresh weights from the seed and an empty history, as one undo step."""
        stack = self.session.undo_stack
        stack.beginMacro(f"Reset training (seed {self.session.training.seed})")
        try:
            self.session.reinitialise()
            stack.push(TrainingStateCommand(self, "Clear loss history", self.session.network,
                                            History()))
        finally:
            stack.endMacro()
        self.end_run()

    def restore_last_good(self) -> bool:
        """Return to the parameters of the last slice before training diverged."""
        if self._last_good is None:
            return False
        epoch, n_records, weights, biases = self._last_good
        net = self.session.network
        good = Network(net.sizes, net.activation_names, net.loss_name, weights, biases)
        self.session.undo_stack.push(TrainingStateCommand(
            self, f"Restore last good weights (epoch {epoch})", good,
            self.history.prefix(n_records)))
        return True

    def snapshot_to_restore(self, epoch: int) -> Snapshot | None:
        """The snapshot at (or just before) `epoch`, if it fits the network as it is."""
        snap = self.snapshots.snapshot_at(epoch)
        net = self.session.network
        if snap is None or [W.shape for W in snap.weights] != [W.shape for W in net.weights]:
            return None
        return snap

    def restore_snapshot(self, snap: Snapshot) -> None:
        """Go back to `snap`: its weights, and the history up to it."""
        n_records = sum(1 for e in self.history.epoch if e <= snap.epoch)
        self.session.undo_stack.push(TrainingStateCommand(
            self, f"Go back to epoch {snap.epoch}", snap.network_like(self.session.network),
            self.history.prefix(n_records)))

    def apply_state(self, net: Network, history: History) -> None:
        """Called by the undo commands: make `net` and `history` the session's."""
        self.replacing.emit()
        self.session.project.history = history
        self._last_gradients = None
        self._display_gradients = None
        last = self.epoch
        self.snapshots.truncate_after(last)
        self.gradient_sizes.truncate_after(last)
        self.session._set_network(net)
        self.history_reset.emit()

    # ----- the project changed underneath ------------------------------------------------------

    def network_reshaped(self) -> None:
        """The layers changed: forget what belongs to the old shape."""
        net = self.session.network
        if not self.gradient_sizes.fits(net.n_layers):
            self.gradient_sizes.clear()
        if self.snapshots.snapshots and [W.shape for W in self.snapshots.snapshots[0].weights] \
                != [W.shape for W in net.weights]:
            self.snapshots.clear(net)
        self._last_gradients = None
        self._last_good = None

    def forget(self) -> None:
        """Another project: start a new record."""
        self._run_command = None
        self._run_id = 0
        self._last_gradients = None
        self._display_gradients = None
        self._last_good = None
        self.snapshots.clear(self.session.network)
        self.gradient_sizes.clear()
        self.history_reset.emit()
