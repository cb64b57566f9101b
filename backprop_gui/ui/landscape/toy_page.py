"""Gradient descent on a toy function f(x, y): a click places the start, Step takes one
update and writes out its numbers, Play animates the descent and draws the path as it goes.

Play is a timer of this page's own: the toy descent is not training, so it does not go
through the training clock (see docs/ARCHITECTURE.md); it stops by itself when the point
settles, diverges or has taken PLAY_LIMIT steps.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ...engine.landscape import (
    DIVERGENCE_LIMIT, TOY_FUNCTIONS, Descender, DescentStep, ToyFunction, get_toy_function, grid)
from ...engine.landscape_presets import PRESETS, Preset, presets_for
from ..plots.style import nice_ceiling
from ..common.formatting import fmt
from .contour_plot import ContourPlot
from .toy_controls import ToyControls
from .worked_step import divergence_text, minimum_text, step_lines, vec

GRID_POINTS = 161          # per side of the drawn surface
FIELD_POINTS = 13          # arrows per side of the optional field
PLAY_LIMIT = 2000          # steps Play takes at most
ARROW_SHARE = 0.15         # the longest current arrow, as a share of the view's width
CLICK_CELLS = 80           # a click snaps to a round step of about 1/80 of the view
INTRO = ("Click on the plot to place the start, then press Step to take one step of gradient "
         "descent: its numbers appear here.")


def snap(value: float, step: float) -> float:
    """`value` rounded to a multiple of `step`, without float dust (1.5, not 1.5000000000000002)."""
    return float(round(round(value / step) * step, 10)) + 0.0


class ToyPage(QWidget):
    """Descent on the bowl, the ravine or the bumpy surface (see engine/landscape.py)."""

    message_posted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("landscape_toy_page")
        self._fn: ToyFunction = TOY_FUNCTIONS["bowl"]
        self._start = (1.0, 1.5)
        self._walker: Descender | None = None
        self._path: list[np.ndarray] = []
        self._last: DescentStep | None = None
        self._gradient_scale = 1.0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._build()
        self._on_rates()
        self.show_function("bowl")

    # ----- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        c = ToyControls()
        self.function_combo, self.preset_combo, self.speed_combo = (
            c.function_combo, c.preset_combo, c.speed_combo)
        self.rate_spin, self.momentum_check, self.momentum_spin = (
            c.rate_spin, c.momentum_check, c.momentum_spin)
        self.noise_check, self.noise_spin, self.seed_spin = c.noise_check, c.noise_spin, c.seed_spin
        self.step_button, self.play_button, self.end_button, self.reset_button = (
            c.step_button, c.play_button, c.end_button, c.reset_button)
        self.field_check, self.view3d_check = c.field_check, c.view3d_check
        self.function_combo.currentIndexChanged.connect(
            lambda _i: self.show_function(self.function_combo.currentData()))
        self.preset_combo.activated.connect(self._on_preset)
        for widget in (self.rate_spin, self.momentum_spin, self.noise_spin):
            widget.valueChanged.connect(self._on_rates)
        for check in (self.momentum_check, self.noise_check):
            check.toggled.connect(self._on_rates)
        self.seed_spin.valueChanged.connect(lambda _v: self.reset())
        for button, slot in ((self.step_button, self.step), (self.play_button, self._toggle_play),
                             (self.end_button, self.run_to_end), (self.reset_button, self.reset)):
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
        self.speed_combo.currentIndexChanged.connect(self._on_speed)
        self.field_check.toggled.connect(lambda _on: self._draw_field())

        self.formula = QLabel()
        self.formula.setObjectName("landscape_formula")
        self.formula.setWordWrap(True)
        self.plot = ContourPlot("f(x, y)")
        self.plot.setToolTip("Click to place the start. The white arrow points along −∇f, "
                             "downhill; the orange line is the path taken.")
        self.plot.clicked.connect(self._on_click)
        self.view3d_check.toggled.connect(self.plot.set_3d)
        self.plot.hovered.connect(self._on_hover)
        self.plot.left.connect(lambda: self.readout.setText(" "))
        self.readout = QLabel(" ")
        self.readout.setObjectName("landscape_readout")
        self.status = QLabel()
        self.status.setObjectName("landscape_status")
        self.status.setWordWrap(True)
        self.worked = QPlainTextEdit()
        self.worked.setObjectName("landscape_worked")
        self.worked.setReadOnly(True)
        self.worked.setToolTip("The last step written out with its numbers")
        lines = self.worked.fontMetrics().lineSpacing()
        self.worked.setMinimumHeight(lines * 5 + 12)
        for label in (self.formula, self.readout, self.status):
            label.setTextFormat(Qt.TextFormat.PlainText)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(c.layout)
        layout.addWidget(self.formula)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)
        layout.addWidget(self.status)
        layout.addWidget(self.worked, 1)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.plot.fit_height_to(event.size().width())

    # ----- the public API (lessons call these) ------------------------------------------------

    @property
    def function(self) -> ToyFunction:
        return self._fn

    def show_function(self, name: str) -> None:
        """Show the toy function called `name` ("bowl", "ravine", "bumpy") from its first
        preset's start."""
        fn = get_toy_function(name)
        index = self.function_combo.findData(name)
        if self.function_combo.currentIndex() != index:
            self.function_combo.blockSignals(True)
            self.function_combo.setCurrentIndex(index)
            self.function_combo.blockSignals(False)
        if fn is self._fn and self._walker is not None:
            return
        self.pause()
        self._fn = fn
        self.preset_combo.setCurrentIndex(0)
        self.formula.setText(f"{fn.formula}\n{fn.gradient_formula}")
        self.formula.setToolTip(fn.description)
        X, Y, Z = grid(fn, fn.xlim, fn.ylim, GRID_POINTS)
        gx, gy = fn.gradient(X, Y)
        self._gradient_scale = float(np.median(np.hypot(gx, gy))) or 1.0
        self.plot.set_surface(Z, fn.xlim, fn.ylim)
        self._draw_field()
        first = presets_for(name)
        self._start = first[0].start if first else (0.5 * fn.xlim[1], 0.5 * fn.ylim[1])
        self.status.setText(fn.description)
        self.reset()

    def place_start(self, x: float, y: float) -> None:
        """Start the descent from (x, y) (the path so far is cleared)."""
        if not (math.isfinite(x) and math.isfinite(y)) or max(abs(x), abs(y)) > DIVERGENCE_LIMIT:
            self.status.setText(f"A start must be two numbers within |x|, |y| ≤ "
                                f"{DIVERGENCE_LIMIT:,.0f}.")
            return
        self._start = (float(x), float(y))
        self.status.setText("")
        self.reset()

    def set_learning_rate(self, value: float) -> None:
        self.rate_spin.setValue(value)

    def learning_rate(self) -> float:
        return self.rate_spin.value()

    def step(self) -> DescentStep | None:
        """Take one step; None when the descent has diverged (Reset to go on)."""
        walker = self._walker
        if walker is None or walker.diverged:
            return None
        step = walker.step()
        self._record(step)
        self._show_step(step)
        return step

    def play(self) -> None:
        if self._walker is None or self._walker.diverged or self._finished():
            return
        self._timer.start(round(1000 / self.speed_combo.currentData()))
        self.play_button.setText("Pause")

    def pause(self) -> None:
        self._timer.stop()
        self.play_button.setText("Play")

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def reset(self) -> None:
        """Back to the start: a fresh descent with the current rates."""
        self.pause()
        alpha, mu, sigma = self._rates()
        self._walker = Descender(self._fn, self._start, alpha, mu, sigma, self.seed_spin.value())
        self._path = [self._walker.point.copy()]
        self._last = None
        self.plot.set_start(*self._start)
        self._draw_position()
        self.worked.setPlainText(f"Start: p = {vec(self._start)}, "
                                 f"f(p) = {fmt(float(self._fn.f(*self._start)))}\n\n{INTRO}")

    def current_point(self) -> tuple[float, float]:
        p = self._walker.point if self._walker is not None else self._start
        return float(p[0]), float(p[1])

    def path(self) -> np.ndarray:
        """The points visited so far, (k + 1, 2)."""
        return np.array(self._path)

    def run_to_end(self) -> None:
        """Take the remaining steps Play would take, at once."""
        self.pause()
        walker = self._walker
        if walker is None:
            return
        step = None
        while not walker.diverged and not self._finished():
            step = walker.step()
            self._record(step)
        if step is not None:
            self._show_step(step)

    def apply_preset(self, name: str) -> Preset:
        """Set up the preset called `name` (its function, start and rates)."""
        preset = next((p for p in PRESETS if p.name == name), None)
        if preset is None:
            raise ValueError(f"no preset called {name!r}")
        self.show_function(preset.function)
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(name))
        for widget in (self.rate_spin, self.momentum_spin, self.noise_spin, self.seed_spin,
                       self.momentum_check, self.noise_check):
            widget.blockSignals(True)
        self.rate_spin.setValue(preset.learning_rate)
        self.momentum_check.setChecked(preset.momentum > 0)
        if preset.momentum:
            self.momentum_spin.setValue(preset.momentum)
        self.noise_check.setChecked(preset.noise > 0)
        if preset.noise:
            self.noise_spin.setValue(preset.noise)
        self.seed_spin.setValue(preset.seed)
        for widget in (self.rate_spin, self.momentum_spin, self.noise_spin, self.seed_spin,
                       self.momentum_check, self.noise_check):
            widget.blockSignals(False)
        self._start = preset.start
        self.reset()
        self.status.setText(preset.lesson)
        return preset

    # ----- stepping -------------------------------------------------------------------------

    def _rates(self) -> tuple[float, float, float]:
        mu = self.momentum_spin.value() if self.momentum_check.isChecked() else 0.0
        sigma = self.noise_spin.value() if self.noise_check.isChecked() else 0.0
        return self.rate_spin.value(), mu, sigma

    def _on_rates(self, *_args) -> None:
        self.momentum_spin.setEnabled(self.momentum_check.isChecked())
        self.noise_spin.setEnabled(self.noise_check.isChecked())
        self.seed_spin.setEnabled(self.noise_check.isChecked())
        if self._walker is not None and not self._walker.diverged:
            self._walker.set_rates(*self._rates())

    def _toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def _finished(self) -> bool:
        walker = self._walker
        return walker is None or walker.k >= PLAY_LIMIT or walker.settled()

    def _tick(self) -> None:
        step = self.step()
        if step is None or step.diverged or self._finished():
            self.pause()
            if step is not None and not step.diverged:
                self._show_end()

    def _record(self, step: DescentStep) -> None:
        if step.new_point is not None:
            self._path.append(step.new_point.copy())
        self._last = step
        if step.diverged:
            self.pause()

    def _show_step(self, step: DescentStep) -> None:
        self._draw_position()
        self.worked.setPlainText("\n".join(step_lines(self._fn, step)))
        if step.diverged:
            text = divergence_text(step)
            self.status.setText(text)
            self.message_posted.emit(text)
        elif self._finished():
            self._show_end()

    def _show_end(self) -> None:
        walker = self._walker
        if walker is None:
            return
        reached = minimum_text(self._fn, walker.point)
        how = "Settled" if walker.settled() else "Stopped"
        self.status.setText(f"{how} after {walker.k} steps at {vec(walker.point)}, "
                            f"f = {fmt(float(self._fn.f(*walker.point)))}. {reached}".strip())

    # ----- drawing --------------------------------------------------------------------------

    def _view_width(self) -> float:
        return self._fn.xlim[1] - self._fn.xlim[0]

    def _draw_position(self) -> None:
        path = np.array(self._path)
        # A diverged path leaves the view by far: draw only what stays near it.
        near = np.all(np.abs(path) < 10 * self._view_width(), axis=1)
        self.plot.set_path(path[near, 0], path[near, 1])
        x, y = self.current_point()
        self.plot.set_point(x, y)
        g = np.array(self._fn.gradient(x, y), dtype=np.float64)
        size = float(np.hypot(*g))
        if self._walker is not None and self._walker.diverged or size == 0 or not math.isfinite(size):
            self.plot.clear_arrow()
            return
        length = ARROW_SHARE * self._view_width() * math.tanh(size / self._gradient_scale)
        self.plot.set_arrow(x, y, -g[0] / size * length, -g[1] / size * length)

    def _draw_field(self) -> None:
        if not self.field_check.isChecked():
            self.plot.clear_field()
            return
        fn = self._fn
        X, Y, _ = grid(fn, fn.xlim, fn.ylim, FIELD_POINTS)
        gx, gy = (np.asarray(v, dtype=np.float64) for v in fn.gradient(X, Y))
        size = np.hypot(gx, gy)
        cell = self._view_width() / (FIELD_POINTS - 1)
        # Lengths grow with the square root of |∇f|: steep and gentle slopes both stay visible.
        scale = np.where(size > 0, 0.8 * cell * np.sqrt(size / size.max()) / np.where(size > 0, size, 1), 0)
        self.plot.set_field(X.ravel(), Y.ravel(), (-gx * scale).ravel(), (-gy * scale).ravel())

    def _on_click(self, x: float, y: float) -> None:
        step = nice_ceiling(self._view_width() / CLICK_CELLS, (1.0, 2.0, 5.0, 10.0))
        self.place_start(snap(x, step), snap(y, step))

    def _on_hover(self, x: float, y: float) -> None:
        self.readout.setText(f"x = {fmt(x)}, y = {fmt(y)}:  f = {fmt(float(self._fn.f(x, y)))}")

    def _on_speed(self, _index: int) -> None:
        if self.playing:
            self._timer.start(round(1000 / self.speed_combo.currentData()))

    def _on_preset(self, index: int) -> None:
        name = self.preset_combo.itemData(index)
        if name:
            self.apply_preset(name)
