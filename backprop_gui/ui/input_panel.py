"""The input panel: the selected sample in the editor that fits its dataset, and ŷ below it.

Images get the pixel editor, 2-D points the scatter plot with decision regions, and plain
vectors (XOR) a small table of spin boxes. The output chart under the editor updates live.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QDoubleSpinBox, QFormLayout, QFrame, QHBoxLayout, QHeaderView, QLabel,
                               QScrollArea, QSizePolicy, QSplitter, QStackedWidget, QStyle, QTableWidget,
                               QTableWidgetItem, QToolButton, QVBoxLayout, QWidget)

from ..session.session import Session
from .live_text import LiveText
from .output_chart import OutputChart
from .pixel_editor import PixelEditor
from .points_editor import PointsEditor

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sample_caption(session: Session) -> str:
    """“Sample 3 of 24 · label “1””: which sample drives the step-through."""
    ds = session.dataset
    i = session.selected_sample
    if ds.n_samples == 0:
        return "No samples"
    return f"Sample {i + 1} of {ds.n_samples} · label “{ds.class_names[ds.labels[i]]}”"


def uses_table_editor(dataset) -> bool:
    """Plain vectors, and images without a shape, are edited as numbers."""
    return dataset.kind == "table" or (dataset.kind == "image" and dataset.image_shape is None)


class TableEditor(QWidget):
    """One spin box per input of the selected sample (for datasets such as XOR)."""

    message_posted = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.spin_boxes: list[QDoubleSpinBox] = []
        self._form_host = QWidget()
        self._form = QFormLayout(self._form_host)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._scroll = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._form_host)
        intro = QLabel("The inputs of this sample. Change a value and watch the output below.", self)
        intro.setWordWrap(True)
        intro.setToolTip("Each input is one number the network receives; edits are undoable (Ctrl+Z).")
        self.overview = QTableWidget(self)
        self.overview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.overview.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.overview.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.overview.verticalHeader().hide()
        self.overview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.overview.setAlternatingRowColors(True)
        self.overview.setToolTip("Every sample with its target and the network's output ŷ now. "
                                 "Click a row to select that sample.")
        self.overview.setAccessibleName("All samples and outputs")
        self.overview.currentCellChanged.connect(self._on_row_clicked)
        overview_title = QLabel("<b>All samples</b>", self)
        overview_title.setToolTip(self.overview.toolTip())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(intro)
        layout.addWidget(scroll)
        layout.addWidget(overview_title)
        layout.addWidget(self.overview, 1)
        self._syncing = False
        self._overview_stale = False
        session.dataset_changed.connect(self._update_values)
        session.sample_selected.connect(self._update_values)
        session.project_replaced.connect(self._update_values)
        session.values_changed.connect(self._update_overview)
        self._update_values()
        self._update_overview()

    def _rebuild(self, n_inputs: int) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self.spin_boxes = []
        for i in range(n_inputs):
            box = QDoubleSpinBox(self._form_host)
            box.setRange(0.0, 1.0)
            box.setSingleStep(0.1)
            box.setDecimals(3)
            box.setKeyboardTracking(False)  # one undo entry per finished edit, not per digit
            box.setMinimumWidth(box.fontMetrics().horizontalAdvance("0.0000") + 40)
            name = f"x{str(i + 1).translate(_SUBSCRIPTS)}"
            box.setToolTip(f"Input {name} of the selected sample (0 … 1). Each change is one undo step.")
            box.setAccessibleName(f"Input {i + 1}")
            box.valueChanged.connect(lambda value, i=i: self._on_value_edited(i, value))
            self._form.addRow(f"{name} =", box)
            self.spin_boxes.append(box)
        # Room for up to four inputs without scrolling; longer vectors scroll.
        row_h = self._form_host.sizeHint().height() / max(n_inputs, 1)
        self._scroll.setMinimumHeight(int(row_h * min(n_inputs, 4)) + 4)

    def _update_values(self, *_args) -> None:
        ds = self.session.dataset
        if not uses_table_editor(ds):
            return
        if len(self.spin_boxes) != ds.n_inputs:
            self._rebuild(ds.n_inputs)
        values = self.session.sample_input()
        for box, value in zip(self.spin_boxes, values):
            box.blockSignals(True)
            box.setValue(float(value))
            box.blockSignals(False)

    def _update_overview(self) -> None:
        """The whole dataset with targets and outputs: for XOR, the truth table being learnt."""
        session = self.session
        ds = session.dataset
        if not uses_table_editor(ds):
            return
        if not self.isVisible() and self.overview.rowCount():
            self._overview_stale = True  # refreshed in showEvent; training need not pay for it
            return
        self._overview_stale = False
        net = session.network
        try:
            outputs = session.dataset_trace().output
        except ValueError:
            outputs = None
        names = [f"x{str(i + 1).translate(_SUBSCRIPTS)}" for i in range(ds.n_inputs)]
        headers = ["#"] + names + ["target", "ŷ"]
        self._syncing = True
        self.overview.setColumnCount(len(headers))
        self.overview.setHorizontalHeaderLabels(headers)
        self.overview.setRowCount(ds.n_samples)
        for row in range(ds.n_samples):
            cells = [str(row + 1)] + [f"{v:.3g}" for v in ds.inputs[row]]
            cells.append(f"“{ds.class_names[ds.labels[row]]}”")
            if outputs is None:
                cells.append("–")
            elif net.sizes[-1] == 1:
                cells.append(f"{outputs[row, 0]:.3f}")
            else:
                k = int(outputs[row].argmax())
                name = ds.class_names[k] if k < ds.n_classes else str(k + 1)
                cells.append(f"“{name}” {outputs[row, k]:.2f}")
            for col, text in enumerate(cells):
                item = self.overview.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    self.overview.setItem(row, col, item)
                item.setText(text)
        self.overview.selectRow(session.selected_sample)
        self._syncing = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_overview_stale", False):
            self._update_overview()

    def _on_row_clicked(self, row: int, *_args) -> None:
        if not self._syncing and row >= 0:
            self.session.select_sample(row)

    def _on_value_edited(self, index: int, value: float) -> None:
        session = self.session
        try:
            session.paint(session.selected_sample, {index: value}, session.begin_stroke())
        except ValueError as exc:
            self.message_posted.emit(str(exc))


class InputPanel(QWidget):
    """The selected sample's editor (pixels, points or a table) above the network's output."""

    message_posted = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.pixel_editor = PixelEditor(session)
        self.points_editor = PointsEditor(session)
        self.table_editor = TableEditor(session)
        self.output_chart = OutputChart(session)
        self.stack = QStackedWidget(self)
        for editor in (self.pixel_editor, self.points_editor, self.table_editor):
            self.stack.addWidget(editor)
            editor.message_posted.connect(self.message_posted)

        # Plain text, elided to the panel's width: the class name comes from the file, and
        # a QLabel would render `<img src=…>` in it (and a long one would widen the panel).
        self.caption = LiveText("Sample 100 of 100 · label “0”", parent=self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setToolTip("The selected sample: it drives the forward and backward pass you step through")
        self.previous_button = self._nav_button(QStyle.StandardPixmap.SP_ArrowLeft, "Previous sample",
                                                QKeySequence(Qt.Key.Key_PageUp), -1)
        self.next_button = self._nav_button(QStyle.StandardPixmap.SP_ArrowRight, "Next sample",
                                            QKeySequence(Qt.Key.Key_PageDown), +1)
        header = QHBoxLayout()
        header.setContentsMargins(4, 2, 4, 2)
        header.addWidget(self.previous_button)
        header.addWidget(self.caption, 1)
        header.addWidget(self.next_button)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.output_chart)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)

        session.dataset_changed.connect(self._update_kind)
        session.project_replaced.connect(self._update_kind)
        session.dataset_changed.connect(self._update_caption)
        session.sample_selected.connect(self._update_caption)
        session.project_replaced.connect(self._update_caption)
        self._update_kind()
        self._update_caption()

    def _nav_button(self, icon: QStyle.StandardPixmap, text: str, key: QKeySequence, step: int) -> QToolButton:
        # The keys work while the focus is in this panel (see keyPressEvent); a window-wide
        # shortcut could clash with the main window's own.
        button = QToolButton(self)
        button.setIcon(self.style().standardIcon(icon))
        button.setAutoRaise(True)
        button.setToolTip(f"{text} ({key.toString(QKeySequence.SequenceFormat.NativeText)} "
                          "while this panel has the focus)")
        button.setAccessibleName(text)
        button.clicked.connect(lambda: self._on_step_sample(step))
        return button

    @property
    def current_editor(self) -> QWidget:
        return self.stack.currentWidget()

    def _update_kind(self) -> None:
        kind = self.session.dataset.kind
        editor = {"image": self.pixel_editor, "points": self.points_editor}.get(kind, self.table_editor)
        if uses_table_editor(self.session.dataset):
            editor = self.table_editor
        # Only the page shown counts for the panel's minimum size.
        for page in (self.pixel_editor, self.points_editor, self.table_editor):
            policy = QSizePolicy.Policy.Preferred if page is editor else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.stack.updateGeometry()
        if self.stack.currentWidget() is not editor:
            had_focus = self.stack.currentWidget().hasFocus() if self.stack.currentWidget() else False
            self.stack.setCurrentWidget(editor)
            if had_focus:
                editor.setFocus()

    def _update_caption(self, *_args) -> None:
        self.caption.setText(sample_caption(self.session))
        n = self.session.dataset.n_samples
        self.previous_button.setEnabled(self.session.selected_sample > 0)
        self.next_button.setEnabled(self.session.selected_sample < n - 1)

    def keyPressEvent(self, event) -> None:
        steps = {Qt.Key.Key_PageUp: -1, Qt.Key.Key_PageDown: +1}
        if event.key() in steps:
            self._on_step_sample(steps[event.key()])
        else:
            super().keyPressEvent(event)

    def _on_step_sample(self, step: int) -> None:
        self.session.select_sample(self.session.selected_sample + step)


if __name__ == "__main__":
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    panel = InputPanel(Session())
    panel.resize(300, 460)
    panel.show()
    sys.exit(app.exec())
