"""Paint the input shown: click toggles a pixel, drag paints, right-drag erases.

The input is the Try it input (painting it changes no sample) or the selected sample, which
changes only while `editable` (the Input panel's Edit sample): painting over training
sample 1 by accident must not be possible.

Pixels are drawn as ink on paper (1 black, 0 white), like the input image in the diagram.

Every stroke (press … release, or one key press) is one undo entry: the editor asks the
session for a stroke id at the press and paints each changed pixel under it, and the
session's PaintCommand folds them together.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (QColor, QFont, QFontMetrics, QImage, QKeyEvent, QLinearGradient, QMouseEvent,
                           QPainter, QPaintEvent, QPen)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ...engine.overflow import number_text
from ...session.session import Session
from .drawn_control import DrawnControl
from .try_it import locked_message

MARGIN = 6
GRID_LINE = 1
TICK_SCALE = 0.9     # the brush strip's tick labels, relative to the panel's type
DIGIT_KEYS = {getattr(Qt.Key, f"Key_{d}"): d for d in range(10)}


def pixel_rgb(values: np.ndarray) -> np.ndarray:
    """(…, 3) uint8 colours of pixel values: ink (1) black, paper (0) white, greys between."""
    grey = np.round(255.0 * (1.0 - np.clip(np.nan_to_num(values), 0.0, 1.0))).astype(np.uint8)
    return np.repeat(grey[..., None], 3, axis=-1)


def _text_color_on(rgb: np.ndarray) -> QColor:
    """Black or white, whichever reads better on the given fill."""
    r, g, b = (float(c) for c in rgb)
    return QColor(Qt.GlobalColor.black) if 0.299 * r + 0.587 * g + 0.114 * b > 140 else QColor(Qt.GlobalColor.white)


def _format_pixel(value: float) -> str:
    if value in (0.0, 1.0):
        return f"{value:.0f}"
    if abs(value) < 1e3:
        return f"{value:.2f}".lstrip("0")
    return number_text(value, 2)    # a file may hold 10³⁰⁰: not all its digits in a cell


def _line_cells(a: tuple[int, int], b: tuple[int, int]) -> list[tuple[int, int]]:
    """The cells from a to b (b included, a excluded), so a fast drag leaves no gaps."""
    (r0, c0), (r1, c1) = a, b
    n = max(abs(r1 - r0), abs(c1 - c0))
    return [(round(r0 + (r1 - r0) * k / n), round(c0 + (c1 - c0) * k / n)) for k in range(1, n + 1)]


class PixelCanvas(DrawnControl):
    """The pixel grid of the input shown, drawn with square pixels as large as fit."""

    message_posted = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(
            "Pixel editor",
            "Each square is one input pixel (0 = paper, 1 = ink).\n"
            "Click: toggle a pixel · drag: paint with the brush · right-drag: erase.\n"
            "Keys: arrows move the cursor, Space toggles, 0–9 set the value (9 = full ink), "
            "Delete erases.", (96, 96), parent)
        self.session = session
        self.brush = 1.0
        self.editable = True      # may the selected sample be painted (the Try it input always may)
        self.cursor_cell = (0, 0)
        self._hover: tuple[int, int] | None = None
        self._stroke: int | None = None
        self._stroke_value = 0.0
        self._last_cell: tuple[int, int] | None = None
        # Space toggles the focused pixel here; the window's Play/Pause shortcut must not take it.
        self.setProperty("uses_space_key", True)
        session.dataset_changed.connect(self._on_dataset_changed)
        session.sample_selected.connect(self._on_dataset_changed)
        session.project_replaced.connect(self._on_dataset_changed)
        session.try_input_changed.connect(self._on_dataset_changed)

    # ----- geometry --------------------------------------------------------------------

    def shape(self) -> tuple[int, int]:
        ds = self.session.dataset
        if ds.kind != "image" or ds.image_shape is None or ds.n_samples == 0:
            return (0, 0)
        return ds.image_shape  # type: ignore[return-value]

    def _layout(self) -> tuple[int, QPoint]:
        """(cell size in pixels, top-left of the grid): whole pixels keep edges crisp."""
        rows, cols = self.shape()
        if rows == 0 or cols == 0:
            return 0, QPoint(0, 0)
        cell = max(2, min((self.width() - 2 * MARGIN) // cols, (self.height() - 2 * MARGIN) // rows))
        left = (self.width() - cell * cols) // 2
        top = (self.height() - cell * rows) // 2
        return cell, QPoint(left, top)

    def cell_rect(self, row: int, col: int) -> QRect:
        cell, origin = self._layout()
        return QRect(origin.x() + col * cell, origin.y() + row * cell, cell, cell)

    def cell_center(self, row: int, col: int) -> QPoint:
        return self.cell_rect(row, col).center()

    def cell_at(self, pos: QPoint | QPointF) -> tuple[int, int] | None:
        cell, origin = self._layout()
        rows, cols = self.shape()
        if cell == 0:
            return None
        col = int((pos.x() - origin.x()) // cell)
        row = int((pos.y() - origin.y()) // cell)
        return (row, col) if 0 <= row < rows and 0 <= col < cols else None

    def sizeHint(self) -> QSize:
        return QSize(240, 240)

    # ----- drawing ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        rows, cols = self.shape()
        if rows == 0:
            return
        session = self.session
        image = np.asarray(session.sample_input()).reshape(rows, cols)
        cell, origin = self._layout()
        painter = QPainter(self)
        rgb = pixel_rgb(image)
        # One image scaled without smoothing gives exact, crisp squares in one call.
        buf = np.ascontiguousarray(rgb, dtype=np.uint8)
        qimg = QImage(buf.data, cols, rows, 3 * cols, QImage.Format.Format_RGB888)
        grid = QRect(origin.x(), origin.y(), cell * cols, cell * rows)
        painter.drawImage(grid, qimg)

        line = QColor(160, 160, 160)  # mid grey: visible between paper and between ink pixels
        painter.setPen(QPen(line, GRID_LINE))
        for c in range(1, cols):
            x = origin.x() + c * cell
            painter.drawLine(x, grid.top(), x, grid.bottom())
        for r in range(1, rows):
            y = origin.y() + r * cell
            painter.drawLine(grid.left(), y, grid.right(), y)
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.drawRect(grid.adjusted(0, 0, -1, -1))

        if cell >= 26:
            font = QFont(self.font())
            font.setPixelSize(max(9, min(cell // 4, 18)))
            painter.setFont(font)
            for r in range(rows):
                for c in range(cols):
                    painter.setPen(_text_color_on(rgb[r, c]))
                    painter.drawText(self.cell_rect(r, c), Qt.AlignmentFlag.AlignCenter,
                                     _format_pixel(float(image[r, c])))

        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._hover is not None and self._hover != self.cursor_cell:
            painter.setPen(QPen(self.palette().highlight().color(), 1.5, Qt.PenStyle.DashLine))
            painter.drawRect(QRectF(self.cell_rect(*self._hover)).adjusted(2, 2, -2, -2))
        if self.hasFocus():
            # Two rings (dark over light) stay visible on both paper and ink pixels.
            rect = QRectF(self.cell_rect(*self.cursor_cell))
            painter.setPen(QPen(QColor(255, 255, 255), 4))
            painter.drawRect(rect.adjusted(2.5, 2.5, -2.5, -2.5))
            painter.setPen(QPen(self.palette().highlight().color(), 2.5))
            painter.drawRect(rect.adjusted(2.5, 2.5, -2.5, -2.5))
        painter.end()

    # ----- painting through the session -----------------------------------------------

    def _value(self, cell: tuple[int, int]) -> float:
        cols = self.shape()[1]
        return float(self.session.sample_input()[cell[0] * cols + cell[1]])

    def _paint_cells(self, cells: list[tuple[int, int]], value: float, stroke: int) -> None:
        cols = self.shape()[1]
        pixels = {r * cols + c: value for r, c in cells}
        if self.session.trying:
            self.session.set_try_values(pixels)
        elif self.editable:
            self.session.paint(self.session.selected_sample, pixels, stroke)
        else:
            self.message_posted.emit(locked_message(self.session))

    def _toggled(self, cell: tuple[int, int]) -> float:
        """Ink pixels become paper; paper pixels take the brush value."""
        return 0.0 if self._value(cell) > 0.0 else self.brush

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        button = event.button()
        if cell is None or button not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            super().mousePressEvent(event)
            return
        self.cursor_cell = cell
        self._stroke = self.session.begin_stroke()
        # The first pixel decides the whole stroke: dragging from an ink pixel erases.
        self._stroke_value = self._toggled(cell) if button == Qt.MouseButton.LeftButton else 0.0
        self._last_cell = cell
        self._paint_cells([cell], self._stroke_value, self._stroke)
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if cell != self._hover:
            self._hover = cell
            self.update()
        if self._stroke is None or cell is None or cell == self._last_cell:
            return
        self._paint_cells(_line_cells(self._last_cell, cell), self._stroke_value, self._stroke)
        self._last_cell = cell
        self.cursor_cell = cell

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._stroke = None
        self._last_cell = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        rows, cols = self.shape()
        key = event.key()
        moves = {Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1),
                 Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0)}
        if rows == 0:
            super().keyPressEvent(event)
        elif key in moves:
            dr, dc = moves[key]
            r, c = self.cursor_cell
            self.cursor_cell = (min(max(r + dr, 0), rows - 1), min(max(c + dc, 0), cols - 1))
            self.update()
        elif key == Qt.Key.Key_Space:
            self._paint_cells([self.cursor_cell], self._toggled(self.cursor_cell), self.session.begin_stroke())
        elif key in DIGIT_KEYS:
            self._paint_cells([self.cursor_cell], DIGIT_KEYS[key] / 9.0, self.session.begin_stroke())
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._paint_cells([self.cursor_cell], 0.0, self.session.begin_stroke())
        else:
            super().keyPressEvent(event)

    def _on_dataset_changed(self, *_args) -> None:
        rows, cols = self.shape()
        r, c = self.cursor_cell
        self.cursor_cell = (min(r, max(rows - 1, 0)), min(c, max(cols - 1, 0)))
        self.update()


class BrushBar(DrawnControl):
    """The grey level new ink gets: a strip of the pixel colour map that doubles as its legend."""

    value_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Brush value",
                         "Brush: the value a painted pixel gets (0 = paper, 1 = full ink).\n"
                         "Click or drag along the strip; Left/Right keys change it by 0.1.\n"
                         "The strip is also the colour legend of the pixels.",
                         (110, 30), parent, hover=False, vertical=QSizePolicy.Policy.Fixed)
        self._value = 1.0

    def value(self) -> float:
        return self._value

    def set_value(self, value: float) -> None:
        value = round(min(max(float(value), 0.0), 1.0), 2)
        if value != self._value:
            self._value = value
            self.value_changed.emit(value)
            self.update()

    def _tick_font(self) -> QFont:
        """The tick labels' type: a little smaller than the panel's, and growing with it."""
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * TICK_SCALE)
        return font

    def sizeHint(self) -> QSize:
        return QSize(160, max(30, 18 + QFontMetrics(self._tick_font()).height()))

    def _strip(self) -> QRect:
        return QRect(6, 2, self.width() - 12, 12)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        strip = self._strip()
        gradient = QLinearGradient(strip.left(), 0, strip.right(), 0)
        gradient.setColorAt(0.0, QColor(255, 255, 255))
        gradient.setColorAt(1.0, QColor(0, 0, 0))
        painter.fillRect(strip, gradient)
        painter.setPen(self.palette().mid().color())
        painter.drawRect(strip.adjusted(0, 0, -1, -1))
        painter.setFont(self._tick_font())
        painter.setPen(self.palette().text().color())
        fm = painter.fontMetrics()
        w, h = fm.horizontalAdvance("0.5") + 4, fm.height()
        for tick, align in ((0.0, Qt.AlignmentFlag.AlignLeft), (0.5, Qt.AlignmentFlag.AlignHCenter),
                            (1.0, Qt.AlignmentFlag.AlignRight)):
            x = strip.left() + tick * strip.width()
            left = {Qt.AlignmentFlag.AlignLeft: x, Qt.AlignmentFlag.AlignHCenter: x - w / 2}.get(align, x - w)
            painter.drawText(QRectF(left, strip.bottom() + 2, w, h), align | Qt.AlignmentFlag.AlignTop,
                             f"{tick:g}")
        if self.hasFocus():     # the keyboard's mark: a frame round the strip, as on the grid
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(strip).adjusted(-2, -2, 2, 2))
        x = strip.left() + self._value * strip.width()
        marker = QRectF(x - 4, strip.top() - 2, 8, strip.height() + 4)
        painter.setBrush(QColor(*pixel_rgb(np.array(self._value))))
        painter.setPen(QPen(self.palette().highlight().color() if self.hasFocus()
                            else QColor(128, 128, 128), 2))
        painter.drawRoundedRect(marker, 2, 2)
        painter.end()

    def _set_from_x(self, x: float) -> None:
        strip = self._strip()
        t = (x - strip.left()) / max(1, strip.width())
        self.set_value(round(t * 20) / 20)  # steps of 0.05 are easy to hit and to read

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._set_from_x(event.position().x())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._set_from_x(event.position().x())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {Qt.Key.Key_Left: -0.1, Qt.Key.Key_Down: -0.1, Qt.Key.Key_Right: 0.1, Qt.Key.Key_Up: 0.1}
        if event.key() in steps:
            self.set_value(self._value + steps[event.key()])
        elif event.key() == Qt.Key.Key_Home:
            self.set_value(0.0)
        elif event.key() == Qt.Key.Key_End:
            self.set_value(1.0)
        else:
            super().keyPressEvent(event)


class PixelEditor(QWidget):
    """The pixel grid of the selected sample with its brush; `canvas` is the grid itself."""

    message_posted = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.canvas = PixelCanvas(session, self)
        self.canvas.message_posted.connect(self.message_posted)
        self.brush_bar = BrushBar(self)
        self.brush_bar.value_changed.connect(self._on_brush_changed)
        self._brush_label = QLabel(self)
        self._brush_label.setToolTip(self.brush_bar.toolTip())
        self._brush_label.setMinimumWidth(self._brush_label.fontMetrics().horizontalAdvance("Brush 0.00"))
        self._on_brush_changed(self.brush_bar.value())

        brush_row = QHBoxLayout()
        brush_row.setContentsMargins(6, 0, 6, 0)
        brush_row.addWidget(self._brush_label)
        brush_row.addWidget(self.brush_bar, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(brush_row)
        self.setFocusProxy(self.canvas)

    def set_editable(self, on: bool) -> None:
        """May the selected sample be painted (the Input panel's Edit sample)."""
        self.canvas.editable = on

    def _on_brush_changed(self, value: float) -> None:
        self.canvas.brush = value
        self._brush_label.setText(f"Brush {value:.2f}")
