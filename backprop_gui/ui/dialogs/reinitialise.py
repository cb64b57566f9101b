"""Re-initialise Weights: choose a seed and an initialiser; the window calls Session.reinitialise."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget,
)

from ...engine.network import INITIALISERS

INITIALISER_TEXT = {
    "he": ("He (normal)", "Normal with variance 2/n_in: keeps ReLU signals the same size from "
                          "layer to layer. Biases start at 0."),
    "xavier": ("Xavier / Glorot (uniform)", "Uniform in ±√(6/(n_in + n_out)): suits sigmoid "
                                            "and tanh layers. Biases start at 0."),
    "uniform": ("Uniform 0 … 1", "Weights and biases uniform between 0 and 1, as in many "
                                 "hand-written XOR examples."),
    "zeros": ("Zeros", "Every weight and bias 0. Try it: all neurons of a layer then stay "
                       "identical, so the network cannot learn (the symmetry problem)."),
}
MAX_SEED = 2**31 - 1


class ReinitialiseDialog(QDialog):
    """Asks for a seed and an initialiser; `values()` returns (seed, init)."""

    def __init__(self, seed: int, init: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Re-initialise Weights")
        intro = QLabel("Every weight and bias gets a fresh value drawn from the seed. "
                       "The same seed always gives the same numbers. Undo restores the old weights.")
        intro.setWordWrap(True)
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)
        self.seed.setValue(int(seed) if 0 <= int(seed) <= MAX_SEED else 0)
        self.seed.setToolTip("Any whole number; the same seed gives the same weights")
        self.seed.setAccessibleName("Seed")
        self.init = QComboBox()
        for name in INITIALISERS:
            label, tip = INITIALISER_TEXT.get(name, (name, ""))
            self.init.addItem(label, name)
            self.init.setItemData(self.init.count() - 1, tip, 3)  # Qt.ToolTipRole
        self.init.setCurrentIndex(max(0, self.init.findData(init)))
        self.init.setToolTip("How the random weights are drawn")
        self.init.setAccessibleName("Initialiser")
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("color: gray;")
        self.explanation.setMinimumHeight(self.explanation.fontMetrics().lineSpacing() * 3)
        self.init.currentIndexChanged.connect(self._update_explanation)
        self._update_explanation()

        form = QFormLayout()
        form.addRow("&Seed:", self.seed)
        form.addRow("&Initialiser:", self.init)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Re-initialise")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.explanation)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _update_explanation(self) -> None:
        self.explanation.setText(INITIALISER_TEXT.get(self.init.currentData(), ("", ""))[1])

    def values(self) -> tuple[int, str]:
        return self.seed.value(), str(self.init.currentData())
