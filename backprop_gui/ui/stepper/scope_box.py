"""The Steps panel's scope: step through the selected sample alone, or the whole batch.

A combo box whose items name what they cover ("This sample (3)", "Whole batch (24
samples)"), so they follow the session's selection and dataset. The Try it input is stepped
through on its own (its forward pass), whatever the scope: the box then shows it and is
disabled. The panel owns the scope itself (StepCursor.set_scope) and the Batch action.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from ...session.session import Session
from ...session.stepper import StepCursor


class ScopeBox(QComboBox):
    """This sample / Whole batch; `scope_chosen` says which a person chose."""

    scope_chosen = Signal(str)   # "sample" or "batch"

    def __init__(self, session: Session, cursor: StepCursor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.cursor = cursor
        self.setToolTip("Step through the selected sample alone, or the whole dataset as one "
                        "batch (the samples' gradients then average, or add up for a loss "
                        "summed over the samples)")
        self.addItem("This sample", "sample")
        self.addItem("Whole batch", "batch")
        self.currentIndexChanged.connect(lambda _i: self.scope_chosen.emit(self.currentData()))
        # Narrow docks: the box may shrink (its items elide) rather than widen the panel.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def show_scope(self, scope: str) -> None:
        """Show `scope` without announcing it as a choice."""
        self.blockSignals(True)
        self.setCurrentIndex(1 if scope == "batch" else 0)
        self.blockSignals(False)

    def refresh(self) -> bool:
        """Name the items after the input shown and the dataset; False when the box shows
        another scope than the cursor's (the caller then shows the cursor's and calls again)."""
        s = self.session
        self.setItemText(0, "Try it input (forward pass)" if s.trying
                         else f"This sample ({s.selected_sample + 1})")
        self.setEnabled(not s.trying)
        if s.trying:
            self.show_scope("sample")
        elif self.currentData() != self.cursor.scope:
            return False
        self.setItemText(1, f"Whole batch ({s.dataset.n_samples} samples)")
        return True
