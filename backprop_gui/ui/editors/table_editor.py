"""The Input panel's editor of plain vectors: a spin box per input, and a table of every sample.

Datasets such as XOR (and images without a shape) are edited as numbers: one spin box per
input of the input shown (the selected sample, or the Try it input) and one per target
value of a regression table. Below them a read-only table lists every sample with its
target and the network's output ŷ now; clicking a row selects that sample. The pixel and
points editors are pixel_editor.py and points_editor.py; input_panel.py chooses among them.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (QDoubleSpinBox, QFormLayout, QFrame, QHeaderView, QLabel,
                               QScrollArea, QTableView, QVBoxLayout, QWidget)

from ...engine.limits import TABLE_VALUE
from ...engine.notation import input_name
from ...engine.overflow import fixed_text
from ...session.session import Session
from .try_it import locked_message


def uses_table_editor(dataset) -> bool:
    """Plain vectors, and images without a shape, are edited as numbers."""
    return dataset.kind == "table" or (dataset.kind == "image" and dataset.image_shape is None)


class SampleTableModel(QAbstractTableModel):
    """Every sample with its inputs, target and the network's output ŷ now, read on demand.

    A model rather than a filled QTableWidget: a dataset of 10,000 rows took 1.7 s to fill
    (an item per cell), while the view only ever asks for the few rows on screen."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._outputs: np.ndarray | None = None
        self._outputs_known = False

    def reset(self) -> None:
        """The samples or the network's shape changed: rows and columns start over."""
        self.beginResetModel()
        self._outputs_known = False
        self.endResetModel()

    def outputs_changed(self) -> None:
        """New outputs ŷ (a training frame, an edit): only the ŷ column changes."""
        self._outputs_known = False
        rows = self.rowCount()
        if rows:
            col = self.columnCount() - 1
            self.dataChanged.emit(self.index(0, col), self.index(rows - 1, col),
                                  [Qt.ItemDataRole.DisplayRole])

    def _output_rows(self) -> np.ndarray | None:
        if not self._outputs_known:
            try:
                self._outputs = self.session.dataset_trace().output
            except ValueError:
                self._outputs = None
            self._outputs_known = True
        return self._outputs

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.session.dataset.n_samples

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.session.dataset.n_inputs + 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        n = self.session.dataset.n_inputs
        if section == 0:
            return "#"
        if section <= n:
            return input_name(section - 1)
        return "target" if section == n + 1 else "ŷ"

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        ds, row, col = self.session.dataset, index.row(), index.column()
        if row >= ds.n_samples:
            return None
        if col == 0:
            return str(row + 1)
        if col <= ds.n_inputs:
            return f"{ds.inputs[row, col - 1]:.3g}"
        if col == ds.n_inputs + 1:
            if ds.is_regression:
                return ", ".join(f"{v:.3g}" for v in ds.values[row])
            return f"“{ds.class_names[ds.labels[row]]}”"
        outputs = self._output_rows()
        if outputs is None or row >= len(outputs):
            return "–"
        if outputs.shape[1] == 1:
            return fixed_text(outputs[row, 0], 3)
        k = int(outputs[row].argmax())
        name = ds.class_names[k] if k < ds.n_classes else str(k + 1)
        return f"“{name}” {fixed_text(outputs[row, k], 2)}"


