"""The real network's loss over the whole dataset around its current parameters: along two
weights or biases (chosen in lists by their names, or taken from the diagram's selection),
or along two random directions in the space of all parameters.

It follows live training through `clock.frame` (docs/ARCHITECTURE.md): each frame adds the
current point to the path; the slice around it is recomputed at most every REFRESH_MS on a
coarser grid while frames stream, and exactly when the stream ends.
"""

from __future__ import annotations

from itertools import islice

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel, QPushButton,
    QSpinBox, QVBoxLayout, QWidget,
)

from ...engine.loss_slice import (
    Directions, iter_parameters, param_value, project_path, steepest_parameters)
from ...engine.selection import Selection
from ...session.session import Session
from ...session.training_clock import TrainingClock, TrainingFrame
from ..common.formatting import fmt
from ..common.in_front import in_front
from ..common.throttle import Throttle
from .contour_plot import ContourPlot
from .network_slice import directions_for, loss_slice, nearest

REFRESH_MS = 250          # at most four slices a second while training streams
MAX_LISTED = 2000         # parameters listed by name; more can still be typed
MAX_PATH_FLOATS = 4_000_000   # the path in the space of all parameters keeps at most this
CLIP_QUANTILE = 0.98      # colours stop here: a few huge losses do not wash out the rest

MODES = (
    ("parameters", "Two parameters"),
    ("filter", "Random directions (filter-normalised)"),
    ("plain", "Random directions (plain)"),
)


