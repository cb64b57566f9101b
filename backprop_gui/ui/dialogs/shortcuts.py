"""Keyboard Shortcuts: every shortcut of every menu, read from the menus themselves.

Built from the live menu bar, so entries other panels add (stepping, training) appear too
and the list can never disagree with the menus.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QLineEdit, QMenuBar, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").replace("…", "")


def _key_text(key: QKeySequence) -> str:
    return key.toString(QKeySequence.SequenceFormat.NativeText)


def _is_combination(key: QKeySequence) -> bool:
    """True for keys on every keyboard (Ctrl+Y, Alt+Backspace, F11); False for multimedia
    keys such as "Save" or "Undo" that Qt lists as alternatives."""
    if key.isEmpty():
        return False
    # Qt numbers the multimedia keys (Key_Back, Key_Save, …) from 0x01000061 on.
    return key[0].key().value < 0x01000061


def collect_shortcuts(menu_bar: QMenuBar) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(menu title, [(command, keys), …]), …] for every action with a shortcut."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []

    def walk(actions: list[QAction], prefix: str, rows: list[tuple[str, str]]) -> None:
        for action in actions:
            sub = action.menu()
            if sub is not None:
                walk(sub.actions(), f"{prefix}{_plain(action.text())} ▸ ", rows)
            elif not action.isSeparator() and not action.shortcut().isEmpty():
                keys = ", ".join(_key_text(k) for n, k in enumerate(action.shortcuts())
                                 if n == 0 or _is_combination(k))
                rows.append((prefix + _plain(action.text()), keys))

    for top in menu_bar.actions():
        if top.menu() is None:
            continue
        rows: list[tuple[str, str]] = []
        walk(top.menu().actions(), "", rows)
        if rows:
            groups.append((_plain(top.text()), rows))
    return groups


# Keys a panel handles itself while it has the keyboard focus (no menu entry to read them from).
PANEL_KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Network diagram (click it first)", [
        ("Select the neighbouring neuron", "Alt+Up, Alt+Down, Alt+Left, Alt+Right"),
        ("Select the weight into / out of the selected neuron",
         "Alt+Shift+Left, Alt+Shift+Right"),
        ("With a weight selected: the next weight into its neuron", "Alt+Up, Alt+Down"),
        ("Next / previous step (as everywhere but in text fields)", "Right, Left"),
        ("Add / remove a neuron in the selected layer", "+, -"),
        ("Remove the selected hidden layer", "Delete"),
        ("Clear the selection", "Esc"),
        ("Previous / next sample", "PgUp, PgDown"),
        ("Zoom in / out; fit", "Ctrl+=, Ctrl+-; Ctrl+0"),
    ]),
    ("Input panel", [
        ("Previous / next sample", "PgUp, PgDown"),
        ("Pixel editor: move the cursor", "Up, Down, Left, Right"),
        ("Pixel editor: ink or erase the pixel", "Space"),
        ("Pixel editor: grey level (0 white … 9 black)", "0 … 9"),
        ("Pixel editor: erase the pixel", "Delete"),
        ("2-D points: move the point (Shift: 5× as far)", "Arrows"),
        ("2-D points: add / delete a point", "Insert, Delete"),
    ]),
    ("Dataset panel", [("Delete the selected sample", "Delete")]),
    ("Inspector", [("Set the typed value / put the old one back", "Enter, Esc")]),
]


class ShortcutsDialog(QDialog):
    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type to filter, e.g. “undo” or “Ctrl+S”")
        self.filter.setToolTip("Show only the commands whose name or keys contain this text")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Command", "Shortcut"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for menu, rows in collect_shortcuts(menu_bar) + PANEL_KEYS:
            group = QTreeWidgetItem(self.tree, [menu])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for command, keys in rows:
                QTreeWidgetItem(group, [command, keys])
        self.tree.expandAll()
        self.filter.textChanged.connect(self._on_filter_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(640, 600)

    def _on_filter_changed(self, text: str) -> None:
        needle = text.strip().lower()
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            visible = 0
            for c in range(group.childCount()):
                child = group.child(c)
                match = (not needle or needle in child.text(0).lower()
                         or needle in child.text(1).lower())
                child.setHidden(not match)
                visible += match
            group.setHidden(visible == 0)
