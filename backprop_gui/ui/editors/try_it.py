"""The Input panel's two modes and their bars: a sample of the dataset, or the Try it input.

The mode switch says which input the panel, the diagram and the step-through show. In
"Sample" mode the selected sample is shown read-only until Edit sample is on: changing a
training sample is a deliberate act. In "Try it" mode the editor changes the session's Try it
input (session/try_input.py), which no sample holds, and the Try it bar adds it to the
dataset with the class the student chooses (one undo step).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QSizePolicy, QToolButton, QWidget

from ...session.session import Session
from ..common.action_helper import tool_button
from .class_colors import class_icon


def locked_message(session: Session) -> str:
    """What an editor says when asked to change a sample while Edit sample is off."""
    return (f"Sample {session.selected_sample + 1} is part of the training set: turn on "
            "Edit sample to change it, or choose Try it to make an input of your own.")


class ModeSwitch(QWidget):
    """Two halves, "Sample" and "Try it": which input is shown, and a way to switch."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.sample_button = self._half(
            "Sample", "Show a sample of the dataset: the one training uses and the step-through follows")
        self.try_button = self._half(
            "Try it", "Make an input of your own and see what the network predicts for it. "
            "The dataset does not change; “Add” keeps your input as a new sample.")
        group = QButtonGroup(self)
        group.addButton(self.sample_button)
        group.addButton(self.try_button)
        self.try_button.toggled.connect(session.set_trying)
        # The mode shown must be obvious at a glance, in either theme: the chosen half is
        # filled with the selection colour.
        self.setStyleSheet("QToolButton { padding: 3px; border: 1px solid palette(mid); }"
                           "QToolButton:checked { background: palette(highlight);"
                           " color: palette(highlighted-text); font-weight: bold; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sample_button)
        layout.addWidget(self.try_button)
        session.try_input_changed.connect(self._sync)
        self._sync()

    def _half(self, text: str, tooltip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setCheckable(True)
        button.setToolTip(tooltip)
        button.setAccessibleName(f"{text} mode")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    def _sync(self) -> None:
        trying = self.session.trying
        for button, on in ((self.try_button, trying), (self.sample_button, not trying)):
            button.blockSignals(True)
            button.setChecked(on)
            button.blockSignals(False)


class TryItBar(QWidget):
    """“[Add to dataset as] [“3”] [Clear]”: keep the Try it input as a sample of the chosen
    class, or start over."""

    message_posted = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.label_combo = QComboBox(self)
        self.label_combo.setToolTip("The class your input is meant to be: the target the output "
                                    "is compared with, and its label when you add it")
        self.label_combo.setAccessibleName("Class of the Try it input")
        # Class names come from the file: a long one must not widen the panel.
        self.label_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.label_combo.setMinimumContentsLength(3)
        self.label_combo.currentIndexChanged.connect(self._on_label_chosen)
        self.add_button = tool_button(self, "Add to dataset as",
                                      "Add your input to the dataset as a new sample of the "
                                      "chosen class (Ctrl+Z undoes it)", self._on_add)
        self.clear_button = tool_button(self, "Clear", "Set every input of the Try it input to 0",
                                        session.clear_try_input)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.add_button)
        layout.addWidget(self.label_combo, 1)
        layout.addWidget(self.clear_button)
        for signal in (session.dataset_changed, session.project_replaced, session.try_input_changed):
            signal.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        names = [f"“{n}”" for n in self.session.dataset.class_names]
        combo = self.label_combo
        combo.blockSignals(True)
        if [combo.itemText(i) for i in range(combo.count())] != names:
            combo.clear()
            for k, name in enumerate(names):
                combo.addItem(class_icon(k, len(names)), name)
        combo.setCurrentIndex(self.session.try_input.label if names else -1)
        combo.blockSignals(False)
        # A regression table has no classes to choose: its new sample's y is typed in the
        # table afterwards (the Try it input itself has none, see TryInput.has_target).
        regression = self.session.dataset.is_regression
        combo.setVisible(not regression)
        text = "Add to dataset" if regression else "Add to dataset as"
        self.add_button.setText(text)
        self.add_button.setAccessibleName(text)
        self.add_button.setEnabled(self.session.has_samples)

    def _on_label_chosen(self, index: int) -> None:
        if index >= 0:
            self.session.set_try_label(index)

    def _on_add(self) -> None:
        try:
            index = self.session.add_try_input()
        except ValueError as exc:
            self.message_posted.emit(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return
        self.message_posted.emit(f"Added your input as sample {index + 1} "
                                 f"(Edit ▸ Undo removes it).")
