"""The Graph panel: the selected weight's (or bias's) computational graph down to the loss,
filled in step by step with the step-through, and its chain rule written out with numbers.

The numbers are the selected sample's (the engine's Trace and Gradients, through
engine/chain.py). The panel follows the session's selection and the step-through's cursor
(the Steps panel's, when installed in the window): a value appears once the step that computes
it has been reached, a gradient once the backward pass has; ◀ ▶ here move that same cursor.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStackedWidget, QToolButton,
    QVBoxLayout, QWidget,
)

from ...engine.chain import ChainGraph, chain_graph, suitable
from ...engine.selection import Selection
from ...session.session import Session
from ...session.stepper import StepCursor, step_key
from ..common.live_text import LiveText
from ..common.plain_text import tooltip_text
from ..common.throttle import Throttle
from .canvas import Fill, GraphCanvas
from .chain_text import chain_rule_text

EMPTY_TEXT = ("Select a weight or a bias in the diagram to see its computational graph: the "
              "chain of numbers from it to the loss, and the chain rule that gives its "
              "gradient ∂L/∂w. Click an edge for its weight, or a neuron for its bias.")
FIRST_WEIGHT = Selection.weight(1, 0, 0)
PAGE_EMPTY, PAGE_GRAPH = 0, 1
REFRESH_MS = 100


def fill_at(graph: ChainGraph, cursor: StepCursor | None) -> Fill:
    """What the step-through has computed at the cursor's step (everything without steps)."""
    steps = cursor.steps if cursor is not None else []
    if not steps:
        return Fill.everything(graph)
    order = {step_key(s): i for i, s in enumerate(steps)}
    here = cursor.index
    now = step_key(steps[here])

    def reached(key) -> bool:
        return key is None or order.get(key, -1) <= here

    values = frozenset(n.key for n in graph.nodes if reached(n.value_step))
    grads = frozenset(n.key for n in graph.nodes
                      if n.grad_step is not None and reached(n.grad_step))
    current = frozenset(n.key for n in graph.nodes if now in (n.value_step, n.grad_step))
    return Fill(values, grads, current)


def _plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)   # text from data is never HTML
    label.setWordWrap(True)
    return label


