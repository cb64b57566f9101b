"""Gradient check: backprop's gradients beside finite-difference estimates.

The estimate nudges each of the P parameters by ±ε and runs the network twice: 2·P forward
passes, against one backward pass for all of them, which is the point a student should
take away. Small networks are checked at once; large ones run in a background thread with
a progress bar and a Stop button (the engine's `gradient_check` runs unchanged on a copy
whose forward pass counts itself and can be told to stop).
"""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from ...engine.gradcheck import GradCheckReport, gradient_check
from ...engine.network import Network
from ...engine.notation import sup
from ...session.stepper import StepCursor
from ..common.formatting import fmt, full
from .gradcheck_cost_view import CostView

TOLERANCE = 1e-6
INSTANT_WORK = 100_000     # forward-pass rows below which the check runs at once


class _Stopped(Exception):
    pass


class _CountingNetwork(Network):
    """A copy whose forward passes are counted and can be stopped from another thread."""

    def __init__(self, net: Network, stop: threading.Event) -> None:
        super().__init__(net.sizes, net.activation_names, net.loss_name,
                         [W.copy() for W in net.weights], [b.copy() for b in net.biases])
        self.stop = stop
        self.passes = 0

    def forward(self, X):
        if self.stop.is_set():
            raise _Stopped()
        self.passes += 1
        return super().forward(X)


def work_estimate(net: Network, n_rows: int) -> int:
    return 2 * net.n_parameters * max(1, n_rows)


