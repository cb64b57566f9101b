"""The inspector: the numbers behind whatever is selected in the diagram, with an editor.

The selection (engine/selection.py) counts layers as the textbook does: W⁽ˡ⁾ and b⁽ˡ⁾ lead
into layer l, and `Selection.param` (l − 1) is their place in the network's arrays.
Shown indices are 1-based, as in the textbook.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from ...engine.overflow import non_finite_text, overflow_cause, update_overflow_cause
from ...engine.notation import sup
from ...engine.selection import Selection
from ...session.session import NO_SAMPLES, Session
from ..common.plain_text import NAME_LIMIT, shorten

HINT = "Nothing selected: click a neuron or an edge in the diagram to see its numbers here."


def format_number(value: float) -> str:
    """Four decimals for everyday sizes, scientific notation for tiny or huge numbers
    (NaN and ±∞ say that they are an overflow)."""
    if not math.isfinite(value):
        return non_finite_text(value)
    if value == 0.0:
        return "0"
    if abs(value) < 1e-3 or abs(value) >= 1e5:
        return f"{value:.3e}".replace("-", "−")
    return f"{value:.4f}".replace("-", "−")


def edit_text(value: float) -> str:
    """A parameter's value in the edit field: six significant digits, a real minus sign."""
    return f"{float(value):.6g}".replace("-", "−")


def parse_number(text: str) -> float:
    """A float from what a person types: accepts a comma decimal point and the − sign."""
    cleaned = text.strip().replace("−", "-").replace(",", ".")
    if not cleaned:
        raise ValueError("type a number, for example 0.25 or -1.5")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"“{text.strip()}” is not a number; type e.g. 0.25 or -1.5") from None
    if not math.isfinite(value):
        raise ValueError("the value must be a finite number")
    return value


