"""Training settings: learning rate, optimiser, momentum, L1/L2, seed, validation split, limits.

Each control writes one TrainingConfig field through `TrainingClock.set_setting` (one undo
step; repeated edits of the same field merge) and follows the settings when they change
elsewhere (undo, redo, another copy of the control, opening a file).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox, QApplication, QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout,
    QHBoxLayout, QLabel, QLayout, QSlider, QSpinBox, QWidget,
)

from ...engine.limits import TRAINING_BOUNDS
from ...session.session import Session
from ...session.training_clock import TrainingClock

LR_MIN, LR_MAX = 1e-4, 10.0            # the slider's ends
# The exact field may go further (e.g. to see divergence), as far as the file format allows.
FIELD_MIN = TRAINING_BOUNDS["learning_rate"].low
FIELD_MAX = TRAINING_BOUNDS["learning_rate"].high
SLIDER_STEPS = 500

OPTIMIZER_LABELS = {
    "batch": "Batch gradient descent",
    "minibatch": "Mini-batch gradient descent",
    "sgd": "Stochastic gradient descent",
}

TIPS = {
    "learning_rate": (
        "Learning rate α: how big a step each update takes, W ← W − α·∂L/∂W. Too small and "
        "learning crawls; too large and the loss jumps around or blows up. Try 0.01 … 1."),
    "optimizer": (
        "How many samples each update looks at. Batch: all of them (smooth but slow). "
        "Mini-batch: a few at a time, shuffled every epoch (the usual choice). "
        "Stochastic: one sample at a time (fast, noisy steps)."),
    "batch_size": "Samples per update for mini-batch gradient descent.",
    "momentum": (
        "Momentum μ: keep part of the previous step, v ← μ·v − α·∂L/∂W, W ← W + v. Like a ball "
        "rolling downhill it speeds up on long slopes and smooths zig-zags. 0 = no momentum, "
        "0.9 is common."),
    "l2": (
        "L2 regularisation (weight decay): adds λ·W to every weight's gradient, pulling "
        "weights towards zero so the network prefers simple, smooth solutions. 0 = off."),
    "l1": (
        "L1 regularisation: adds λ·sign(W) to every weight's gradient, pushing small weights "
        "to exactly zero (a sparse network). 0 = off."),
    "seed": (
        "Random seed: fixes the starting weights (when you reset), the order samples are "
        "shuffled in and the validation split. The same seed gives the same run again."),
    "validation_fraction": (
        "Share of the samples kept aside for validation: the network never trains on them, "
        "so their loss shows how well it does on data it has not seen. 0 % = no validation."),
    "max_epochs": (
        "Stop by itself when the history reaches this many epochs (one epoch = every "
        "training sample seen once)."),
    "target_loss": "Stop by itself as soon as the training loss is this small.",
}


def lr_to_slider(lr: float) -> int:
    t = (math.log10(min(max(lr, LR_MIN), LR_MAX)) - math.log10(LR_MIN)) / (
        math.log10(LR_MAX) - math.log10(LR_MIN))
    return int(round(t * SLIDER_STEPS))


def slider_to_lr(position: int) -> float:
    """The slider's rate, rounded to two significant digits (0.1, 0.12, 0.15 …)."""
    exponent = math.log10(LR_MIN) + position / SLIDER_STEPS * (math.log10(LR_MAX) - math.log10(LR_MIN))
    value = 10.0 ** exponent
    return float(f"{value:.2g}")


def format_rate(lr: float) -> str:
    return f"{lr:g}"


class RateSpinBox(QDoubleSpinBox):
    """A spin box that writes 0.1 rather than 0.1000 (the value keeps six decimals)."""

    def textFromValue(self, value: float) -> str:
        return f"{value:.6g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text.replace(",", ".").strip())
        except ValueError:
            return self.value()


