"""Undo commands for training: a training run and going back in history.

A run is pushed when it starts training and keeps training the network in place while it
is the top command. Its "after" state is taken when it is first undone: every later command
has been undone by then, so the network and history are exactly as the run left them. Its
name follows the run (see RunRecorder), so it never needs a command merged into it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ..engine.network import Network
from ..engine.project import History, HistoryArrays
from .commands import Weak

if TYPE_CHECKING:
    from .run_recorder import RunRecorder


class TrainingStateCommand(QUndoCommand):
    """Network and loss history before → after. `new_net=None`: an open training run.

    The histories are kept compact (History.compact): a long run's lists would hold ~7 MB
    per Play and Pause of a fast run, for as long as the class keeps the window open."""

    _recorder = Weak()

    def __init__(self, recorder: RunRecorder, text: str, new_net: Network | None = None,
                 new_history: History | None = None, run_id: int = 0) -> None:
        super().__init__(text)
        session = recorder.session
        self._recorder = recorder
        self.run_id = run_id
        self._old = (session.network.copy(), session.project.history.compact())
        if new_net is None:
            self._new: tuple[Network, HistoryArrays] | None = None
        else:
            history = session.project.history if new_history is None else new_history
            self._new = (new_net.copy(), history.compact())
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
            self._recorder.apply_state(self._new[0].copy(), self._new[1].history())

    def undo(self) -> None:
        if self._new is None:
            session = self._recorder.session
            self._new = (session.network.copy(), session.project.history.compact())
        self._recorder.apply_state(self._old[0].copy(), self._old[1].history())
