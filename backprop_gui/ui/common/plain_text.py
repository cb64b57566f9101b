"""Text from a file, a dataset or a person is shown as the characters it holds, never as HTML.

Qt guesses whether a string is HTML: a QLabel left on automatic format, every tooltip and
every QMessageBox render a string as rich text when its first line holds a tag or "&lt;"
(Qt.mightBeRichText). A class name `<img src="/dev/zero">` in a project file then makes Qt
read that file until memory runs out, and a pipe named there blocks the window on each
repaint. So: labels that show such strings are set to Qt.TextFormat.PlainText, HTML the app
builds passes them through html.escape, and tooltips, menu items, window titles and message
boxes go through the helpers below. Long strings are shortened where they share a line with
other things, so a 10,000-character title cannot widen a panel or shrink the diagram.
"""

from __future__ import annotations

# QtGui's Qt namespace: QtCore's plus the text functions (mightBeRichText, convertFromPlainText).
from PySide6.QtGui import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

NAME_LIMIT = 20     # characters of a class name beside other text (combo boxes, labels)


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, with "…" where it was cut."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def tooltip_text(text: str) -> str:
    """A tooltip that shows exactly `text`: unchanged when Qt takes it for plain text,
    else escaped into rich text (so "<b>" shows as "<b>" and nothing is fetched)."""
    if not Qt.mightBeRichText(text):
        return text
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def action_text(text: str) -> str:
    """`text` in a menu item or button: a lone "&" would underline the next letter instead."""
    return text.replace("&", "&&")


def window_title(text: str) -> str:
    """`text` inside a window title: Qt shows "[*]" as the unsaved-changes mark, "[*][*]" as "[*]"."""
    return text.replace("[*]", "[*][*]")


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
                default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
                informative: str = "", detail: str = "") -> QMessageBox:
    """A message box that shows `text` (and `informative`) as plain text: its messages
    name files and quote what a file holds. `detail` (technical, always plain text) is
    folded away under "Show Details…"."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)   # also the informative text's format
    if informative:
        box.setInformativeText(informative)
    if detail:
        box.setDetailedText(detail)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return box
