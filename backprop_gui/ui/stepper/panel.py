"""The Steps panel: step through one gradient-descent step and see why each weight changes.

Above: the controls (step, jump a phase, run the rest, apply the update) and the scope
(this sample or the whole batch, scope_box.py). Then the list of steps, and tabs for the current step
worked out with its numbers, the chain rule for the selected weight, and the gradient
check. The diagram follows the cursor: each step lights up the neurons and weights it uses,
and once every gradient is known the edges switch to showing gradients.
"""

from __future__ import annotations

import math
from typing import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication, QFileDialog, QHBoxLayout, QMessageBox, QPushButton,
    QScrollArea, QSizePolicy, QSplitter, QTabWidget, QToolButton, QVBoxLayout, QWidget,
)

from ...engine.selection import Selection
from ...session.session import Session
from ...session.stepper import StepCursor
from ..common.in_front import in_front
from ..common.plain_text import message_box
from ..common.throttle import Throttle
from .controls import ArrowKeyGuard, StepActions
from .diagram_link import DiagramLink
from .explain_view import ExplainView
from .gradcheck_view import GradCheckView
from .highlights import highlight_for, narrowed, paths_highlight
from .scope_box import ScopeBox
from .step_list import StepList
from .step_page import StepPage, loss_sentence
from .worksheet import export_worksheet

RUN_INTERVAL_MS = 70
REFRESH_MS = 100          # while changes stream in (training, a paint stroke)
TAB_STEP, TAB_EXPLAIN, TAB_CHECK = 0, 1, 2
SPLIT_KEY, ZOOM_KEY = "steps/splitter", "steps/zoom"   # remembered in the settings
LIST_STEPS = 7            # steps the list shows at first, unless that takes more than …
LIST_SHARE = 0.4          # … this share of the height: the worked calculation keeps the most,
WORKED_MIN = 250          # and at least this many pixels where there are so few (1024×600)


