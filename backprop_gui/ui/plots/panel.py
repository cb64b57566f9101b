"""The Plots panel: tabs for the loss, gradients, weights, gradient size and first layer,
a history slider to look back through training, and export.

Session and clock signals only mark the panel dirty; one zero-delay timer then redraws the
visible tab, so however many signals arrive in a frame, the plots redraw at most once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import (
    QApplication, QFileDialog, QHBoxLayout, QMenu, QMessageBox, QSlider, QStyle,
    QTabWidget, QToolButton, QVBoxLayout, QWidget,
)

from ...engine.runs import epoch_counts, per_epoch
from ...session.session import Session
from ...session.snapshots import Snapshot
from ...session.training_clock import TrainingClock, TrainingFrame
from ..common.action_helper import make_action
from ..common.live_text import LiveText
from ..common.plain_text import message_box
from .runs_list import RunsList
from ..common.throttle import Throttle
from .export import export_graphics, export_history_csv
from .first_layer import FirstLayerImages
from .grad_size import GradientSizePlot
from .heatmaps import LayerHeatmaps
from .loss_plot import LossPlot
from .style import fmt

SLIDER_REFRESH_MS = 500  # the history slider's range while training streams and it shows "now"
TABS = ("Loss", "Gradients", "Weights", "Gradient size", "First layer")
TAB_TIPS = {
    "Loss": "The loss and accuracy after each epoch",
    "Gradients": "∂L/∂W and ∂L/∂b of every layer as heatmaps",
    "Weights": "Every layer's weights and biases as heatmaps",
    "Gradient size": "How large each layer's gradient is over time (vanishing or exploding?)",
    "First layer": "Each first-layer neuron's weights drawn as a picture of the input",
}
# The titles in a narrow panel (a small screen), where the full ones would not all show.
SHORT_TITLES = {"Gradients": "∂L/∂W", "Gradient size": "Size", "First layer": "Layer 1"}

SaveAsker = Callable[[str, str, str], str]  # (title, suggested name, filter) → path or ""


def ask_save_path(parent: QWidget, title: str, suggested: str, name_filter: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, name_filter)
    return path


class PlotsPanel(QWidget):
    """Everything the Plots dock shows while the network trains."""

    message_posted = Signal(str)

    def __init__(self, session: Session, clock: TrainingClock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plots_panel")
        self.session = session
        self.clock = clock
        self.ask_path: SaveAsker = lambda title, name, flt: ask_save_path(self, title, name, flt)
        self.redraws = 0
        self._slider_range = Throttle(SLIDER_REFRESH_MS, parent=self)
        self._snapshot_epoch: int | None = None   # None: live
        self._stale = set(TABS)

        self.loss = LossPlot()
        self.log_check = self.loss.log_check
        self.runs_list = RunsList(session.runs)
        self.runs_list.message_posted.connect(self.message_posted)
        self.loss.layout().addWidget(self.runs_list)
        self._x_axis = "epochs"
        self.loss.x_axis_chosen.connect(self.set_x_axis)
        self.gradients = LayerHeatmaps("gradients")
        self.weights = LayerHeatmaps("weights")
        self.gradient_size = GradientSizePlot()
        self.first_layer = FirstLayerImages()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("plots_tabs")
        self.tabs.setDocumentMode(True)
        for name, widget in zip(TABS, self._tab_widgets()):
            index = self.tabs.addTab(widget, name)
            self.tabs.setTabToolTip(index, f"{name}: {TAB_TIPS[name]}")
        self.tabs.setCornerWidget(self._export_button(), Qt.Corner.TopRightCorner)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(self._history_row())

        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(0)
        self._redraw_timer.timeout.connect(self.redraw)
        for signal in (clock.recorder.history_reset, session.structure_changed,
                       session.parameters_changed, session.dataset_changed,
                       session.project_replaced, session.runs.changed, session.training_changed):
            signal.connect(self.mark_dirty)
        # The clock emits `frame` once per training frame, after everything else: redraw
        # now. (A zero-delay timer would wait for an idle moment, which a running clock may
        # not leave, and frames would go by without a redraw.)
        clock.frame.connect(self._on_training_frame)
        session.project_replaced.connect(self.show_live)
        clock.recorder.history_reset.connect(self._on_history_reset)
        clock.running_changed.connect(self._on_running_changed)
        self.redraw()

    def _export_button(self) -> QToolButton:
        """The tabs' corner button: Export ▸ PNG / SVG / CSV."""
        self.export_button = QToolButton()
        self.export_button.setObjectName("export_button")
        self.export_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
        self.export_button.setText("Export")
        self.export_button.setAutoRaise(True)
        self.export_button.setToolTip("Save this plot as a picture, or the loss history as a table")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_menu = QMenu(self.export_button)
        self.export_menu.setToolTipsVisible(True)
        self.export_png_action, self.export_svg_action, self.export_csv_action = self.export_actions(self)
        self.export_menu.addActions([self.export_png_action, self.export_svg_action,
                                     self.export_csv_action])
        self.export_button.setMenu(self.export_menu)
        return self.export_button

    def _history_row(self) -> QHBoxLayout:
        """Under the tabs: the history slider, the epoch it shows, Now and Go back here."""
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("history_slider")
        self.slider.setToolTip("Look back through training: drag to an earlier epoch to see its "
                               "weights and gradients (the right end is now)")
        self.slider.setAccessibleName("Training history")
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.slider_label = LiveText("Epoch 000000 · loss 0.0000")  # changes every frame
        self.slider_label.setObjectName("history_label")
        self.slider_label.setToolTip("The epoch the plots show")
        self.live_button = QToolButton()
        self.live_button.setText("Now")
        self.live_button.setObjectName("live_button")
        self.live_button.setToolTip("Show the network as it is now (the right end of the history)")
        self.live_button.clicked.connect(self.show_live)
        self.restore_button = QToolButton()
        self.restore_button.setText("Go back here")
        self.restore_button.setObjectName("restore_epoch_button")
        self.restore_button.setToolTip("Make this epoch's weights the network's weights again and "
                                       "forget the later history (you can undo this)")
        self.restore_button.clicked.connect(self._on_restore_clicked)
        row = QHBoxLayout()
        row.setContentsMargins(6, 0, 6, 4)
        row.addWidget(self.slider, 1)
        row.addWidget(self.slider_label)
        row.addWidget(self.live_button)
        row.addWidget(self.restore_button)
        return row

    def _tab_widgets(self) -> list[QWidget]:
        return [self.loss, self.gradients, self.weights, self.gradient_size, self.first_layer]

    def export_actions(self, parent: QWidget) -> tuple[QAction, QAction, QAction]:
        """Three actions (PNG, SVG, CSV) for menus: the panel's own and File ▸ Export."""
        png = make_action(parent, "Plot as &PNG Image…",
                          "Save the plot on show in the Plots panel as a PNG picture",
                          lambda: self.export_current("png"))
        svg = make_action(parent, "Plot as &SVG Drawing…",
                          "Save the plot on show in the Plots panel as a scalable SVG drawing",
                          lambda: self.export_current("svg"))
        csv = make_action(parent, "Loss History as &CSV…",
                          "Save the loss and accuracy of every epoch as a table "
                          "(epoch, loss, accuracy, val_loss, val_accuracy)", self.export_csv)
        return png, svg, csv

    # ----- redrawing ------------------------------------------------------------------------------

    def mark_dirty(self) -> None:
        self._stale = set(TABS)
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def _on_training_frame(self, frame: TrainingFrame) -> None:
        self._redraw_timer.stop()
        self._stale = set(TABS)
        if self.isVisible():
            # Streaming, the slider and the colour scales follow a few times a second; the
            # frame that ends the stream draws them exactly.
            self.redraw(streaming=frame.streaming)

    def _on_running_changed(self, _running: bool) -> None:
        self._update_slider_label()   # "Go back here" only while paused

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_tab_titles()

    def _fit_tab_titles(self) -> None:
        """The full tab titles where they all fit, the short ones where they would not."""
        bar, metrics = self.tabs.tabBar(), self.tabs.tabBar().fontMetrics()
        corner = self.tabs.cornerWidget(Qt.Corner.TopRightCorner)
        room = self.tabs.width() - (corner.sizeHint().width() if corner is not None else 0)
        padding = sum(bar.tabSizeHint(i).width() - metrics.horizontalAdvance(bar.tabText(i))
                      for i in range(bar.count()))
        full = padding + sum(metrics.horizontalAdvance(name) for name in TABS)
        for index, name in enumerate(TABS):
            title = name if full <= room else SHORT_TITLES.get(name, name)
            if bar.tabText(index) != title:
                bar.setTabText(index, title)

    def showEvent(self, event) -> None:
        # Hidden (e.g. a tab behind another dock), the panel skipped its redraws: catch up.
        super().showEvent(event)
        if self._stale:
            self.mark_dirty()

    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def redraw(self, streaming: bool = False) -> None:
        """Bring the slider and the visible tab up to date (the others when they are shown)."""
        if not self.isVisible() and self.redraws:
            return                     # showEvent redraws when the panel comes into view
        self.redraws += 1
        self._update_slider(streaming)
        self._redraw_tab(self.current_tab(), live=streaming)

    def _redraw_tab(self, tab: str, live: bool = False) -> None:
        self._stale.discard(tab)
        net, snap = self.session.network, self.shown_snapshot()
        if tab == "Loss":
            self.loss.set_loss_name(f"{net.loss_fn.display} loss")
            updates, samples = epoch_counts(self.session.dataset.n_samples, self.session.training)
            self.loss.set_runs(self.session.runs.runs, self._x_axis,
                               per_epoch(self._x_axis, updates, samples))
            self.loss.set_history(self.session.project.history)
            self.loss.set_marker(snap.epoch if snap is not None else None)
        elif tab == "Gradients":
            self.gradients.set_shape(net.sizes)
            if snap is not None:
                self.gradients.set_values(list(snap.grad_weights), list(snap.grad_biases), live)
            else:
                grads = self.clock.recorder.gradients()
                if grads is None:
                    self.gradients.set_values([np.zeros_like(W) for W in net.weights],
                                              [np.zeros_like(b) for b in net.biases])
                else:
                    self.gradients.set_values(grads.dW, grads.db, live)
        elif tab == "Weights":
            self.weights.set_shape(net.sizes)
            if snap is not None:
                self.weights.set_values(list(snap.weights), list(snap.biases), live)
            else:
                self.weights.set_values(net.weights, net.biases, live)
        elif tab == "Gradient size":
            self.gradient_size.set_shape(net.sizes)
            sizes = self.clock.recorder.gradient_sizes
            self.gradient_size.set_series(sizes.epochs, sizes.rms)
        elif tab == "First layer":
            ds = self.session.dataset
            shape = ds.image_shape if ds.kind == "image" else None
            self.first_layer.set_shape(net.sizes[1], shape)
            weights = snap.weights[0] if snap is not None else net.weights[0]
            self.first_layer.set_weights(weights)
        index = TABS.index("First layer")
        enabled = self.session.dataset.image_shape is not None and self.session.dataset.kind == "image"
        if self.tabs.isTabEnabled(index) != enabled:
            # QTabBar repaints on every setTabEnabled, changed or not (once per frame here).
            self.tabs.setTabEnabled(index, enabled)

    def set_x_axis(self, axis: str) -> None:
        """Count the Loss plot's x axis in "epochs", "updates" or "samples"."""
        self._x_axis = axis
        self.mark_dirty()

    def _on_tab_changed(self, _index: int) -> None:
        tab = self.current_tab()
        if tab in self._stale:
            self._redraw_tab(tab)

    # ----- history slider -------------------------------------------------------------------------

    def shown_snapshot(self) -> Snapshot | None:
        """The snapshot the slider points at, or None when showing the network as it is now."""
        if self._snapshot_epoch is None:
            return None
        snap = self.clock.recorder.snapshots.snapshot_at(self._snapshot_epoch)
        net = self.session.network
        if snap is None or [W.shape for W in snap.weights] != [W.shape for W in net.weights]:
            return None
        return snap

    def _update_slider(self, streaming: bool = False) -> None:
        epochs = self.clock.recorder.snapshots.epochs
        live = len(epochs)  # one position past the snapshots: "now"
        if (streaming and self._snapshot_epoch is None and not self.slider.isSliderDown()
                and self.slider.value() == self.slider.maximum() > 0
                and not self._slider_range.ready()):
            # Showing "now" while training runs, the handle stays at the right end whatever
            # the range: a new range every frame would only repaint the slider and, as it is
            # see-through, the panel and the window behind it (~2 ms a frame).
            self._update_slider_label()
            return
        self._slider_range.ran()
        self.slider.blockSignals(True)
        self.slider.setRange(0, live)
        if self._snapshot_epoch is None:
            self.slider.setValue(live)
        else:
            self.slider.setValue(max(0, int(np.searchsorted(epochs, self._snapshot_epoch,
                                                            side="right")) - 1))
        self.slider.blockSignals(False)
        self.slider.setEnabled(bool(epochs))
        self._update_slider_label()

    def _update_slider_label(self) -> None:
        snap = self.shown_snapshot()
        if snap is None:
            h = self.session.project.history
            self.slider_label.setText(f"Now · epoch {h.epoch[-1]}" if len(h) else "Now")
        else:
            self.slider_label.setText(f"Epoch {snap.epoch} · loss {fmt(snap.loss)}")
        self.live_button.setEnabled(snap is not None)
        self.restore_button.setEnabled(snap is not None and not self.clock.is_running)

    def _on_slider_moved(self, position: int) -> None:
        epochs = self.clock.recorder.snapshots.epochs
        self._snapshot_epoch = None if position >= len(epochs) else epochs[position]
        self._stale = set(TABS)
        self.redraw()

    def show_live(self) -> None:
        self._snapshot_epoch = None
        self._stale = set(TABS)
        self.redraw()

    def show_epoch(self, epoch: int) -> None:
        """Point the history slider at the snapshot taken at (or just before) `epoch`."""
        self._snapshot_epoch = int(epoch)
        self._stale = set(TABS)
        self.redraw()

    def _on_history_reset(self) -> None:
        if self._snapshot_epoch is not None and self.shown_snapshot() is None:
            self._snapshot_epoch = None

    def _on_restore_clicked(self) -> None:
        snap = self.shown_snapshot()
        if snap is not None and self.clock.restore_snapshot(snap.epoch):
            self.message_posted.emit(f"Back at epoch {snap.epoch} (Undo returns to where you were)")
            self.show_live()

    # ----- export ------------------------------------------------------------------------------------

    def current_graphics(self):
        return self._tab_widgets()[self.tabs.currentIndex()].graphics

    def export_current(self, fmt: str) -> Path | None:
        tab = self.current_tab()
        stem = (self.session.path.stem + "-" if self.session.path else "") + tab.lower().replace(" ", "-")
        name_filter = "PNG image (*.png)" if fmt == "png" else "SVG drawing (*.svg)"
        path = self.ask_path(f"Export {tab} Plot as {fmt.upper()}", f"{stem}.{fmt}", name_filter)
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != f".{fmt}":
            target = target.with_name(target.name + f".{fmt}")
        try:
            export_graphics(self.current_graphics(), target)
        except (OSError, ValueError) as exc:
            self._show_error("Could not export the plot", f"“{target}” could not be written: {exc}")
            return None
        self.message_posted.emit(f"{tab} plot exported to {target}")
        return target

    def export_csv(self) -> Path | None:
        stem = self.session.path.stem if self.session.path else "loss-history"
        path = self.ask_path("Export Loss History as CSV", f"{stem}.csv", "CSV table (*.csv)")
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != ".csv":
            target = target.with_name(target.name + ".csv")
        try:
            export_history_csv(self.session.project.history, target)
        except OSError as exc:
            self._show_error("Could not export the loss history",
                             f"“{target}” could not be written: {exc.strerror or exc}.")
            return None
        self.message_posted.emit(f"Loss history ({len(self.session.project.history)} epochs) "
                                 f"exported to {target}")
        return target

    def _show_error(self, title: str, text: str) -> None:
        QApplication.beep()
        message_box(self, QMessageBox.Icon.Warning, title, text).exec()   # names a file

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        menu.addActions([self.export_png_action, self.export_svg_action, self.export_csv_action])
        if self.current_tab() in ("Loss", "Gradient size"):
            menu.addSeparator()
            fit = menu.addAction("Show All")
            fit.setToolTip("Zoom out so every point is in view")
            fit.triggered.connect(self._fit_current)
        menu.exec(event.globalPos())

    def _fit_current(self) -> None:
        (self.loss if self.current_tab() == "Loss" else self.gradient_size).follower.follow()
        self.mark_dirty()
