"""Edit a 2-D dataset on a scatter plot (ui/editors/points_canvas.py), with a chooser for the class
new points get."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...session.session import Session
from .class_colors import class_icon
from .points_canvas import PointsCanvas


class PointsEditor(QWidget):
    """The scatter plot with a chooser for the class new points get."""

    message_posted = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.canvas = PointsCanvas(session, self)
        self.canvas.message_posted.connect(self.message_posted)
        self.class_combo = QComboBox(self)
        self.class_combo.setToolTip("The class a point gets when you click on empty space")
        self.class_combo.setAccessibleName("Class of new points")
        # Ten characters wide, whatever the class names (they come from the file): it shares
        # a line in a narrow panel, and a long name would widen the panel.
        self.class_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.class_combo.setMinimumContentsLength(10)
        self.class_combo.currentIndexChanged.connect(self._on_class_chosen)
        label = QLabel("New points:", self)
        label.setBuddy(self.class_combo)
        label.setToolTip(self.class_combo.toolTip())
        self.hint = hint = QLabel(self)
        hint.setToolTip(self.canvas.toolTip())
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        small = hint.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        hint.setFont(small)
        hint.setEnabled(False)  # drawn in the palette's muted text colour

        self._class_label = label
        row = QHBoxLayout()
        row.setContentsMargins(6, 0, 6, 0)
        row.addWidget(label)
        row.addWidget(self.class_combo)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(hint)
        self.setFocusProxy(self.canvas)
        session.dataset_changed.connect(self._update_classes)
        session.project_replaced.connect(self._update_classes)
        session.try_input_changed.connect(self._update_hint)
        self._update_classes()
        self._update_hint()

    def set_editable(self, on: bool) -> None:
        """May samples be added, moved and deleted (the Input panel's Edit sample)."""
        self.canvas.editable = on
        self._update_hint()

    def _update_hint(self) -> None:
        """What a click does now; the class of new points only matters while editing."""
        trying, editing = self.session.trying, self.canvas.editable
        self.hint.setText("Click or drag: place your point (the dataset does not change)" if trying
                          else "Click: add · drag: move · right-click: delete" if editing
                          else "Click a point to select it · Edit sample to change points")
        self.class_combo.setVisible(editing and not trying)
        self._class_label.setVisible(editing and not trying)

    def _update_classes(self) -> None:
        names = self.session.dataset.class_names
        current = [self.class_combo.itemText(i) for i in range(self.class_combo.count())]
        if current == [f"“{n}”" for n in names]:
            return
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        for k, name in enumerate(names):
            self.class_combo.addItem(class_icon(k, len(names)), f"“{name}”")
        self.class_combo.setCurrentIndex(min(self.canvas.new_label, len(names) - 1))
        self.class_combo.blockSignals(False)
        self.canvas.new_label = self.class_combo.currentIndex()

    def _on_class_chosen(self, index: int) -> None:
        if index >= 0:
            self.canvas.new_label = index
