"""The line of numbers above the Loss plot: the epoch under the mouse, or the latest one.

A LiveText, not a QLabel: the numbers change every frame while training, and a QLabel
would re-lay out the whole dock each time.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from ...engine.project import History
from ..common.live_text import LiveText
from .style import fmt


def epoch_text(history: History, index: int | None = None) -> str:
    """The numbers of one epoch of `history` (the last one when `index` is None)."""
    h = history
    if len(h) == 0:
        return "No training yet"
    i = len(h) - 1 if index is None else index
    parts = [f"Epoch {h.epoch[i]}", f"loss {fmt(h.loss[i])}"]
    if np.isfinite(h.val_loss[i]):
        parts.append(f"validation loss {fmt(h.val_loss[i])}")
    if np.isfinite(h.accuracy[i]):
        parts.append(f"accuracy {100 * h.accuracy[i]:.1f}\u00a0%")
    if np.isfinite(h.val_accuracy[i]):
        parts.append(f"validation accuracy {100 * h.val_accuracy[i]:.1f}\u00a0%")
    return " · ".join(parts)


class LossReadout(LiveText):
    """Two lines wide enough for the longest numbers, so the dock never re-lays out."""

    def __init__(self) -> None:
        super().__init__("Latest: Epoch 000000 · loss 0.0000 · validation loss 0.0000 · "
                         "accuracy 100.0 % · validation accuracy 100.0 %", lines=2, wrap=True)
        self.setObjectName("loss_readout")
        self.setToolTip("The numbers of the epoch under the mouse pointer (or of the latest epoch)")
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def show_epoch(self, history: History, index: int | None) -> None:
        """The epoch at `index` of `history`, or the latest one (said so) when None."""
        prefix = "" if index is not None or len(history) == 0 else "Latest: "
        self.setText(prefix + epoch_text(history, index))
