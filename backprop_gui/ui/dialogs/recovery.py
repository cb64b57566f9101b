"""Recover Unsaved Work: the copies a crashed run left behind, with Recover, Discard and Later.

The dialog only shows the copies and returns the person's choice (a RecoveryChoice);
`offer_recovery` acts on it, and `install_autosave` starts the autosaver of a window.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QMessageBox, QPushButton,
    QStyle, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from ...session.autosave import DEFAULT_INTERVAL_S, AutoSaver
from ...session.recovery import (
    RecoveryEntry, ScanResult, discard_entry, find_recoverable, release_entry,
)
from ..common.modal import can_ask
from ..common.plain_text import message_box, tooltip_text


@dataclass
class RecoveryChoice:
    recover: RecoveryEntry | None = None                          # open this one
    discard: list[RecoveryEntry] = field(default_factory=list)    # delete these
    keep: list[RecoveryEntry] = field(default_factory=list)       # offer again next time


def describe_time(moment: datetime, now: datetime | None = None) -> str:
    """“today 14:03”, “yesterday 09:15” or “3 Jun 2024 14:03”, in local time."""
    local = moment.astimezone()
    today = (now or datetime.now().astimezone()).date()
    if local.date() == today:
        day = "today"
    elif local.date() == today - timedelta(days=1):
        day = "yesterday"
    else:
        day = f"{local.day} {local:%b %Y}"
    return f"{day} {local:%H:%M}"


class RecoveryDialog(QDialog):
    """Lists recovery copies; `values()` is the RecoveryChoice once the dialog has closed."""

    def __init__(self, entries: list[RecoveryEntry], problems: list[str] | None = None,
                 broken_folder: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recover Unsaved Work")
        self.setObjectName("recovery_dialog")
        self._entries = list(entries)
        self._discarded: list[RecoveryEntry] = []
        self._recover: RecoveryEntry | None = None

        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning, None, self).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        several = len(entries) > 1
        heading = QLabel("<b>Backprop GUI did not close normally last time</b>")
        intro = QLabel(
            ("Copies of unsaved work were" if several else "A copy of your unsaved work was")
            + " kept. Recover opens it as an unsaved project, so you carry on where you left "
            "off; choose File ▸ Save to keep it. Later asks again at the next start.")
        intro.setWordWrap(True)
        text = QVBoxLayout()
        text.addWidget(heading)
        text.addWidget(intro)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)

        self.list = QTreeWidget()
        self.list.setObjectName("recovery_list")
        self.list.setHeaderLabels(["Project", "Original file", "Autosaved"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setToolTip("Autosaved copies of work that was never saved; choose one")
        self.list.setAccessibleName("Autosaved copies")
        for entry in self._entries:
            self.list.addTopLevelItem(self._item(entry))
        for column in range(3):
            self.list.resizeColumnToContents(column)
        self.list.setColumnWidth(1, min(self.list.columnWidth(1), 300))
        # As tall as its rows (up to six, then it scrolls): no empty white box under one copy.
        rows = min(max(len(entries), 2), 6)
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * rows
                                 + self.list.header().sizeHint().height()
                                 + 2 * self.list.frameWidth() + 4)
        self.list.setCurrentItem(self.list.topLevelItem(0))
        self.list.itemDoubleClicked.connect(self._on_recover)
        self.list.currentItemChanged.connect(self._update_buttons)

        moved = [f"It was moved to {broken_folder}." if len(problems or []) == 1
                 else f"They were moved to {broken_folder}."] if broken_folder and problems else []
        self.problems = QLabel("\n".join([*(problems or []), *moved]))
        self.problems.setTextFormat(Qt.TextFormat.PlainText)   # names files, quotes their errors
        self.problems.setObjectName("recovery_problems")
        self.problems.setWordWrap(True)
        self.problems.setToolTip("Unreadable copies are moved to the “broken” folder beside "
                                 "the recovery copies, not deleted")
        self.problems.setVisible(bool(problems))

        buttons = QDialogButtonBox()
        self.recover_button = QPushButton("&Recover")
        self.recover_button.setToolTip("Open the selected copy as an unsaved project")
        self.discard_button = QPushButton("&Discard")
        self.discard_button.setToolTip("Delete the selected copy: its unsaved changes are lost")
        self.later_button = QPushButton("&Later")
        self.later_button.setToolTip("Keep every copy and decide at the next start")
        buttons.addButton(self.recover_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.recover_button.setDefault(True)
        self.recover_button.clicked.connect(self._on_recover)
        self.discard_button.clicked.connect(self._on_discard)
        self.later_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.setMinimumWidth(600)
        self.list.setFocus()
        self._update_buttons()

    @staticmethod
    def _item(entry: RecoveryEntry) -> QTreeWidgetItem:
        original = str(entry.original_path) if entry.original_path else "Never saved"
        item = QTreeWidgetItem([entry.display_name, original, describe_time(entry.saved_at)])
        saved_by = f" by Backprop GUI {entry.app_version}" if entry.app_version else ""
        # The names and the version are read from the copy's sidecar file.
        item.setToolTip(0, tooltip_text(f"{entry.display_name}: autosaved{saved_by}"))
        item.setToolTip(1, tooltip_text(f"Save writes to {original}") if entry.original_path
                        else "This project was never saved: Save As will ask for a file name")
        item.setToolTip(2, f"Last autosaved {entry.saved_at.astimezone():%A %d %B %Y, %H:%M:%S}")
        return item

    def selected_entry(self) -> RecoveryEntry | None:
        row = self.list.indexOfTopLevelItem(self.list.currentItem()) if self.list.currentItem() else -1
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def values(self) -> RecoveryChoice:
        keep = [e for e in self._entries if e is not self._recover]
        return RecoveryChoice(self._recover, list(self._discarded), keep)

    def _update_buttons(self, *_args: object) -> None:
        has = self.selected_entry() is not None
        self.recover_button.setEnabled(has)
        self.discard_button.setEnabled(has)

    def _on_recover(self, *_args: object) -> None:
        self._recover = self.selected_entry()
        if self._recover is not None:
            self.accept()

    def _on_discard(self) -> None:
        entry = self.selected_entry()
        if entry is None or not self._confirm_discard(entry):
            return
        row = self._entries.index(entry)
        self._entries.pop(row)
        self._discarded.append(entry)
        self.list.takeTopLevelItem(row)
        if not self._entries:
            self.accept()  # nothing left to decide
        self._update_buttons()

    def _confirm_discard(self, entry: RecoveryEntry) -> bool:
        if not can_ask():
            return True
        return self.discard_box(entry).exec() == QMessageBox.StandardButton.Discard

    def discard_box(self, entry: RecoveryEntry) -> QMessageBox:
        """The question before a copy is deleted (its name shown as plain text)."""
        buttons = QMessageBox.StandardButton
        return message_box(self, QMessageBox.Icon.Question, "Discard Autosaved Copy",
                           f"Delete the autosaved copy of “{entry.display_name}”?\n\n"
                           "Its unsaved changes cannot be recovered afterwards.",
                           buttons.Discard | buttons.Cancel, buttons.Cancel)

    def reject(self) -> None:
        # Later, Escape and the close button keep what is left, but a discard already confirmed
        # still happens: so the dialog always ends "accepted" with its choice.
        self._recover = None
        self.accept()


# ----- what the window does with it ------------------------------------------------------------

def install_autosave(window, interval_s: float = DEFAULT_INTERVAL_S) -> AutoSaver:
    """Start the autosaver of `window`'s session; a normal quit removes its copy."""
    autosaver = AutoSaver(window.session, interval_s=interval_s, parent=window)
    autosaver.message_posted.connect(window.post_message)
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(autosaver.shutdown)
    return autosaver