class LearningRateControl(QWidget):
    """A log-scaled slider (10⁻⁴ … 10) and an exact field, kept in step."""

    def __init__(self, clock: TrainingClock, compact: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("learning_rate_slider")
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setPageStep(SLIDER_STEPS // 10)
        self.slider.setMinimumWidth(90 if compact else 140)
        if compact:
            self.slider.setMaximumWidth(150)
        self.slider.setToolTip(TIPS["learning_rate"] + " The slider is logarithmic: each fifth "
                               "of it is ten times more.")
        self.field = RateSpinBox()
        self.field.setObjectName("learning_rate_field")
        self.field.setDecimals(6)
        self.field.setRange(FIELD_MIN, FIELD_MAX)
        self.field.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.field.setKeyboardTracking(False)
        self.field.setAccelerated(True)
        self.field.setToolTip(TIPS["learning_rate"])
        self.field.setAccessibleName("Learning rate")
        if compact:
            self.field.setMaximumWidth(90)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.field)
        if compact:
            # No wider than its slider and field at their widest: in a wide toolbar the
            # spare room went into gaps, and at 1920 px the slider stood far from its label.
            layout.setSizeConstraint(QLayout.SizeConstraint.SetMaximumSize)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.field.valueChanged.connect(self._on_field_changed)
        clock.settings_changed.connect(self._update)
        self._update()

    def _on_slider_moved(self, position: int) -> None:
        self._set(slider_to_lr(position))

    def _on_field_changed(self, value: float) -> None:
        self._set(value)

    def _set(self, lr: float) -> None:
        lr = min(max(float(lr), FIELD_MIN), FIELD_MAX)
        self.clock.set_setting("learning_rate", lr, f"Set learning rate to {format_rate(lr)}")
        self._update()

    def _update(self) -> None:
        lr = self.clock.session.training.learning_rate
        with QSignalBlocker(self.slider), QSignalBlocker(self.field):
            self.slider.setValue(lr_to_slider(lr))
            self.field.setValue(lr)


class TrainingSettings(QWidget):
    """Every training setting in one form, each explained in its tooltip."""

    message_posted = Signal(str)

    def __init__(self, clock: TrainingClock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("training_settings")
        self.clock = clock
        self.session: Session = clock.session
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

        self.learning_rate = LearningRateControl(clock)
        self.optimizer = QComboBox()
        self.optimizer.setObjectName("optimizer_combo")
        for key, label in OPTIMIZER_LABELS.items():
            self.optimizer.addItem(label, key)
        # Ranges from engine.limits: every value a file may hold, and no more.
        self.batch_size = self._int_box("batch_size_box", "batch_size")
        self.momentum = self._rate_box("momentum_box", "momentum", 0.05)
        self.l2 = self._rate_box("l2_box", "l2", 0.0001)
        self.l1 = self._rate_box("l1_box", "l1", 0.0001)
        self.seed = self._int_box("seed_box", "seed")
        bound = TRAINING_BOUNDS["validation_fraction"]
        self.validation = self._percent_box("validation_box", bound.low, bound.high)
        self.stop_epochs_check = QCheckBox("Stop after")
        self.stop_epochs_check.setObjectName("stop_epochs_check")
        self.stop_epochs = self._int_box("stop_epochs_box", "max_epochs")
        self.stop_epochs.setSuffix(" epochs")
        self.stop_loss_check = QCheckBox("Stop at loss")
        self.stop_loss_check.setObjectName("stop_loss_check")
        self.stop_loss = self._rate_box("stop_loss_box", "target_loss", 0.001)
        # What the limits start at when switched on.
        self.stop_epochs.setValue(100)
        self.stop_loss.setValue(0.01)

        form.addRow(self._label("Learning rate", "learning_rate"), self.learning_rate)
        form.addRow(self._label("Optimiser", "optimizer"), self.optimizer)
        form.addRow(self._label("Batch size", "batch_size"), self.batch_size)
        form.addRow(self._label("Momentum", "momentum"), self.momentum)
        form.addRow(self._label("L2 (weight decay)", "l2"), self.l2)
        form.addRow(self._label("L1", "l1"), self.l1)
        form.addRow(self._label("Seed", "seed"), self.seed)
        form.addRow(self._label("Validation", "validation_fraction"), self.validation)
        form.addRow(self.stop_epochs_check, self.stop_epochs)
        form.addRow(self.stop_loss_check, self.stop_loss)
        for widget, key in ((self.optimizer, "optimizer"), (self.batch_size, "batch_size"),
                            (self.momentum, "momentum"), (self.l2, "l2"), (self.l1, "l1"),
                            (self.seed, "seed"), (self.validation, "validation_fraction"),
                            (self.stop_epochs_check, "max_epochs"), (self.stop_epochs, "max_epochs"),
                            (self.stop_loss_check, "target_loss"), (self.stop_loss, "target_loss")):
            widget.setToolTip(TIPS[key])

        self.optimizer.currentIndexChanged.connect(self._on_optimizer_chosen)
        self.batch_size.valueChanged.connect(lambda v: self._set("batch_size", int(v), f"Set batch size to {v}"))
        self.momentum.valueChanged.connect(lambda v: self._set("momentum", v, f"Set momentum to {v:g}"))
        self.l2.valueChanged.connect(lambda v: self._set("l2", v, f"Set L2 to {v:g}"))
        self.l1.valueChanged.connect(lambda v: self._set("l1", v, f"Set L1 to {v:g}"))
        self.seed.valueChanged.connect(lambda v: self._set("seed", int(v), f"Set seed to {v}"))
        self.validation.valueChanged.connect(
            lambda v: self._set("validation_fraction", round(v / 100.0, 6),
                                f"Keep {v:g} % for validation"))
        self.stop_epochs_check.toggled.connect(self._on_stop_epochs_changed)
        self.stop_epochs.valueChanged.connect(self._on_stop_epochs_changed)
        self.stop_loss_check.toggled.connect(self._on_stop_loss_changed)
        self.stop_loss.valueChanged.connect(self._on_stop_loss_changed)
        clock.settings_changed.connect(self._update)
        self.session.dataset_changed.connect(self._update)
        self._update()

    # ----- widgets -----------------------------------------------------------------------------

    def _label(self, text: str, key: str) -> QLabel:
        label = QLabel(text)
        label.setToolTip(TIPS[key])
        return label

    @staticmethod
    def _rate_box(name: str, field: str, step: float) -> RateSpinBox:
        bound = TRAINING_BOUNDS[field]
        box = RateSpinBox()
        box.setObjectName(name)
        box.setRange(bound.low, bound.high)
        box.setDecimals(6)
        box.setSingleStep(step)
        box.setKeyboardTracking(False)
        box.setAccelerated(True)
        return box

    @staticmethod
    def _int_box(name: str, field: str) -> QSpinBox:
        bound = TRAINING_BOUNDS[field]
        box = QSpinBox()
        box.setObjectName(name)
        box.setRange(int(bound.low), int(bound.high))
        box.setKeyboardTracking(False)
        box.setAccelerated(True)
        return box

    @staticmethod
    def _percent_box(name: str, low: float, high: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setObjectName(name)
        box.setRange(100 * low, 100 * high)
        box.setDecimals(1)
        box.setSingleStep(5)
        box.setSuffix(" %")
        box.setKeyboardTracking(False)
        box.setAccelerated(True)
        return box

    # ----- edits -------------------------------------------------------------------------------

    def _set(self, field: str, value, text: str) -> None:
        try:
            self.clock.set_setting(field, value, text)
        except ValueError as exc:
            self.message_posted.emit(str(exc))
            QApplication.beep()
            self._update()

    def _on_optimizer_chosen(self, _index: int) -> None:
        key = self.optimizer.currentData()
        self._set("optimizer", key, f"Use {OPTIMIZER_LABELS[key].lower()}")
        self._update()

    def _on_stop_epochs_changed(self, *_args) -> None:
        value = self.stop_epochs.value() if self.stop_epochs_check.isChecked() else None
        text = f"Stop after {value} epochs" if value else "Train without an epoch limit"
        self._set("max_epochs", value, text)
        self._update()

    def _on_stop_loss_changed(self, *_args) -> None:
        value = self.stop_loss.value() if self.stop_loss_check.isChecked() else None
        text = f"Stop at loss {value:g}" if value is not None else "Train without a target loss"
        self._set("target_loss", value, text)
        self._update()

    def _update(self) -> None:
        c = self.session.training
        widgets = (self.optimizer, self.batch_size, self.momentum, self.l2, self.l1, self.seed,
                   self.validation, self.stop_epochs_check, self.stop_epochs,
                   self.stop_loss_check, self.stop_loss)
        blockers = [QSignalBlocker(w) for w in widgets]
        self.optimizer.setCurrentIndex(max(0, self.optimizer.findData(c.optimizer)))
        self.batch_size.setMaximum(max(1, self.session.dataset.n_samples, c.batch_size))
        self.batch_size.setValue(c.batch_size)
        self.batch_size.setEnabled(c.optimizer == "minibatch")
        self.momentum.setValue(c.momentum)
        self.l2.setValue(c.l2)
        self.l1.setValue(c.l1)
        self.seed.setValue(c.seed)
        self.validation.setValue(c.validation_fraction * 100)
        self.stop_epochs_check.setChecked(c.max_epochs is not None)
        self.stop_epochs.setEnabled(c.max_epochs is not None)
        if c.max_epochs is not None:
            self.stop_epochs.setValue(c.max_epochs)
        self.stop_loss_check.setChecked(c.target_loss is not None)
        self.stop_loss.setEnabled(c.target_loss is not None)
        if c.target_loss is not None:
            self.stop_loss.setValue(c.target_loss)
        del blockers
