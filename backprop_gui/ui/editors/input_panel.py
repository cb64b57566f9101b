"""The input panel: the input shown in the editor that fits its dataset, and ŷ below it.

Images get the pixel editor, 2-D points the scatter plot with decision regions, and plain
vectors (XOR) a small table of spin boxes (table_editor.py). The output chart under the
editor updates live. The input is the selected sample (changed only with Edit sample on) or, in Try it mode, an
input of the student's own that no sample holds (ui/editors/try_it.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSplitter,
                               QStackedWidget, QStyle, QToolButton, QVBoxLayout, QWidget)

from ...session.session import NO_SAMPLES, Session
from ..common.live_text import LiveText
from .output_chart import OutputChart
from .pixel_editor import PixelEditor
from .points_editor import PointsEditor
from .table_editor import TableEditor, uses_table_editor
from .try_it import ModeSwitch, TryItBar


def sample_caption(session: Session) -> str:
    """“Sample 3 of 24 · “1”” (its label): which sample drives the step-through."""
    ds = session.dataset
    i = session.selected_sample
    if ds.n_samples == 0:
        return "No samples"
    return f"Sample {i + 1} of {ds.n_samples} · {ds.target_text(i)}"


class InputPanel(QWidget):
    """The input's editor (pixels, points or a table) above the network's output, under the
    mode switch (Sample | Try it) and the bar of the mode."""

    message_posted = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.pixel_editor = PixelEditor(session)
        self.points_editor = PointsEditor(session)
        self.table_editor = TableEditor(session)
        self.empty_page = self._build_empty_page()
        self.output_chart = OutputChart(session)
        self.stack = QStackedWidget(self)
        for editor in (self.pixel_editor, self.points_editor, self.table_editor):
            self.stack.addWidget(editor)
            editor.message_posted.connect(self.message_posted)
        self.stack.addWidget(self.empty_page)

        # Plain text, elided to the panel's width: the class name comes from the file, and
        # a QLabel would render `<img src=…>` in it (and a long one would widen the panel).
        self.caption = LiveText("Sample 100 of 100 · label “0”", parent=self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setToolTip("The selected sample: it drives the forward and backward pass you step through")
        self.previous_button = self._nav_button(QStyle.StandardPixmap.SP_ArrowLeft, "Previous sample",
                                                QKeySequence(Qt.Key.Key_PageUp), -1)
        self.next_button = self._nav_button(QStyle.StandardPixmap.SP_ArrowRight, "Next sample",
                                            QKeySequence(Qt.Key.Key_PageDown), +1)
        self.edit_button = QToolButton(self)
        self.edit_button.setText("✎ Edit")
        self.edit_button.setCheckable(True)
        self.edit_button.setToolTip("Edit sample: let the editor change this training sample "
                                    "(off: the sample is only shown; use Try it for inputs of your own)")
        self.edit_button.setAccessibleName("Edit sample")
        self.edit_button.toggled.connect(self._on_edit_toggled)
        self.mode_switch = ModeSwitch(session, self)
        self.try_bar = TryItBar(session, self)
        self.try_bar.message_posted.connect(self.message_posted)
        self.sample_bar = QWidget(self)
        header = QHBoxLayout(self.sample_bar)
        header.setContentsMargins(4, 2, 4, 2)
        header.addWidget(self.previous_button)
        header.addWidget(self.caption, 1)
        header.addWidget(self.next_button)
        header.addWidget(self.edit_button)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.output_chart)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.mode_switch)
        layout.addWidget(self.sample_bar)
        layout.addWidget(self.try_bar)
        layout.addWidget(self.splitter, 1)

        session.dataset_changed.connect(self._update_kind)
        session.project_replaced.connect(self._update_kind)
        session.dataset_changed.connect(self._update_caption)
        session.sample_selected.connect(self._update_caption)
        session.project_replaced.connect(self._update_caption)
        session.project_replaced.connect(lambda: self.edit_button.setChecked(False))
        session.try_input_changed.connect(self._update_mode)
        self._update_kind()
        self._update_caption()
        self._on_edit_toggled(False)

    def _nav_button(self, icon: QStyle.StandardPixmap, text: str, key: QKeySequence, step: int) -> QToolButton:
        # The keys work while the focus is in this panel (see keyPressEvent); a window-wide
        # shortcut could clash with the main window's own.
        button = QToolButton(self)
        button.setIcon(self.style().standardIcon(icon))
        button.setAutoRaise(True)
        button.setToolTip(f"{text} ({key.toString(QKeySequence.SequenceFormat.NativeText)} "
                          "while this panel has the focus)")
        button.setAccessibleName(text)
        button.clicked.connect(lambda: self._on_step_sample(step))
        return button

    def _build_empty_page(self) -> QWidget:
        """What a dataset with no samples shows: why the panel is empty and how to fill it."""
        page = QWidget(self)
        self.empty_label = QLabel(NO_SAMPLES, page)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_add_button = QPushButton("Add a sample", page)
        self.empty_add_button.setToolTip("Add a blank sample to the dataset (Ctrl+Z undoes it)")
        self.empty_add_button.clicked.connect(self._on_add_first_sample)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.empty_add_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        return page

    def _on_add_first_sample(self) -> None:
        try:
            self.session.add_sample()
        except ValueError as exc:
            self.message_posted.emit(str(exc))

    @property
    def current_editor(self) -> QWidget:
        return self.stack.currentWidget()

    def _update_kind(self) -> None:
        kind = self.session.dataset.kind
        editor = {"image": self.pixel_editor, "points": self.points_editor}.get(kind, self.table_editor)
        if uses_table_editor(self.session.dataset):
            editor = self.table_editor
        if not self.session.has_samples:
            editor = self.empty_page
        # The output of no sample is nothing to show.
        self.output_chart.setVisible(self.session.has_samples)
        # Only the page shown counts for the panel's minimum size.
        for page in (self.pixel_editor, self.points_editor, self.table_editor, self.empty_page):
            policy = QSizePolicy.Policy.Preferred if page is editor else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.stack.updateGeometry()
        if self.stack.currentWidget() is not editor:
            had_focus = self.stack.currentWidget().hasFocus() if self.stack.currentWidget() else False
            self.stack.setCurrentWidget(editor)
            if had_focus:
                editor.setFocus()

    @property
    def editors(self) -> tuple:
        return (self.pixel_editor, self.points_editor, self.table_editor)

    def _on_edit_toggled(self, on: bool) -> None:
        for editor in self.editors:
            editor.set_editable(on)
        self._update_mode()

    def _update_mode(self) -> None:
        """Which bar shows: the sample's (caption, arrows, Edit) or the Try it bar."""
        trying = self.session.trying
        self.sample_bar.setVisible(not trying)
        self.try_bar.setVisible(trying)

    def _update_caption(self, *_args) -> None:
        self.caption.setText(sample_caption(self.session))
        n = self.session.dataset.n_samples
        self.previous_button.setEnabled(self.session.selected_sample > 0)
        self.next_button.setEnabled(self.session.selected_sample < n - 1)

    def keyPressEvent(self, event) -> None:
        steps = {Qt.Key.Key_PageUp: -1, Qt.Key.Key_PageDown: +1}
        if event.key() in steps:
            self._on_step_sample(steps[event.key()])
        else:
            super().keyPressEvent(event)

    def _on_step_sample(self, step: int) -> None:
        self.session.select_sample(self.session.selected_sample + step)