class GraphPanel(QWidget):
    """The Graph dock's widget. Public API (lessons use it): `show_parameter`, `chain_text`."""

    def __init__(self, session: Session, cursor: StepCursor | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("graph_panel")
        self.session = session
        self.cursor = cursor or StepCursor(session, self)
        self.graph: ChainGraph | None = None
        self._stale = False
        self._in_front = True
        self._build()
        session.selection_changed.connect(self._on_changed)
        session.project_replaced.connect(self._on_changed)
        # New numbers (an edit, or every frame of live training) redraw a few times a second
        # at most, as the Steps panel does; a new selection shows at once.
        self._numbers_changed = Throttle(REFRESH_MS, self.refresh, self, defer=True)
        self.cursor.steps_changed.connect(self._numbers_changed)
        self.cursor.step_moved.connect(self._on_step_moved)
        self.refresh()

    # ----- public API ------------------------------------------------------------------------

    def show_parameter(self, selection: Selection) -> None:
        """Show the graph of `selection` (a weight or a bias of the network), selecting it in
        the session as a click in the diagram would. ValueError for anything else."""
        if not suitable(selection, self.session.network):
            raise ValueError(f"{selection} is not a weight or a bias of the network")
        self.session.select(selection)
        self.refresh(force=True)

    def chain_text(self) -> str:
        """The chain rule shown below the graph, as plain text ("" when none is shown)."""
        if self._stale:
            self.refresh(force=True)
        return self.rule_label.text() if self.graph is not None else ""

    # ----- widgets ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(self._step_row())
        self.pages = QStackedWidget()
        self.pages.addWidget(self._empty_page())
        self.pages.addWidget(self._graph_page())
        layout.addWidget(self.pages, 1)

    def _step_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(2)
        self.previous_button = QToolButton()
        self.previous_button.setText("◀")
        self.previous_button.setToolTip("One step back in the step-through (the Steps panel "
                                        "moves too)")
        self.previous_button.clicked.connect(self.cursor.previous)
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip("One step on: values fill in forward, then gradients "
                                    "backward")
        self.next_button.clicked.connect(self.cursor.next)
        # Two lines: a narrow dock still shows the whole title of the step.
        self.step_label = LiveText("Step 24/24 · Layer 3: update b³", lines=2, wrap=True)
        self.step_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.follow_box = QCheckBox("Follow steps")
        self.follow_box.setChecked(True)
        self.follow_box.setToolTip("Fill the graph as the step-through goes (unticked: show "
                                   "every number at once)")
        self.follow_box.toggled.connect(lambda _on: self._update_fill())
        row.addWidget(self.previous_button)
        row.addWidget(self.next_button)
        row.addWidget(self.step_label, 1)
        row.addWidget(self.follow_box)
        return row

    def _empty_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.empty_label = _plain_label(EMPTY_TEXT)
        self.empty_label.setObjectName("graph_empty")
        self.select_first = QPushButton(f"Show {FIRST_WEIGHT.name}")
        self.select_first.setToolTip("Select the first weight of the first layer and show "
                                     "its graph")
        self.select_first.clicked.connect(lambda: self.show_parameter(FIRST_WEIGHT))
        self.select_bias = QPushButton()
        self.select_bias.setToolTip("Show the computational graph of the selected neuron's bias")
        self.select_bias.clicked.connect(self._show_selected_bias)
        box.addWidget(self.empty_label)
        box.addWidget(self.select_bias, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.select_first, 0, Qt.AlignmentFlag.AlignLeft)
        box.addStretch(1)
        return page

    def _graph_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        self.title_label = _plain_label()
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.canvas = GraphCanvas()
        self.note_label = _plain_label()
        self.note_label.setEnabled(False)   # greyed: a note, not a number to read
        self.rule_label = _plain_label()
        self.rule_label.setObjectName("graph_chain_rule")
        self.rule_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rule_label.setToolTip("The chain rule for the selected parameter with the "
                                   "numbers of the selected sample")
        box.addWidget(self.title_label)
        box.addWidget(self.canvas)
        box.addWidget(self.note_label)
        box.addWidget(self.rule_label)
        box.addStretch(1)
        return page

    # ----- following the session and the cursor ------------------------------------------------

    def _on_changed(self, *_args) -> None:
        self.refresh()

    def refresh(self, force: bool = False) -> None:
        """Rebuild the graph from the session's selection and numbers (if hidden, only when
        shown again, unless `force`)."""
        if not force and not self.on_screen():
            # A hidden panel catches up when it is shown. (Even with no graph: its step row
            # asks the cursor for the steps, a whole walkthrough after each training frame.)
            self._stale = True
            return
        self._stale = False
        self._numbers_changed.ran()
        self.graph = None
        problem = self._build_graph()
        if self.graph is None:
            bias = self._selected_bias()
            self.empty_label.setText(problem or (
                f"Neuron {bias.j + 1} of layer {bias.layer} is selected: show the graph of its "
                f"bias {bias.name}, or click an edge into it for one of its weights."
                if bias is not None else EMPTY_TEXT))
            self.select_bias.setVisible(problem is None and bias is not None)
            if bias is not None:
                self.select_bias.setText(f"Show {bias.name}")
            self.select_first.setVisible(problem is None and
                                         suitable(FIRST_WEIGHT, self.session.network))
            self.canvas.set_graph(None)
            self.pages.setCurrentIndex(PAGE_EMPTY)
        else:
            graph = self.graph
            self.title_label.setText(f"{graph.selection.name} → L: "
                                     f"sample {self.session.selected_sample + 1}")
            self.canvas.set_graph(graph, fill_at(graph, self._follow()))
            self.rule_label.setText(chain_rule_text(graph.rule))
            self.note_label.setText(self._note())
            self.pages.setCurrentIndex(PAGE_GRAPH)
        self._update_step_row()

    def _build_graph(self) -> str | None:
        """Make self.graph for the selection; the reason there is none, or None (no choice)."""
        s = self.session
        sel = s.selection
        if not suitable(sel, s.network):
            return None
        try:
            trace, grads = s.trace(), s.gradients()
            y = s.sample_target()
            loss = s.network.loss(trace, y)
            self.graph = chain_graph(s.network, trace, grads, y, sel, loss)
        except (ValueError, IndexError) as exc:
            # No samples, or a dataset that does not fit the network (yet): say why.
            return f"No graph to show: {exc}"
        return None

    def _selected_bias(self) -> Selection | None:
        """The bias of the selected neuron (not of an input), if a neuron is selected."""
        sel = self.session.selection
        if sel is None or not sel.is_neuron or sel.layer == 0:
            return None
        bias = Selection.bias(sel.layer, sel.j)
        return bias if suitable(bias, self.session.network) else None

    def _show_selected_bias(self) -> None:
        bias = self._selected_bias()
        if bias is not None:
            self.show_parameter(bias)

    def _note(self) -> str:
        note = ("Each box: value (forward pass) and grad = ∂L/∂box (backward pass); "
                "each arrow: the local derivative.")
        if self.cursor.scope == "batch":
            note += (" The Steps panel steps through the whole batch; the graph shows the "
                     "selected sample, whose gradients the batch averages.")
        return note

    def _follow(self) -> StepCursor | None:
        return self.cursor if self.follow_box.isChecked() else None

    def _on_step_moved(self, _index: int) -> None:
        self._update_fill()

    def _update_fill(self) -> None:
        if self.graph is not None:
            self.canvas.set_fill(fill_at(self.graph, self._follow()))
        self._update_step_row()

    def _update_step_row(self) -> None:
        cursor = self.cursor
        steps = cursor.steps
        step = cursor.step
        self.previous_button.setEnabled(bool(steps) and cursor.index > 0)
        self.next_button.setEnabled(bool(steps) and not cursor.at_end())
        text = f"Step {cursor.index + 1}/{len(steps)} · {step.title}" if step else ""
        self.step_label.setText(text)
        self.step_label.setToolTip(tooltip_text(text))

    def on_screen(self) -> bool:
        return self.isVisible() and self._in_front

    def set_in_front(self, in_front: bool) -> None:
        """Whether the dock's tab is in front: a dock behind another tab still counts as
        visible to Qt, so its dock's visibilityChanged says it (see install_graph)."""
        self._in_front = in_front
        if in_front and self._stale:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale or self.graph is None:
            self.refresh()
