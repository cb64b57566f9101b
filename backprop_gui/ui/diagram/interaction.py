"""Mouse and keyboard handling of the network view: hover, select, pan, zoom, edit keys.

A mixin for NetworkView (kept apart so each file reads in one sitting); it uses the view's
scene, session, editor and `_update_emphasis`.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QToolTip

from ...engine.selection import Selection
from .buttons import HoverButtonItem
from .tooltips import edge_tooltip, neuron_tooltip

HIT_PIXELS = 5.0          # how far (in screen pixels) from an edge still counts as on it
CLICK_SLOP = 4            # a press and release closer than this is a click, not a drag
MIN_SCALE, MAX_SCALE = 0.03, 25.0


class InteractionMixin:
    def _init_interaction(self) -> None:
        self._hover: Selection | None = None
        self._hover_text = ""
        self._last_mouse = QPoint()
        self._press: QPoint | None = None
        self._pan_last: QPoint | None = None
        self._shown_buttons: list[HoverButtonItem] = []

    # ----- hit-testing ------------------------------------------------------------------------

    def item_at(self, view_pos: QPoint) -> Selection | None:
        """The neuron or the weight under a viewport position, or None."""
        pos = self.mapToScene(view_pos)
        scale = max(self.transform().m11(), 1e-6)
        hit = self._scene.neuron_at(pos, 2.0 / scale)
        return hit if hit is not None else self._scene.edge_at(pos, HIT_PIXELS / scale)

    def _button_at(self, view_pos: QPoint) -> HoverButtonItem | None:
        for button in self._shown_buttons:
            if button.isVisible() and button.contains_view_point(self, QPointF(view_pos)):
                return button
        return None

    def _tooltip_for(self, key: Selection | None) -> str:
        if key is None:
            return ""
        shown = self._gradients() if self._mode == "gradients" and self._gradient_source else None
        label = self._gradient_label if shown is not None else ""
        if key.is_weight:
            return edge_tooltip(self.session, key, shown, label)
        return neuron_tooltip(self.session, key.layer, key.j, shown, label)

    # ----- hover ---------------------------------------------------------------------------

    def _show_buttons(self, buttons: list[HoverButtonItem]) -> None:
        for button in self._shown_buttons:
            if button not in buttons:
                button.setVisible(False)
                button.set_hovered(False)
        for button in buttons:
            button.setVisible(True)
        self._shown_buttons = buttons

    def _update_hover(self, view_pos: QPoint) -> None:
        scene_pos = self.mapToScene(view_pos)
        buttons = list(self._scene.column_buttons.get(self._scene.column_at(scene_pos), []))
        gap = self._scene.gap_at(scene_pos)
        if gap is not None:
            buttons.append(self._scene.gap_buttons[gap])
        self._show_buttons(buttons)
        button = self._button_at(view_pos)
        for b in buttons:
            b.set_hovered(b is button)
        key = None if button is not None else self.item_at(view_pos)
        if key != self._hover:
            self._hover = key
            self._update_emphasis()
            self._hover_text = self._tooltip_for(key)
            if self._hover_text:
                QToolTip.showText(self.viewport().mapToGlobal(view_pos + QPoint(14, 10)),
                                  self._hover_text, self.viewport())
            elif button is None:
                QToolTip.hideText()
        if button is not None:
            QToolTip.showText(self.viewport().mapToGlobal(view_pos + QPoint(14, 10)),
                              button.tooltip, self.viewport())
        clickable = button is not None or key is not None
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if clickable
                                  else Qt.CursorShape.ArrowCursor)

    def _clear_hover(self) -> None:
        self._show_buttons([])
        self._hover = None
        self._hover_text = ""
        if hasattr(self, "_scene"):
            self._scene.emphasis.set_items([])

    # ----- mouse ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if self._keyboard_focus:   # the mouse took over: no keyboard focus frame
            self._keyboard_focus = False
            self.viewport().update()
        pos = event.position().toPoint()
        self._last_mouse = pos
        if event.button() == Qt.MouseButton.MiddleButton:
            self._pan_last = pos
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            button = self._button_at(pos)
            if button is not None:
                event.accept()
                button.trigger()
                return
            hit = self.item_at(pos)
            if hit is not None:
                event.accept()
                self.session.select(hit)
                return
            self._press = pos
            self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        self._last_mouse = pos
        if self._pan_last is not None:
            delta = pos - self._pan_last
            self._pan_last = pos
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            self._auto_fit = False
            return
        if self._press is not None:
            if (pos - self._press).manhattanLength() > CLICK_SLOP:
                self._auto_fit = False
            super().mouseMoveEvent(event)
            return
        self._update_hover(pos)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if event.button() == Qt.MouseButton.MiddleButton and self._pan_last is not None:
            self._pan_last = None
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            clicked = (pos - self._press).manhattanLength() <= CLICK_SLOP
            self._press = None
            super().mouseReleaseEvent(event)
            self.setDragMode(QGraphicsView.DragMode.NoDrag)
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            if clicked:
                self.session.select(None)
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if (event.button() == Qt.MouseButton.LeftButton and self.item_at(pos) is None
                and self._button_at(pos) is None):
            self.fit_to_view()
            event.accept()
            return
        self.mousePressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if delta:
            self._zoom_by(1.0015 ** delta, anchored=True)
        event.accept()

    def leaveEvent(self, event) -> None:
        self._clear_hover()
        QToolTip.hideText()
        super().leaveEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        pos = self.mapToScene(event.pos())
        sel = self.session.selection
        if event.reason() == QContextMenuEvent.Reason.Keyboard and sel and sel.is_neuron:
            pos = self.neuron_scene_pos(sel.layer, sel.j)
        menu = self.build_context_menu(pos)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def _zoom_by(self, factor: float, anchored: bool) -> None:
        current = self.transform().m11()
        target = min(MAX_SCALE, max(MIN_SCALE, current * factor))
        if abs(target - current) < 1e-9:
            return
        anchor = (QGraphicsView.ViewportAnchor.AnchorUnderMouse if anchored
                  else QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setTransformationAnchor(anchor)
        self.scale(target / current, target / current)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._scene.set_view_scale(target)
        self._auto_fit = False

    # ----- keyboard ----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier & ~Qt.KeyboardModifier.KeypadModifier
        if mods == Qt.KeyboardModifier.ControlModifier:
            zoom = {Qt.Key.Key_Equal: self.zoom_in, Qt.Key.Key_Plus: self.zoom_in,
                    Qt.Key.Key_Minus: self.zoom_out, Qt.Key.Key_0: self.fit_to_view}.get(key)
            if zoom is not None:
                zoom()
                event.accept()
                return
        if mods != Qt.KeyboardModifier.NoModifier:
            super().keyPressEvent(event)
            return
        sel = self.session.selection
        layer = sel.layer if sel is not None and not sel.is_weight else None   # a bias: its neuron
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            if layer is None:
                self._post("Select a neuron first: + and − then add or remove a neuron in its layer.")
            else:
                adding = key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal)
                done = self._editor.add_neuron(layer) if adding else self._editor.remove_neuron(layer)
                if done:
                    j = min(sel.j, self.session.network.sizes[layer] - 1)
                    self.session.select(Selection.neuron(layer, j))
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if layer is None:
                self._post("Select a neuron of a hidden layer first: Delete then removes that layer.")
            elif not 0 < layer < self.session.network.n_layers:
                self._post("Only hidden layers can be removed; the input and output layers stay.")
            else:
                self._editor.remove_layer(layer)
        elif key == Qt.Key.Key_Escape:
            self.session.select(None)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            # As in the Input panel: the sample the diagram shows, one back or forward.
            step = -1 if key == Qt.Key.Key_PageUp else 1
            target = self.session.selected_sample + step
            if 0 <= target < self.session.dataset.n_samples:
                self.session.select_sample(target)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right):
            self._move_selection(key, bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _move_selection(self, key: int, shift: bool = False) -> None:
        """Arrows walk the network: between neurons; with Shift from a neuron onto the weight
        coming in (←) or going out (→); from a weight ↑/↓ to the weights into the same
        neuron, ←/→ to the neuron at either end. So every weight has a keyboard path."""
        sizes = self.session.network.sizes
        sel = self.session.selection
        horizontal = key in (Qt.Key.Key_Left, Qt.Key.Key_Right)
        if sel is None:
            target = Selection.neuron(0, 0)
        elif sel.is_weight:
            l, j, i = sel.layer, sel.j, sel.i
            if horizontal:
                target = Selection.neuron(l - 1, i) if key == Qt.Key.Key_Left else Selection.neuron(l, j)
            else:
                step = -1 if key == Qt.Key.Key_Up else 1
                target = Selection.weight(l, j, min(max(i + step, 0), sizes[l - 1] - 1))
        else:   # a neuron, or a bias: its neuron
            layer, j = sel.layer, sel.j
            if not horizontal:
                step = -1 if key == Qt.Key.Key_Up else 1
                target = Selection.neuron(layer, min(max(j + step, 0), sizes[layer] - 1))
            else:
                new = min(max(layer + (-1 if key == Qt.Key.Key_Left else 1), 0), len(sizes) - 1)
                frac = (j + 0.5) / sizes[layer]
                k = min(int(frac * sizes[new]), sizes[new] - 1)
                if shift and new != layer:
                    target = (Selection.weight(layer, j, k) if key == Qt.Key.Key_Left
                              else Selection.weight(new, k, j))
                else:
                    target = Selection.neuron(new, k)
        self.session.select(target)
        if target.is_weight:
            centre = self.edge_midpoint(target.param, target.j, target.i)
        else:
            centre = self.neuron_scene_pos(target.layer, target.j)
        self.ensureVisible(centre.x() - 20, centre.y() - 20, 40, 40)
        self._hover_text = self._tooltip_for(target)
        QToolTip.showText(self.viewport().mapToGlobal(self.mapFromScene(centre) + QPoint(18, 12)),
                          self._hover_text, self.viewport())
