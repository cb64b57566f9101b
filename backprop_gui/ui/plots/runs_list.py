"""The kept runs under the Loss plot: tick to show or hide one, double-click (or F2) to
rename, Delete to delete (renaming and deleting are undo steps; see session/runs.py).

Names are shown as the characters they hold: list items and the legend never read them as
HTML, tooltips go through plain_text.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QListWidget, QListWidgetItem, QToolButton, QVBoxLayout,
    QWidget,
)

from ...engine.runs import Run
from ...session.runs import RunList
from ..common.plain_text import tooltip_text
from .run_curves import run_pen
from .style import fmt

ROWS_SHOWN = 3   # rows in view before the list scrolls: the plot keeps the room


def swatch(color_index: int, size: QSize = QSize(22, 12)) -> QIcon:
    """A short stroke of the run's line, as in the legend."""
    pixmap = QPixmap(size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(run_pen(color_index, 3))
    painter.drawLine(1, size.height() // 2, size.width() - 1, size.height() // 2)
    painter.end()
    return QIcon(pixmap)


def run_summary(run: Run) -> str:
    """What a run's tooltip says: its name, settings and where it ended."""
    c = run.training
    lines = [run.name, f"{len(run.history)} epochs recorded · {run.updates_per_epoch} weight "
                       f"updates and {run.samples_per_epoch} samples per epoch",
             f"learning rate {c.learning_rate:g} · momentum {c.momentum:g} · seed {c.seed}"]
    if len(run.history):
        lines.append(f"final loss {fmt(run.history.loss[-1])}")
    return "\n".join(lines)


class RunsList(QWidget):
    """A small list of the session's runs with Rename and Delete; hidden while there are none."""

    message_posted = Signal(str)

    def __init__(self, runs: RunList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runs_panel")
        self.runs = runs
        self.list = QListWidget()
        self.list.setObjectName("runs_list")
        self.list.setAccessibleName("Kept runs")
        self.list.setToolTip("Runs kept by Train ▸ Compare…: tick to show one in the plots, "
                             "double-click to rename it")
        self.list.setIconSize(QSize(22, 12))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.rename_button = self._button("Rename", "Rename the selected run (F2)", self.rename)
        self.delete_button = self._button("Delete", "Delete the selected run (Undo brings it "
                                                    "back)", self.delete)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.delete)
        buttons = QVBoxLayout()
        buttons.setSpacing(2)
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        runs.changed.connect(self.refresh)
        self.refresh()

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setObjectName(f"run_{text.lower()}_button")
        button.setToolTip(tip)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.clicked.connect(slot)
        return button

    def refresh(self) -> None:
        row = self.list.currentRow()
        self.list.blockSignals(True)
        # Items are updated in place, not rebuilt: a tick in the list calls this from the
        # item's own itemChanged, and deleting that item there would pull it from under Qt.
        while self.list.count() > len(self.runs):
            self.list.takeItem(self.list.count() - 1)
        for i, run in enumerate(self.runs.runs):
            item = self.list.item(i)
            if item is None:
                item = QListWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable)
                self.list.addItem(item)
            item.setIcon(swatch(run.color))
            item.setText(run.name)
            item.setCheckState(Qt.CheckState.Checked if run.visible else Qt.CheckState.Unchecked)
            item.setToolTip(tooltip_text(run_summary(run)))
        if self.list.count():
            self.list.setCurrentRow(min(max(row, 0), self.list.count() - 1))
        self.list.blockSignals(False)
        rows = min(self.list.count(), ROWS_SHOWN)
        height = self.list.sizeHintForRow(0) if self.list.count() else 0
        self.list.setFixedHeight(rows * height + 2 * self.list.frameWidth() + 2)
        self.setVisible(self.list.count() > 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = 0 <= self.list.currentRow() < len(self.runs)
        self.rename_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        index = self.list.row(item)
        if not 0 <= index < len(self.runs):
            return
        run = self.runs[index]
        visible = item.checkState() == Qt.CheckState.Checked
        if visible != run.visible:
            self.runs.set_visible(index, visible)
        elif item.text() != run.name:
            try:
                self.runs.rename(index, item.text())
            except ValueError as exc:
                self.message_posted.emit(f"Not renamed: {exc}")
                self.refresh()

    def rename(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    def delete(self) -> None:
        index = self.list.currentRow()
        if 0 <= index < len(self.runs):
            name = self.runs[index].name
            self.runs.delete(index)
            self.message_posted.emit(f"Deleted run “{name}” (Undo brings it back)")