class ValueEdit(QLineEdit):
    """A number field: Enter (or leaving the field) commits, Escape restores the shown value."""

    committed = Signal(float)
    rejected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shown = ""
        self.editingFinished.connect(self._on_editing_finished)
        self.textEdited.connect(lambda _t: self.set_error(False))

    def show_value(self, value: float) -> None:
        # Six significant digits read like the rest of the app (repr showed 17); an untouched
        # field commits nothing (its text is still the shown text), so no precision is lost.
        self._shown = edit_text(value)
        self.setText(self._shown)
        self.setCursorPosition(0)
        self.set_error(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text() != self._shown:
            self.setText(self._shown)
            self.set_error(False)
            return
        super().keyPressEvent(event)

    def _on_editing_finished(self) -> None:
        if self.text() == self._shown:
            return
        try:
            value = parse_number(self.text())
        except ValueError as exc:
            self.set_error(True)
            self.rejected.emit(str(exc))
            return
        self.committed.emit(value)

    def set_error(self, error: bool) -> None:
        self.setStyleSheet("QLineEdit { border: 2px solid #c0392b; }" if error else "")


class Inspector(QWidget):
    """Shows and edits the selected neuron, weight or bias for the selected sample."""

    message_posted = Signal(str)
    explain_requested = Signal(object)   # a weight's Selection: take its gradient apart

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._edit_target: Selection | None = None
        self._weight: Selection | None = None
        self._overflowed: set[str] = set()   # "network" / "update": what gave a NaN or ∞ shown

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)

        self.edit_label = QLabel()
        self.editor = ValueEdit()
        self.editor.setToolTip("Type a new value and press Enter to change it (Ctrl+Z undoes it); "
                               "Escape restores the current value.")
        self.editor.setAccessibleName("Selected parameter value")
        self.editor.setMaximumWidth(self.editor.fontMetrics().horizontalAdvance("0") * 26)
        self.edit_label.setBuddy(self.editor)
        self.editor.committed.connect(self._on_value_committed)
        self.editor.rejected.connect(self._on_value_rejected)
        self.edit_row = QWidget()
        row = QHBoxLayout(self.edit_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit_label)
        row.addWidget(self.editor, 1)
        row.addStretch(0)

        # Plain text: the error quotes what was typed, the note names the sample's class from
        # the file; on automatic format either would be rendered as HTML.
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)

        self.readouts = QLabel()
        self.readouts.setTextFormat(Qt.TextFormat.RichText)
        self.readouts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readouts.setWordWrap(True)

        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: gray;")  # mid-grey reads on light and dark panels

        # The chain rule behind this weight's gradient is one click away, not a tab to find.
        self.explain_button = QPushButton("Explain ∂L/∂w step by step…")
        self.explain_button.setToolTip("Open Steps ▸ Explain ∂L/∂w: this weight's gradient taken "
                                       "apart by the chain rule, path by path")
        self.explain_button.clicked.connect(self._on_explain_clicked)
        explain_row = QHBoxLayout()
        explain_row.setContentsMargins(0, 0, 0, 0)
        explain_row.addWidget(self.explain_button)
        explain_row.addStretch(1)

        self.line = line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(line)
        layout.addWidget(self.edit_row)
        layout.addWidget(self.error)
        layout.addWidget(self.readouts)
        layout.addLayout(explain_row)
        layout.addWidget(self.note)
        layout.addStretch(1)

        session.selection_changed.connect(self._on_selection_changed)
        session.values_changed.connect(self._update)
        session.structure_changed.connect(self._update)
        session.project_replaced.connect(self._update)
        self._update()

    # ----- reacting to the session ------------------------------------------------------------

    def _on_selection_changed(self, _item: object) -> None:
        self.error.clear()
        self._update()

    def _update(self) -> None:
        sel = self._valid_selection()
        self._edit_target = None
        self._overflowed = set()
        self._weight = sel if sel is not None and sel.is_weight else None
        self.explain_button.setVisible(self._weight is not None)
        if sel is None:
            self._show_nothing()
        elif sel.is_weight:
            self._show_weight(sel)
        elif sel.is_bias:
            self._show_bias(sel)
        else:
            self._show_neuron(sel.layer, sel.j)
        self._explain_overflow()
        # With nothing selected the panel is one line (the hint), so it can stay small.
        for widget in (self.title, self.line, self.note, self.readouts):
            widget.setVisible(sel is not None)
        self.edit_row.setVisible(self._edit_target is not None)
        self.error.setVisible(bool(self.error.text()))

    def _valid_selection(self) -> Selection | None:
        """The session's selection if it still names something in the current network."""
        sel = self.session.selection
        return sel if sel is not None and sel.exists_in(self.session.network.sizes) else None

    def _number(self, value: float, update: bool = False) -> str:
        """`value` as shown, noting a NaN or ∞ (from the network, or from W − α·∂L/∂W)."""
        if not math.isfinite(value):
            self._overflowed.add("update" if update else "network")
        return format_number(value)

    def _explain_overflow(self) -> None:
        """Above numbers that overflowed, say why (first thing in the readouts)."""
        s = self.session
        if "network" in self._overflowed:
            why = overflow_cause(s.network, s.dataset.inputs)
        elif "update" in self._overflowed:
            why = update_overflow_cause(s.training.learning_rate)
        else:
            return
        self.readouts.setText(f"<p>∞ and “undefined” below mark an {html.escape(why)}.</p>"
                              + self.readouts.text())

    # ----- the four views ------------------------------------------------------------------

    def _show_nothing(self) -> None:
        self.title.setText("")
        self.subtitle.setText(HINT)
        self.readouts.setText("")
        self.note.setText("")

    def _show_no_sample(self) -> None:
        """The dataset has no samples: values that flow through the network need one."""
        self.readouts.setText("")
        self.note.setText(f"{NO_SAMPLES}; z, a and the gradients are worked out for a sample.")

    def _sample_text(self) -> str:
        s = self.session
        if not s.target_known:
            return f"for {s.input_description()} (no target)"
        if s.dataset.is_regression:
            return f"for {s.input_description()} ({s.dataset.target_text(s.selected_sample)})"
        label = s.dataset.class_names[s.sample_label()]
        return f"for {s.input_description()} (label “{shorten(label, NAME_LIMIT)}”)"

    def _show_weight(self, w: Selection) -> None:
        s = self.session
        l, j, i = w.layer, w.j, w.i
        value = float(s.network.weights[w.param][j, i])
        name = w.name
        self.title.setText(f"<b>Weight {name}</b>")
        self.subtitle.setText(f"From neuron {i + 1} of {_layer_name(s, l - 1)} "
                              f"to neuron {j + 1} of {_layer_name(s, l)}.")
        self._offer_edit(w, f"{name} =", value)
        if not s.has_samples:
            return self._show_no_sample()
        grad = float(s.gradients().dW[w.param][j, i])
        # For one sample ∂L/∂W[j,i] = δ[j] · a[i]: show both factors, so a zero gradient
        # explains itself (often an input or activation of 0).
        delta = float(s.gradients().dz[l][0, j])
        a_in = float(s.trace().a[l - 1][0, i])
        lr = s.training.learning_rate
        self.readouts.setText(_table([
            (f"∂L/∂{name}", self._number(grad),
             f"= δ{sup(l)}[{j + 1}] · a{sup(l - 1)}[{i + 1}] = {self._number(delta)} × "
             f"{self._number(a_in)}: how fast the loss changes as this weight changes"),
            ("after one step", self._number(value - lr * grad, update=True),
             f"{name} − α·∂L/∂{name} with learning rate α = {lr:g}"),
        ]))
        self.note.setText(f"Gradient {self._sample_text()}.")

    def _show_bias(self, b: Selection) -> None:
        s = self.session
        value = float(s.network.biases[b.param][b.j])
        name = b.name
        self.title.setText(f"<b>Bias {name}</b>")
        self.subtitle.setText(f"The bias of neuron {b.j + 1} of {_layer_name(s, b.layer)}.")
        self._offer_edit(b, f"{name} =", value)
        if not s.has_samples:
            return self._show_no_sample()
        grad = float(s.gradients().db[b.param][b.j])
        lr = s.training.learning_rate
        self.readouts.setText(_table([
            (f"∂L/∂{name}", self._number(grad), "equals δ = ∂L/∂z of this neuron"),
            ("after one step", self._number(value - lr * grad, update=True),
             f"{name} − α·∂L/∂{name} with learning rate α = {lr:g}"),
        ]))
        self.note.setText(f"Gradient {self._sample_text()}.")

    def _show_neuron(self, layer: int, j: int) -> None:
        s = self.session
        if layer == 0:
            self.title.setText(f"<b>Input {j + 1}</b>")
            self.subtitle.setText(_input_description(s, j))
            if not s.has_samples:
                return self._show_no_sample()
            trace, grads = s.trace(), s.gradients()
            a = float(trace.a[0][0, j])
            rows = [(f"a{sup(0)}[{j + 1}] = x", self._number(a), "the input value of this sample")]
            da0 = grads.da[0]
            if da0 is not None:
                rows.append(("∂L/∂x", self._number(float(da0[0, j])),
                             "how the loss would change if this input changed"))
            self.readouts.setText(_table(rows))
            self.note.setText(f"Values {self._sample_text()}. Change the input in the Input panel.")
            return
        act = s.network.activations[layer - 1]
        up = sup(layer)
        self.title.setText(f"<b>Neuron {j + 1} of {_layer_name(s, layer)}</b>")
        self.subtitle.setText(f"Activation {act.display}: {act.formula}")
        bias = Selection.bias(layer, j)
        self._offer_edit(bias, f"bias {bias.name} =", float(s.network.biases[bias.param][j]))
        if not s.has_samples:
            return self._show_no_sample()
        trace, grads = s.trace(), s.gradients()
        a = float(trace.a[layer][0, j])
        z = float(trace.z[layer][0, j])
        dz = grads.dz[layer]
        rows = [
            (f"z{up}[{j + 1}]", self._number(z), "weighted input: Σ w·a + b"),
            (f"a{up}[{j + 1}]", self._number(a), f"activation: {act.display}(z)"),
        ]
        if layer == s.network.n_layers and s.target_known:
            target = s.sample_target()
            rows.append((f"target y[{j + 1}]", self._number(float(target[j])),
                         "what this output should be for this sample"))
        if dz is not None:
            rows.append((f"δ = ∂L/∂z{up}[{j + 1}]", self._number(float(dz[0, j])),
                         "the error signal backprop sends to this neuron"))
        self.readouts.setText(_table(rows))
        note = f"Values {self._sample_text()}."
        if s.dead_neurons(layer)[j]:
            note += (" This ReLU outputs 0 for every sample: it is “dead”, so its gradient is 0 "
                     "and it cannot learn.")
        self.note.setText(note)

    # ----- editing ---------------------------------------------------------------------------

    def _offer_edit(self, target: Selection, label: str, value: float) -> None:
        self._edit_target = target
        self.edit_label.setText(label)
        if not self.editor.hasFocus() or self.editor.text() == self.editor._shown:
            self.editor.show_value(value)

    def _on_explain_clicked(self) -> None:
        if self._weight is not None:
            self.explain_requested.emit(self._weight)

    def _on_value_committed(self, value: float) -> None:
        target = self._edit_target
        if target is None:
            return
        try:
            self.session.set_parameter(target, value)
        except ValueError as exc:
            self._on_value_rejected(str(exc))
            return
        self.error.clear()
        self.error.hide()
        self.editor.show_value(value)
        self.message_posted.emit(self.session.undo_stack.undoText() + " (Ctrl+Z undoes it)")

    def _on_value_rejected(self, message: str) -> None:
        self.editor.set_error(True)      # the field keeps what was typed, to correct it
        self.error.setText(message)
        self.error.show()
        self.message_posted.emit(message)


def _layer_name(session: Session, layer: int) -> str:
    L = session.network.n_layers
    role = "input" if layer == 0 else "output" if layer == L else "hidden"
    return f"layer {layer} ({role})"


def _input_description(session: Session, j: int) -> str:
    shape = session.dataset.image_shape
    if shape is not None:
        row, col = divmod(j, shape[1])
        return f"Pixel in row {row + 1}, column {col + 1} of the {shape[0]}×{shape[1]} image."
    return f"Input feature {j + 1} of {session.dataset.n_inputs}."


def _table(rows: list[tuple[str, str, str]]) -> str:
    """Rich-text rows: name, value (monospaced, aligned) and a short grey explanation."""
    cells = "".join(
        f"<tr><td style='padding-right:8px'>{name}</td>"
        f"<td align='right' style='font-family:monospace; padding-right:8px'><b>{value}</b></td></tr>"
        f"<tr><td colspan='2' style='color:gray; padding-bottom:4px'><small>{why}</small></td></tr>"
        for name, value, why in rows)
    return f"<table cellspacing='0'>{cells}</table>"