class StepperPanel(QWidget):
    """The step-through, driven by a StepCursor; `view` is the network diagram (optional)."""

    message_posted = Signal(str)

    def __init__(self, session: Session, view: object | None = None,
                 color_mode_setter: Callable[[str], None] | None = None,
                 cursor: StepCursor | None = None, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.view = view
        self.cursor = cursor or StepCursor(session, self)
        self.diagram = DiagramLink(self.cursor, view, color_mode_setter)
        self._pointed: Selection | None = None   # the entry under the mouse in the calculation
        self._sized = False
        self._stale = False
        # A lone change shows at once (on the next turn of the event loop: once for all the
        # signals of one change); a stream of them (training, a paint stroke) refreshes a
        # few times a second: numbers changing faster cannot be read anyway.
        self._refresh = Throttle(REFRESH_MS, self._refresh_all, self, defer=True)
        self._run_timer = QTimer(self)
        self._run_timer.setInterval(RUN_INTERVAL_MS)
        self._run_timer.timeout.connect(self._on_run_tick)

        self.commands = StepActions(self)
        self.diagram.make_caption_a_button(self.next)
        self._build_widgets()
        self.guard = ArrowKeyGuard(self._keeps_step_keys, self)
        app = QApplication.instance()
        if app is not None:
            # Qt drops a deleted filter by itself (the guard dies with this panel).
            app.installEventFilter(self.guard)

        c = self.cursor
        c.steps_changed.connect(self._on_steps_changed)
        c.step_moved.connect(self._on_step_moved)
        session.selection_changed.connect(self._on_selection_changed)
        session.sample_selected.connect(self._update_scope_texts)
        session.dataset_changed.connect(self._update_scope_texts)
        session.try_input_changed.connect(self._update_scope_texts)
        self._refresh_all()

    # ----- widgets ------------------------------------------------------------------------------

    def _tool(self, action: QAction, text: str = "") -> QToolButton:
        """A button for `action`: its icon, with `text` beside it when given; the action's
        tooltip (with its key) and name either way."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setAccessibleName(action.text().replace("&", ""))
        if text:
            action.setIconText(text)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def _build_widgets(self) -> None:
        self.step_list = StepList(self.cursor)
        self.step_list.setMinimumHeight(80)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.step_list)
        self.splitter.addWidget(self._tabs())
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.splitterMoved.connect(self._remember_split)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(self._button_row())
        layout.addLayout(self._scope_row())
        layout.addWidget(self.splitter, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def _button_row(self) -> QHBoxLayout:
        """|‹ « ‹ › » ›| ››Run … Apply update."""
        bar = QHBoxLayout()
        bar.setSpacing(2)
        acts = self.commands
        # Outlined chevrons (not training's filled ▶), each with its name and key as tooltip;
        # text beside all of them would not fit the panel at 1024 pixels.
        for action, text in ((acts.first, ""), (acts.previous_phase, ""), (acts.previous, ""),
                             (acts.next, ""), (acts.next_phase, ""), (acts.last, ""),
                             (acts.run, "Run")):
            bar.addWidget(self._tool(action, text))
        bar.addStretch(1)
        self.apply_button = QPushButton(acts.apply.icon(), "Apply update")
        self.apply_button.setToolTip(acts.apply.toolTip())
        self.apply_button.clicked.connect(self.apply_update)
        bar.addWidget(self.apply_button)
        return bar

    def _scope_row(self) -> QHBoxLayout:
        """This sample / Whole batch, and the diagram's Weights / Gradients toggle."""
        row = QHBoxLayout()
        self.scope_box = ScopeBox(self.session, self.cursor)
        self.scope_box.scope_chosen.connect(self.set_scope)
        row.addWidget(self.scope_box, 1)
        row.addSpacing(6)
        self.diagram.add_toggle_to(row)
        self.weights_button = self.diagram.buttons["weights"]
        self.gradients_button = self.diagram.buttons["gradients"]
        return row

    def _tabs(self) -> QTabWidget:
        """This step (worked out), Explain ∂L/∂w, Gradient check."""
        self.page = StepPage(self.cursor)
        self._restore_zoom()
        self.page.canvas.zoom_changed.connect(self._remember_zoom)
        self.page.entry_clicked.connect(self._on_entry_clicked)
        self.page.entry_pointed.connect(self._on_entry_pointed)
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # The page always takes the panel's width; a wide calculation scrolls inside itself.
        self.page_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page_scroll.setWidget(self.page)
        self.explain = ExplainView(self.session)
        self.explain.paths_shown.connect(lambda _t: self._update_diagram())
        self.gradcheck = GradCheckView(self.cursor)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.page_scroll, "This step")
        self.tabs.addTab(self.explain, "Explain ∂L/∂w")
        # Scrolls: with the timings under the check it is taller than a small dock.
        self.gradcheck_scroll = QScrollArea()
        self.gradcheck_scroll.setWidgetResizable(True)
        self.gradcheck_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.gradcheck_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.gradcheck_scroll.setWidget(self.gradcheck)
        self.tabs.addTab(self.gradcheck_scroll, "Gradient check")
        self.tabs.setTabToolTip(TAB_STEP, "The current step worked out with its numbers")
        self.tabs.setTabToolTip(TAB_EXPLAIN, "The selected weight's gradient taken apart by the "
                                             "chain rule")
        self.tabs.setTabToolTip(TAB_CHECK, "Backprop's gradients beside finite-difference "
                                           "estimates")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        return self.tabs

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setWidth(max(hint.width(), 380))
        return hint

    # ----- commands ----------------------------------------------------------------------------

    def _take_keys(self) -> None:
        """After a stepping control is used, → and ← keep stepping: give the list the focus."""
        focus = QApplication.focusWidget()
        if self.isVisible() and (focus is None or not self.isAncestorOf(focus)):
            self.step_list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _stop_running(self) -> None:
        self._run_timer.stop()
        self._take_keys()

    def next(self) -> None:
        self._stop_running()
        if not self.cursor.next() and self.cursor.steps:
            self.message_posted.emit("That was the last step: press Apply update to change the "
                                     "weights, or Home to start again.")

    def previous(self) -> None:
        self._stop_running()
        self.cursor.previous()

    def next_phase(self) -> None:
        self._stop_running()
        self.cursor.next_phase()

    def previous_phase(self) -> None:
        self._stop_running()
        self.cursor.previous_phase()

    def first(self) -> None:
        self._stop_running()
        self.cursor.first()

    def last(self) -> None:
        self._stop_running()
        self.cursor.last()

    def run_rest(self) -> None:
        """Walk quickly through the remaining steps to the end (again: jump there at once)."""
        if self._run_timer.isActive() or not self.isVisible():
            self._stop_running()
            self.cursor.last()
            return
        if self.cursor.at_end():
            self.message_posted.emit("Already at the last step.")
            return
        self._run_timer.start()

    def _on_run_tick(self) -> None:
        if not self.cursor.next() or self.cursor.at_end():
            self._run_timer.stop()

    def is_running(self) -> bool:
        return self._run_timer.isActive()

    def set_scope(self, scope: str) -> None:
        self._stop_running()
        try:
            self.cursor.set_scope(scope)
        except ValueError as exc:
            self.message_posted.emit(str(exc))
        self._sync_scope_controls()

    def apply_update(self) -> None:
        self._stop_running()
        sentence = loss_sentence(self.cursor)
        try:
            text = self.cursor.apply_update()
        except ValueError as exc:
            QApplication.beep()
            self.message_posted.emit(f"Nothing to apply: {exc}")
            return
        self.message_posted.emit(f"{text} applied. {sentence.replace('drops', 'dropped').replace('rises', 'rose')} "
                                 "Undo with Ctrl+Z.")

    def show_explain(self, selection: Selection | None = None) -> None:
        """Open the Explain ∂L/∂w tab, for `selection` (a weight) if given."""
        if selection is not None and selection != self.session.selection:
            self.session.select(selection)
        self.tabs.setCurrentIndex(TAB_EXPLAIN)

    def show_tab(self, name: str) -> None:
        """Open a tab by the name lessons use: "step", "explain" or "check"."""
        self.tabs.setCurrentIndex({"step": TAB_STEP, "explain": TAB_EXPLAIN,
                                   "check": TAB_CHECK}[name])

    def set_color_mode(self, mode: str) -> None:
        """Switch the diagram between "weights" and "gradients" (and the toggle with it)."""
        self.diagram.set_color_mode(mode)

    def color_mode(self) -> str | None:
        return self.diagram.mode

    def ask_worksheet_path(self, blank: bool) -> str:
        name = "backprop-homework.pdf" if blank else "backprop-worksheet.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Export Worksheet", name, "PDF files (*.pdf)")
        return path

    def export_worksheet(self, blank: bool = False, path: str | None = None) -> int:
        """Save the worksheet PDF (asks where, unless `path` is given); returns its pages."""
        target = path or self.ask_worksheet_path(blank)
        if not target:
            return 0
        if not target.lower().endswith(".pdf"):
            target += ".pdf"
        try:
            pages = export_worksheet(self.session, target, blank)
        except (OSError, ValueError, IndexError) as exc:
            message_box(self, QMessageBox.Icon.Warning, "Could not export the worksheet",
                        f"The worksheet could not be saved to “{target}”: {exc}").exec()
            return 0
        self.message_posted.emit(f"Worksheet saved to {target} ({pages} pages)")
        return pages

    # ----- keeping up -----------------------------------------------------------------------------

    @staticmethod
    def _keeps_step_keys(widget: QWidget) -> bool:
        """Widgets where →/← step rather than move a cursor: the list of steps."""
        return isinstance(widget, StepList)

    def _on_steps_changed(self) -> None:
        self.gradcheck.invalidate()
        self._refresh()

    def _refresh_all(self) -> None:
        if not in_front(self):
            self._stale = True   # a hidden panel catches up when it is shown (catch_up)
            return
        self._stale = False
        self._refresh.ran()
        self.step_list.rebuild()
        self._update_scope_texts()
        self._show_current()

    def catch_up(self) -> None:
        """Show what changed while the panel was hidden (behind another dock's tab)."""
        if self._stale:
            self._refresh_all()

    def _on_step_moved(self, index: int) -> None:
        self._pointed = None
        self.step_list.show_position(index)
        self._show_current()

    def _show_current(self) -> None:
        cursor = self.cursor
        steps = cursor.steps
        step = cursor.step
        self.page.show_step(step, cursor.index, len(steps))
        self.commands.sync(cursor)
        self.apply_button.setEnabled(self.commands.apply.isEnabled())
        self.diagram.follow_phase(step.phase if step else None)
        self._update_diagram()
        if self.tabs.currentIndex() == TAB_EXPLAIN:
            self._refresh_explain()

    def _refresh_explain(self) -> None:
        self.explain.batch = self.cursor.scope == "batch"
        self.explain.refresh()

    def _sync_scope_controls(self) -> None:
        batch = self.cursor.scope == "batch"
        self.commands.batch.setChecked(batch)
        self.scope_box.show_scope(self.cursor.scope)
        self._update_scope_texts()

    def _update_scope_texts(self, *_args) -> None:
        if not self.scope_box.refresh():
            self._sync_scope_controls()
            return
        self.apply_button.setText("Apply update")
        self.commands.apply.setText(f"&Apply Update ({self.cursor.scope_description()})")

    def _on_selection_changed(self, selection: Selection | None) -> None:
        self.page.set_selection(selection)
        if self.tabs.currentIndex() == TAB_EXPLAIN:
            self._refresh_explain()
        elif self.tabs.currentIndex() == TAB_CHECK:
            self.gradcheck.refresh()

    def _on_tab_changed(self, index: int) -> None:
        if index == TAB_EXPLAIN:
            self._refresh_explain()
        elif index == TAB_CHECK:
            self.gradcheck.refresh()
        self._update_diagram()

    def _on_entry_pointed(self, selection: Selection | None) -> None:
        self._pointed = selection
        self._update_diagram()

    def _on_entry_clicked(self, selection: Selection) -> None:
        self.session.select(selection)
        if selection.is_weight:
            self.message_posted.emit("Weight selected: open “Explain ∂L/∂w” to see its gradient "
                                     "taken apart by the chain rule.")

    # ----- the diagram -----------------------------------------------------------------------------

    def current_highlight(self):
        """What the diagram should light up now (None when the panel is hidden)."""
        if not self.isVisible():
            return None
        n_layers = self.session.network.n_layers
        if self.tabs.currentIndex() == TAB_EXPLAIN and self.explain.target is not None:
            return paths_highlight(self.explain.target, n_layers)
        return narrowed(highlight_for(self.cursor.step, n_layers), self._pointed)

    def _update_diagram(self) -> None:
        self.diagram.show(self.current_highlight())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            self._first_split()
        if self._stale:
            self._refresh_all()
        self._update_diagram()

    # ----- what is remembered ---------------------------------------------------------------

    def _first_split(self) -> None:
        """The split the user last chose, or room for LIST_STEPS steps (at most LIST_SHARE of
        the height, leaving WORKED_MIN) and the rest for the worked calculation."""
        saved = self.settings.value(SPLIT_KEY) if self.settings is not None else None
        if isinstance(saved, QByteArray) and self.splitter.restoreState(saved):
            return
        h = max(self.splitter.height() - self.splitter.handleWidth(), 300)
        self.step_list.rebuild()
        # One more: scrolled to the current step, the top row is often cut in half.
        wanted = self.step_list.height_for_steps(LIST_STEPS + 1)
        top = max(self.step_list.minimumHeight(),
                  min(wanted, int(h * LIST_SHARE), h - WORKED_MIN))
        self.splitter.setSizes([top, h - top])

    def _remember_split(self, *_args) -> None:
        if self.settings is not None:
            self.settings.setValue(SPLIT_KEY, self.splitter.saveState())

    def _restore_zoom(self) -> None:
        if self.settings is None:
            return
        try:
            zoom = float(self.settings.value(ZOOM_KEY, 1.0))
        except (TypeError, ValueError):
            return                      # a damaged settings file: the default zoom
        if math.isfinite(zoom):
            self.page.canvas.set_zoom(zoom)

    def _remember_zoom(self, zoom: float) -> None:
        if self.settings is not None:
            self.settings.setValue(ZOOM_KEY, zoom)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._stop_running()
        self.diagram.show(None)
