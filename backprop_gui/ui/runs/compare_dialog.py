"""Train ▸ Compare…: choose 2–4 settings and a number of epochs; copies of the current
network train from the same weights, one per setting, and are kept as named runs.

The training runs in slices on the GUI thread (session.compare_runner), with a progress
bar and Cancel; the dialog closes itself when the runs are kept.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QGridLayout, QLabel,
    QLineEdit, QProgressBar, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from ...engine.compare import (MAX_COMPARE_EPOCHS, MAX_VARIANTS, MIN_VARIANTS, PRESETS,
                               CompareJob, Variant, preset_variants, variant_name)
from ...engine.limits import MAX_RUN_NAME, TRAINING_BOUNDS
from ...engine.project import OPTIMIZERS
from ...session.compare_runner import CompareRunner
from ...session.session import Session
from ..training.training_settings import OPTIMIZER_LABELS, TIPS, RateSpinBox

CUSTOM = "Custom"
DEFAULT_EPOCHS = 100
INTRO = ("Train copies of the current network once per setting, all from the same starting "
         "weights and with the same shuffling seed, so their loss curves differ only by the "
         "setting. The curves appear side by side in the Loss plot.")


class VariantRow:
    """The widgets of one setting in the grid: name, optimizer, batch size, α, momentum."""

    def __init__(self, index: int) -> None:
        self.name = QLineEdit()
        self.name.setMaxLength(MAX_RUN_NAME)
        self.name.setObjectName(f"variant_name_{index}")
        self.name.setToolTip("The run's name in the legend")
        # Wide enough for the longest name a preset gives.
        self.name.setMinimumWidth(self.name.fontMetrics().horizontalAdvance(
            "Mini-batch of 64, α = 0.01, momentum 0.9") + 12)
        self.optimizer = QComboBox()
        self.optimizer.setObjectName(f"variant_optimizer_{index}")
        for key in OPTIMIZERS:
            self.optimizer.addItem(OPTIMIZER_LABELS[key].replace(" gradient descent", ""), key)
        self.optimizer.setToolTip(TIPS["optimizer"])
        bound = TRAINING_BOUNDS["batch_size"]
        self.batch_size = QSpinBox()
        self.batch_size.setObjectName(f"variant_batch_size_{index}")
        self.batch_size.setRange(int(bound.low), int(bound.high))
        self.batch_size.setToolTip(TIPS["batch_size"])
        bound = TRAINING_BOUNDS["learning_rate"]
        self.learning_rate = RateSpinBox()
        self.learning_rate.setObjectName(f"variant_learning_rate_{index}")
        self.learning_rate.setRange(bound.low, bound.high)
        self.learning_rate.setDecimals(6)
        self.learning_rate.setSingleStep(0.01)
        self.learning_rate.setToolTip(TIPS["learning_rate"])
        bound = TRAINING_BOUNDS["momentum"]
        self.momentum = QDoubleSpinBox()
        self.momentum.setObjectName(f"variant_momentum_{index}")
        self.momentum.setRange(bound.low, bound.high)
        self.momentum.setDecimals(3)
        self.momentum.setSingleStep(0.1)
        self.momentum.setToolTip(TIPS["momentum"])

    def widgets(self) -> list[QWidget]:
        return [self.name, self.optimizer, self.batch_size, self.learning_rate, self.momentum]

    def show(self, config, name: str) -> None:
        self.optimizer.setCurrentIndex(self.optimizer.findData(config.optimizer))
        self.batch_size.setValue(int(config.batch_size))
        self.learning_rate.setValue(config.learning_rate)
        self.momentum.setValue(config.momentum)
        self.batch_size.setEnabled(config.optimizer == "minibatch")
        self.name.setText(name)

    def changes(self) -> dict:
        return {"optimizer": self.optimizer.currentData(), "batch_size": self.batch_size.value(),
                "learning_rate": self.learning_rate.value(), "momentum": self.momentum.value()}

    def variant(self) -> Variant:
        return Variant(self.name.text().strip(), self.changes())


class CompareDialog(QDialog):
    """Choose the settings, then watch them train; `message_posted` says what was kept."""

    message_posted = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compare_dialog")
        self.setWindowTitle("Compare Settings")
        self.session = session
        self.runner: CompareRunner | None = None
        self._filling = False
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.preset = QComboBox()
        self.preset.setObjectName("compare_preset")
        for key, label in PRESETS.items():
            self.preset.addItem(label, key)
        self.preset.addItem(CUSTOM, CUSTOM)
        self.preset.setToolTip("Settings that show a classic difference; change any of them "
                               "below for your own comparison")
        self.preset.currentIndexChanged.connect(self._on_preset)
        self.epochs = QSpinBox()
        self.epochs.setObjectName("compare_epochs")
        self.epochs.setRange(1, MAX_COMPARE_EPOCHS)
        self.epochs.setValue(DEFAULT_EPOCHS)
        self.epochs.setToolTip("Every setting trains this many epochs (passes over the "
                               "training samples)")
        form = QFormLayout()
        form.addRow("Compare:", self.preset)
        form.addRow("Epochs:", self.epochs)

        self.grid = QGridLayout()
        for col, head in enumerate(("Name", "Optimizer", "Batch", "Learning rate α", "Momentum")):
            self.grid.addWidget(QLabel(f"<b>{head}</b>"), 0, col)
        self.grid.setColumnStretch(0, 1)
        self.rows = [VariantRow(i) for i in range(MAX_VARIANTS)]
        for r, row in enumerate(self.rows, start=1):
            for col, widget in enumerate(row.widgets()):
                self.grid.addWidget(widget, r, col)
            for box in (row.optimizer, row.batch_size, row.learning_rate, row.momentum):
                signal = box.currentIndexChanged if box is row.optimizer else box.valueChanged
                signal.connect(lambda *_a, row=row: self._on_edited(row))
        self.add_button = QPushButton("Add a setting")
        self.add_button.setObjectName("compare_add")
        self.add_button.clicked.connect(lambda: self._set_count(self._count + 1, custom=True))
        self.remove_button = QPushButton("Remove a setting")
        self.remove_button.setObjectName("compare_remove")
        self.remove_button.clicked.connect(lambda: self._set_count(self._count - 1, custom=True))

        self.status = QLabel()
        self.status.setObjectName("compare_status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)   # it quotes run names
        self.progress = QProgressBar()
        self.progress.setObjectName("compare_progress")
        self.progress.hide()
        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("Train and compare",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName("compare_start")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(self.grid)
        edit_row = QDialogButtonBox()
        edit_row.addButton(self.add_button, QDialogButtonBox.ButtonRole.ActionRole)
        edit_row.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(edit_row)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self._count = 0
        self._on_preset()

    # ----- choosing ---------------------------------------------------------------------

    @property
    def base(self):
        return self.session.training

    def _on_preset(self, *_args) -> None:
        key = self.preset.currentData()
        if key == CUSTOM:
            return
        variants = preset_variants(key, self.base)
        self._filling = True
        for row, variant in zip(self.rows, variants):
            row.show(variant.config(self.base), variant.name)
        self._filling = False
        self._set_count(len(variants))

    def _set_count(self, count: int, custom: bool = False) -> None:
        count = max(MIN_VARIANTS, min(MAX_VARIANTS, count))
        for i, row in enumerate(self.rows):
            if i >= self._count and i < count and custom:
                # A new row starts as the current settings.
                self._filling = True
                config = replace(self.base, max_epochs=None, target_loss=None)
                row.show(config, variant_name(config))
                self._filling = False
            for widget in row.widgets():
                widget.setVisible(i < count)
        self._count = count
        self.add_button.setEnabled(count < MAX_VARIANTS)
        self.remove_button.setEnabled(count > MIN_VARIANTS)
        if custom:
            self._mark_custom()
        self._update_status()

    def _on_edited(self, row: VariantRow) -> None:
        if self._filling:
            return
        config = replace(self.base, **row.changes())
        row.batch_size.setEnabled(config.optimizer == "minibatch")
        row.name.setText(variant_name(config))
        self._mark_custom()

    def _mark_custom(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData(CUSTOM))
        self.preset.blockSignals(False)

    def variants(self) -> list[Variant]:
        return [row.variant() for row in self.rows[:self._count]]

    def _update_status(self) -> None:
        room = self.session.runs.room
        if room < self._count:
            self.status.setText(f"The project keeps at most {len(self.session.runs) + room} runs: "
                                f"delete {self._count - room} in the Loss plot's list first.")
        else:
            self.status.setText("")
        self.start_button.setEnabled(room >= self._count)

    # ----- training ---------------------------------------------------------------------

    def start(self) -> None:
        try:
            job = CompareJob(self.session.network, self.session.dataset, self.base,
                             self.variants(), self.epochs.value())
        except ValueError as exc:
            self.status.setText(str(exc)[0].upper() + str(exc)[1:] + ".")
            return
        self.runner = CompareRunner(self.session, job, self)
        self.runner.progressed.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        for row in self.rows:
            for widget in row.widgets():
                widget.setEnabled(False)
        for widget in (self.preset, self.epochs, self.add_button, self.remove_button,
                       self.start_button):
            widget.setEnabled(False)
        self.progress.setRange(0, max(job.total_steps, 1))
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText("Training…")
        self.runner.start()

    def _on_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setValue(min(done, self.progress.maximum()))
        if name:
            job = self.runner.job
            self.status.setText(f"Training “{name}” ({job.current + 1} of {len(job.variants)})")

    def _on_finished(self, message: str) -> None:
        kept = self.runner is not None and self.runner.job.done
        self.message_posted.emit(message)
        self.runner = None
        if kept:
            self.accept()
        else:
            super().reject()

    def reject(self) -> None:
        if self.runner is not None and self.runner.running:
            self.runner.cancel()        # emits finished: nothing kept, the dialog closes
            return
        super().reject()
