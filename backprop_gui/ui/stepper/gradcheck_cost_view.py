"""The cost argument under the gradient check: 2·P forward passes of finite differences
against one forward and one backward pass of backprop, both timed on this computer, and a
table of how the ratio grows with the network's size (engine.gradcheck_cost measures).

Timed again only when the network's shape or the data checked on changes (the times do not
depend on the weights' values): at once when it is quick, else when asked.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from ...engine.gradcheck_cost import CostFigures, cost_ladder, measure_cost
from ...session.stepper import StepCursor

INSTANT_PASSES = 20_000   # 2·P × rows below which the timing runs by itself (~0.1 s at most)
HEADINGS = ("Network", "P", "Finite\ndifferences", "Backprop", "Faster")


def duration(seconds: float) -> str:
    """A time as a person reads it, short enough for a narrow table: "2.92 s", "10.6 ms",
    "76.9 µs"."""
    if not math.isfinite(seconds):
        return "—"
    if seconds >= 1:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def times_faster(ratio: float) -> str:
    if not math.isfinite(ratio):
        return "—"
    return f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.1f}×"


def network_name(sizes: tuple[int, ...]) -> str:
    return "-".join(str(n) for n in sizes)


def cost_sentence(figures: CostFigures) -> str:
    """"316 forward passes: 10.6 ms; backprop (1 forward + 1 backward pass): 0.05 ms; 215×
    faster", saying when the first time is extrapolated."""
    text = (f"{figures.forward_passes:,} forward passes: "
            f"{duration(figures.finite_difference_seconds)}; backprop (1 forward + 1 backward "
            f"pass): {duration(figures.backprop_seconds)}; {times_faster(figures.ratio)} faster")
    if figures.estimated:
        text += (f" (the first {figures.measured_passes:,} passes timed, the rest "
                 "estimated from them)")
    return text + "."


class CostView(QWidget):
    """The measured cost of finite differences against backprop for the cursor's scope."""

    def __init__(self, cursor: StepCursor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cursor = cursor
        self.figures: CostFigures | None = None
        self.ladder: list[CostFigures] = []
        self._key: tuple | None = None
        self.title = QLabel("<b>Why backprop?</b> Both timed on this computer:")
        self.title.setWordWrap(True)
        self.sentence = QLabel()
        self.sentence.setObjectName("gradcheck_cost")
        self.sentence.setWordWrap(True)
        self.sentence.setTextFormat(Qt.TextFormat.PlainText)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.measure_button = QPushButton("Time them")
        self.measure_button.setObjectName("gradcheck_time_button")
        self.measure_button.setToolTip("Time 2·P forward passes against one forward and one "
                                       "backward pass, here and for networks of four sizes")
        self.measure_button.clicked.connect(self.measure)
        self.table = QTableWidget(0, len(HEADINGS))
        self.table.setObjectName("gradcheck_cost_table")
        self.table.setHorizontalHeaderLabels(list(HEADINGS))
        for col, tip in ((1, "P: the number of weights and biases"),
                         (2, "2·P forward passes (timed, or estimated from the first ones)"),
                         (3, "One forward and one backward pass"),
                         (4, "How many times faster backprop is: it grows with P")):
            self.table.horizontalHeaderItem(col).setToolTip(tip)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADINGS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip("Networks like this one with one hidden layer of 2, 8, 32 and 128 "
                              "neurons: finite differences cost 2·P passes of a network whose "
                              "pass itself grows with P, backprop one pass")
        self.table.hide()
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(self.measure_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.sentence)
        layout.addWidget(self.table)

    def _scope_key(self) -> tuple | None:
        try:
            X, _ = self.cursor.scope_data()
        except (ValueError, IndexError):
            return None
        return tuple(self.cursor.session.network.sizes), X.shape

    def refresh(self) -> None:
        """Time again if the network's shape or the data changed: at once when quick."""
        key = self._scope_key()
        if key is None:
            self.sentence.setText("No samples to time the passes on.")
            return
        if key == self._key:
            return
        self.figures, self.ladder = None, []
        net = self.cursor.session.network
        if 2 * net.n_parameters * key[1][0] <= INSTANT_PASSES:
            self.measure()
        else:
            self._key = None
            self.table.hide()
            self.sentence.setText(f"Finite differences need {2 * net.n_parameters:,} forward "
                                  "passes here; press “Time them” to see how long they take "
                                  "against backprop.")

    def measure(self) -> None:
        key = self._scope_key()
        if key is None:
            return
        X, Y = self.cursor.scope_data()
        net = self.cursor.session.network
        self.figures = measure_cost(net, X, Y, budget=0.1)
        self.ladder = cost_ladder(net, X, Y)
        self._key = key
        self.measure_button.setText("Time again")
        self._show()

    def _show(self) -> None:
        self.sentence.setText(cost_sentence(self.figures))
        self.table.setRowCount(len(self.ladder))
        for r, figures in enumerate(self.ladder):
            cells = (network_name(figures.sizes), f"{figures.n_parameters:,}",
                     f"{duration(figures.finite_difference_seconds)}"
                     + ("*" if figures.estimated else ""),
                     duration(figures.backprop_seconds), times_faster(figures.ratio))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if c == 2:
                    item.setToolTip(f"{figures.forward_passes:,} forward passes"
                                    + (f" (* estimated from the first {figures.measured_passes:,})"
                                       if figures.estimated else ""))
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + sum(self.table.rowHeight(r) for r in range(len(self.ladder)))
                                  + 2 * self.table.frameWidth() + 2)
        self.table.setVisible(bool(self.ladder))
