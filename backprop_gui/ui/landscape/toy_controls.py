"""The toy page's controls and the grid they sit in, kept apart from the page that drives
them: toy_page.py then reads as the descent it runs (step, play, reset, draw), not as a
list of fifteen widgets and their layout.

The widgets are made here without connections: what they do is the page's business, so the
page connects them to its own slots and keeps every widget under its old attribute name.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel, QPushButton,
    QSizePolicy, QSpinBox, QVBoxLayout,
)

from ...engine.landscape import TOY_FUNCTIONS
from ...engine.landscape_presets import PRESETS

SPEEDS = (5, 20, 100)      # steps per second Play can take
DEFAULT_SPEED = 20
NO_PRESET = "Presets…"


class ToyControls:
    """The surface and preset choosers, the rates, the Play speed, the view switches and the
    Step/Play/To End/Reset buttons; `layout` holds them, the choosers' four rows above the
    row of buttons."""

    def __init__(self) -> None:
        self.function_combo = QComboBox()
        self.function_combo.setObjectName("landscape_function")
        self.function_combo.setToolTip("The surface to descend")
        for fn in TOY_FUNCTIONS.values():
            self.function_combo.addItem(fn.title, fn.name)
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("landscape_preset")
        self.preset_combo.setToolTip("Ready-made starts and rates, each showing one lesson")
        self.preset_combo.addItem(NO_PRESET, None)
        for preset in PRESETS:
            self.preset_combo.addItem(preset.name, preset.name)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, preset.lesson,
                                          Qt.ItemDataRole.ToolTipRole)
        self.rate_spin = _spin("landscape_rate", 0.001, 5.0, 3, 0.01, 0.1,
                               "The learning rate α: how far each step goes along −∇f")
        self.momentum_check = QCheckBox("Momentum μ")
        self.momentum_check.setToolTip("Heavy-ball momentum: v ← μ·v − α·∇f, p ← p + v. The "
                                       "steps remember where they were going.")
        self.momentum_spin = _spin("landscape_momentum", 0.0, 0.99, 2, 0.05, 0.6,
                                   "μ: the share of the last step kept in the next")
        self.noise_check = QCheckBox("Noise σ")
        self.noise_check.setToolTip("SGD-style noise added to the gradient, fading away over "
                                    "200 steps, as a mini-batch's gradient is noisy")
        self.noise_spin = _spin("landscape_noise", 0.0, 20.0, 1, 0.5, 2.0,
                                "σ: the size of the noise at the first step")
        self.seed_spin = QSpinBox()
        self.seed_spin.setObjectName("landscape_seed")
        self.seed_spin.setRange(0, 9999)
        self.seed_spin.setPrefix("seed ")
        self.seed_spin.setToolTip("The random numbers of the noise: the same seed replays "
                                  "the same run")

        self.step_button = _button("Step", "Take one step of gradient descent")
        self.play_button = _button("Play", "Descend step by step, drawing the path")
        self.end_button = _button("To End", "Take every remaining step at once")
        self.reset_button = _button("Reset", "Back to the start point")
        self.speed_combo = QComboBox()
        self.speed_combo.setObjectName("landscape_speed")
        self.speed_combo.setToolTip("How fast Play steps")
        for speed in SPEEDS:
            self.speed_combo.addItem(f"{speed} steps/s", speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(DEFAULT_SPEED))
        self.field_check = QCheckBox("Arrow field")
        self.field_check.setToolTip("Show −∇f, the downhill direction, all over the surface")
        self.view3d_check = QCheckBox("3-D")
        self.view3d_check.setObjectName("landscape_toy_3d")
        self.view3d_check.setToolTip("Show the surface in 3-D (drag it to turn it)")
        self.layout = self._lay_out()

    def _lay_out(self) -> QVBoxLayout:
        for combo in (self.function_combo, self.preset_combo, self.speed_combo):
            # Narrow docks: the combo boxes shrink and elide rather than widen the panel.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        rate_label = QLabel("Learning rate α")
        rate_label.setToolTip(self.rate_spin.toolTip())
        controls = QGridLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.setHorizontalSpacing(6)
        shows = QHBoxLayout()
        shows.setContentsMargins(0, 0, 0, 0)
        shows.addWidget(self.field_check)
        shows.addWidget(self.view3d_check)
        shows.addStretch(1)
        rows = ((self.function_combo, None, self.preset_combo),
                (rate_label, self.rate_spin, self.speed_combo),
                (self.momentum_check, self.momentum_spin, shows),
                (self.noise_check, self.noise_spin, self.seed_spin))
        for row, (first, second, third) in enumerate(rows):
            if second is None:
                controls.addWidget(first, row, 0, 1, 2)
            else:
                controls.addWidget(first, row, 0)
                controls.addWidget(second, row, 1)
            if isinstance(third, QHBoxLayout):
                controls.addLayout(third, row, 2)
            else:
                controls.addWidget(third, row, 2)
        controls.setColumnStretch(0, 1)
        controls.setColumnStretch(2, 2)
        buttons = QGridLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for column, widget in enumerate((self.step_button, self.play_button, self.end_button,
                                         self.reset_button)):
            widget.setMinimumWidth(56)       # the style's 80 px would widen a narrow dock
            buttons.addWidget(widget, 0, column)
        layout = QVBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(controls)
        layout.addLayout(buttons)
        return layout


def _spin(name: str, low: float, high: float, decimals: int, step: float, value: float,
          tip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setValue(value)
    spin.setToolTip(tip)
    spin.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return spin


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(f"landscape_{text.lower().replace(' ', '_')}")
    button.setToolTip(tip)
    return button