class GradCheckView(QWidget):
    """Runs the check on the cursor's scope and shows the comparison."""

    def __init__(self, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cursor = cursor
        self.session = cursor.session
        self.report: GradCheckReport | None = None
        self._stale = True
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._job: _CountingNetwork | None = None
        self._result: GradCheckReport | Exception | None = None

        self.intro = QLabel(
            "Is backprop right? Estimate each gradient the slow way: nudge one parameter by "
            "±ε, run the network twice and see how the loss changes. Backprop gets every "
            "gradient from one backward pass.")
        self.intro.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setToolTip("P is the number of weights and biases of the network")
        self.run_button = QPushButton("Run the check")
        self.run_button.setToolTip("Compare backprop's gradients with finite differences for "
                                   "every parameter (on the current sample or batch)")
        self.run_button.clicked.connect(self.run)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop the check")
        self.stop_button.clicked.connect(self.stop)
        self.progress = QProgressBar()
        self.progress.setToolTip("Forward passes done so far")
        self.poll = QTimer(self)
        self.poll.setInterval(100)
        self.poll.timeout.connect(self._on_poll)
        self.table = QTableWidget(0, 4)
        # Short headings: the table must fit a narrow dock without scrolling sideways.
        self.table.setHorizontalHeaderLabels(["Layer", "Error in W", "Error in b", ""])
        for col, tip in ((1, "The worst relative error over this layer's weights"),
                         (2, "The worst relative error over this layer's biases")):
            self.table.horizontalHeaderItem(col).setToolTip(tip)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setToolTip("Per layer, the largest relative error |backprop − estimate| / "
                              "max(|backprop|, |estimate|) over its parameters")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.selected = QLabel()
        self.selected.setWordWrap(True)
        self.selected.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.addWidget(self.intro)
        layout.addWidget(self.counts)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(self.selected)
        self.cost = CostView(cursor)
        layout.addWidget(self.cost)
        layout.addStretch(1)
        self._show_idle()

    # ----- running ----------------------------------------------------------------------------

    def invalidate(self) -> None:
        """The network or the data changed: the last result no longer applies."""
        self.stop()
        self._stale = True
        self.report = None
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Show the counts; run at once when the check is quick, else wait for the button."""
        net = self.session.network
        P = net.n_parameters
        self.counts.setText(f"P = {P} parameters, so the estimate needs <b>2·P = {2 * P} forward "
                            f"passes</b> (on {self.cursor.scope_description()}) vs <b>1 backward "
                            "pass</b> for backprop.")
        self.cost.refresh()
        if self._thread is not None:
            return
        if self._stale:
            try:
                X, _ = self.cursor.scope_data()
            except (ValueError, IndexError):
                self._show_idle()
                return
            if work_estimate(net, X.shape[0]) <= INSTANT_WORK:
                self.run()
            else:
                self._show_idle()
        else:
            self._show_report()

    def run(self) -> None:
        if self._thread is not None:
            return
        try:
            X, Y = self.cursor.scope_data()
        except (ValueError, IndexError) as exc:
            self.summary.setText(str(exc))
            return
        net = self.session.network
        if work_estimate(net, X.shape[0]) <= INSTANT_WORK:
            self._finish(gradient_check(net.copy(), X, Y))
            return
        self._stop = threading.Event()
        self._job = _CountingNetwork(net, self._stop)
        self._result = None
        self.progress.setRange(0, 2 * net.n_parameters)
        self.progress.setValue(0)
        job = self._job

        def work() -> None:
            try:
                self._result = gradient_check(job, X, Y)
            except _Stopped:
                self._result = None
            except Exception as exc:  # shown to the student, never lost in a thread
                self._result = exc
        self._thread = threading.Thread(target=work, name="gradient-check", daemon=True)
        self._thread.start()
        self.poll.start()
        self._show_running()

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join(timeout=5.0)
        self._thread = None
        self.poll.stop()
        self._show_idle()

    def _on_poll(self) -> None:
        if self._thread is None:
            return
        self.progress.setValue(min(self._job.passes, self.progress.maximum()))
        if self._thread.is_alive():
            return
        self._thread = None
        self.poll.stop()
        result = self._result
        if isinstance(result, GradCheckReport):
            self._finish(result)
        else:
            self._show_idle()
            if isinstance(result, Exception):
                self.summary.setText(f"The check failed: {result}")

    def _finish(self, report: GradCheckReport) -> None:
        self.report = report
        self._stale = False
        self._show_report()

    # ----- showing ----------------------------------------------------------------------------

    def _show_running(self) -> None:
        self.run_button.setEnabled(False)
        self.stop_button.setVisible(True)
        self.progress.setVisible(True)
        self.summary.setText("Checking… each parameter is nudged twice.")

    def _show_idle(self) -> None:
        self.run_button.setEnabled(True)
        self.stop_button.setVisible(False)
        self.progress.setVisible(False)
        if self.report is None:
            self.table.setRowCount(0)
            self.summary.setText("Press “Run the check” to compare the two for every parameter.")
            self.selected.setText("")

    def _show_report(self) -> None:
        self._show_idle()
        report = self.report
        if report is None:
            return
        self.table.setRowCount(len(report.layers))
        for row, check in enumerate(report.layers):
            ok = max(check.max_error_W, check.max_error_b) < TOLERANCE
            cells = [f"{check.layer}  (W{sup(check.layer)}, b{sup(check.layer)})",
                     fmt(check.max_error_W), fmt(check.max_error_b), "✓ agree" if ok else "✗ differ"]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    value = check.max_error_W if col == 1 else check.max_error_b
                    item.setToolTip(full(value))
                self.table.setItem(row, col, item)
        # Every row shows: the table is as tall as its rows (it never scrolls).
        self.table.setFixedHeight(self.table.horizontalHeader().height()
                                  + sum(self.table.rowHeight(r) for r in range(len(report.layers)))
                                  + 2 * self.table.frameWidth() + 2)
        worst = report.max_error
        verdict = ("backprop and the estimate agree." if report.passed(TOLERANCE)
                   else "they differ more than rounding explains.")
        self.summary.setText(
            f"Largest relative error {fmt(worst)} (ε = {fmt(report.eps)}): {verdict} "
            f"Errors below {fmt(TOLERANCE)} are rounding; a wrong gradient shows up as 0.01 or more.")
        self.selected.setText(self._selected_text(report))

    def _selected_text(self, report: GradCheckReport) -> str:
        sel = self.session.selection
        if sel is None or sel.is_neuron:
            return "Select a weight (an edge in the diagram) to see both numbers for it."
        if sel.param >= len(report.layers):
            return ""
        check = report.layers[sel.param]
        if sel.is_weight:
            idx: tuple = (sel.j, sel.i)
            analytic, numeric, err = check.dW_backprop, check.dW_numeric, check.dW_error
        else:
            idx = (sel.j,)
            analytic, numeric, err = check.db_backprop, check.db_numeric, check.db_error
        if any(i >= n for i, n in zip(idx, np.shape(analytic))):
            return ""
        return (f"<b>{sel.name}</b>: backprop ∂L/∂θ = {full(analytic[idx])}<br>"
                f"finite differences ≈ {full(numeric[idx])}<br>"
                f"relative error {fmt(err[idx])}")
