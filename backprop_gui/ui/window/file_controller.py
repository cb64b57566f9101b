"""New, Open, Save, Save As, Open Recent, Export Diagram and the unsaved-changes question.

Every dialog goes through one small method (`_ask_*`, `_show_error`) so tests replace it
instead of clicking a modal box; everything else is plain logic on the session.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from ...session.session import Session
from ..common.action_helper import add_action
from ..common.modal import can_ask
from ..common.error_text import FileProblem, open_problem, recover_problem, save_problem
from ..common.plain_text import action_text, message_box, tooltip_text

if TYPE_CHECKING:
    from ..diagram import NetworkView

FILE_FILTER = "Backprop GUI project (*.bpnet)"
EXTENSION = ".bpnet"
MAX_RECENT = 8
_QT_WARNING = QMessageBox.warning  # tests replace QMessageBox.warning to see the message
RECENT_KEY = "files/recent"
# The answers to "this file is read-only: replace it?"
REPLACE, SAVE_AS, CANCEL = "replace", "save as", "cancel"
LAST_DIR_KEY = "files/last_directory"



def is_read_only(path: str | Path) -> bool:
    """True when `path` is an existing file this user cannot write, or one marked read-only
    (no write permission for its owner: chmod 444, or Windows' read-only attribute). An
    administrator may write any file, yet a file marked read-only was meant to stay as it is."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # no such file (yet): nothing to protect
        return False
    return not os.access(path, os.W_OK) or not mode & stat.S_IWUSR


def with_extension(path: str | Path) -> Path:
    """`path` with .bpnet appended unless it already ends in it (any case)."""
    path = Path(path)
    return path if path.suffix.lower() == EXTENSION else path.with_name(path.name + EXTENSION)


class FileController(QObject):
    """Owns the file actions' logic for one window and its session."""

    message_posted = Signal(str)
    recent_changed = Signal()

    def __init__(self, session: Session, window: QWidget, settings: QSettings) -> None:
        super().__init__(window)
        self.session = session
        self._window = window
        self._settings = settings

    # ----- the unsaved-changes question ------------------------------------------------------

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current project (saved, discarded or unchanged)."""
        if not self.session.modified:
            return True
        answer = self._ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # ----- New / Open --------------------------------------------------------------------------

    def new_project(self) -> bool:
        if not self.maybe_save():
            return False
        self.session.new_project()
        self.message_posted.emit("New project: the 0/1 digits network, ready to step through")
        return True

    def open_dialog(self) -> bool:
        if not self.maybe_save():
            return False
        path = self._ask_open_path()
        return bool(path) and self.open_path(path, ask=False)

    def open_path(self, path: str | Path, ask: bool = True) -> bool:
        """Open `path`; a broken file is reported and leaves the current project untouched."""
        if ask and not self.maybe_save():
            return False
        path = Path(path)
        try:
            self.session.open_file(path)
        except Exception as exc:  # ProjectFileError, OSError, …: report, never crash
            self._show_problem("Could not open the project", open_problem(path, exc))
            return False
        self._remember(path)
        self.message_posted.emit(f"Opened {path}")
        return True

    def open_recovered(self, path: str | Path, original_path: str | Path | None,
                       name: str) -> bool:
        """Open an autosaved copy as unsaved work (crash recovery); a broken copy is reported."""
        if not self.maybe_save():
            return False
        try:
            self.session.open_recovered(path, original_path)
        except Exception as exc:  # ProjectFileError, OSError: report, never crash
            self._show_problem("Could not recover the project", recover_problem(name, path, exc))
            return False
        where = "File ▸ Save keeps it" if original_path else "File ▸ Save As keeps it"
        self.message_posted.emit(f"Recovered “{name}”: not saved yet — {where}")
        return True

    # ----- Save / Save As ------------------------------------------------------------------------

    def save(self) -> bool:
        path = self.session.path
        if path is None:
            return self.save_as()
        if is_read_only(path):
            # Not silently: the file was made read-only on purpose (a teacher's master copy).
            answer = self._ask_replace_read_only(path, offer_save_as=True)
            if answer == SAVE_AS:
                return self.save_as()
            if answer != REPLACE:
                self.message_posted.emit(f"Not saved: “{path.name}” is read-only")
                return False
        return self._save_to(path)

    def save_as(self) -> bool:
        suggested = self.session.path or Path(self._last_directory()) / "Untitled.bpnet"
        chosen = self._ask_save_path(str(suggested))
        if not chosen:
            return False
        path = with_extension(chosen)
        if is_read_only(path) and self._ask_replace_read_only(path, offer_save_as=False) != REPLACE:
            self.message_posted.emit(f"Not saved: “{path.name}” is read-only")
            return False
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        try:
            saved = self.session.save(path)
        except Exception as exc:  # a full disk or a read-only folder must not lose the window
            self._show_problem("Could not save the project", save_problem(path, exc))
            return False
        self._remember(saved)
        self.message_posted.emit(f"Saved {saved}")
        return True

    # ----- recent files --------------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self._settings.value(RECENT_KEY, [], type=list)
        return [str(v) for v in value if v][:MAX_RECENT]

    def clear_recent(self) -> None:
        self._settings.setValue(RECENT_KEY, [])
        self.recent_changed.emit()

    def open_recent(self, path: str) -> bool:
        if not Path(path).exists():  # anything else that is there is reported by open_path
            self._forget(path)
            self._show_error("File not found",
                             f"“{path}” no longer exists, so it was removed from Open Recent.")
            return False
        return self.open_path(path)

    def populate_recent_menu(self, menu: QMenu) -> None:
        """Fill `menu` with the recent files (numbered for keyboard use) and Clear Menu."""
        menu.clear()
        files = self.recent_files()
        for number, path in enumerate(files, start=1):
            action = QAction(f"&{number} {action_text(Path(path).name)}", menu)
            action.setToolTip(tooltip_text(path))
            action.setStatusTip(f"Open {path}")
            action.setData(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_recent(p))
            menu.addAction(action)
        if not files:
            empty = menu.addAction("No recent projects")
            empty.setToolTip("Projects you open or save appear here")
            empty.setEnabled(False)
        menu.addSeparator()
        add_action(menu, "&Clear Menu", "Forget the list of recently opened projects",
                   self.clear_recent, enabled=bool(files))

    def _remember(self, path: Path) -> None:
        text = str(Path(path).resolve())
        files = [text] + [f for f in self.recent_files() if f != text]
        self._settings.setValue(RECENT_KEY, files[:MAX_RECENT])
        self._settings.setValue(LAST_DIR_KEY, str(Path(text).parent))
        self.recent_changed.emit()

    def _forget(self, path: str) -> None:
        self._settings.setValue(RECENT_KEY, [f for f in self.recent_files() if f != path])
        self.recent_changed.emit()

    def _last_directory(self) -> str:
        folder = str(self._settings.value(LAST_DIR_KEY, "") or "")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    # ----- dialogs (tests monkeypatch these) ------------------------------------------------------

    def _ask_save_changes(self) -> QMessageBox.StandardButton:
        if not can_ask():
            # Keep the changes rather than drop them unasked (the window stays open).
            print(f"backprop-gui: “{self.session.display_name}” has unsaved changes; "
                  "no display to ask on, so they are kept", file=sys.stderr)
            return QMessageBox.StandardButton.Cancel
        return QMessageBox.StandardButton(self.save_changes_box().exec())

    def save_changes_box(self) -> QMessageBox:
        """The unsaved-changes question (the file's name shown as plain text)."""
        buttons = QMessageBox.StandardButton
        return message_box(self._window, QMessageBox.Icon.Warning, "Unsaved changes",
                           f"Save the changes to “{self.session.display_name}”?",
                           buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save,
                           "Your changes will be lost if you don't save them.")

    def _ask_replace_read_only(self, path: Path, offer_save_as: bool) -> str:
        """REPLACE, SAVE_AS (only with `offer_save_as`) or CANCEL for saving over read-only `path`."""
        if not can_ask():
            print(f"backprop-gui: “{path}” is read-only; no display to ask on, so it was "
                  "not replaced", file=sys.stderr)
            return CANCEL
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Read-only file")
        box.setText(f"“{path.name}” is read-only.")
        box.setTextFormat(Qt.TextFormat.PlainText)  # a file name is text, never markup
        box.setInformativeText(
            ("Save your changes under another name, or replace the read-only file? "
             if offer_save_as else "Replace it anyway? ")
            + "The new file will be writable by you.")
        replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        save_as = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole) if offer_save_as else None
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save_as or cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is replace:
            return REPLACE
        if save_as is not None and clicked is save_as:
            return SAVE_AS
        return CANCEL

    def _ask_open_path(self) -> str:
        if not can_ask():
            return ""
        path, _ = QFileDialog.getOpenFileName(
            self._window, "Open Project", self._last_directory(),
            f"{FILE_FILTER};;All files (*)")
        return path

    def save_dialog(self, suggested: str) -> QFileDialog:
        """The Save As dialog. Its default suffix makes the dialog itself add ".bpnet", before
        it asks about replacing a file: adding it afterwards would overwrite "lesson.bpnet"
        unasked when the student typed "lesson"."""
        dialog = QFileDialog(self._window, "Save Project As", suggested, FILE_FILTER)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix(EXTENSION.lstrip("."))
        return dialog

    def _ask_save_path(self, suggested: str) -> str:
        if not can_ask():
            return ""
        dialog = self.save_dialog(suggested)
        if not dialog.exec() or not dialog.selectedFiles():
            return ""
        return dialog.selectedFiles()[0]

    def ask_export_path(self, fmt: str) -> str:
        """A file name for exporting the diagram as `fmt` ("png" or "svg"); "" if cancelled."""
        if not can_ask():
            return ""
        folder = Path(self._last_directory())
        stem = self.session.path.stem if self.session.path else "network"
        name_filter = "PNG image (*.png)" if fmt == "png" else "SVG drawing (*.svg)"
        path, _ = QFileDialog.getSaveFileName(
            self._window, f"Export Diagram as {fmt.upper()}", str(folder / f"{stem}.{fmt}"),
            name_filter)
        return path

    def export_diagram(self, view: NetworkView, fmt: str) -> None:
        """Ask for a file name and save the diagram `view` there as `fmt` ("png" or "svg")."""
        path = self.ask_export_path(fmt)
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != f".{fmt}":
            target = target.with_name(target.name + f".{fmt}")
        export = view.export_png if fmt == "png" else view.export_svg
        try:
            result = export(str(target))
        except Exception as exc:  # a read-only folder must not crash the window
            result, reason = False, str(exc)
        else:
            reason = "the file could not be written"
        if result is False:
            self._show_error("Could not export the diagram",
                             f"The diagram could not be saved to “{target}”: {reason}.")
            return
        self.message_posted.emit(f"Diagram exported to {target}")

    def _show_problem(self, title: str, problem: FileProblem) -> None:
        self._show_error(title, problem.text, problem.detail)

    def _show_error(self, title: str, text: str, detail: str = "") -> None:
        """A warning: `text` in plain words, `detail` (technical) collapsed under it."""
        if QMessageBox.warning is not _QT_WARNING:
            # A test's stand-in sees every message, as (parent, title, text, detail).
            QMessageBox.warning(self._window, title, text, detail)
        elif not can_ask():
            print(f"backprop-gui: {title}: {text}" + (f"\n{detail}" if detail else ""),
                  file=sys.stderr)
        else:
            # Not QMessageBox.warning: the message names the file and may quote what it
            # holds, and that box would render them as HTML.
            message_box(self._window, QMessageBox.Icon.Warning, title, text, detail=detail).exec()


class FileOpenFilter(QObject):
    """Opens the files macOS hands over as FileOpen events (a double-clicked .bpnet arrives
    this way, not as a command-line argument)."""

    def __init__(self, files: FileController, app: QObject) -> None:
        super().__init__(app)
        self._files = files
        app.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and event.file():
            self._files.open_path(event.file())
            return True
        return False