class TableEditor(QWidget):
    """One spin box per input of the selected sample (for datasets such as XOR), and one per
    target value of a regression table (line, bump: x and y)."""

    message_posted = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.editable = True      # may the selected sample's values change (Edit sample)
        self.spin_boxes: list[QDoubleSpinBox] = []
        self.target_boxes: list[QDoubleSpinBox] = []
        self._form_host = QWidget()
        self._form = QFormLayout(self._form_host)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._scroll = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._form_host)
        self.intro = intro = QLabel(self)
        intro.setWordWrap(True)
        intro.setToolTip("Each input is one number the network receives; edits are undoable (Ctrl+Z).")
        self.model = SampleTableModel(session, self)
        self.overview = QTableView(self)
        self.overview.setModel(self.model)
        self.overview.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.overview.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.overview.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.overview.verticalHeader().hide()
        self.overview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.overview.setAlternatingRowColors(True)
        self.overview.setToolTip("Every sample with its target and the network's output ŷ now. "
                                 "Click a row to select that sample.")
        self.overview.setAccessibleName("All samples and outputs")
        self.overview.selectionModel().currentRowChanged.connect(self._on_row_clicked)
        overview_title = QLabel("<b>All samples</b>", self)
        overview_title.setToolTip(self.overview.toolTip())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(intro)
        layout.addWidget(scroll)
        layout.addWidget(overview_title)
        layout.addWidget(self.overview, 1)
        self._syncing = False
        session.dataset_changed.connect(self._update_values)
        session.sample_selected.connect(self._update_values)
        session.project_replaced.connect(self._update_values)
        session.try_input_changed.connect(self._update_values)
        session.dataset_changed.connect(self._on_dataset_changed)
        session.structure_changed.connect(self._on_dataset_changed)
        session.project_replaced.connect(self._on_dataset_changed)
        session.sample_selected.connect(self._select_row)
        session.values_changed.connect(self._update_overview)
        self._update_values()
        self._on_dataset_changed()

    def _number_box(self, tip: str, accessible: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self._form_host)
        box.setRange(TABLE_VALUE.low, TABLE_VALUE.high)
        box.setSingleStep(0.1)
        box.setDecimals(3)
        box.setKeyboardTracking(False)  # one undo entry per finished edit, not per digit
        box.setMinimumWidth(box.fontMetrics().horizontalAdvance("−1000.000") + 30)
        box.setToolTip(f"{tip} ({TABLE_VALUE.low:g} … {TABLE_VALUE.high:g}). Each change is one "
                       "undo step.")
        box.setAccessibleName(accessible)
        return box

    def _rebuild(self, n_inputs: int, n_targets: int) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self.spin_boxes, self.target_boxes = [], []
        for i in range(n_inputs):
            name = input_name(i)
            box = self._number_box(f"Input {name} of the input shown", f"Input {i + 1}")
            box.valueChanged.connect(lambda value, i=i: self._on_value_edited(i, value))
            self._form.addRow(f"{name} =", box)
            self.spin_boxes.append(box)
        for k in range(n_targets):
            name = "y" if n_targets == 1 else f"y{k + 1}"
            box = self._number_box(f"The target value {name} of the selected sample: what the "
                                   "network should output", f"Target {k + 1}")
            box.valueChanged.connect(lambda value, k=k: self._on_target_edited(k, value))
            self._form.addRow(f"{name} =", box)
            self.target_boxes.append(box)
        # Room for up to four rows without scrolling; longer vectors scroll.
        rows = n_inputs + n_targets
        row_h = self._form_host.sizeHint().height() / max(rows, 1)
        self._scroll.setMinimumHeight(int(row_h * min(rows, 4)) + 4)

    def set_editable(self, on: bool) -> None:
        self.editable = on
        self._update_values()

    def _update_values(self, *_args) -> None:
        trying = self.session.trying
        self.intro.setText("Your own input: type values and watch the output below." if trying else
                           "The inputs of this sample. Change a value and watch the output below."
                           if self.editable else
                           "The inputs of this sample (turn on Edit sample to change them).")
        ds = self.session.dataset
        if not uses_table_editor(ds) or not self.session.has_samples:
            return
        if len(self.spin_boxes) != ds.n_inputs or len(self.target_boxes) != ds.n_targets:
            self._rebuild(ds.n_inputs, ds.n_targets)
        values = list(self.session.sample_input())
        if ds.is_regression:
            values += list(ds.values[self.session.selected_sample])
        for box, value in zip(self.spin_boxes + self.target_boxes, values):
            box.blockSignals(True)
            box.setValue(float(value))
            target = box in self.target_boxes
            box.setReadOnly(trying or not self.editable if target else not (trying or self.editable))
            box.blockSignals(False)
            if target:
                # A Try it input has inputs of its own and no y (TryInput.has_target).
                self._form.setRowVisible(box, not trying)

    def _on_dataset_changed(self, *_args) -> None:
        self._syncing = True
        self.model.reset()
        self._syncing = False
        self._select_row()

    def _update_overview(self) -> None:
        """New outputs: the view asks again for the ŷ of the rows it shows (none if hidden)."""
        self.model.outputs_changed()

    def _select_row(self, *_args) -> None:
        if not uses_table_editor(self.session.dataset) or not self.session.has_samples:
            return
        self._syncing = True
        self.overview.selectRow(self.session.selected_sample)
        self._syncing = False

    def _on_row_clicked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._syncing and current.isValid():
            self.session.select_sample(current.row())

    def _on_target_edited(self, index: int, value: float) -> None:
        if self.session.trying or not self.editable:
            self.message_posted.emit(locked_message(self.session))
            return
        try:
            self.session.set_target_values(self.session.selected_sample, {index: value})
        except ValueError as exc:
            self.message_posted.emit(str(exc))

    def _on_value_edited(self, index: int, value: float) -> None:
        session = self.session
        try:
            if session.trying:
                session.set_try_values({index: value})
            elif self.editable:
                session.set_inputs(session.selected_sample, {index: value}, session.begin_stroke())
            else:
                self.message_posted.emit(locked_message(session))
        except ValueError as exc:
            self.message_posted.emit(str(exc))
