"""The legend's fold button: "▾" beside the legend folds it away, and "Legend ▸" in its corner
brings it back. A folded legend leaves its room to the network (on a small screen it took a
quarter of the diagram). The window remembers the choice (ui/window/compact_layout.py)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QGraphicsView, QToolButton

from .foreground import LEGEND_INSET, LEGEND_MARGIN, LegendOverlay
from .legend import legend_size

GAP = 3                     # pixels between the legend's box and the button


class LegendToggle(QToolButton):
    """Folds and unfolds `overlay`, the legend `view` paints over its viewport."""

    collapsed_changed = Signal(bool)      # by a click (set_collapsed does not emit it)

    def __init__(self, view: QGraphicsView, overlay: LegendOverlay) -> None:
        super().__init__(view.viewport())
        self._view = view
        self._overlay = overlay
        self._placed_for: tuple | None = None
        self.setObjectName("legend_toggle")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clicked.connect(self._on_clicked)
        self._show_state()

    def collapsed(self) -> bool:
        return self._overlay.collapsed

    def set_collapsed(self, on: bool) -> None:
        if on != self._overlay.collapsed:
            self._overlay.collapsed = on
            self._show_state()
            self._view.viewport().update()

    def _on_clicked(self) -> None:
        self.set_collapsed(not self._overlay.collapsed)
        self.collapsed_changed.emit(self._overlay.collapsed)

    def _show_state(self) -> None:
        if self._overlay.collapsed:
            self.setText("Legend ▸")
            self.setAutoRaise(False)
            tip = "Show the legend: what the colours, line widths and marks mean"
        else:
            self.setText("▾")
            self.setAutoRaise(True)
            tip = "Fold the legend away to give the network more room"
        self.setToolTip(tip)
        self.setAccessibleName("Show legend" if self._overlay.collapsed else "Hide legend")
        self.adjustSize()
        self._overlay.toggle_height = self.height()
        self._placed_for = None
        self.place()

    def place(self) -> None:
        """Beside the legend's top-right corner (above it when the legend fills the width),
        or in the corner the legend leaves when folded."""
        vp = self._view.viewport().rect()
        key = (id(self._overlay.spec), vp.width(), vp.height(), self._overlay.collapsed)
        if key == self._placed_for:
            return
        self._placed_for = key
        bottom = vp.height() - LEGEND_MARGIN
        if self._overlay.collapsed:
            self.move(QPoint(round(LEGEND_MARGIN), round(bottom - self.height())))
        else:
            size = legend_size(self._overlay.spec, vp.width() - LEGEND_INSET)
            top = bottom - size.height() - 2
            right = LEGEND_MARGIN + size.width() + 2
            if right + GAP + self.width() <= vp.width():
                self.move(QPoint(round(right + GAP), round(top)))
            else:
                self.move(QPoint(round(right - self.width()), round(top - self.height() - GAP)))
        self.show()
