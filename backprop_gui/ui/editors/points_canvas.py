"""The scatter plot of a 2-D dataset, with the network's decision regions shaded behind.

While `editable` (the Input panel's Edit sample), a click on empty space adds a point of the
chosen class, dragging a point moves it and right-clicking deletes it; each is one undo
entry. Otherwise a click only selects a point. In Try it mode the Try it input is drawn as a
large diamond that a click or a drag puts anywhere, and no sample changes. The shading
(decision_regions.py) is the class the network predicts at each place, its strength the
predicted probability.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (QColor, QFont, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen,
                           QPolygonF)
from PySide6.QtWidgets import QWidget

from ...engine.plane import plane_limit
from ...session.session import Session
from .class_colors import class_color, marker_path
from ..common.throttle import Throttle
from .decision_regions import region_image
from .drawn_control import DrawnControl
from .try_it import locked_message

POINT_RADIUS = 4.0
PICK_RADIUS = 8.0
DRAG_THRESHOLD = 3.0
NUDGE = 0.02


def tick_label(t: float) -> str:
    return f"{t + 0.0:g}".replace("-", "−")    # + 0.0: no "−0"


def axis_ticks(limit: float, side: float, text_width: Callable[[str], float]) -> np.ndarray:
    """Tick values from −limit to limit, 0.5 or 1 or 2 … apart: the finest step whose labels
    (`text_width` measures one in pixels) keep apart along an axis `side` pixels long."""
    step = 0.5 if limit <= 2 else 1.0
    # For points far out (a file may hold 10²⁰) start at a power of ten that gives at most
    # 100 ticks, rather than listing 10²⁰ of them.
    while limit / step > 100:
        step *= 10
    while True:
        n = np.floor(limit / step)       # (arange from −limit to limit: 2 · limit may overflow)
        ticks = np.arange(-n, n + 1) * step + 0.0
        widest = max(text_width(tick_label(t)) for t in ticks)
        if step / (2 * limit) * side >= widest + 8 or step * 2 > limit:
            return ticks
        step *= 2


REGION_FOLLOW_MS = 200   # the shading follows changing weights at most this often


class PointsCanvas(DrawnControl):
    """The scatter plot itself: axes, decision regions, points; maps widget ↔ data coordinates."""

    message_posted = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(
            "Points editor",
            "Each dot is one sample (x₁, x₂), coloured by its class; the shading is the class the "
            "network predicts there (stronger = more certain).\n"
            "Click empty space: add a point of the chosen class · drag a point: move it · "
            "right-click a point: delete it.\n"
            "Keys: arrows move the selected point, Delete removes it, Insert adds a point at the centre.",
            (120, 120), parent)
        self.session = session
        self.new_label = 0
        self.editable = True      # may samples be added, moved, deleted (the Input panel's Edit sample)
        self._placing = False     # the Try it point follows the mouse (a press … release)
        self.limit = 1.25
        self._region: QImage | None = None
        self._region_note = ""
        self._hover: int | None = None
        self._hover_pos: QPointF | None = None
        self._drag: tuple[int, QPointF, np.ndarray] | None = None  # index, press pos, grab offset
        self._stroke: int | None = None
        # Training changes the weights up to 60 times a second: the shading (a forward pass
        # of the whole lattice, ~4 ms) follows a few times a second, and always ends with the
        # latest weights. A new network shape or project shows at once.
        self._region_throttle = Throttle(REGION_FOLLOW_MS, self._on_network_changed, self)
        session.parameters_changed.connect(self._region_throttle)
        for signal in (session.structure_changed, session.project_replaced):
            signal.connect(self._on_network_changed)
        session.dataset_changed.connect(self._on_dataset_changed)
        session.sample_selected.connect(self._on_sample_selected)
        session.try_input_changed.connect(self.update)
        self._on_dataset_changed()

    # ----- coordinates -----------------------------------------------------------------

    def plot_rect(self) -> QRectF:
        fm = self.fontMetrics()
        left = fm.horizontalAdvance("−0.5") + 12
        bottom = 2 * fm.height() + 6
        side = max(20.0, min(self.width() - left - 10, self.height() - bottom - 8))
        x = left + (self.width() - left - 10 - side) / 2
        return QRectF(x, 8, side, side)

    # The mappings divide by the limit before anything else: x + limit or 2 · limit would
    # overflow for points near the largest float (a project file may hold any finite number).

    def data_to_widget(self, x: float, y: float) -> QPointF:
        r = self.plot_rect()
        return QPointF(r.left() + (x / self.limit + 1) / 2 * r.width(),
                       r.bottom() - (y / self.limit + 1) / 2 * r.height())

    def widget_to_data(self, pos: QPointF) -> np.ndarray:
        r = self.plot_rect()
        return np.array([((pos.x() - r.left()) / r.width() * 2 - 1) * self.limit,
                         ((r.bottom() - pos.y()) / r.height() * 2 - 1) * self.limit])

    def point_at(self, pos: QPointF) -> int | None:
        """The sample drawn under `pos` (the top-most one if several overlap)."""
        inputs = self.session.dataset.inputs
        if self.session.dataset.n_inputs != 2 or inputs.shape[0] == 0:
            return None
        px, py = self._screen_xy(inputs)
        d2 = (px - pos.x()) ** 2 + (py - pos.y()) ** 2
        hits = np.flatnonzero(d2 <= PICK_RADIUS ** 2)
        return int(hits[-1]) if hits.size else None

    def _clamped(self, xy: np.ndarray) -> np.ndarray:
        return np.round(np.clip(xy, -self.limit, self.limit), 3)

    def sizeHint(self) -> QSize:
        return QSize(300, 300)

    # ----- state -----------------------------------------------------------------------

    def _on_sample_selected(self, _index: int) -> None:
        self.update()

    def _on_network_changed(self) -> None:
        self._region_throttle.ran()
        self._region = None
        self.update()

    def _on_dataset_changed(self) -> None:
        ds = self.session.dataset
        if ds.kind == "points" and ds.n_inputs == 2 and self._drag is None:
            # Points added or moved here are clamped to the square, so editing never
            # rescales the plot.
            limit = plane_limit(ds.inputs)
            if limit != self.limit:
                self.limit = limit
                self._region = None
        self.update()

    def _compute_region(self) -> None:
        """The network on a GRID x GRID lattice, tinted by predicted class and certainty."""
        self._region, self._region_note = region_image(
            self.session.network, self.limit, self.session.dataset.n_classes,
            self.palette().base().color())

    # ----- drawing ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        ds = self.session.dataset
        painter = QPainter(self)
        pal = self.palette()
        rect = self.plot_rect()
        painter.fillRect(rect, pal.base())
        if self._region is None:
            self._compute_region()
        if self._region is not None and not self._region.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(rect, self._region)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._draw_axes(painter, rect)
        if ds.n_inputs == 2:
            painter.save()
            painter.setClipRect(rect.adjusted(-POINT_RADIUS, -POINT_RADIUS, POINT_RADIUS, POINT_RADIUS))
            self._draw_points(painter)
            if self.session.trying and self.session.has_samples:
                self._draw_try_point(painter)
            painter.restore()
        if self._region_note:
            painter.setPen(pal.text().color())
            painter.drawText(rect.adjusted(8, 8, -8, -8), Qt.TextFlag.TextWordWrap, self._region_note)
        self._draw_readout(painter, rect)
        if self.hasFocus():
            painter.setPen(QPen(pal.highlight().color(), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(-1, -1, 1, 1))
        painter.end()

    def _draw_axes(self, painter: QPainter, rect: QRectF) -> None:
        pal = self.palette()
        fm = self.fontMetrics()
        painter.setPen(QPen(pal.mid().color(), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        ticks = axis_ticks(self.limit, rect.width(), fm.horizontalAdvance)
        grid_pen = QPen(QColor(pal.mid().color()), 1, Qt.PenStyle.DotLine)
        for t in ticks:
            label = tick_label(t)
            p = self.data_to_widget(t, t)
            painter.setPen(grid_pen if abs(t) < 1e-9 else QPen(Qt.PenStyle.NoPen))
            painter.drawLine(QPointF(p.x(), rect.top()), QPointF(p.x(), rect.bottom()))
            painter.drawLine(QPointF(rect.left(), p.y()), QPointF(rect.right(), p.y()))
            painter.setPen(pal.text().color())
            painter.drawLine(QPointF(p.x(), rect.bottom()), QPointF(p.x(), rect.bottom() + 4))
            painter.drawLine(QPointF(rect.left() - 4, p.y()), QPointF(rect.left(), p.y()))
            painter.drawText(QRectF(p.x() - 20, rect.bottom() + 4, 40, fm.height()),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)
            painter.drawText(QRectF(0, p.y() - fm.height() / 2, rect.left() - 6, fm.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        italic = QFont(self.font())
        italic.setItalic(True)
        painter.setFont(italic)
        painter.drawText(QRectF(rect.left(), rect.bottom() + 4 + fm.height(), rect.width(), fm.height()),
                         Qt.AlignmentFlag.AlignHCenter, "x₁")
        painter.drawText(QRectF(2, rect.top(), 20, fm.height()), Qt.AlignmentFlag.AlignLeft, "x₂")
        painter.setFont(self.font())

    def _screen_xy(self, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Widget coordinates of many points at once (data_to_widget, vectorised)."""
        r = self.plot_rect()
        half = r.width() / 2
        return r.left() + (inputs[:, 0] / self.limit + 1) * half, r.bottom() - (inputs[:, 1] / self.limit + 1) * half

    def _draw_points(self, painter: QPainter) -> None:
        ds = self.session.dataset
        n_classes = ds.n_classes
        painter.setPen(QPen(QColor(255, 255, 255), 1.2))
        r = POINT_RADIUS
        px, py = self._screen_xy(ds.inputs)
        for label in range(n_classes):
            painter.setBrush(class_color(label, n_classes))
            marker = marker_path(label, r)      # a shape per class, besides its colour
            mask = ds.labels == label
            for x, y in zip(px[mask].tolist(), py[mask].tolist()):
                painter.drawPath(marker.translated(x, y))
        for index, width, colour in ((self._hover, 1.5, self.palette().text().color()),
                                     (self.session.selected_sample, 2.5, QColor(0, 0, 0))):
            if index is None or index >= ds.n_samples:
                continue
            centre = QPointF(px[index], py[index])
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(255, 255, 255), width + 2))
            painter.drawEllipse(centre, r + 3, r + 3)
            painter.setPen(QPen(colour, width))
            painter.drawEllipse(centre, r + 3, r + 3)

    def _draw_try_point(self, painter: QPainter) -> None:
        """The Try it input: a diamond twice a sample's size, in its chosen class's colour."""
        centre = self.data_to_widget(*self.session.try_input.values[:2])
        r = 2.5 * POINT_RADIUS
        diamond = QPolygonF([centre + QPointF(0, -r), centre + QPointF(r, 0),
                             centre + QPointF(0, r), centre + QPointF(-r, 0)])
        painter.setBrush(class_color(self.session.sample_label(), self.session.dataset.n_classes))
        painter.setPen(QPen(QColor(255, 255, 255), 4))
        painter.drawPolygon(diamond)
        painter.setPen(QPen(QColor(0, 0, 0), 2))
        painter.drawPolygon(diamond)

    def _draw_readout(self, painter: QPainter, rect: QRectF) -> None:
        """Where the mouse is, in data coordinates (and which sample it is over)."""
        if self._hover_pos is None or not rect.contains(self._hover_pos):
            return
        ds = self.session.dataset
        if self._hover is not None and self._hover < ds.n_samples:
            x, y = ds.inputs[self._hover]
            text = f"#{self._hover + 1} “{ds.class_names[ds.labels[self._hover]]}” ({x:.2f}, {y:.2f})"
        else:
            x, y = self.widget_to_data(self._hover_pos)
            text = f"({x:.2f}, {y:.2f})"
        fm = self.fontMetrics()
        text = fm.elidedText(text.replace("-", "−"), Qt.TextElideMode.ElideLeft, int(rect.width() - 18))
        box = QRectF(rect.left() + 4, rect.top() + 4, fm.horizontalAdvance(text) + 10, fm.height() + 4)
        painter.setPen(Qt.PenStyle.NoPen)
        base = QColor(self.palette().base().color())
        base.setAlpha(220)
        painter.setBrush(base)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(self.palette().text().color())
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    # ----- editing ---------------------------------------------------------------------

    def _post_error(self, exc: ValueError) -> None:
        self.message_posted.emit(str(exc)[:1].upper() + str(exc)[1:] + ".")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if not self.plot_rect().adjusted(-PICK_RADIUS, -PICK_RADIUS, PICK_RADIUS, PICK_RADIUS).contains(pos):
            return
        hit = self.point_at(pos)
        session = self.session
        if session.trying:
            if event.button() == Qt.MouseButton.LeftButton and session.dataset.n_inputs == 2:
                self._placing = True
                self._place_try_point(pos)
            return
        if not self.editable:
            if event.button() == Qt.MouseButton.LeftButton and hit is not None:
                session.select_sample(hit)
            else:
                self.message_posted.emit(locked_message(session))
            return
        try:
            if event.button() == Qt.MouseButton.RightButton:
                if hit is not None:
                    session.delete_sample(hit)
                    self._hover = None
            elif event.button() == Qt.MouseButton.LeftButton:
                if hit is None:
                    label = min(self.new_label, session.dataset.n_classes - 1)
                    session.add_sample(self._clamped(self.widget_to_data(pos)), label)
                else:
                    session.select_sample(hit)
                    offset = session.dataset.inputs[hit] - self.widget_to_data(pos)
                    self._drag = (hit, pos, offset)
        except ValueError as exc:
            self._post_error(exc)
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        self._hover_pos = pos
        if self._placing:
            self._place_try_point(pos)
            return
        if self._drag is not None:
            index, start, offset = self._drag
            if self._stroke is None:
                if (pos - start).manhattanLength() < DRAG_THRESHOLD:
                    return
                self._stroke = self.session.begin_stroke()
            self.session.move_sample(index, self._clamped(self.widget_to_data(pos) + offset),
                                     self._stroke)
            return
        self._hover = self.point_at(pos)
        self.setCursor(Qt.CursorShape.OpenHandCursor if self._hover is not None else Qt.CursorShape.CrossCursor)
        self.update()

    def _place_try_point(self, pos: QPointF) -> None:
        x, y = self._clamped(self.widget_to_data(pos))
        self.session.set_try_values({0: float(x), 1: float(y)})

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._placing = False
        self._drag = None
        self._stroke = None
        self._on_dataset_changed()

    def leaveEvent(self, event: QEvent) -> None:
        self._hover_pos = None
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        session = self.session
        index = session.selected_sample
        step = NUDGE * (5 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
        moves = {Qt.Key.Key_Left: (-step, 0.0), Qt.Key.Key_Right: (step, 0.0),
                 Qt.Key.Key_Up: (0.0, step), Qt.Key.Key_Down: (0.0, -step)}
        key = event.key()
        if session.trying:
            if key in moves and session.dataset.n_inputs == 2:
                x, y = self._clamped(session.try_input.values + np.array(moves[key]))
                session.set_try_values({0: float(x), 1: float(y)})
            else:
                super().keyPressEvent(event)
            return
        if not self.editable and key in (*moves, Qt.Key.Key_Delete, Qt.Key.Key_Backspace,
                                         Qt.Key.Key_Insert, Qt.Key.Key_Plus):
            self.message_posted.emit(locked_message(session))
            return
        try:
            if key in moves and session.dataset.n_inputs == 2:
                target = self._clamped(session.dataset.inputs[index] + np.array(moves[key]))
                session.move_sample(index, target, session.begin_stroke())
            elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                session.delete_sample(index)
            elif key in (Qt.Key.Key_Insert, Qt.Key.Key_Plus):
                session.add_sample(np.zeros(2), min(self.new_label, session.dataset.n_classes - 1))
            else:
                super().keyPressEvent(event)
        except ValueError as exc:
            self._post_error(exc)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._region = None  # the shading is blended over the palette's base colour
        super().changeEvent(event)
