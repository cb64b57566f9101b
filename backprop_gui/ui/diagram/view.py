"""NetworkView: the central network diagram of the main window.

Layers are columns of neurons; edges show the weights (or, in gradients mode, ∂L/∂w) by
colour and width; neurons show their activation (or δ). Hover explains a number, click
selects it, the context menu and the hover buttons edit the network through the session.
The step-through lights up parts of it with `set_highlight`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QActionGroup, QColor, QPainter, QPixmap, QTransform
from PySide6.QtWidgets import QFileDialog, QGraphicsView, QMenu, QToolTip, QWidget

from ...engine.network import Gradients
from ...engine.selection import Selection
from ...session.session import Session
from ..action_helper import make_action
from ..plain_text import tooltip_text
from . import export
from .editing import DiagramEditor, build_menu
from .fitting import FitMixin
from .foreground import ForegroundMixin
from .highlight import Highlight
from .interaction import HIT_PIXELS, InteractionMixin
from .layout import COLUMN_GAP
from .legend import LegendSpec
from .lighting import emphasise, show_highlight
from .motion import MotionMixin
from .scene import DiagramScene
from .style import DiagramColors
from .values import recolour

COLOR_MODES = ("weights", "gradients")
ZOOM_STEP = 1.25
QUICK_REBUILD_NEURONS = 400   # bigger networks (slower to rebuild) wait twice as long
RESPREAD_DELAY_MS = 120       # after a resize pauses this long, the columns spread to fit


class NetworkView(FitMixin, ForegroundMixin, InteractionMixin, MotionMixin, QGraphicsView):
    """The network diagram; give it the session, it keeps itself up to date."""

    color_mode_changed = Signal(str)
    message_posted = Signal(str)
    explain_requested = Signal(object)   # a weight's Selection, from the context menu

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._theme = DiagramColors.from_palette(self.palette())
        self._scene = DiagramScene(self._theme, self)
        self.setScene(self._scene)
        self._editor = DiagramEditor(session, self._post)
        self._mode = "weights"
        self._gradient_source: Callable[[], Gradients | None] | None = None
        self._gradient_label = ""
        self._highlight: Highlight | None = None
        self._legend = LegendSpec()
        self._legend_pixmap = QPixmap()
        self._legend_key: tuple | None = None
        self._problem = ""                        # why the numbers cannot be shown, if so
        self._input_grid: bool | None = None      # None: automatic (grid for big images)
        self._column_gap = COLUMN_GAP             # widened when the view is wider than the net
        self._respread_timer = QTimer(self)
        self._respread_timer.setSingleShot(True)
        self._respread_timer.timeout.connect(self._on_respread_timeout)
        self._auto_fit = True
        self._shown_once = False
        self._keyboard_focus = False   # focus came by Tab: draw a focus frame
        self._dirty = False
        self._dataset_signature: tuple | None = None
        self._recolour_timer = QTimer(self)
        self._recolour_timer.setSingleShot(True)
        self._recolour_timer.setInterval(0)
        self._recolour_timer.timeout.connect(self._flush)
        self._highlight_applied = False
        self._init_motion()
        self._anim = QTimer(self)
        self._anim.setInterval(50)
        self._anim.timeout.connect(self._scene.highlight.advance)
        self._init_interaction()

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
        self._make_actions()

        session.structure_changed.connect(self._on_structure_changed)
        session.parameters_changed.connect(self._on_values_changed)
        session.values_changed.connect(self._on_values_changed)
        session.dataset_changed.connect(self._on_dataset_changed)
        session.selection_changed.connect(self._on_selection_changed)
        session.project_replaced.connect(self._on_project_replaced)
        self._rebuild()

    # ----- public API -----------------------------------------------------------------------

    def color_mode(self) -> str:
        return self._mode

    def set_color_mode(self, mode: str) -> None:
        """Colour by "weights" (w and activations) or "gradients" (∂L/∂w and δ)."""
        if mode not in COLOR_MODES:
            raise ValueError(f"unknown colour mode {mode!r} (known: {', '.join(COLOR_MODES)})")
        if mode == self._mode:
            return
        self._mode = mode
        self._mode_actions[mode].setChecked(True)
        self._recolour()
        self.color_mode_changed.emit(mode)

    def set_gradient_source(self, source: Callable[[], Gradients | None] | None,
                            label: str = "") -> None:
        """Where gradients mode reads its gradients; None = the selected sample's
        (`session.gradients()`). The callable may return None: not computed yet.
        `label` names the source in the legend, e.g. "batch of 8"."""
        self._gradient_source = source
        self._gradient_label = label if source is not None else ""
        if self._mode == "gradients":
            self._recolour()

    def highlight(self) -> Highlight | None:
        return self._highlight

    def set_highlight(self, h: Highlight | None) -> None:
        """Light up part of the network for the step-through (None clears it)."""
        if h is not None and h.direction not in ("forward", "backward"):
            raise ValueError(f"direction must be 'forward' or 'backward', not {h.direction!r}")
        self._highlight = h
        # While training streams, the highlight waits (see _recolour) for it to stop.
        self._apply_highlight(None if self._scene.streaming else h)

    def set_input_grid(self, on: bool | None) -> None:
        """Draw an image input as its pixel grid (True), as a column (False) or choose (None)."""
        if on != self._input_grid:
            self._input_grid = on
            self._rebuild()
            self.fit_to_view()

    def zoom_in(self) -> None:
        self._zoom_by(ZOOM_STEP, anchored=False)

    def zoom_out(self) -> None:
        self._zoom_by(1.0 / ZOOM_STEP, anchored=False)

    def reset_zoom(self) -> None:
        """Actual size (100 %), keeping the middle of the view where it is."""
        centre = self.mapToScene(self.viewport().rect().center())
        self.setTransform(QTransform())
        self._scene.set_view_scale(1.0)
        self.centerOn(centre)
        self._auto_fit = False

    def zoom_level(self) -> float:
        return self.transform().m11()

    def export_png(self, path: str | Path, scale: float = 2.0) -> None:
        """The whole diagram with its legend as a PNG (`scale` × scene size); OSError on failure."""
        self._flush()
        export.export_png(self._scene, self._legend, path, scale)

    def export_svg(self, path: str | Path) -> None:
        self._flush()
        export.export_svg(self._scene, self._legend, path, title=repr(self.session.network))

    def build_context_menu(self, scene_pos: QPointF) -> QMenu:
        """The context menu for what lies at `scene_pos` (not shown; the caller may `exec` it)."""
        view_actions = [self._mode_actions["weights"], self._mode_actions["gradients"]]
        if self.session.dataset.kind == "image" and self.session.dataset.image_shape is not None:
            view_actions.append(self._grid_action)
        view_actions += [self._fit_action, self._export_action]
        menu = build_menu(self._editor, self._scene, scene_pos, view_actions, self)
        weight = self._scene.edge_at(scene_pos, HIT_PIXELS / max(self.zoom_level(), 1e-6))
        if weight is not None and self._scene.neuron_at(scene_pos, 4.0) is None:
            action = make_action(
                menu, f"Explain ∂L/∂{weight.name} Step by Step",
                "Select this weight and take its gradient apart by the chain rule (Steps panel)",
                lambda w=weight: self._on_explain_chosen(w))
            first = menu.actions()[0] if menu.actions() else None
            menu.insertAction(first, action)
            menu.insertSeparator(first)
        return menu

    def _on_explain_chosen(self, weight: Selection) -> None:
        self.session.select(weight)
        self.explain_requested.emit(weight)

    def legend(self) -> LegendSpec:
        self._flush()
        return self._legend

    def neuron_scene_pos(self, layer: int, j: int) -> QPointF:
        return self._scene.neurons[layer][j].pos()

    def edge_midpoint(self, l: int, j: int, i: int) -> QPointF:
        """Scene position of the middle of the edge for weights[l][j, i]."""
        return self._scene.edges[l].segment(j, i).center()

    def edge_color(self, l: int, j: int, i: int) -> QColor:
        self._flush()
        return self._scene.edges[l].color_of(j, i)

    def hover_text(self) -> str:
        """The tooltip the hovered neuron or edge shows ("" when nothing is hovered)."""
        return self._hover_text

    # ----- session signals ------------------------------------------------------------------

    def _on_structure_changed(self) -> None:
        self._rebuild()
        self.fit_to_view()

    def _on_values_changed(self) -> None:
        # A change of its own is drawn exactly; a training frame's signals come before the
        # frame itself (see on_training_frame), which says how to draw it.
        self._streaming = False
        self._mark_dirty()

    def _mark_dirty(self) -> None:
        # Several signals arrive per edit (and per training slice): recolour once per loop turn.
        self._dirty = True
        self._recolour_timer.start()

    def _on_dataset_changed(self) -> None:
        if self._signature() != self._dataset_signature:
            self._rebuild()
            self.fit_to_view()
        else:
            self._on_values_changed()

    def _on_project_replaced(self) -> None:
        self._input_grid = None
        self._highlight = None

    def _on_selection_changed(self, _item: object = None) -> None:
        sel = self.session.selection
        # A selected bias rings its neuron; a weight is drawn by _update_emphasis instead.
        target = (sel.layer, sel.j) if sel is not None and not sel.is_weight else None
        for row in self._scene.neurons:
            for item in row:
                item.set_selected((item.layer, item.index) == target)
        self._update_emphasis()

    # ----- drawing state ----------------------------------------------------------------------

    def _signature(self) -> tuple:
        ds = self.session.dataset
        return (ds.kind, ds.image_shape, tuple(ds.class_names), ds.n_inputs, ds.title)

    def _rebuild(self) -> None:
        self._clear_hover()
        net = self.session.network
        self._dataset_signature = self._signature()
        self._scene.build(net, self.session.dataset, self._input_grid, self._editor.actions(),
                          self._column_gap)
        content = self._scene.content_rect()
        self._scene.setSceneRect(content.adjusted(-content.width(), -content.height(),
                                                  content.width(), content.height()))
        self._grid_action.setChecked(self._scene.input_grid)
        self._streaming = False
        self._recolour()
        self._on_selection_changed()
        self._apply_highlight()

    def _flush(self) -> None:
        if self._dirty:
            self._recolour()

    def _gradients(self) -> Gradients | None:
        if self._gradient_source is None:
            return self.session.gradients() if self.session.has_samples else None
        return self._gradient_source()

    def _recolour(self) -> None:
        self._dirty = False
        self._recolour_timer.stop()
        streaming = self._note_recolour()
        # While training streams, the legend's numbers and the labels' texts (unreadable at
        # 60 changes a second, and costly to lay out and draw) and the check that the
        # labels still fit follow a few times a second.
        periodic = self._legend_due(streaming)
        try:
            grads = self._gradients() if self._mode == "gradients" else None
            legend = recolour(self._scene, self.session, self._mode, grads,
                              self._gradient_label, self._dead_masks(streaming),
                              inputs=not streaming, labels=periodic)
        except ValueError as exc:
            # A dataset swap sets the network and the dataset one after the other; between the
            # two signals they may not fit together. The second signal brings the values
            # (no retry timer here: a retry that keeps failing would spin the event loop).
            # If they still do not fit when the view paints, it says why.
            self._dirty = True
            self._problem = str(exc)
            self.viewport().update()
            return
        if periodic or legend.titles() != self._legend.titles():
            self._legend = legend
        self._redraw_waiting_numbers(streaming)
        self._problem = ""
        self._update_emphasis()
        if self._highlight is not None or self._highlight_applied:
            # The step-through's highlight belongs to one moment of a pass; while the
            # network trains it would point at numbers that are gone: hidden meanwhile.
            self._apply_highlight(None if streaming else self._highlight)
        if self._auto_fit and self._shown_once and periodic and not self.content_fits():
            # New numbers can make labels longer (ŷ = 5.7×10⁻⁷ after training): zoom out
            # rather than cut them off at the edge.
            self.fit_to_view(adapt_layout=False)
        self.viewport().update()

    def _update_emphasis(self) -> None:
        emphasise(self._scene, [self._hover, self.session.selection], self._theme)

    def _apply_highlight(self, highlight: Highlight | None | bool = True) -> None:
        if highlight is True:
            highlight = self._highlight
        animate = show_highlight(self._scene, highlight)
        self._highlight_applied = highlight is not None
        if animate and self.isVisible():
            self._anim.start()
        else:
            self._anim.stop()

    def _post(self, message: str) -> None:
        self.message_posted.emit(message)
        if self.isVisible():
            # As plain text: a message can name a file the person chose ("<b>.png").
            QToolTip.showText(self.viewport().mapToGlobal(self._last_mouse), tooltip_text(message),
                              self.viewport())

    # ----- actions ---------------------------------------------------------------------------

    def _make_actions(self) -> None:
        # No QAction shortcuts here: the main window has its own zoom actions, and two actions
        # with one shortcut would cancel each other. keyPressEvent handles the keys otherwise.
        self._fit_action = make_action(self, "Fit to view", "Show the whole network (Ctrl+0)",
                                       self.fit_to_view)
        self._export_action = make_action(self, "Export diagram…",
                                          "Save the diagram with its legend as PNG or SVG",
                                          self._export_dialog)
        group = QActionGroup(self)
        self._mode_actions = {}
        for mode, text, tip in (
                ("weights", "Colour by weights", "Edges show the weights w, neurons their activation a"),
                ("gradients", "Colour by gradients", "Edges show ∂L/∂w, neurons δ = ∂L/∂z")):
            action = make_action(self, text, tip, lambda m=mode: self.set_color_mode(m),
                                 checkable=True)
            action.setChecked(mode == self._mode)
            group.addAction(action)
            self._mode_actions[mode] = action
        self._grid_action = make_action(
            self, "Draw inputs as an image",
            "Draw the input layer as the picture's pixel grid instead of a column",
            lambda: self.set_input_grid(self._grid_action.isChecked()), checkable=True)

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export diagram", "network.png",
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        try:
            if path.lower().endswith(".svg"):
                self.export_svg(path)
            else:
                self.export_png(path if path.lower().endswith(".png") else path + ".png")
        except (OSError, ValueError) as exc:
            self._post(f"Could not export the diagram: {exc}")
            return
        self._post(f"Diagram saved to {path}")

    # ----- Qt overrides ----------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, self._theme.background)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.fit_to_view()
        if self._scene.highlight.active:
            self._anim.start()

    def hideEvent(self, event) -> None:
        self._anim.stop()
        super().hideEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._auto_fit:
            # Spreading the columns rebuilds the scene: while a window is being resized only
            # zoom (a few ms), and spread the columns once the resizing pauses.
            self.fit_to_view(adapt_layout=False)
            quick = sum(self.session.network.sizes) <= QUICK_REBUILD_NEURONS
            self._respread_timer.start(RESPREAD_DELAY_MS if quick else 2 * RESPREAD_DELAY_MS)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._theme = DiagramColors.from_palette(self.palette())
            self._scene.theme = self._theme
            self._scene.highlight.theme = self._theme
            self._scene.caption.theme = self._theme
            self._rebuild()


def _preview() -> None:
    import sys

    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    session = Session()
    window = QMainWindow()
    view = NetworkView(session)
    window.setCentralWidget(view)
    view.message_posted.connect(lambda text: window.statusBar().showMessage(text, 5000))
    window.resize(1280, 800)
    window.setWindowTitle("Network diagram preview")
    window.show()
    sys.exit(app.exec())


if __name__ == "__main__":
    _preview()
