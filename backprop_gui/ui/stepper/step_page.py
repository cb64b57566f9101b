"""The current step, worked out: title, explanation, formula, the matrices, the hovered line.

For an update step it adds the table of every parameter of the layer (old, α, gradient,
new) and what the step does to the loss, phrased for a student.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ...engine.overflow import overflow_cause, update_overflow_cause
from ...engine.selection import Selection
from ...engine.walkthrough import Step
from ...session.stepper import PHASE_TITLES, StepCursor
from .expression import Expression, build_expression
from .worked_line import entry_sentence
from ..common.formatting import fmt, layout_note, textbook_formula
from .update_table import UpdateTable
from .worked_view import WorkedCanvas

HOVER_HINT = "Point at a number to see how it is worked out; click a weight to explain its gradient."


def _label(point_scale: float = 1.0, bold: bool = False, wrap: bool = True,
           muted: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = QFont(label.font())
    if point_scale != 1.0 and font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * point_scale)
    font.setBold(bold)
    label.setFont(font)
    if muted:  # a palette role, so it follows a light/dark theme change
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def loss_sentence(cursor: StepCursor) -> str:
    """"The loss for sample 3 drops from 0.693 to 0.612." (or rises, with a hint)."""
    pair = cursor.loss_before_after()
    if pair is None:
        return ""
    before, after = pair
    who = ("for this sample" if cursor.scope == "sample"
           else f"on {cursor.scope_description()}")
    if not math.isfinite(before):
        return f"The loss {who} is already {fmt(before)} before this step."
    if not math.isfinite(after):
        return (f"The loss {who} would become {fmt(after)}: the step is far too large. "
                "Try a smaller learning rate.")
    if after < before:
        return f"The loss {who} drops from {fmt(before)} to {fmt(after)}."
    if after == before:
        return (f"The loss {who} stays at {fmt(before)}: every gradient is zero, so nothing "
                "moves.")
    return (f"The loss {who} rises from {fmt(before)} to {fmt(after)}: the step overshoots. "
            "Try a smaller learning rate.")


class StepPage(QWidget):
    """Everything about the cursor's current step."""

    entry_clicked = Signal(object)   # a session selection (from a clicked matrix entry)
    entry_pointed = Signal(object)   # the selection under the mouse pointer, or None

    def __init__(self, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cursor = cursor
        self.position = _label(0.9, muted=True)
        self.title = _label(1.2, bold=True)
        self.explanation = _label()
        self.formula = _label(1.3)
        self.formula.setToolTip("The formula of this step")
        self.note = _label(0.85, muted=True)
        self.canvas = WorkedCanvas()
        self.canvas.setToolTip("")
        self.hover_line = _label()
        self.hover_line.setFrameShape(QFrame.Shape.StyledPanel)
        self.hover_line.setMargin(6)
        self.hover_line.setMinimumHeight(self.hover_line.fontMetrics().height() * 2 + 14)
        self.hover_line.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.hover_line.setToolTip("How the number under the mouse pointer is computed")
        self.loss_line = _label(1.05)
        self.update_table = UpdateTable()
        self.canvas.entry_hovered.connect(self._on_entry_hovered)
        self.canvas.entry_clicked.connect(self.entry_clicked)
        self.canvas.entry_pointed.connect(self.entry_pointed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)
        for w in (self.position, self.title, self.explanation, self.formula, self.note):
            layout.addWidget(w)
        layout.addWidget(self.canvas)
        layout.addWidget(self.hover_line)
        layout.addWidget(self.loss_line)
        layout.addWidget(self.update_table)
        layout.addStretch(1)
        self.expression: Expression | None = None

    def show_step(self, step: Step | None, index: int, total: int) -> None:
        cursor = self.cursor
        if step is None:
            self.position.setText("")
            self.title.setText("Nothing to step through")
            self.explanation.setText(cursor.error or "The dataset has no samples.")
            for w in (self.formula, self.note, self.loss_line, self.hover_line):
                w.setText("")
            self.canvas.set_expression(None)
            self.update_table.hide()
            self.hover_line.hide()  # an empty framed box would look like a missing number
            return
        self.hover_line.show()
        X, _ = cursor.scope_data()
        batch = cursor.scope == "batch"
        samples = (list(range(X.shape[0])) if batch else [cursor.session.selected_sample])
        self.position.setText(f"Step {index + 1} of {total} · {PHASE_TITLES[step.phase]} · "
                              f"{cursor.scope_description()}")
        self.title.setText(step.title)
        self.explanation.setText(step.explanation)
        formula = textbook_formula(step, batch)
        self.formula.setText(formula)
        self.formula.setToolTip(
            "The formula of this step, with vectors as columns as in the textbook."
            + (f"<br>The engine computes the same numbers with samples as rows: "
               f"<i>{step.formula}</i>" if formula != step.formula else ""))
        self.expression = build_expression(step, cursor.session.network.n_layers, samples)
        self.note.setText(self._overflow_note(step, X) + layout_note(batch, len(samples)))
        self.canvas.set_expression(self.expression, cursor.session.selection)
        self.hover_line.setText(HOVER_HINT)
        if step.phase == "update":
            pair = cursor.update_steps(step.layer)
            self.update_table.set_steps(*(pair or (None, None)))
            self.update_table.show()
            self.loss_line.setText(f"<b>{loss_sentence(cursor)}</b> Press Apply update to take "
                                   "this step for real (you can undo it).")
            self.loss_line.show()
        else:
            self.update_table.hide()
            self.loss_line.setText(self._summary(step))
            self.loss_line.setVisible(bool(self.loss_line.text()))

    def _overflow_note(self, step: Step, X: np.ndarray) -> str:
        """Why the matrices show ∞ or ? (an overflow), or "" when every number is finite."""
        terms = self.expression.terms if self.expression is not None else []
        operands = [t for t in terms if not t.is_result]
        if all(np.isfinite(t.values).all() for t in terms):
            return ""
        session = self.cursor.session
        if step.phase == "update" and all(np.isfinite(t.values).all() for t in operands):
            why = update_overflow_cause(session.training.learning_rate)
        else:
            why = overflow_cause(session.network, X)
        return f"∞ and ? mark an {why}. "

    def _summary(self, step: Step) -> str:
        """One sentence about what this step's numbers mean."""
        expr = self.expression
        if step.phase == "loss" and expr is not None and expr.result is not None:
            return (f"{entry_sentence(expr, expr.result, 0, 0)} for "
                    f"{self.cursor.scope_description()}.")
        slopes = [name for name in step.operands if "′" in name]
        if step.kind == "dL/dz" and slopes:
            fp = np.asarray(step.operands[slopes[0]])
            stopped = fp == 0
            if not stopped.any():
                return ""
            symbol = slopes[0].split("(")[0]
            dead_below_zero = step.function is not None and step.function.dead_below_zero
            why = " (z ≤ 0)" if dead_below_zero else ""
            if fp.shape[0] == 1:
                which = ", ".join(str(j + 1) for j in np.flatnonzero(stopped[0]))
                many = stopped.sum() > 1
                return (f"Neuron{'s' if many else ''} {which} of layer {step.layer} "
                        f"{'have' if many else 'has'} {symbol} = 0{why}: no gradient flows "
                        "back through them, so their incoming weights do not change.")
            return (f"{int(stopped.sum())} of the {stopped.size} entries have {symbol} = 0: "
                    "there the gradient stops.")
        return ""

    def set_selection(self, selection: Selection | None) -> None:
        self.canvas.set_selected(selection)

    def _on_entry_hovered(self, text: str) -> None:
        self.hover_line.setText(text or HOVER_HINT)
