"""The dataset's samples as a Qt list model: a thumbnail (or the coordinates) and the label of
each, for the Dataset panel's list."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap

from ...session.session import Session
from .class_colors import class_icon
from .pixel_editor import pixel_rgb
from ..common.plain_text import NAME_LIMIT, shorten, tooltip_text

THUMB = 40  # thumbnail side in pixels
FIGURE_SPACE = "\u2007"  # as wide as a digit: pads numbers so the columns line up


def _number(value: float, decimals: int | None) -> str:
    # Fixed decimals line the columns up; a huge number (a file may hold 10³⁰⁰) would be
    # written with all its digits, so from a million on it gets three significant ones.
    fixed = decimals is not None and abs(value) < 1e6
    text = f"{value:.{decimals}f}" if fixed else f"{value:.3g}"
    return text.replace("-", "−")


class SampleListModel(QAbstractListModel):
    """The session's samples for a QListView; rows repaint only when their sample changed."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._icons: dict[int, QIcon] = {}
        self._snapshot()

    def _snapshot(self) -> None:
        ds = self.session.dataset
        self._inputs = ds.inputs.copy()
        self._labels = ds.labels.copy()
        self._values = None if ds.values is None else ds.values.copy()
        self._layout_key = (ds.kind, ds.image_shape, tuple(ds.class_names), ds.n_samples, ds.n_inputs)

    def refresh(self) -> None:
        """Compare with what is shown and update only the rows that differ."""
        ds = self.session.dataset
        key = (ds.kind, ds.image_shape, tuple(ds.class_names), ds.n_samples, ds.n_inputs)
        if key != self._layout_key:
            self.beginResetModel()
            self._icons.clear()
            self._snapshot()
            self.endResetModel()
            return
        differs = np.any(ds.inputs != self._inputs, axis=1) | (ds.labels != self._labels)
        if ds.values is not None and self._values is not None and ds.values.shape == self._values.shape:
            differs |= np.any(ds.values != self._values, axis=1)     # a regression target typed
        changed = np.flatnonzero(differs)
        self._snapshot()
        for row in changed:
            self._icons.pop(int(row), None)
        if changed.size > 32:
            self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))
        else:
            for row in changed:
                self.dataChanged.emit(self.index(int(row)), self.index(int(row)))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._labels)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = index.row()
        ds = self.session.dataset
        if row >= len(self._labels):
            return None
        name = ds.class_names[self._labels[row]]
        if role == Qt.ItemDataRole.DisplayRole:
            name = shorten(name, NAME_LIMIT)   # the list's rows are as wide as their text
            if ds.kind == "image":
                return f"{row + 1} · “{name}”"
            number = str(row + 1).rjust(len(str(len(self._labels))), FIGURE_SPACE)
            decimals = 2 if ds.kind == "points" else None
            values = ", ".join(_number(v, decimals) for v in self._inputs[row])
            if ds.kind == "points":
                return f"{number}   “{name}”   ({values})"
            if ds.is_regression:
                return f"{number}   ({values}) → {ds.target_text(row)}"
            return f"{number}   ({values}) → “{name}”"
        if role == Qt.ItemDataRole.DecorationRole:
            if row not in self._icons:
                self._icons[row] = self._make_icon(row)
            return self._icons[row]
        if role == Qt.ItemDataRole.ToolTipRole:
            values = ", ".join(f"{v:.3g}" for v in self._inputs[row])
            target = ds.target_text(row) if ds.is_regression else f"label “{name}”"
            return tooltip_text(f"Sample {row + 1}, {target}\ninputs: ({values})\n"
                                "Click to step through this sample.")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Sample {row + 1}, label {name}"
        return None

    def _make_icon(self, row: int) -> QIcon:
        ds = self.session.dataset
        if ds.kind != "image" or ds.image_shape is None:
            return class_icon(int(self._labels[row]), ds.n_classes)
        rows, cols = ds.image_shape
        rgb = np.ascontiguousarray(pixel_rgb(self._inputs[row].reshape(rows, cols)), dtype=np.uint8)
        image = QImage(rgb.data, cols, rows, 3 * cols, QImage.Format.Format_RGB888)
        scale = max(1, (THUMB - 2) // max(rows, cols))
        # A grey frame: white paper pixels would otherwise melt into the list's background.
        pixmap = QPixmap(cols * scale + 2, rows * scale + 2)
        pixmap.fill(QColor(150, 150, 150))
        painter = QPainter(pixmap)
        painter.drawImage(QRectF(1, 1, cols * scale, rows * scale), image)
        painter.end()
        icon = QIcon(pixmap)
        # Qt tints a selected item's icon; the pixels must keep their true colours.
        icon.addPixmap(pixmap, QIcon.Mode.Selected)
        return icon
