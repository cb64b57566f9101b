"""The Decision map's picture: the predicted class over the input plane, the boundary, the
samples (colour and shape by class), the selected sample, axes and a legend.

It draws from the session's state when painted; `invalidate()` says the network changed, and
the shading and the boundary are computed again at the next paint (a hidden panel computes
nothing). The panel (panel.py) decides when to invalidate: at once for an edit, a few times a
second while training streams.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...session.session import Session
from ..editors.class_colors import class_color
from ..editors.decision_regions import class_probabilities, lattice_probabilities, region_image
from ..editors.points_canvas import axis_ticks, tick_label
from .boundary import boundary_segments
from .markers import marker_path
from .plane import Plane, centred_network, plane_for

PICK_RADIUS = 8.0
GAP = 6


class DecisionMapCanvas(QWidget):
    """A square map of the input plane. Public: `plane`, `map_rect()`, `data_to_widget`,
    `widget_to_data`, `predicted_class`, `summary()`; `refreshed` after each recomputation."""

    refreshed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decision_map_canvas")
        self.session = session
        self.plane = Plane()
        self._region: QImage | None = None
        self._segments = np.empty((0, 2, 2))
        self._correct: tuple[int, int] | None = None
        self._dirty = True
        self._hover_pos: QPointF | None = None
        self._rows_cache: tuple[tuple, list] | None = None
        self._sprites: dict[tuple, QPixmap] = {}
        self.refreshes = 0          # how often the map was computed (tests follow it)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(180, 200)
        self.setAccessibleName("Decision map")
        self.setToolTip("The class the network predicts at every point (x₁, x₂) of the input "
                        "plane: stronger colour, more certain; the line is where the predicted "
                        "class changes.\nEach sample is drawn in its own class's colour and "
                        "shape: one lying in another class's colour is predicted wrong.\n"
                        "Click a sample to select it.")
        self.update_plane()

    # ----- state -------------------------------------------------------------------------

    def update_plane(self) -> None:
        """Fit the square to the dataset's samples (after a dataset change)."""
        ds = self.session.dataset
        plane = plane_for(ds.inputs if ds.n_inputs == 2 else np.empty((0, 2)))
        if plane != self.plane:
            self.plane = plane
            self._dirty = True
        self.update()

    @property
    def is_stale(self) -> bool:
        """The network changed since the map was computed (it is, at the next paint)."""
        return self._dirty

    def invalidate(self) -> None:
        """The network (or what its classes mean) changed: compute the map at the next paint."""
        self._dirty = True
        self.update()

    def _compute(self) -> None:
        self._dirty = False
        self.refreshes += 1
        net, ds = self.session.network, self.session.dataset
        if net.sizes[0] != 2:
            self._region, self._segments, self._correct = None, np.empty((0, 2, 2)), None
            return
        shifted = centred_network(net, self.plane)
        probs = lattice_probabilities(shifted, self.plane.half)     # one pass for both
        self._region, _note = region_image(shifted, self.plane.half, ds.n_classes,
                                           self.palette().base().color(), probs)
        self._segments = boundary_segments(shifted, self.plane.half, probs)
        self._correct = None
        if ds.n_samples and ds.n_inputs == 2 and not ds.is_regression:
            predicted = self.predicted_classes(ds.inputs)
            self._correct = (int(np.count_nonzero(predicted == ds.labels)), ds.n_samples)
        self.refreshed.emit()

    def region(self) -> QImage | None:
        """The shading as last computed (None before the first paint or without a map)."""
        return self._region

    def boundary(self) -> np.ndarray:
        """(M, 2, 2) pieces of the decision boundary as last computed, in data coordinates."""
        return self.plane.from_unit(self._segments.reshape(-1, 2)).reshape(-1, 2, 2)

    def predicted_classes(self, inputs: np.ndarray) -> np.ndarray:
        """The class the network predicts for each row of `inputs` (N, 2), as the map
        shades it (one output: class 1 where ŷ > 0.5)."""
        net = self.session.network
        with np.errstate(all="ignore"):
            probs = np.nan_to_num(class_probabilities(net.predict(inputs), net.activation_names[-1]))
        return np.argmax(probs, axis=1)

    def predicted_class(self, x1: float, x2: float) -> int:
        return int(self.predicted_classes(np.array([[x1, x2]]))[0])

    def summary(self) -> str:
        """How many samples lie in their own class's region ("" when not counted)."""
        if self._dirty:
            self._compute()
        if self._correct is None:
            return ""
        right, total = self._correct
        return f"{right} of {total} samples lie in their own class's region"

    # ----- coordinates -------------------------------------------------------------------

    def _legend_entries(self) -> list[tuple[str, int, str]]:
        """(kind, class, text) of each legend entry: one per class, then the marks."""
        ds = self.session.dataset
        entries = [("class", c, f"class “{name}”") for c, name in enumerate(ds.class_names)]
        if ds.n_samples and ds.n_inputs == 2:
            entries.append(("selected", 0, f"selected: sample {self.session.selected_sample + 1}"))
        if self.session.trying:
            entries.append(("try", 0, "Try it input"))
        entries.append(("boundary", 0, "boundary"))
        return entries

    def _legend_rows(self, width: float) -> list[list[tuple[str, int, str, float]]]:
        """The legend's entries flowed into rows `width` wide (kept until the entries, the
        width or the font change: every coordinate mapping asks for them)."""
        entries = tuple(self._legend_entries())
        key = (entries, width, self.font().key())
        if self._rows_cache is not None and self._rows_cache[0] == key:
            return self._rows_cache[1]
        fm = self.fontMetrics()
        rows: list[list[tuple[str, int, str, float]]] = [[]]
        used = 0.0
        for kind, label, text in entries:
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, int(max(40.0, width - 30)))
            w = fm.height() + 4 + fm.horizontalAdvance(text) + 14
            if rows[-1] and used + w > width:
                rows.append([])
                used = 0.0
            rows[-1].append((kind, label, text, w))
            used += w
        self._rows_cache = (key, rows)
        return rows

    def _bottom_height(self, rows: int) -> float:
        h = self.fontMetrics().height()
        return 4 + h + h + GAP + rows * (h + 4) + h + 4     # ticks, x₁, legend, summary

    def map_rect(self) -> QRectF:
        """Where the square of the plane is drawn."""
        fm = self.fontMetrics()
        left = fm.horizontalAdvance("−0.75") + 10 + fm.height() + 4
        rows = len(self._legend_rows(self.width() - 20))
        side = max(40.0, min(self.width() - left - 12, self.height() - 8 - self._bottom_height(rows)))
        x = left + max(0.0, (self.width() - left - 12 - side) / 2)
        return QRectF(x, 8, side, side)

    def data_to_widget(self, x: float, y: float) -> QPointF:
        r = self.map_rect()
        u, v = self.plane.to_unit(np.array([x, y]))
        return QPointF(r.left() + (u + 1) / 2 * r.width(), r.bottom() - (v + 1) / 2 * r.height())

    def widget_to_data(self, pos: QPointF) -> np.ndarray:
        r = self.map_rect()
        return self.plane.from_unit(np.array([(pos.x() - r.left()) / r.width() * 2 - 1,
                                              (r.bottom() - pos.y()) / r.height() * 2 - 1]))

    def _screen_xy(self, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r = self.map_rect()
        uv = self.plane.to_unit(inputs)
        return r.left() + (uv[:, 0] + 1) / 2 * r.width(), r.bottom() - (uv[:, 1] + 1) / 2 * r.height()

    def sample_at(self, pos: QPointF) -> int | None:
        ds = self.session.dataset
        if ds.n_inputs != 2 or ds.n_samples == 0:
            return None
        px, py = self._screen_xy(ds.inputs)
        with np.errstate(all="ignore"):
            d2 = (px - pos.x()) ** 2 + (py - pos.y()) ** 2
        hits = np.flatnonzero(d2 <= PICK_RADIUS ** 2)
        return int(hits[np.argmin(d2[hits])]) if hits.size else None

    def sizeHint(self) -> QSize:
        return QSize(360, 320)     # a square map and its legend; a dock may give it more

    # ----- drawing -----------------------------------------------------------------------

    def marker_radius(self) -> float:
        return max(4.0, self.fontMetrics().height() * 0.36)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._dirty:
            self._compute()
        painter = QPainter(self)
        pal = self.palette()
        rect = self.map_rect()
        painter.fillRect(rect, pal.base())
        if self._region is not None and not self._region.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(rect, self._region)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.save()
        painter.setClipRect(rect)
        self._draw_boundary(painter, rect)
        painter.restore()
        self._draw_axes(painter, rect)
        painter.save()
        r = self.marker_radius()
        painter.setClipRect(rect.adjusted(-r - 2, -r - 2, r + 2, r + 2))
        self._draw_samples(painter)
        painter.restore()
        self._draw_legend(painter, rect)
        self._draw_readout(painter, rect)
        painter.end()

    def _draw_boundary(self, painter: QPainter, rect: QRectF) -> None:
        if not len(self._segments):
            return
        pen = QPen(self.palette().text().color(), 1.6)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        xs = rect.left() + (self._segments[..., 0] + 1) / 2 * rect.width()
        ys = rect.bottom() - (self._segments[..., 1] + 1) / 2 * rect.height()
        for (x0, x1), (y0, y1) in zip(xs.tolist(), ys.tolist()):
            painter.drawLine(QPointF(x0, y0), QPointF(x1, y1))

    def _draw_axes(self, painter: QPainter, rect: QRectF) -> None:
        pal = self.palette()
        fm = self.fontMetrics()
        painter.setPen(QPen(pal.mid().color(), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        ticks = axis_ticks(self.plane.half, rect.width(), fm.horizontalAdvance)
        step = float(ticks[1] - ticks[0]) if len(ticks) > 1 else self.plane.half
        painter.setPen(pal.text().color())
        for axis, centre in ((0, self.plane.cx), (1, self.plane.cy)):
            lo, hi = centre - self.plane.half, centre + self.plane.half
            with np.errstate(all="ignore"):
                first, last = np.ceil(lo / step - 1e-9), np.floor(hi / step + 1e-9)
            if not (np.isfinite(first) and np.isfinite(last)) or last - first > 200:
                continue
            for t in np.arange(first, last + 1) * step + 0.0:
                label = tick_label(float(t))
                if axis == 0:
                    x = self.data_to_widget(float(t), self.plane.cy).x()
                    painter.drawLine(QPointF(x, rect.bottom()), QPointF(x, rect.bottom() + 4))
                    painter.drawText(QRectF(x - 30, rect.bottom() + 4, 60, fm.height()),
                                     Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)
                else:
                    y = self.data_to_widget(self.plane.cx, float(t)).y()
                    painter.drawLine(QPointF(rect.left() - 4, y), QPointF(rect.left(), y))
                    painter.drawText(QRectF(0, y - fm.height() / 2, rect.left() - 6, fm.height()),
                                     Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        italic = QFont(self.font())
        italic.setItalic(True)
        painter.setFont(italic)
        painter.drawText(QRectF(rect.left(), rect.bottom() + 4 + fm.height(), rect.width(), fm.height()),
                         Qt.AlignmentFlag.AlignHCenter, "x₁")
        painter.save()
        painter.translate(2, rect.center().y())
        painter.rotate(-90)
        painter.drawText(QRectF(-rect.height() / 2, 0, rect.height(), fm.height()),
                         Qt.AlignmentFlag.AlignHCenter, "x₂")
        painter.restore()
        painter.setFont(self.font())

    def _marker_pen(self) -> QPen:
        return QPen(self.palette().text().color(), 1.2)

    def _draw_marker(self, painter: QPainter, label: int, centre: QPointF, r: float) -> None:
        painter.setBrush(class_color(label, self.session.dataset.n_classes))
        painter.drawPath(marker_path(label, centre, r))

    def _sprite(self, label: int, r: float) -> QPixmap:
        """Class `label`'s marker drawn once (a spiral has hundreds of samples to stamp)."""
        ratio = self.devicePixelRatioF()
        key = (label, self.session.dataset.n_classes, r, ratio,
               self.palette().text().color().rgba())
        sprite = self._sprites.get(key)
        if sprite is None:
            side = int(np.ceil(2 * (1.5 * r + 2)))
            sprite = QPixmap(int(side * ratio), int(side * ratio))
            sprite.setDevicePixelRatio(ratio)
            sprite.fill(Qt.GlobalColor.transparent)
            p = QPainter(sprite)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(self._marker_pen())
            self._draw_marker(p, label, QPointF(side / 2, side / 2), r)
            p.end()
            if len(self._sprites) > 64:
                self._sprites.clear()
            self._sprites[key] = sprite
        return sprite

    def _draw_samples(self, painter: QPainter) -> None:
        ds = self.session.dataset
        if ds.n_inputs != 2:
            return
        r = self.marker_radius()
        painter.setPen(self._marker_pen())
        if ds.n_samples:
            px, py = self._screen_xy(ds.inputs)
            finite = np.isfinite(px) & np.isfinite(py)
            for label in range(ds.n_classes):
                sprite = self._sprite(label, r)
                half = sprite.width() / sprite.devicePixelRatio() / 2
                mask = (ds.labels == label) & finite
                for x, y in zip(px[mask].tolist(), py[mask].tolist()):
                    painter.drawPixmap(QPointF(x - half, y - half), sprite)
            index = self.session.selected_sample
            if 0 <= index < ds.n_samples:
                self._draw_ring(painter, QPointF(px[index], py[index]), r + 4)
        if self.session.trying:
            centre = self.data_to_widget(*self.session.try_input.values[:2])
            self._draw_try_mark(painter, centre, r + 3)

    def _draw_ring(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(self.palette().base().color(), 4.5))
        painter.drawEllipse(centre, radius, radius)
        painter.setPen(QPen(self.palette().text().color(), 2.0))
        painter.drawEllipse(centre, radius, radius)

    def _draw_try_mark(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        self._draw_ring(painter, centre, radius)
        painter.drawLine(centre - QPointF(radius + 3, 0), centre + QPointF(radius + 3, 0))
        painter.drawLine(centre - QPointF(0, radius + 3), centre + QPointF(0, radius + 3))

    def _draw_legend(self, painter: QPainter, rect: QRectF) -> None:
        fm = self.fontMetrics()
        pal = self.palette()
        h = fm.height()
        r = min(self.marker_radius(), h * 0.4)
        y = rect.bottom() + 4 + 2 * h + GAP
        for row in self._legend_rows(self.width() - 20):
            x = 10 + max(0.0, (self.width() - 20 - sum(e[3] for e in row)) / 2)
            for kind, label, text, width in row:
                centre = QPointF(x + h / 2, y + h / 2)
                painter.setPen(self._marker_pen())
                if kind == "class":
                    self._draw_marker(painter, label, centre, r)
                elif kind == "selected":
                    self._draw_ring(painter, centre, r + 1)
                elif kind == "try":
                    self._draw_try_mark(painter, centre, r)
                else:
                    painter.setPen(QPen(pal.text().color(), 1.6))
                    painter.drawLine(centre - QPointF(h / 2, 0), centre + QPointF(h / 2, 0))
                painter.setPen(pal.text().color())
                painter.drawText(QRectF(x + h + 4, y, width - h - 4, h),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
                x += width
            y += h + 4
        summary = self.summary()
        if summary:
            painter.setPen(pal.text().color())
            painter.drawText(QRectF(10, y, self.width() - 20, h), Qt.AlignmentFlag.AlignHCenter,
                             fm.elidedText(summary, Qt.TextElideMode.ElideRight, self.width() - 20))

    def _draw_readout(self, painter: QPainter, rect: QRectF) -> None:
        """Where the mouse is, and the class the network predicts there."""
        if self._hover_pos is None or not rect.contains(self._hover_pos):
            return
        x, y = self.widget_to_data(self._hover_pos)
        ds = self.session.dataset
        c = self.predicted_class(float(x), float(y))
        name = ds.class_names[c] if c < ds.n_classes else str(c + 1)
        text = f"({x:.2f}, {y:.2f}) → “{name}”".replace("-", "−")
        fm = self.fontMetrics()
        text = fm.elidedText(text, Qt.TextElideMode.ElideLeft, int(rect.width() - 18))
        box = QRectF(rect.left() + 4, rect.top() + 4, fm.horizontalAdvance(text) + 10, fm.height() + 4)
        base = QColor(self.palette().base().color())
        base.setAlpha(220)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(base)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(self.palette().text().color())
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    # ----- events ------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self.sample_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and hit is not None:
            self.session.select_sample(hit)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._hover_pos = event.position()
        self.setCursor(Qt.CursorShape.PointingHandCursor if self.sample_at(self._hover_pos) is not None
                       else Qt.CursorShape.CrossCursor)
        self.update()

    def leaveEvent(self, event: QEvent) -> None:
        self._hover_pos = None
        self.update()
        super().leaveEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._dirty = True       # the shading is blended over the palette's base colour
        super().changeEvent(event)
