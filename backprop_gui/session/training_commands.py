"""Undo commands for training: a training run and going back in history.

A run is pushed when it starts training and keeps training the network in place while it
is the top command. Its "after" state is taken when it is first undone: every later command
has been undone by then, so the network and history are exactly as the run left them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtGui import QUndoCommand

from ..engine.network import Network
from ..engine.project import SERIES, History
from .commands import Weak

if TYPE_CHECKING:
    from .training_clock import TrainingClock

TRAINING_STATE_ID = 2001


class HistoryCopy:
    """A History kept in an undo entry: NumPy arrays, 40 bytes a record.

    As lists, a copy of a long run's history held ~160 bytes a record once thinning had
    dropped its numbers from the live history (a float object each): ~7 MB per Play and
    Pause of a fast run, for as long as the class keeps the window open."""

    def __init__(self, history: History) -> None:
        self._epoch = np.array(history.epoch, dtype=np.int64)
        self._values = tuple(np.array(getattr(history, key), dtype=np.float64)
                             for key in SERIES[1:])

    def __len__(self) -> int:
        return len(self._epoch)

    def history(self) -> History:
        """A new History with the same records (Python ints and floats, bit for bit)."""
        return History(self._epoch.tolist(), *(v.tolist() for v in self._values))


def copy_history(history: History) -> HistoryCopy:
    return HistoryCopy(history)


class TrainingStateCommand(QUndoCommand):
    """Network and loss history before → after. `new_net=None`: an open training run."""

    _clock = Weak()

    def __init__(self, clock: TrainingClock, text: str, new_net: Network | None = None,
                 new_history: History | None = None, run_id: int = 0) -> None:
        super().__init__(text)
        session = clock.session
        self._clock = clock
        self.run_id = run_id
        self._old = (session.network.copy(), copy_history(session.project.history))
        if new_net is None:
            self._new: tuple[Network, HistoryCopy] | None = None
        else:
            history = session.project.history if new_history is None else new_history
            self._new = (new_net.copy(), copy_history(history))
        self._pushed = False

    @property
    def is_open_run(self) -> bool:
        """True while training may go on in this entry: a run not yet undone. Undo takes its
        end state, so training after an Undo and Redo needs an entry of its own."""
        return self.run_id != 0 and self._new is None

    def redo(self) -> None:
        if not self._pushed and self._new is None:
            self._pushed = True  # an open run: training itself makes the change
            return
        self._pushed = True
        if self._new is not None:
            self._clock._apply_state(self._new[0].copy(), self._new[1].history())

    def undo(self) -> None:
        if self._new is None:
            session = self._clock.session
            self._new = (session.network.copy(), copy_history(session.project.history))
        self._clock._apply_state(self._old[0].copy(), self._old[1].history())

    def id(self) -> int:
        return TRAINING_STATE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Only a retitle of this same open run merges (see TrainingClock._retitle_run).
        if isinstance(other, RetitleRun) and self.run_id and other.run_id == self.run_id:
            self.setText(other.text())
            return True
        return False


class RetitleRun(QUndoCommand):
    """Pushed only to be merged into its run, so the Undo action shows the final text."""

    def __init__(self, text: str, run_id: int) -> None:
        super().__init__(text)
        self.run_id = run_id

    def redo(self) -> None:
        pass

    def undo(self) -> None:
        pass

    def id(self) -> int:
        return TRAINING_STATE_ID
