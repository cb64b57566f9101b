"""The list of every step, grouped by phase, that a student can click into.

Each row shows the step's title, and the current step's row its formula below it (every
row's tooltip has it): one line a step keeps seven or more steps in view above the worked
calculation. Steps already done are marked with a tick and steps still to come are drawn
fainter, so the list doubles as progress.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeWidget,
    QTreeWidgetItem,
)

from ...engine.walkthrough import PHASES
from ...session.stepper import PHASE_TITLES, StepCursor
from ..common.formatting import textbook_formula

INDEX_ROLE = Qt.ItemDataRole.UserRole + 1
FORMULA_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_ROLE = Qt.ItemDataRole.UserRole + 3      # "done", "current", "todo"


class _StepDelegate(QStyledItemDelegate):
    """One line per step, its title; the current step adds its formula in a smaller, fainter
    font."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        formula = QFont(option.font)
        if formula.pointSizeF() > 0:
            formula.setPointSizeF(formula.pointSizeF() * 0.88)
        return title, formula

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        base = super().sizeHint(option, index)
        if index.data(INDEX_ROLE) is None:
            return QSize(base.width(), base.height() + 4)
        row, formula = self.line_heights(option)
        return QSize(base.width(), row + (formula if index.data(STATE_ROLE) == "current" else 0))

    def line_heights(self, option: QStyleOptionViewItem) -> tuple[int, int]:
        """The height of a step's row, and what the current step's formula line adds."""
        title, formula = self._fonts(option)
        return QFontMetrics(title).height() + 6, QFontMetrics(formula).height() + 2

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        if index.data(INDEX_ROLE) is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        state = index.data(STATE_ROLE)
        title_font, formula_font = self._fonts(option)
        if state == "current":
            title_font.setBold(True)
        r: QRect = opt.rect.adjusted(4, 3, -4, -3)
        mark_w = QFontMetrics(title_font).horizontalAdvance("✓ ")
        painter.save()
        painter.setFont(title_font)
        color = pal.color(text_role)
        if state == "todo" and not selected:
            color = pal.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(color)
        th = QFontMetrics(title_font).height()
        mark = "✓" if state == "done" else "▶" if state == "current" else ""
        painter.drawText(QRect(r.left(), r.top(), mark_w, th), Qt.AlignmentFlag.AlignLeft, mark)
        title = QFontMetrics(title_font).elidedText(index.data(Qt.ItemDataRole.DisplayRole),
                                                    Qt.TextElideMode.ElideRight, r.width() - mark_w)
        painter.drawText(QRect(r.left() + mark_w, r.top(), r.width() - mark_w, th),
                         Qt.AlignmentFlag.AlignLeft, title)
        if state != "current":
            painter.restore()
            return
        painter.setFont(formula_font)
        if not selected:
            painter.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
        formula = QFontMetrics(formula_font).elidedText(index.data(FORMULA_ROLE),
                                                        Qt.TextElideMode.ElideRight, r.width() - mark_w)
        painter.drawText(QRect(r.left() + mark_w, r.top() + th + 1, r.width() - mark_w,
                               QFontMetrics(formula_font).height()),
                         Qt.AlignmentFlag.AlignLeft, formula)
        painter.restore()


class StepList(QTreeWidget):
    """Phases as groups, steps as rows; selecting a row moves the cursor there."""

    def __init__(self, cursor: StepCursor, parent=None) -> None:
        super().__init__(parent)
        self.cursor = cursor
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(False)
        self._delegate = _StepDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setToolTip("Every step of one gradient-descent step, in order. Click one to go there; "
                        "→ and ← step through them.")
        self._items: list[QTreeWidgetItem] = []
        self._phase_items: dict[str, QTreeWidgetItem] = {}
        self._filling = False
        self._signature: tuple | None = None
        self.currentItemChanged.connect(self._on_current_item_changed)

    def rebuild(self) -> None:
        """Fill the list from the cursor's steps (after they changed).

        The rows show no numbers, so while only values change (painting, training) the
        list stays as it is and just follows the cursor.
        """
        batch = self.cursor.scope == "batch"
        signature = (batch, tuple((s.phase, s.kind, s.layer, s.title, s.formula)
                                  for s in self.cursor.steps))
        if signature == self._signature:
            self.show_position(self.cursor.index)
            return
        self._signature = signature
        self._filling = True
        try:
            self.clear()
            self._items, self._phase_items = [], {}
            steps = self.cursor.steps
            for phase in PHASES:
                rows = [(i, s) for i, s in enumerate(steps) if s.phase == phase]
                if not rows:
                    continue
                group = QTreeWidgetItem([f"{PHASE_TITLES[phase]}  ({len(rows)} step"
                                         f"{'s' if len(rows) != 1 else ''})"])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setToolTip(0, f"The {PHASE_TITLES[phase].lower()}: Shift+→ and Shift+← "
                                    "jump from phase to phase")
                self.addTopLevelItem(group)
                self._phase_items[phase] = group
                for i, step in rows:
                    formula = textbook_formula(step, batch)
                    item = QTreeWidgetItem([step.title])
                    item.setData(0, INDEX_ROLE, i)
                    item.setData(0, FORMULA_ROLE, formula)
                    item.setToolTip(0, f"{step.title}<br><i>{formula}</i><br>{step.explanation}")
                    group.addChild(item)
                    self._items.append(item)
            self.expandAll()
        finally:
            self._filling = False
        self.show_position(self.cursor.index)

    def show_position(self, index: int) -> None:
        """Mark steps before `index` done, `index` current, the rest to do; select it."""
        if not self._items:
            return
        self._filling = True
        try:
            for i, item in enumerate(self._items):
                item.setData(0, STATE_ROLE, "done" if i < index else "current" if i == index else "todo")
            current = self._items[min(index, len(self._items) - 1)]
            self.setCurrentItem(current)
            self.scrollToItem(current, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._filling = False
        self.viewport().update()

    def height_for_steps(self, n: int) -> int:
        """The height that shows `n` steps, one of them current, and the titles of the two
        phases they may span."""
        option = QStyleOptionViewItem()
        option.initFrom(self)
        row, current = self._delegate.line_heights(option)
        phase = self._delegate.sizeHint(option, self.model().index(0, 0)).height()
        return 2 * self.frameWidth() + 2 * phase + n * row + current

    def step_index_of(self, item: QTreeWidgetItem | None) -> int | None:
        return None if item is None else item.data(0, INDEX_ROLE)

    def item_for(self, index: int) -> QTreeWidgetItem:
        return self._items[index]

    def _on_current_item_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        if self._filling:
            return
        index = self.step_index_of(current)
        if index is not None:
            self.cursor.go_to(index)
