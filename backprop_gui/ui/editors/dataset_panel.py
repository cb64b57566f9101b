"""The dataset panel: every sample as a thumbnail (or its coordinates) with its label.

Clicking a sample selects it for the step-through; Add, Duplicate, Delete, the label box and
the built-in dataset box each call one session method, so each is one undo entry.
"""

from __future__ import annotations

import html
import re

import numpy as np
from PySide6.QtCore import QEvent, QModelIndex, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QKeyEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListView, QMenu, QSizePolicy,
                               QToolButton, QVBoxLayout, QWidget)

from ...engine.datasets import BUILTIN_DATASETS
from ...session.session import Session
from .class_colors import class_icon
from ..common.action_helper import tool_button
from ..common.plain_text import NAME_LIMIT, action_text, shorten, tooltip_text
from .sample_list import THUMB, SampleListModel

def _glyph_icon(kind: str, colour: QColor, size: int = 16) -> QIcon:
    """Small line icons drawn in the palette's text colour (so they suit light and dark themes)."""
    pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x so high-DPI screens stay sharp
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(2, 2)
    p.setPen(QPen(colour, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    if kind == "add":
        p.drawLine(QPointF(8, 3), QPointF(8, 13))
        p.drawLine(QPointF(3, 8), QPointF(13, 8))
    elif kind == "duplicate":
        p.drawRoundedRect(QRectF(2.5, 2.5, 8, 8), 1.5, 1.5)
        p.setBrush(QColor(colour.red(), colour.green(), colour.blue(), 60))
        p.drawRoundedRect(QRectF(5.5, 5.5, 8, 8), 1.5, 1.5)
    elif kind == "delete":
        p.drawLine(QPointF(3, 4.5), QPointF(13, 4.5))
        p.drawLine(QPointF(6.5, 4.5), QPointF(6.5, 2.5))
        p.drawLine(QPointF(6.5, 2.5), QPointF(9.5, 2.5))
        p.drawLine(QPointF(9.5, 2.5), QPointF(9.5, 4.5))
        p.drawRoundedRect(QRectF(4.5, 4.5, 7, 9), 1, 1)
    p.end()
    return QIcon(pixmap)


class DatasetPanel(QWidget):
    """The dataset's samples, which one is selected, and the edits of the dataset."""

    message_posted = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._syncing = False
        self._label_icons = False
        self._images_mode: bool | None = None

        # Lines fitted to the width in code (not word wrap): a word-wrapped label would make
        # the dock's scroll area size the panel by height-for-width and scroll needlessly.
        self.header = QLabel(self)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.dataset_combo = QComboBox(self)
        for name, title in BUILTIN_DATASETS.items():
            self.dataset_combo.addItem(title, name)
        self.dataset_combo.setPlaceholderText("(this project's own dataset)")
        self.dataset_combo.setToolTip("Load a built-in dataset. The network's input and output layers "
                                      "are fitted to it. Undo (Ctrl+Z) brings the old one back.")
        self.dataset_combo.setAccessibleName("Built-in dataset")
        self.dataset_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.dataset_combo.setMinimumContentsLength(12)
        self.dataset_combo.activated.connect(self._on_dataset_chosen)
        dataset_label = QLabel("&Dataset:", self)
        dataset_label.setBuddy(self.dataset_combo)
        dataset_label.setToolTip(self.dataset_combo.toolTip())

        self.model = SampleListModel(session, self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.view.installEventFilter(self)
        self.view.setAccessibleName("Samples")
        self.view.setToolTip("The samples. Click one to step through it; Delete removes it; "
                             "right-click for more.")

        self.add_button = self._button("Add", "Add a blank sample with the selected sample's label",
                                       self._on_add)
        self.duplicate_button = self._button("Duplicate", "Add a copy of the selected sample right after it",
                                             self._on_duplicate)
        self.delete_button = self._button("Delete", "Delete the selected sample (Delete key)",
                                          self._on_delete)
        self._update_icons()
        self.label_combo = QComboBox(self)
        self.label_combo.setToolTip("The label of the selected sample: the class it belongs to (its target)")
        self.label_combo.setAccessibleName("Label of the selected sample")
        # Class names (and their colour dots) change with the dataset: keep the box fitted.
        self.label_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.label_combo.activated.connect(self._on_label_chosen)
        self.label_caption = QLabel("&Label:", self)
        self.label_caption.setBuddy(self.label_combo)
        self.label_caption.setToolTip(self.label_combo.toolTip())

        self._dataset_label = dataset_label
        self._controls = QVBoxLayout()
        self._controls.setSpacing(2)
        self._wide = False
        self._arrangement: list[int] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addLayout(self._controls)
        layout.addWidget(self.view, 1)
        self._arrange_controls(0)

        session.dataset_changed.connect(self._on_dataset_changed)
        session.project_replaced.connect(self._on_dataset_changed)
        session.sample_selected.connect(self._update_selection)
        self._on_dataset_changed()

    def _button(self, text: str, tip: str, slot) -> QToolButton:
        button = tool_button(self, text, tip, slot)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        return button

    def _update_icons(self) -> None:
        text = self.palette().buttonText().color()
        for button, kind in ((self.add_button, "add"), (self.duplicate_button, "duplicate"),
                             (self.delete_button, "delete")):
            button.setIcon(_glyph_icon(kind, text))

    def changeEvent(self, event: QEvent) -> None:
        # Light/dark switches while running: icons are drawn in the palette's text colour.
        if event.type() == QEvent.Type.PaletteChange:
            self._update_icons()
        super().changeEvent(event)

    # ----- following the session ------------------------------------------------------

    def _on_dataset_changed(self) -> None:
        ds = self.session.dataset
        self._syncing = True
        self.model.refresh()
        images = ds.kind == "image" and ds.image_shape is not None
        if images != self._images_mode:
            # Only when the kind changes: re-laying out 300 items on every painted pixel is slow.
            self._images_mode = images
            self._configure_view(images)
            self.view.doItemsLayout()
        self._syncing = False
        counts = np.bincount(ds.labels, minlength=ds.n_classes)
        parts = " · ".join(f"“{n}” × {c}" for n, c in zip(ds.class_names, counts))
        noun = "sample" if ds.n_samples == 1 else "samples"
        full = f"{ds.n_samples} {noun}: {parts}"
        spread = f"{counts.min()}" if counts.min() == counts.max() else f"{counts.min()}–{counts.max()}"
        short = f"{ds.n_samples} {noun} in {ds.n_classes} classes ({spread} each)"
        if ds.is_regression:        # numbers to predict: no classes to count
            full = short = f"{ds.n_samples} {noun}, each with a target value y"
        # The counts follow the title: drop a count in it ("XOR (4 samples)"), which also
        # goes stale once samples are added or deleted.
        title = re.sub(r"\s*\(\d+ samples?\)$", "", ds.title or "") or ds.name
        self._header_parts = (title, full, short)
        self._update_header()
        self.header.setToolTip(tooltip_text(f"{ds.description or ds.title}\n\n{full}"))
        self.dataset_combo.setCurrentIndex(self.dataset_combo.findData(ds.name))
        # Shortened: the box fits its longest entry, and a long name would widen the panel.
        names = [f"“{shorten(n, NAME_LIMIT)}”" for n in ds.class_names]
        with_icons = ds.kind != "image"  # class colours mean something where points are drawn
        if ([self.label_combo.itemText(i) for i in range(self.label_combo.count())] != names
                or with_icons != self._label_icons):
            self._label_icons = with_icons
            self.label_combo.clear()
            for k, name in enumerate(names):
                icon = class_icon(k, len(names)) if with_icons else QIcon()
                self.label_combo.addItem(icon, name)
        for w in (self.label_caption, self.label_combo):   # a regression table has no classes
            w.setHidden(ds.is_regression)
        self._update_selection()

    def _update_header(self) -> None:
        if not hasattr(self, "_header_parts"):
            return
        title, full, short = self._header_parts
        width = self.header.width() if self.header.width() > 50 else self.width() - 12
        bold = QFont(self.header.font())
        bold.setBold(True)
        # The title comes from the file: a long one gets at most half of a shared line.
        title = QFontMetrics(bold).elidedText(title, Qt.TextElideMode.ElideRight,
                                              width // 2 if self._wide else width)
        title_w = QFontMetrics(bold).horizontalAdvance(title + " · ") if self._wide else 0
        fm = self.header.fontMetrics()
        counts = full if fm.horizontalAdvance(full) + title_w <= width else short
        counts = fm.elidedText(counts, Qt.TextElideMode.ElideRight, max(40, width - title_w))
        joiner = " · " if self._wide else "<br>"
        self.header.setText(f"<b>{html.escape(title)}</b>{joiner}{html.escape(counts)}")

    def _control_groups(self) -> list[list[QWidget]]:
        return [[self._dataset_label, self.dataset_combo],
                [self.add_button, self.duplicate_button, self.delete_button],
                [self.label_caption, self.label_combo]]

    def _arrange_controls(self, width: int) -> None:
        """Pack the control groups into as few rows as the width allows; with everything in
        one row the header takes one line too, so a short dock still shows thumbnails."""
        rows: list[list[QWidget]] = []
        used = 0
        for group in self._control_groups():
            need = sum(w.sizeHint().width() + 4 for w in group) + 12
            if rows and used + need <= width - 12:
                rows[-1] += group
                used += need
            else:
                rows.append(list(group))
                used = need
        key = [len(r) for r in rows]
        if key == self._arrangement:
            return
        self._arrangement = key
        self._wide = len(rows) == 1
        while self._controls.count():
            row = self._controls.takeAt(0).layout()
            while row is not None and row.count():
                row.takeAt(0)
            if row is not None:
                row.deleteLater()
        for widgets in rows:
            row = QHBoxLayout()
            row.setSpacing(4)
            for widget in widgets:
                if widget in (self.add_button, self.label_caption) and widget is not widgets[0]:
                    row.addSpacing(8)
                row.addWidget(widget, 1 if widget is self.dataset_combo else 0)
            if self.dataset_combo not in widgets:
                row.addStretch(1)
            self._controls.addLayout(row)
        self._update_header()

    def resizeEvent(self, event) -> None:
        self._arrange_controls(event.size().width())
        super().resizeEvent(event)
        self._update_header()

    def _configure_view(self, images: bool) -> None:
        fm = self.view.fontMetrics()
        if images:
            self.view.setViewMode(QListView.ViewMode.IconMode)
            self.view.setIconSize(QSize(THUMB, THUMB))
            self.view.setGridSize(QSize(max(THUMB + 18, fm.horizontalAdvance("000 · “0”") + 8),
                                        THUMB + fm.height() + 12))
            self.view.setMovement(QListView.Movement.Static)
            self.view.setResizeMode(QListView.ResizeMode.Adjust)
            self.view.setWrapping(True)
            self.view.setSpacing(0)
        else:
            self.view.setViewMode(QListView.ViewMode.ListMode)
            self.view.setIconSize(QSize(12, 12))
            self.view.setGridSize(QSize())
            self.view.setWrapping(False)
            self.view.setSpacing(1)

    def _update_selection(self, *_args) -> None:
        index = self.model.index(self.session.selected_sample)
        selection = self.view.selectionModel()
        if self.view.currentIndex() != index or not selection.isSelected(index):
            self._syncing = True
            selection.setCurrentIndex(index, selection.SelectionFlag.ClearAndSelect)
            self.view.scrollTo(index)
            self._syncing = False
        ds = self.session.dataset
        self.label_combo.setCurrentIndex(int(ds.labels[self.session.selected_sample]) if ds.n_samples else -1)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._syncing and current.isValid():
            self.session.select_sample(current.row())

    # ----- edits -----------------------------------------------------------------------

    def _run(self, action, *args) -> None:
        """Call a session method; a refusal (ValueError) becomes a status-bar message."""
        try:
            action(*args)
        except ValueError as exc:
            message = str(exc)
            self.message_posted.emit(message[:1].upper() + message[1:] + ".")

    def _on_add(self) -> None:
        ds = self.session.dataset
        label = int(ds.labels[self.session.selected_sample]) if ds.n_samples else 0
        self._run(self.session.add_sample, None, label)

    def _on_duplicate(self) -> None:
        self._run(self.session.duplicate_sample, self.session.selected_sample)

    def _on_delete(self) -> None:
        index = self.session.selected_sample
        before = self.session.dataset.n_samples
        self._run(self.session.delete_sample, index)
        if self.session.dataset.n_samples < before:
            self.message_posted.emit(f"Deleted sample {index + 1}. Undo (Ctrl+Z) brings it back.")

    def _on_label_chosen(self, label: int) -> None:
        if label >= 0:
            self._run(self.session.relabel_sample, self.session.selected_sample, label)

    def _on_dataset_chosen(self, combo_index: int) -> None:
        self.load_dataset(self.dataset_combo.itemData(combo_index))

    def load_dataset(self, name: str) -> None:
        """Load a built-in dataset through the session and say what happened to the network."""
        old_sizes = list(self.session.network.sizes)
        try:
            self.session.load_builtin_dataset(name)
        except ValueError as exc:
            self.message_posted.emit(f"Could not load the dataset: {exc}.")
            self._on_dataset_changed()
            return
        ds = self.session.dataset
        sizes = self.session.network.sizes
        message = f"Loaded “{ds.title}”: {ds.n_samples} samples."
        if sizes != old_sizes:
            message += f" The network is now {'-'.join(map(str, sizes))}."
        self.message_posted.emit(message + " Undo (Ctrl+Z) restores the previous dataset.")

    # ----- context menu and keys ------------------------------------------------------

    def _on_context_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.session.select_sample(index.row())
        menu = QMenu(self)
        menu.addAction(self.add_button.icon(), "Add blank sample", self._on_add)
        menu.addAction(self.duplicate_button.icon(), "Duplicate", self._on_duplicate)
        menu.addAction(self.delete_button.icon(), "Delete\tDel", self._on_delete)
        label_menu = menu.addMenu("Label as")
        ds = self.session.dataset
        current = int(ds.labels[self.session.selected_sample])
        for k, name in enumerate(ds.class_names):
            action = label_menu.addAction(class_icon(k, ds.n_classes),
                                          action_text(f"“{shorten(name, NAME_LIMIT)}”"))
            # Qt's default tooltip is the text, taken for HTML: "<b>" in a class name.
            action.setToolTip(tooltip_text(f"Label the selected sample as “{name}”"))
            action.setCheckable(True)
            action.setChecked(k == current)
            action.triggered.connect(lambda _checked=False, k=k: self._on_label_chosen(k))
        menu.addSeparator()
        load_menu = menu.addMenu("Load built-in dataset")
        for name, title in BUILTIN_DATASETS.items():
            load_menu.addAction(title, lambda name=name: self.load_dataset(name))
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Delete on the list deletes the sample, even if the window has a Delete shortcut.
        if watched is self.view and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            key_event: QKeyEvent = event  # type: ignore[assignment]
            if key_event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not key_event.modifiers():
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()
                else:
                    self._on_delete()
                return True
        return super().eventFilter(watched, event)
