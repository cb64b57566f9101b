"""Undo commands: one small command per user action, each naming what it did.

Every command stores the state before and after, so undo restores it exactly; the session
emits its "changed" signals from `_set_*`, so views never need to know a command ran.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtGui import QUndoCommand

from ..engine.dataset import Dataset
from ..engine.network import Network
from ..engine.selection import Selection

if TYPE_CHECKING:
    from .session import Session

class Weak:
    """A command's link back to its session (or training clock, or run recorder), held by
    weak reference; also the recorder's link to its open run's command (None when unset).

    The session owns the undo stack and the stack owns its commands; a command holding
    the session strongly closes a reference cycle. Python's cyclic collector then frees
    the session's Python half while the stack, deleted with it, still deletes commands
    whose Python halves are half torn down: a segmentation fault. Without the cycle the
    session goes when its last reference goes, and Qt deletes the rest in order. (The
    stack dies with its session, so the link is never followed after the session is gone.)
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._attr = f"_weak_{name}"

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        ref = getattr(obj, self._attr, None)
        return None if ref is None else ref()

    def __set__(self, obj: Any, value: Any) -> None:
        setattr(obj, self._attr, None if value is None else weakref.ref(value))


# Ids for QUndoCommand.mergeWith: consecutive edits of one kind fold into one undo entry.
PAINT_STROKE_ID = 1001
PARAMETER_EDIT_ID = 1002
SETTING_ID = 2002


class SetNetworkCommand(QUndoCommand):
    """Replace the network (structure or parameters) with another one."""

    _session = Weak()

    def __init__(self, session: Session, text: str, new: Network, old: Network | None = None) -> None:
        super().__init__(text)
        self._session = session
        self._old = (old if old is not None else session.network).copy()
        self._new = new.copy()

    def redo(self) -> None:
        self._session._set_network(self._new.copy())

    def undo(self) -> None:
        self._session._set_network(self._old.copy())


class SetParameterCommand(QUndoCommand):
    """Set one weight or one bias (`target`, a Selection of either)."""

    _session = Weak()

    def __init__(self, session: Session, target: Selection, value: float) -> None:
        super().__init__(f"Set {target.name} to {value:.4g}")
        self._session = session
        self._key = target
        self._old = float(self._array()[self._index()])
        self._new = float(value)

    def _array(self) -> np.ndarray:
        return self._key.array_in(self._session.network)

    def _index(self) -> tuple:
        return self._key.index

    def redo(self) -> None:
        self._array()[self._index()] = self._new
        self._session._parameters_edited()

    def undo(self) -> None:
        self._array()[self._index()] = self._old
        self._session._parameters_edited()

    def id(self) -> int:
        return PARAMETER_EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Typing several values into the same field is one edit.
        if not isinstance(other, SetParameterCommand) or other._key != self._key:
            return False
        self._new = other._new
        self.setText(other.text())
        return True


class SetDatasetCommand(QUndoCommand):
    """Replace the dataset (and possibly the network and the selected sample) in one step."""

    _session = Weak()

    def __init__(self, session: Session, text: str, dataset: Dataset, selected: int,
                 network: Network | None = None) -> None:
        super().__init__(text)
        self._session = session
        self._old = (session.dataset.copy(), session.selected_sample, session.network.copy())
        self._new = (dataset.copy(), selected, (network or session.network).copy())
        self._network_changes = network is not None

    def _apply(self, state: tuple[Dataset, int, Network]) -> None:
        dataset, selected, network = state
        self._session._set_state(network=network.copy() if self._network_changes else None,
                                 dataset=dataset.copy(), selected=selected)

    def redo(self) -> None:
        self._apply(self._new)

    def undo(self) -> None:
        self._apply(self._old)


class PaintCommand(QUndoCommand):
    """Pixels of one sample painted in one stroke (a drag merges into one command)."""

    _session = Weak()

    def __init__(self, session: Session, sample: int, values: np.ndarray, stroke: int) -> None:
        super().__init__(f"Paint sample {sample + 1}")
        self._session = session
        self._sample = sample
        self._stroke = stroke
        self._old = session.dataset.inputs[sample].copy()
        self._new = np.asarray(values, dtype=np.float64).copy()

    def redo(self) -> None:
        self._session._set_sample_inputs(self._sample, self._new)

    def undo(self) -> None:
        self._session._set_sample_inputs(self._sample, self._old)

    def id(self) -> int:
        return PAINT_STROKE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (not isinstance(other, PaintCommand) or other._stroke != self._stroke
                or other._sample != self._sample):
            return False
        self._new = other._new
        return True


class SetTrainingSettingCommand(QUndoCommand):
    """One training setting (a TrainingConfig field); edits of the same field merge."""

    _session = Weak()

    def __init__(self, session: Session, field: str, value: Any, text: str) -> None:
        super().__init__(text)
        self._session = session
        self.field = field
        self._old = getattr(session.training, field)
        self._new = value

    def redo(self) -> None:
        self._session._set_training_setting(self.field, self._new)

    def undo(self) -> None:
        self._session._set_training_setting(self.field, self._old)

    def id(self) -> int:
        return SETTING_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetTrainingSettingCommand) or other.field != self.field:
            return False
        self._new = other._new
        self.setText(other.text())
        # Dragged back to where it started: the stack drops the command altogether.
        self.setObsolete(self._new == self._old)
        return True
