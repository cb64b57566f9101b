"""The update step as a table: for each parameter of a layer, old value, α, gradient, new value.

The numbers are the update steps' own (old = the step's W or b, new = its result), so the
table, the worked calculation and the network after "Apply update" agree to the last digit.
Sorting by the gradient column sorts by its size |∂L/∂w|: the parameters that move most.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QStyle, QTableView, QVBoxLayout, QWidget,
)

from ...engine.notation import sup
from ...engine.walkthrough import Step
from ..common.formatting import fmt, full

COLUMNS = ("Parameter", "Old value", "α", "∂L/∂θ", "New value")
# In a narrow panel: short headers (the tooltips say the rest), then no α column (the caption
# gives its value), so every number shows whole and no sideways scroll bar appears.
SHORT_COLUMNS = ("θ", "Old", "α", "∂L/∂θ", "New")
ALPHA_COLUMN = 2
HEADER_TIPS = (
    "Which weight W[j,i] (into neuron j from neuron i) or bias b[j]; indices start at 1",
    "The parameter before this gradient-descent step",
    "The learning rate α: how big a step to take",
    "The gradient: how much the loss rises per unit increase of the parameter "
    "(sorting this column sorts by its size |∂L/∂θ|)",
    "The parameter after the step: old value − α · gradient",
)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def header_width(header: QHeaderView, section: int) -> int:
    """The width `section`'s title needs whole: Qt's size of its contents, which reserves
    room for the sort arrow in every section, though only the sorted one draws it."""
    size = header.sectionSizeFromContents(section)
    if header.isSortIndicatorShown() and section != header.sortIndicatorSection():
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        return size.width() - size.height() - margin
    return size.width()


class UpdateTableModel(QAbstractTableModel):
    """One row per weight and bias of one layer."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, float, float, float, float]] = []   # name, old, α, grad, new
        self.short_headers = False

    def set_short_headers(self, short: bool) -> None:
        if short != self.short_headers:
            self.short_headers = short
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    def set_steps(self, update_w: Step | None, update_b: Step | None) -> None:
        self.beginResetModel()
        self._rows = []
        for step, p in ((update_w, "W"), (update_b, "b")):
            if step is None:
                continue
            s = sup(step.layer)
            old = np.asarray(step.operands[f"{p}{s}"])
            grad = np.asarray(step.operands[f"∂L/∂{p}{s}"])
            alpha = float(step.operands["α"])
            new = np.asarray(step.result)
            for idx in np.ndindex(old.shape):
                name = f"{p}{s}[{','.join(str(i + 1) for i in idx)}]"
                self._rows.append((name, float(old[idx]), alpha, float(grad[idx]), float(new[idx])))
        self.endResetModel()

    def row_values(self, row: int) -> tuple[str, float, float, float, float]:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def _value(self, row: int, col: int) -> float | str:
        name, old, alpha, grad, new = self._rows[row]
        return (name, old, alpha, grad, new)[col]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        value = self._value(row, col)
        if role == Qt.ItemDataRole.DisplayRole:
            return value if col == 0 else fmt(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            name, old, alpha, grad, new = self._rows[row]
            if col == 0:
                return None
            if col == 4:
                return (f"{name}: {full(old)} − {full(alpha)} · {full(grad)} = {full(new)}"
                        f"<br>(it moves by {fmt(-alpha * grad)})")
            return f"{name}: {COLUMNS[col]} = {full(value)}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignLeft if col == 0 else Qt.AlignmentFlag.AlignRight
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            if col == 0:
                return row  # parameter order
            return abs(value) if col == 3 else value
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (SHORT_COLUMNS if self.short_headers else COLUMNS)[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{COLUMNS[section]}: {HEADER_TIPS[section]}"
        return None


class UpdateTable(QWidget):
    """The table with a one-line caption; sortable by clicking a header."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = UpdateTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.setToolTip("Every parameter of this layer before and after the step; "
                             "click a column header to sort (∂L/∂θ sorts by size)")
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(24)
        # Columns are sized to their widest text (_fit_columns), never cut to "−0.00…".
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.view)

    def set_steps(self, update_w: Step | None, update_b: Step | None) -> None:
        self.model.set_steps(update_w, update_b)
        layer = (update_w or update_b).layer if (update_w or update_b) else None
        n = self.model.rowCount()
        step = update_w or update_b
        alpha = f" (α = {fmt(float(step.operands['α']))})" if step is not None else ""
        self.caption.setText(
            f"<b>All {n} parameters of layer {layer}</b> (weights W{sup(layer)} and biases "
            f"b{sup(layer)}), each moved by −α · gradient{alpha}:" if layer else "")
        # Tall enough for about eight rows; the table scrolls for more.
        rows = min(max(n, 3), 8)
        h = self.view.horizontalHeader().sizeHint().height()
        self.view.setMinimumHeight(h + rows * self.view.verticalHeader().defaultSectionSize() + 4)
        self._fit_columns()

    def _column_width(self, column: int) -> int:
        """What column `column` needs: its header or its widest entry, whole."""
        fm = self.view.fontMetrics()
        model = self.proxy
        texts = (str(model.data(model.index(r, column))) for r in range(model.rowCount()))
        widest = max((fm.horizontalAdvance(t) for t in texts), default=0)
        cell_margin = 2 * (self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        return max(widest + cell_margin + 4, header_width(self.view.horizontalHeader(), column))

    def _fit_columns(self) -> None:
        """Size the columns to the table's width: full headers if they fit, else short ones,
        else without the α column; what is left over is shared out."""
        view = self.view
        available = view.viewport().width()
        if available <= 0:
            return
        columns: list[int] = []
        widths: list[int] = []
        for short, alpha in ((False, True), (True, True), (True, False)):
            self.model.set_short_headers(short)
            view.setColumnHidden(ALPHA_COLUMN, not alpha)
            columns = [c for c in range(len(COLUMNS)) if alpha or c != ALPHA_COLUMN]
            widths = [self._column_width(c) for c in columns]
            if sum(widths) <= available:
                break
        spare = max(0, available - sum(widths))
        wide = [c for c in columns if c != ALPHA_COLUMN]   # α needs no room to spare
        for c, w in zip(columns, widths):
            share = spare // len(wide) if c in wide else 0
            view.setColumnWidth(c, w + share)

    def fits(self) -> bool:
        """Whether every shown column is as wide as its widest text and all fit the table."""
        view = self.view
        shown = [c for c in range(len(COLUMNS)) if not view.isColumnHidden(c)]
        return (all(view.columnWidth(c) >= self._column_width(c) for c in shown)
                and sum(view.columnWidth(c) for c in shown) <= view.viewport().width())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def displayed_rows(self) -> list[list[str]]:
        """The texts of every row in the order shown."""
        proxy = self.proxy
        return [[proxy.data(proxy.index(r, c)) for c in range(proxy.columnCount())]
                for r in range(proxy.rowCount())]
