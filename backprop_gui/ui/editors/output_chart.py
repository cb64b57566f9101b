"""The network's output ŷ for the selected sample as a labelled bar chart, with its loss.

Plain QPainter (no pyqtgraph) so the first screen stays fast. One row per output neuron:
the class name, a bar for ŷₖ with its value printed, a tick at the target yₖ. The target
class is marked with ▶, the predicted class is drawn in the highlight colour.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...engine.overflow import fixed_text, overflow_cause
from ...session.session import Session
from ..common.throttle import READABLE_MS, Throttle

PAD = 6
# A Try it input of a regression table: nobody gave its y.
NO_TARGET = "Your input has no target y"


class OutputChart(QWidget):
    """ŷ of the selected sample, the target, the prediction and the sample's loss."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.values = np.zeros(0)
        self.targets = np.zeros(0)
        self.loss: float | None = None
        self.problem: str | None = None
        self._rows_laid_out = -1
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # Opaque: it repaints on every training frame, and a see-through widget makes Qt
        # repaint the panel and the splitter behind it each time too.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        # Its ~30 texts take ~1 ms to draw: while training, a few times a second.
        self._repaint = Throttle(READABLE_MS, self.update, self)
        self.setAccessibleName("Network output")
        self.setToolTip(
            "The network's output ŷ for the selected sample, one bar per output neuron.\n"
            "▶ marks the target class; the tick on each row is the target value y.\n"
            "The predicted class (largest output) is highlighted, and the loss of this one sample "
            "is shown top right.\nIt updates as you edit the input.")
        session.values_changed.connect(self._update_values)
        session.project_replaced.connect(self._update_values)
        self._update_values()

    # ----- state -----------------------------------------------------------------------

    def _update_values(self) -> None:
        session = self.session
        net = session.network
        try:
            trace = session.trace()
            self.values = np.array(trace.output[0], dtype=np.float64)
            if session.target_known:
                self.targets = np.array(session.sample_target(), dtype=np.float64)
                self.loss = float(net.loss(trace, self.targets))
            else:       # a Try it input of a regression table: no y, so no tick and no loss
                self.targets = np.full(self.values.shape, np.nan)
                self.loss = None
            self.problem = None
            if not np.isfinite(self.values).all():
                # No bar, no prediction: only what happened.
                self.problem = (f"The output could not be computed, an "
                                f"{overflow_cause(net, session.dataset.inputs)}.")
        except ValueError as exc:  # e.g. fewer outputs than classes while the network is edited
            self.values = np.zeros(0)
            self.targets = np.zeros(0)
            self.loss = None
            self.problem = str(exc)
        self.setAccessibleDescription(self.summary())
        # Only when the rows change: an updateGeometry re-lays out the whole window, and
        # this runs on every frame while the network trains.
        if len(self.values) != self._rows_laid_out:
            self._rows_laid_out = len(self.values)
            self.updateGeometry()
        self._repaint()

    def row_labels(self) -> list[str]:
        ds = self.session.dataset
        names = ds.class_names
        if ds.is_regression:            # numbers to predict, not classes
            return ["ŷ"] if len(self.values) == 1 else [f"ŷ{k + 1}" for k in range(len(self.values))]
        if len(self.values) == 1:
            return [f"ŷ = P(“{names[-1]}”)" if len(names) == 2 else "ŷ"]
        return [f"“{names[k]}”" if k < len(names) else f"ŷ{k + 1}" for k in range(len(self.values))]

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def label_column(self) -> tuple[int, list[str]]:
        """The width of the labels' column and each row's label as drawn in it: a class
        name too long for it (names come from the file) is cut with "…"."""
        labels = self.row_labels()
        if not labels:
            return 0, []
        bold_fm = QFontMetrics(self._bold())
        # Measured in bold, as the predicted class is drawn: a label that fits is never cut.
        width = min(max(bold_fm.horizontalAdvance(s) for s in labels) + 14 + PAD, int(self.width() * 0.45))
        pred = self.predicted_class()
        shown = [(bold_fm if len(labels) == 1 or k == pred else self.fontMetrics()).elidedText(
                     label, Qt.TextElideMode.ElideRight, width - PAD - 12)   # room for ▶
                 for k, label in enumerate(labels)]
        return width, shown

    def predicted_class(self) -> int:
        if len(self.values) == 1:
            return int(self.values[0] >= 0.5)
        return int(np.argmax(self.values))

    def target_class(self) -> int:
        return self.session.sample_label()

    def value_texts(self) -> list[str]:
        return [fixed_text(v, 3, short=True) for v in self.values]

    def loss_texts(self) -> tuple[str, str]:
        """The loss beside the title: with the loss's name, and shorter."""
        number = fixed_text(self.loss, 4)
        return f"{self.session.network.loss_fn.display.lower()} loss {number}", f"loss L = {number}"

    def summary(self) -> str:
        if self.problem:
            return self.problem
        ds = self.session.dataset
        if not self.session.target_known:
            return NO_TARGET
        if ds.is_regression:
            return f"Target {ds.target_text(self.session.selected_sample)}"
        names = ds.class_names
        pred, target = self.predicted_class(), self.target_class()
        name = names[pred] if pred < len(names) else str(pred + 1)
        verdict = "✓ correct" if pred == target else f"✗ wrong, the target is “{names[target]}”"
        return f"Predicts “{name}” {verdict}"

    # ----- geometry --------------------------------------------------------------------

    def _fixed_height(self) -> float:
        """Height of everything but the bars: the title line and the two lines under the bars."""
        line_h = self.fontMetrics().height()
        return 3 * PAD + line_h + PAD / 2 + 2 * (line_h + 2)

    def _row_height(self) -> float:
        """Roomy rows when there is space, down to one text line each when there is not."""
        line_h = self.fontMetrics().height()
        rows = max(len(self.values), 1)
        roomy = line_h + (10 if rows <= 4 else 6)
        return min(max((self.height() - self._fixed_height()) / rows, line_h), roomy)

    def sizeHint(self) -> QSize:
        rows = max(len(self.values), 1)
        line_h = self.fontMetrics().height()
        return QSize(260, int(self._fixed_height() + rows * (line_h + (10 if rows <= 4 else 6))))

    def minimumSizeHint(self) -> QSize:
        rows = max(len(self.values), 1)
        return QSize(160, int(self._fixed_height() + rows * self.fontMetrics().height()))

    def _axis_range(self) -> tuple[float, float]:
        if self.session.network.activations[-1].probability:     # ŷ in [0, 1]: a fixed axis
            return 0.0, 1.0
        both = np.concatenate([self.values, self.targets, [0.0, 1.0]])
        both = both[np.isfinite(both)]
        return float(min(both.min(), 0.0)), float(max(both.max(), 0.0))

    # ----- drawing ---------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        self._repaint.ran()     # it shows the latest values: a repaint waiting would only repeat it
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().brush(self.backgroundRole()))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        top = self._paint_title(painter)
        if not self.problem:
            row_h = self._row_height()
            self._paint_bars(painter, top, row_h)
            self._paint_legend(painter, top + len(self.values) * row_h + PAD / 2)
        painter.end()

    def _paint_title(self, painter: QPainter) -> float:
        """"Output ŷ" with the loss (or the problem below it); returns where the rows start."""
        text = self.palette().text().color()
        fm = self.fontMetrics()
        line_h = fm.height()
        width = self.width()
        bold = self._bold()
        painter.setFont(bold)
        painter.setPen(text)
        title_rect = QRectF(PAD, PAD, width - 2 * PAD, line_h)
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "Output ŷ")
        painter.setFont(self.font())
        if self.problem:
            painter.drawText(QRectF(PAD, PAD + line_h + PAD, width - 2 * PAD, self.height()),
                             Qt.TextFlag.TextWordWrap, self.problem)
        else:
            # The loss's name when it fits beside the title, else just the number.
            room = width - 2 * PAD - QFontMetrics(bold).horizontalAdvance("Output ŷ") - 12
            loss_text, short_loss_text = self.loss_texts() if self.loss is not None else ("", "")
            if fm.horizontalAdvance(loss_text) > room:
                loss_text = short_loss_text
            painter.drawText(title_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             loss_text)
        return PAD + line_h + PAD

    def _paint_bars(self, painter: QPainter, top: float, row_h: float) -> None:
        """One row per output: its label (▶ at the target class), the bar of ŷₖ, the tick of
        the target yₖ and the value."""
        pal = self.palette()
        text = pal.text().color()
        fm = self.fontMetrics()
        label_w, labels = self.label_column()
        bold = self._bold()
        bold_fm = QFontMetrics(bold)
        value_w = bold_fm.horizontalAdvance("−0.000") + 10
        bar_left = PAD + label_w
        bar_right = self.width() - PAD - value_w
        lo, hi = self._axis_range()
        span = hi - lo or 1.0

        def x_of(v: float) -> float:
            return bar_left + (min(max(v, lo), hi) - lo) / span * (bar_right - bar_left)

        pred, target = self.predicted_class(), self.target_class()
        single = len(self.values) == 1
        highlight = pal.highlight().color()
        # Greys derived from the text colour read in both light and dark palettes.
        other = QColor(text)
        other.setAlpha(90)
        track = QColor(text)
        track.setAlpha(22)
        for k, (value, y_k) in enumerate(zip(self.values, self.targets)):
            y = top + k * row_h
            is_pred = single or k == pred
            painter.setFont(bold if is_pred else self.font())
            painter.setPen(text)
            painter.drawText(QRectF(PAD, y, label_w - PAD, row_h),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, labels[k])
            if k == target and not single:
                tw = (bold_fm if is_pred else fm).horizontalAdvance(labels[k])
                self._draw_triangle(painter, QPointF(label_w - tw - 5, y + row_h / 2), "right", text)
            bar_h = max(6.0, row_h - 8.0)
            bar_top = y + (row_h - bar_h) / 2
            painter.fillRect(QRectF(bar_left, bar_top, bar_right - bar_left, bar_h), track)
            x0, x1 = x_of(0.0), x_of(float(value))
            painter.fillRect(QRectF(min(x0, x1), bar_top, abs(x1 - x0), bar_h),
                             highlight if is_pred else other)
            if np.isfinite(y_k) and (single or y_k != 0.0 or lo < 0.0):
                # The target value: a tick with a small triangle on top (one-hot zeros would
                # only repeat the axis, so they are left out).
                tx = x_of(float(y_k))
                painter.setPen(QPen(text, 2))
                painter.drawLine(QPointF(tx, bar_top - 1), QPointF(tx, bar_top + bar_h + 1))
                self._draw_triangle(painter, QPointF(tx, bar_top - 2), "down", text)
            painter.setPen(text)
            painter.drawText(QRectF(bar_right + 8, y, value_w, row_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self.value_texts()[k])
        if lo < 0.0:
            painter.setPen(QPen(pal.mid().color(), 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x_of(0.0), top), QPointF(x_of(0.0), top + len(self.values) * row_h))

    def _paint_legend(self, painter: QPainter, y: float) -> None:
        """Under the bars: the prediction (right or wrong) and what the marks mean."""
        painter.setFont(self.font())
        painter.setPen(self.palette().text().color())
        self._draw_line(painter, y, self.summary())
        if not self.session.target_known:
            legend = "so no loss and no right or wrong"
        elif self.session.dataset.is_regression:
            legend = "▼ target value y"
        elif len(self.values) == 1:
            legend = f"▼ target y · ŷ ≥ 0.5 means “{self.session.dataset.class_names[-1]}”"
        else:
            legend = "▶ target class · ▼ target value y"
        painter.setPen(self.palette().placeholderText().color())
        self._draw_line(painter, y + self.fontMetrics().height() + 2, legend)

    def _draw_line(self, painter: QPainter, y: float, text: str) -> None:
        width = self.width() - 2 * PAD
        elided = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(width))
        painter.drawText(QRectF(PAD, y, width, self.fontMetrics().height() + 2),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)

    @staticmethod
    def _draw_triangle(painter: QPainter, tip: QPointF, direction: str, colour: QColor) -> None:
        if direction == "down":
            points = [QPointF(tip.x() - 4, tip.y() - 5), QPointF(tip.x() + 4, tip.y() - 5), tip]
        else:
            points = [QPointF(tip.x() - 6, tip.y() - 4), QPointF(tip.x() - 6, tip.y() + 4), tip]
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF(points))
        painter.restore()
