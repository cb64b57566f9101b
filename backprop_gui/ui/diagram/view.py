"""NetworkView: the central network diagram of the main window.

Layers are columns of neurons; edges show the weights (or, in gradients mode, ∂L/∂w) by
colour and width; neurons show their activation (or δ). Hover explains a number, click
selects it, the context menu and the hover buttons edit the network through the session.
The step-through lights up parts of it with `set_highlight`.

The view is composed of parts, each owning its state, made and wired in `__init__` (the
package's docstring lists them). The view itself only routes: session signals and Qt events
to the parts, and a recolour (once per turn of the event loop) through them in order.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QPainter
from PySide6.QtWidgets import QGraphicsView, QMenu, QToolTip, QWidget

from ...engine.network import Gradients
from ...engine.selection import Selection
from ...session.session import Session
from ...session.training_clock import TrainingFrame
from ..common.plain_text import tooltip_text
from ..common.throttle import Throttle
from . import export
from .colouring import Colouring
from .editing import DiagramEditor, build_menu
from .fitting import Zoom
from .foreground import FocusFrame, LegendOverlay, paint_notice
from .highlight import Highlight
from .interaction import HIT_PIXELS, Pointer
from .keys import Keys
from .legend import LegendSpec
from .legend_toggle import LegendToggle
from .lighting import Lighting
from .motion import Motion
from .neuron_maps import NeuronMaps
from .scene import DiagramScene
from .style import DiagramColors
from .view_actions import ViewActions


class NetworkView(QGraphicsView):
    """The network diagram; give it the session, it keeps itself up to date."""

    color_mode_changed = Signal(str)
    message_posted = Signal(str)
    explain_requested = Signal(object)   # a weight's Selection, from the context menu
    caption_clicked = Signal()           # the highlight's caption, made a button by set_caption_tooltip
    legend_collapsed_changed = Signal(bool)   # the legend folded or unfolded by its button

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._theme = DiagramColors.from_palette(self.palette())
        self._scene = DiagramScene(self._theme, self)
        self.setScene(self._scene)
        self._input_grid: bool | None = None      # None: automatic (grid for big images)
        self._dataset_signature: tuple | None = None
        self._stale = False                       # a recolour is due (see _mark_stale)
        self._recolour_soon = Throttle(0, self._recolour, parent=self, defer=True)
        self._make_parts()
        self._set_up_widget()
        session.structure_changed.connect(self._on_structure_changed)
        session.parameters_changed.connect(self._on_values_changed)
        session.values_changed.connect(self._on_values_changed)
        session.dataset_changed.connect(self._on_dataset_changed)
        session.selection_changed.connect(self._on_selection_changed)
        session.project_replaced.connect(self._on_project_replaced)
        self._rebuild()

    def _make_parts(self) -> None:
        scene, session = self._scene, self.session
        self.editor = DiagramEditor(session, self._post)
        self.colouring = Colouring(session, scene)
        self.motion = Motion(session, scene, self)
        self.neuron_maps = NeuronMaps(session, scene, self)
        scene.view_scale_changed.connect(self._on_view_scale_changed)
        self.lighting = Lighting(scene, self._theme, self)
        self.legend_overlay = LegendOverlay()
        self.zoom = Zoom(self, scene, self.legend_overlay, self._rebuild)
        self.legend_toggle = LegendToggle(self, self.legend_overlay)
        self.legend_toggle.collapsed_changed.connect(self._on_legend_folded)
        self.pointer = Pointer(self, scene, session, self.zoom, self.tooltip_for)
        self.pointer.hover_changed.connect(self._update_emphasis)
        self.pointer.caption_clicked.connect(self.caption_clicked)
        self.keys = Keys(self, scene, session, self.editor, self.zoom, self.pointer, self._post)
        self.focus_frame = FocusFrame(self)
        self.view_actions = ViewActions(self, self._post)

    def _set_up_widget(self) -> None:
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        # The legend is drawn over the viewport, so scrolling must repaint it all, not shift pixels.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(320, 240)
        self.setToolTip("")
        self.setAccessibleName("Network diagram")
        self.setWhatsThis(
            "The network: columns are layers, circles are neurons, lines are weights. "
            "Hover for numbers, click to select, right-click to edit. Wheel zooms, drag pans.")

    # ----- public API -----------------------------------------------------------------------

    def color_mode(self) -> str:
        return self.colouring.mode

    def set_color_mode(self, mode: str) -> None:
        """Colour by "weights" (w and activations) or "gradients" (∂L/∂w and δ)."""
        if not self.colouring.set_mode(mode):
            return
        self.view_actions.modes[mode].setChecked(True)
        self._recolour()
        self.color_mode_changed.emit(mode)

    def neuron_maps_on(self) -> bool:
        """Whether neuron maps are wanted (drawn when the network has two inputs, in weights
        mode, for neurons big enough on screen: see neuron_maps.py)."""
        return self.neuron_maps.wanted

    def set_neuron_maps(self, on: bool) -> None:
        """Draw each neuron of a two-input network as a map of its activation over the
        input plane (True), or as a plain circle (False)."""
        on = bool(on)
        self.view_actions.maps.setChecked(on)
        if on != self.neuron_maps.wanted:
            self.neuron_maps.wanted = on
            self._recolour()

    def set_gradient_source(self, source: Callable[[], Gradients | None] | None,
                            label: str = "") -> None:
        """Where gradients mode reads its gradients; None = the selected sample's
        (`session.gradients()`). The callable may return None: not computed yet.
        `label` names the source in the legend, e.g. "batch of 8"."""
        if self.colouring.set_gradient_source(source, label):
            self._recolour()

    def on_training_frame(self, frame: TrainingFrame) -> None:
        """Connect TrainingClock.frame here: while frames stream the view draws for speed,
        and the frame that ends a stream draws everything exactly (see Motion)."""
        self.motion.on_training_frame(frame)
        self._mark_stale()

    def legend_collapsed(self) -> bool:
        return self.legend_toggle.collapsed()

    def set_legend_collapsed(self, on: bool) -> None:
        """Fold the legend away to its "Legend" button (or unfold it); the network refits."""
        if on != self.legend_toggle.collapsed():
            self.legend_toggle.set_collapsed(on)
            self.zoom.refit_after_room_change()

    def _on_legend_folded(self, collapsed: bool) -> None:
        self.zoom.refit_after_room_change()
        self.legend_collapsed_changed.emit(collapsed)

    def highlight(self) -> Highlight | None:
        return self.lighting.highlight

    def set_highlight(self, h: Highlight | None) -> None:
        """Light up part of the network for the step-through (None clears it). While
        training streams, the highlight waits for it to stop (see Lighting.refresh)."""
        self.lighting.set_highlight(h, self.motion.in_motion)

    def set_caption_tooltip(self, text: str) -> None:
        """Make the highlight's caption a button that says what a click does (`text`),
        reported by `caption_clicked`; "" makes it a plain label again."""
        self._scene.caption.tooltip = text

    def set_input_grid(self, on: bool | None) -> None:
        """Draw an image input as its pixel grid (True), as a column (False) or choose (None)."""
        if on != self._input_grid:
            self._input_grid = on
            self._rebuild()
            self.fit_to_view()

    def fit_to_view(self, adapt_layout: bool = True) -> None:
        """Show the whole network (see Zoom.fit)."""
        self.zoom.fit(adapt_layout)

    def content_fits(self) -> bool:
        """Whether everything a fit shows lies in the view, above the legend."""
        return self.zoom.content_fits()

    def zoom_in(self) -> None:
        self.zoom.zoom_in()

    def zoom_out(self) -> None:
        self.zoom.zoom_out()

    def reset_zoom(self) -> None:
        """Actual size (100 %), keeping the middle of the view where it is."""
        self.zoom.reset()

    def zoom_level(self) -> float:
        return self.zoom.level()

    def export_png(self, path: str | Path, scale: float = 2.0) -> None:
        """The whole diagram with its legend as a PNG (`scale` × scene size); OSError on failure."""
        export.export_png(self._scene, self.legend(), path, scale)

    def export_svg(self, path: str | Path) -> None:
        export.export_svg(self._scene, self.legend(), path, title=repr(self.session.network))

    def build_context_menu(self, scene_pos: QPointF) -> QMenu:
        """The context menu for what lies at `scene_pos` (not shown; the caller may `exec` it)."""
        weight = self._scene.edge_at(scene_pos, HIT_PIXELS / max(self.zoom_level(), 1e-6))
        return build_menu(self.editor, self._scene, scene_pos,
                          self.view_actions.for_menu(self.session.dataset), self,
                          weight=weight, explain=self._on_explain_chosen)

    def _on_explain_chosen(self, weight: Selection) -> None:
        self.session.select(weight)
        self.explain_requested.emit(weight)

    def legend(self) -> LegendSpec:
        self._flush()
        return self.legend_overlay.spec

    def problem(self) -> str:
        """Why the diagram shows no numbers ("" when it does)."""
        return self.colouring.problem

    def item_at(self, view_pos) -> Selection | None:
        """The neuron or the weight under a viewport position, or None."""
        return self.pointer.item_at(view_pos)

    def neuron_scene_pos(self, layer: int, j: int) -> QPointF:
        return self._scene.neuron_pos(layer, j)

    def edge_midpoint(self, l: int, j: int, i: int) -> QPointF:
        """Scene position of the middle of the edge for weights[l][j, i]."""
        return self._scene.edge_midpoint(l, j, i)

    def edge_color(self, l: int, j: int, i: int) -> QColor:
        self._flush()
        return self._scene.edges[l].color_of(j, i)

    def tooltip_for(self, key: Selection | None) -> str:
        """The tooltip a neuron or a weight shows ("" for None)."""
        text = self.colouring.tooltip_for(key)
        if key is not None and key.is_neuron:
            line = self.neuron_maps.hover_line(key.layer, key.j, self.zoom_level())
            if line:
                text += f"<div style='color:gray'>{html.escape(line)}</div>"
        return text

    def hover_text(self) -> str:
        """The tooltip the hovered neuron or edge shows ("" when nothing is hovered)."""
        return self.pointer.tip

    def has_keyboard_focus_frame(self) -> bool:
        return self.focus_frame.visible()

    # ----- session signals ------------------------------------------------------------------

    def _on_structure_changed(self) -> None:
        self._rebuild()
        self.fit_to_view()

    def _on_values_changed(self) -> None:
        self.motion.on_values_changed()
        self._mark_stale()

    def _mark_stale(self) -> None:
        # Several signals arrive per edit (and per training slice): recolour once per loop turn.
        self._stale = True
        self._recolour_soon()

    def _on_view_scale_changed(self) -> None:
        if self.neuron_maps.fit_changed(self.zoom_level()):
            self._mark_stale()

    def _on_dataset_changed(self) -> None:
        if self._signature() != self._dataset_signature:
            self._rebuild()
            self.fit_to_view()
        else:
            self._on_values_changed()

    def _on_project_replaced(self) -> None:
        self._input_grid = None
        self.lighting.forget()

    def _on_selection_changed(self, _item: object = None) -> None:
        self.lighting.show_selection(self.session.selection)
        self._update_emphasis()

    def _update_emphasis(self, _hover: object = None) -> None:
        self.lighting.emphasise([self.pointer.hover, self.session.selection])

    # ----- drawing ------------------------------------------------------------------------------

    def _signature(self) -> tuple:
        ds = self.session.dataset
        return (ds.kind, ds.image_shape, tuple(ds.class_names), ds.n_inputs, ds.title)

    def _rebuild(self) -> None:
        self.pointer.clear()
        self._dataset_signature = self._signature()
        self._scene.build(self.session.network, self.session.dataset, self._input_grid,
                          self.editor.actions(), self.zoom.column_gap)
        content = self._scene.content_rect()
        self._scene.setSceneRect(content.adjusted(-content.width(), -content.height(),
                                                  content.width(), content.height()))
        self.view_actions.grid.setChecked(self._scene.input_grid)
        self.view_actions.update_maps(self.neuron_maps.why_unavailable())
        self.motion.reset()
        self.neuron_maps.reset()
        self._recolour()
        self._on_selection_changed()
        self.lighting.reapply()

    def _flush(self) -> None:
        if self._stale:
            self._recolour()

    def _recolour(self) -> None:
        self._stale = False
        self._recolour_soon.cancel()
        in_motion = self.motion.begin_recolour()
        # In motion, the legend's numbers and the labels' texts (unreadable at 60 changes a
        # second, and costly to lay out and draw) and the check that the labels still fit
        # follow a few times a second.
        numbers_due = self.motion.legend_due()
        legend = self.colouring.paint(self.motion.dead_masks, in_motion, labels=numbers_due)
        if legend is None:
            # The network and the dataset do not fit together (yet): the next signal brings
            # the values (no retry timer here: a retry that keeps failing would spin the
            # event loop). If they still do not fit when the view paints, it says why.
            self._stale = True
            self.viewport().update()
            return
        self.neuron_maps.paint(self.colouring.mode, in_motion, self.zoom_level())
        self.neuron_maps.amend_legend(legend)
        self.legend_overlay.show(legend, numbers_due)
        self.legend_toggle.place()
        self.motion.redraw_waiting_numbers()
        self._update_emphasis()
        self.lighting.refresh(in_motion)
        if numbers_due:
            self.zoom.refit_if_cut()
        self.viewport().update()

    def _post(self, message: str) -> None:
        self.message_posted.emit(message)
        if self.isVisible():
            # As plain text: a message can name a file the person chose ("<b>.png").
            QToolTip.showText(self.viewport().mapToGlobal(self.pointer.last_pos),
                              tooltip_text(message), self.viewport())

    # ----- Qt overrides ----------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, self._theme.background)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawForeground(painter, rect)
        vp = self.viewport().rect()
        painter.save()
        painter.resetTransform()
        self.legend_overlay.paint(painter, vp, self.viewport().devicePixelRatioF(), self._theme)
        notice = self.colouring.notice()
        if notice:
            paint_notice(painter, QRectF(vp), notice, self.font(), self._theme)
        if self.focus_frame.visible():
            self.focus_frame.paint(painter, QRectF(vp))
        painter.restore()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.zoom.on_shown()
        self.lighting.resume()

    def hideEvent(self, event) -> None:
        self.lighting.pause()
        super().hideEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.legend_toggle.place()
        self.zoom.on_resized()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._theme = DiagramColors.from_palette(self.palette())
            self._scene.set_theme(self._theme)
            self.lighting.theme = self._theme
            self._rebuild()
        elif event.type() == QEvent.Type.FontChange:   # e.g. presentation mode's zoom
            self._rebuild()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.focus_frame.focus_in(event.reason())

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.focus_frame.focus_out(event.reason())

    def mousePressEvent(self, event) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.focus_frame.mouse_pressed()
        self.pointer.press(event, super().mousePressEvent)

    def mouseMoveEvent(self, event) -> None:
        self.pointer.move(event, super().mouseMoveEvent)

    def mouseReleaseEvent(self, event) -> None:
        self.pointer.release(event, super().mouseReleaseEvent)

    def mouseDoubleClickEvent(self, event) -> None:
        if not self.pointer.double_click(event):
            self.mousePressEvent(event)

    def wheelEvent(self, event) -> None:
        self.pointer.wheel(event)

    def leaveEvent(self, event) -> None:
        self.pointer.clear()
        self.lighting.emphasise([])   # nothing drawn wide once the mouse has left
        QToolTip.hideText()
        super().leaveEvent(event)

    def keyPressEvent(self, event) -> None:
        if self.keys.press(event):
            event.accept()
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        pos = self.mapToScene(event.pos())
        sel = self.session.selection
        if event.reason() == QContextMenuEvent.Reason.Keyboard and sel and sel.is_neuron:
            pos = self.neuron_scene_pos(sel.layer, sel.j)
        menu = self.build_context_menu(pos)
        menu.exec(event.globalPos())
        menu.deleteLater()
