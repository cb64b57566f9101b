"""Pointer: the mouse over the network view. Hover explains a neuron or a weight (tooltip,
emphasis) and shows the edit buttons of a column; a click selects or presses a button; a
drag or the middle button pans; the wheel zooms; a double click on empty space fits."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QToolTip

from ...engine.selection import Selection
from ...session.session import Session
from .buttons import HoverButtonItem
from .fitting import Zoom
from .scene import DiagramScene

HIT_PIXELS = 5.0          # how far (in screen pixels) from an edge still counts as on it
CLICK_SLOP = 4            # a press and release closer than this is a click, not a drag
TIP_OFFSET = QPoint(14, 10)

MouseHandler = Callable[[QMouseEvent], None]


class Pointer(QObject):
    """Hover, click, pan and wheel on `view`. The view hands it its mouse events, with the
    QGraphicsView handler (`forward`) to run where the default behaviour is wanted (the
    drag that pans). `tooltip_for` says what a neuron or weight's tooltip tells."""

    hover_changed = Signal(object)    # the hovered Selection, or None
    caption_clicked = Signal()        # the step's caption (a button when it has a tooltip)

    def __init__(self, view: QGraphicsView, scene: DiagramScene, session: Session, zoom: Zoom,
                 tooltip_for: Callable[[Selection | None], str]) -> None:
        super().__init__(view)
        self._view = view
        self._scene = scene
        self._session = session
        self._zoom = zoom
        self._tooltip_for = tooltip_for
        self._hover: Selection | None = None
        self._tip = ""
        self.last_pos = QPoint()          # where the mouse last was, in viewport pixels
        self._press: QPoint | None = None
        self._pan_last: QPoint | None = None
        self._shown_buttons: list[HoverButtonItem] = []

    @property
    def hover(self) -> Selection | None:
        return self._hover

    @property
    def tip(self) -> str:
        """The tooltip of the neuron or weight last hovered or walked to ("" for none)."""
        return self._tip

    # ----- hit-testing ------------------------------------------------------------------------

    def item_at(self, view_pos: QPoint) -> Selection | None:
        """The neuron or the weight under a viewport position, or None."""
        pos = self._view.mapToScene(view_pos)
        scale = max(self._view.transform().m11(), 1e-6)
        hit = self._scene.neuron_at(pos, 2.0 / scale)
        return hit if hit is not None else self._scene.edge_at(pos, HIT_PIXELS / scale)

    def _on_caption(self, view_pos: QPoint) -> bool:
        caption = self._scene.caption
        return bool(caption.tooltip) and caption.contains_view_point(self._view, QPointF(view_pos))

    def _button_at(self, view_pos: QPoint) -> HoverButtonItem | None:
        for button in self._shown_buttons:
            if button.isVisible() and button.contains_view_point(self._view, QPointF(view_pos)):
                return button
        return None

    # ----- hover ---------------------------------------------------------------------------

    def show_tip(self, key: Selection | None, view_pos: QPoint) -> None:
        """Show what `key` is (its tooltip) at a viewport position."""
        self._tip = self._tooltip_for(key)
        viewport = self._view.viewport()
        QToolTip.showText(viewport.mapToGlobal(view_pos), self._tip, viewport)

    def _show_buttons(self, buttons: list[HoverButtonItem]) -> None:
        for button in self._shown_buttons:
            if button not in buttons:
                button.setVisible(False)
                button.set_hovered(False)
        for button in buttons:
            button.setVisible(True)
        self._shown_buttons = buttons

    def _update_hover(self, view_pos: QPoint) -> None:
        scene, viewport = self._scene, self._view.viewport()
        scene_pos = self._view.mapToScene(view_pos)
        buttons = list(scene.column_buttons.get(scene.column_at(scene_pos), []))
        gap = scene.gap_at(scene_pos)
        if gap is not None:
            buttons.append(scene.gap_buttons[gap])
        self._show_buttons(buttons)
        button = self._button_at(view_pos)
        for b in buttons:
            b.set_hovered(b is button)
        on_caption = button is None and self._on_caption(view_pos)
        key = None if button is not None or on_caption else self.item_at(view_pos)
        if key != self._hover:
            self._hover = key
            self.hover_changed.emit(key)
            self._tip = self._tooltip_for(key)
            if self._tip:
                QToolTip.showText(viewport.mapToGlobal(view_pos + TIP_OFFSET), self._tip, viewport)
            elif button is None:
                QToolTip.hideText()
        if button is not None or on_caption:
            tip = button.tooltip if button is not None else self._scene.caption.tooltip
            QToolTip.showText(viewport.mapToGlobal(view_pos + TIP_OFFSET), tip, viewport)
        clickable = button is not None or on_caption or key is not None
        viewport.setCursor(Qt.CursorShape.PointingHandCursor if clickable
                           else Qt.CursorShape.ArrowCursor)

    def clear(self) -> None:
        """Nothing hovered, no buttons shown (the scene is rebuilt, or the mouse left)."""
        self._show_buttons([])
        self._hover = None
        self._tip = ""

    # ----- mouse events ---------------------------------------------------------------------

    def press(self, event: QMouseEvent, forward: MouseHandler) -> None:
        viewport = self._view.viewport()
        pos = event.position().toPoint()
        self.last_pos = pos
        if event.button() == Qt.MouseButton.MiddleButton:
            self._pan_last = pos
            viewport.setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            button = self._button_at(pos)
            if button is not None:
                event.accept()
                button.trigger()
                return
            if self._on_caption(pos):
                event.accept()
                self.caption_clicked.emit()
                return
            hit = self.item_at(pos)
            if hit is not None:
                event.accept()
                self._session.select(hit)
                return
            self._press = pos
            self._view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        forward(event)

    def move(self, event: QMouseEvent, forward: MouseHandler) -> None:
        pos = event.position().toPoint()
        self.last_pos = pos
        if self._pan_last is not None:
            delta = pos - self._pan_last
            self._pan_last = pos
            h, v = self._view.horizontalScrollBar(), self._view.verticalScrollBar()
            h.setValue(h.value() - delta.x())
            v.setValue(v.value() - delta.y())
            self._zoom.user_moved()
            return
        if self._press is not None:
            if (pos - self._press).manhattanLength() > CLICK_SLOP:
                self._zoom.user_moved()
            forward(event)
            return
        self._update_hover(pos)

    def release(self, event: QMouseEvent, forward: MouseHandler) -> None:
        viewport = self._view.viewport()
        pos = event.position().toPoint()
        if event.button() == Qt.MouseButton.MiddleButton and self._pan_last is not None:
            self._pan_last = None
            viewport.setCursor(Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            clicked = (pos - self._press).manhattanLength() <= CLICK_SLOP
            self._press = None
            forward(event)
            self._view.setDragMode(QGraphicsView.DragMode.NoDrag)
            viewport.setCursor(Qt.CursorShape.ArrowCursor)
            if clicked:
                self._session.select(None)
            return
        forward(event)

    def double_click(self, event: QMouseEvent) -> bool:
        """A double click on empty space fits the view; whether it did (else it is a press)."""
        pos = event.position().toPoint()
        if (event.button() == Qt.MouseButton.LeftButton and self.item_at(pos) is None
                and self._button_at(pos) is None):
            self._zoom.fit()
            event.accept()
            return True
        return False

    def wheel(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if delta:
            self._zoom.zoom_by(1.0015 ** delta, anchored=True)
        event.accept()