class NetworkPage(QWidget):
    """The loss slice; `show_parameters(a, b)` chooses the two weights or biases."""

    message_posted = Signal(str)

    def __init__(self, session: Session, clock: TrainingClock | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("landscape_network_page")
        self.session = session
        self.clock = clock
        self._params: tuple[Selection, Selection] | None = None
        self._directions: Directions | None = None
        self._path: list[np.ndarray] = []      # (a, b) values, or every parameter's value
        self._path_mode = "parameters"         # which of the two the path holds
        self._grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._live = False
        self._stale = True
        self._refresh = Throttle(REFRESH_MS, self.refresh, self, defer=True)
        self._build()
        self._fill_lists()
        session.parameters_changed.connect(self._on_values)
        session.dataset_changed.connect(self._on_values)
        session.structure_changed.connect(self._on_structure)
        session.project_replaced.connect(self._on_structure)
        session.selection_changed.connect(self._on_selection)
        if clock is not None:
            clock.frame.connect(self.on_training_frame)
        self._on_selection(session.selection)
        self.seed_spin.setVisible(False)

    # ----- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("landscape_mode")
        self.mode_combo.setToolTip(
            "Two parameters: the loss as two weights or biases change, all others fixed.\n"
            "Random directions: the loss as all parameters move along two random directions "
            "(filter-normalised: each neuron's incoming weights scaled to the size of its own "
            "weights, biases fixed; plain: each direction of length 1).")
        for key, text in MODES:
            self.mode_combo.addItem(text, key)
        self.mode_combo.currentIndexChanged.connect(self._on_choice)
        self.span_spin = QDoubleSpinBox()
        self.span_spin.setObjectName("landscape_span")
        self.span_spin.setRange(0.01, 100.0)
        self.span_spin.setDecimals(2)
        self.span_spin.setSingleStep(0.25)
        self.span_spin.setValue(1.0)
        self.span_spin.setPrefix("± ")
        self.span_spin.setToolTip("How far the slice reaches on each side of the current point")
        self.span_spin.valueChanged.connect(lambda _v: self._on_values())
        self.a_combo, self.b_combo = self._param_combo("landscape_param_a"), self._param_combo("landscape_param_b")
        self.a_selected = self._use_selected_button("a")
        self.b_selected = self._use_selected_button("b")
        self.seed_spin = QSpinBox()
        self.seed_spin.setObjectName("landscape_direction_seed")
        self.seed_spin.setRange(0, 9999)
        self.seed_spin.setPrefix("seed ")
        self.seed_spin.setToolTip("Which random directions: the same seed, the same directions")
        self.seed_spin.valueChanged.connect(self._on_choice)
        self.view3d_check = QCheckBox("3-D")
        self.view3d_check.setObjectName("landscape_network_3d")
        self.view3d_check.setToolTip("Show the loss surface in 3-D (drag it to turn it)")
        self.view3d_check.toggled.connect(lambda on: self.plot.set_3d(on))
        self._plot: ContourPlot | None = None     # built when first needed (see `plot`)
        self._axes = ("", "")
        self.info = QLabel()
        self.info.setObjectName("landscape_network_info")
        self.info.setWordWrap(True)
        self.readout = QLabel(" ")
        self.readout.setObjectName("landscape_network_readout")
        for label in (self.info, self.readout):
            label.setTextFormat(Qt.TextFormat.PlainText)

        for combo in (self.mode_combo, self.a_combo, self.b_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        controls = QGridLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.mode_combo, 0, 0, 1, 3)
        self.a_label, self.b_label = QLabel("Across"), QLabel("Up")
        controls.addWidget(self.a_label, 1, 0)
        controls.addWidget(self.a_combo, 1, 1)
        controls.addWidget(self.a_selected, 1, 2)
        controls.addWidget(self.b_label, 2, 0)
        controls.addWidget(self.b_combo, 2, 1)
        controls.addWidget(self.b_selected, 2, 2)
        options = QHBoxLayout()
        options.addWidget(self.span_spin)
        options.addWidget(self.seed_spin)
        options.addWidget(self.view3d_check)
        options.addStretch(1)
        controls.addLayout(options, 3, 0, 1, 3)
        controls.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(controls)
        layout.addWidget(self.readout)
        layout.addWidget(self.info)
        layout.addStretch(1)
        self._layout = layout

    @property
    def plot(self) -> ContourPlot:
        """The plot, made the first time it is needed: pyqtgraph's plot items take a good
        part of a second to build, and many people never open this tab."""
        if self._plot is None:
            plot = self._plot = ContourPlot("loss")
            plot.setToolTip("The loss of the whole dataset around the current point (the red "
                            "dot); the orange line is the path training took")
            plot.hovered.connect(self._on_hover)
            plot.left.connect(lambda: self.readout.setText(" "))
            plot.set_axes(*self._axes)
            plot.fit_height_to(self.width())
            self._layout.insertWidget(1, plot, 1)
            self._layout.setStretch(self._layout.count() - 1, 0)
        return self._plot

    def _set_axes(self, x_label: str, y_label: str) -> None:
        self._axes = (x_label, y_label)
        if self._plot is not None:
            self._plot.set_axes(x_label, y_label)

    def _param_combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setToolTip("A weight or bias by its name, e.g. W2[3,5] or b1[2] (choose or type)")
        combo.activated.connect(self._on_choice)
        combo.lineEdit().editingFinished.connect(self._on_choice)
        return combo

    def _use_selected_button(self, which: str) -> QPushButton:
        button = QPushButton("Selected")
        button.setObjectName(f"landscape_use_selected_{which}")
        button.setToolTip("Use the weight or bias selected in the network diagram")
        button.clicked.connect(lambda: self._use_selection(which))
        return button

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._plot is not None:
            self._plot.fit_height_to(event.size().width())

    # ----- the public API ---------------------------------------------------------------------

    def show_parameters(self, a: Selection, b: Selection) -> None:
        """Slice the loss along the weights or biases `a` (across) and `b` (up)."""
        self.mode_combo.blockSignals(True)
        self.mode_combo.setCurrentIndex(0)
        self.mode_combo.blockSignals(False)
        for combo, item in ((self.a_combo, a), (self.b_combo, b)):
            combo.setEditText(item.name)
        self._on_choice()

    def show_directions(self, filter_normalised: bool = True, seed: int = 0) -> None:
        """Slice the loss along two random directions through all parameters."""
        self.seed_spin.blockSignals(True)
        self.seed_spin.setValue(seed)
        self.seed_spin.blockSignals(False)
        self.mode_combo.setCurrentIndex(1 if filter_normalised else 2)
        self._on_choice()

    @property
    def mode(self) -> str:
        return self.mode_combo.currentData()

    def parameters(self) -> tuple[Selection, Selection] | None:
        return self._params

    def centre_loss(self) -> float | None:
        """The loss at the slice's centre: the current network's loss on the dataset."""
        if self._grid is None:
            return None
        Z = self._grid[2]
        return float(Z[Z.shape[0] // 2, Z.shape[1] // 2])

    def path_points(self) -> np.ndarray:
        """The path training took, in the slice's coordinates: (k, 2)."""
        if not self._path or self._path_mode != self.mode:
            return np.zeros((0, 2))
        if self.mode == "parameters":
            return np.array(self._path)
        if self._directions is None:
            return np.zeros((0, 2))
        return project_path(self._directions, self.session.network.get_flat(), self._path)

    # ----- computing --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Compute the slice around the current point and draw it (with the path)."""
        self._refresh.ran()
        self._stale = False
        net, data = self.session.network, self.session.dataset
        if data.n_samples == 0:
            self._grid = None
            self.plot.set_surface(np.full((2, 2), np.nan), (-1, 1), (-1, 1), contours=False)
            self.info.setText("No samples: the loss needs a dataset.")
            return
        if self.mode == "parameters":
            if self._params is None:
                self.info.setText("Choose two weights or biases.")
                return
            along = self._params
        else:
            along = self._directions = directions_for(
                net, self._directions, self.mode == "filter", self.seed_spin.value())
        piece = loss_slice(net, data, along, self.span_spin.value(), self._live)
        A, B, Z = self._grid = (piece.A, piece.B, piece.Z)
        self.plot.set_surface(Z, (A[0, 0], A[0, -1]), (B[0, 0], B[-1, 0]),
                              contours=not self._live, clip_quantile=CLIP_QUANTILE)
        self.plot.set_point(*piece.centre)
        self._draw_path()
        self.info.setText(f"Loss at the current point (the red dot): {fmt(self.centre_loss(), 4)}, "
                          f"over all {data.n_samples} samples. Shown: {piece.what}.{piece.note}")

    def _draw_path(self) -> None:
        points = self.path_points()
        self.plot.set_path(points[:, 0], points[:, 1])

    # ----- following the session and training ---------------------------------------------------

    def on_training_frame(self, frame: TrainingFrame) -> None:
        if self.session.network.sizes != self._sizes:
            # The project was replaced while training ran: the clock's last frame arrives
            # before project_replaced does, and the page's parameters may not exist any more.
            self._on_structure()
            return
        self._record_point()
        self._live = frame.streaming
        if not in_front(self):
            self._stale = True
            return
        if frame.streaming:
            self._refresh()
        else:
            self._refresh.cancel()
            self.refresh()

    def _record_point(self) -> None:
        net = self.session.network
        if self._path_mode != self.mode:     # a path in other coordinates: start again
            self._path, self._path_mode = [], self.mode
        if self.mode == "parameters":
            if self._params is None:
                return
            self._path.append(np.array([param_value(net, p) for p in self._params]))
            return
        self._path.append(net.get_flat())
        if len(self._path) * net.n_parameters > MAX_PATH_FLOATS:
            self._path = self._path[::2]        # keep its shape, at half the detail

    def _on_values(self) -> None:
        if in_front(self):
            self._refresh()
        else:
            self._stale = True

    def _on_structure(self) -> None:
        self._path = []              # points of another network (another size, perhaps)
        self._fill_lists()
        self._on_values()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.catch_up()

    def catch_up(self) -> None:
        """Draw what changed while the page was hidden (behind a tab, or its dock's)."""
        if self._stale and in_front(self):
            self._live = False
            self.refresh()

    # ----- choosing -----------------------------------------------------------------------------

    def _fill_lists(self) -> None:
        """List the network's parameters; keep the chosen two if the network still has them."""
        net = self.session.network
        self._sizes = list(net.sizes)          # the network the lists and the path are for
        names = [item.name for item in islice(iter_parameters(net), MAX_LISTED)]
        data = self.session.dataset
        if data.n_samples:
            default = tuple(steepest_parameters(net, data.inputs, data.targets(net.sizes[-1])))
        else:
            L = net.n_layers
            default = (Selection.weight(L, 0, 0), Selection.bias(L, 0))
        keep = self._params if self._params and all(p.exists_in(net.sizes) for p in self._params) \
            else default
        for combo, item in ((self.a_combo, keep[0]), (self.b_combo, keep[1])):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.setEditText(item.name)
            combo.blockSignals(False)
        self._set_params(keep)

    def _parse(self, combo: QComboBox) -> Selection | None:
        try:
            item = Selection.parse(combo.currentText())
        except ValueError as error:
            self.info.setText(str(error))
            return None
        if item.is_neuron or not item.exists_in(self.session.network.sizes):
            self.info.setText(f"The network has no weight or bias {item.name}.")
            return None
        return item

    def _on_choice(self, *_args) -> None:
        parameters = self.mode == "parameters"
        for widget in (self.a_combo, self.b_combo, self.a_label, self.b_label):
            widget.setEnabled(parameters)
        self._on_selection(self.session.selection)
        self.seed_spin.setVisible(not parameters)
        if parameters:
            a, b = self._parse(self.a_combo), self._parse(self.b_combo)
            if a is None or b is None:
                return
            if a == b:
                self.info.setText(f"Choose two different parameters ({a.name} is chosen twice).")
                return
            self._set_params((a, b))
        else:
            self._path = []
            self._set_axes("α (along direction 1)", "β (along direction 2)")
        self._live = False
        self.refresh()

    def _set_params(self, params: tuple[Selection, Selection]) -> None:
        if params != self._params:
            self._path = []
        self._params = params
        if self.mode == "parameters":
            self._set_axes(params[0].name, params[1].name)

    def _on_selection(self, item) -> None:
        usable = (isinstance(item, Selection) and not item.is_neuron
                  and item.exists_in(self.session.network.sizes)
                  and self.mode == "parameters")
        self.a_selected.setEnabled(usable)
        self.b_selected.setEnabled(usable)

    def _use_selection(self, which: str) -> None:
        item = self.session.selection
        if not isinstance(item, Selection) or item.is_neuron:
            return
        (self.a_combo if which == "a" else self.b_combo).setEditText(item.name)
        self._on_choice()

    def _on_hover(self, x: float, y: float) -> None:
        if self._grid is None:
            return
        a, b, loss = nearest(self._grid, x, y)
        if self.mode == "parameters" and self._params is not None:
            names = (self._params[0].name, self._params[1].name)
        else:
            names = ("α", "β")
        self.readout.setText(f"{names[0]} = {fmt(a)}, {names[1]} = {fmt(b)}:  loss {fmt(loss, 4)}")