def offer_recovery(window, autosaver: AutoSaver) -> bool:
    """At start-up: offer the copies crashed runs left behind; True if one was recovered."""
    scan = find_recoverable(autosaver.folder, exclude=[autosaver.id])
    if not scan.entries:
        _report_problems(window, scan)
        return False
    choice = window.run_dialog(RecoveryDialog(scan.entries, scan.problems,
                                                      scan.broken_folder, window))
    if not isinstance(choice, RecoveryChoice):  # no display to ask on: keep every copy
        choice = RecoveryChoice(keep=list(scan.entries))
    for entry in choice.discard:
        discard_entry(entry)
    for entry in choice.keep:
        release_entry(entry)
    entry = choice.recover
    if entry is None:
        if choice.discard:
            n = len(choice.discard)
            window.post_message(f"Discarded {n} autosaved cop{'ies' if n > 1 else 'y'}")
        return False
    if not window.files.open_recovered(entry.project_path, entry.original_path, entry.display_name):
        release_entry(entry)
        return False
    # The work is this session's now: its own copy first, only then may the old one go.
    if autosaver.save_now():
        discard_entry(entry)
    else:
        release_entry(entry)
    return True


def _report_problems(window, scan: ScanResult) -> None:
    if not scan.problems:
        return
    for problem in scan.problems:
        print(f"backprop-gui: {problem}", file=sys.stderr)
    n = len(scan.problems)
    window.post_message(f"{n} autosaved cop{'ies' if n > 1 else 'y'} could not be read and "
                        f"{'were' if n > 1 else 'was'} moved to {scan.broken_folder}")
