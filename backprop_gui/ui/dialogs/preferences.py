"""Preferences: theme, toolbar style, whether to reopen the last project and whether to show
the welcome page (the lessons) at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QVBoxLayout, QWidget,
)

from ..common.theme import THEME_LABELS, THEMES

TOOLBAR_STYLES = {
    "text_beside_icon": "Icons and text",
    "icon_only": "Icons only",
    "text_only": "Text only",
}


@dataclass
class Preferences:
    theme: str = "system"
    toolbar_style: str = "text_beside_icon"
    reopen_last: bool = False
    show_welcome: bool = True      # the Lesson panel's welcome page at start-up

    @classmethod
    def load(cls, settings: QSettings) -> Preferences:
        prefs = cls()
        theme = str(settings.value("preferences/theme", prefs.theme))
        style = str(settings.value("preferences/toolbar_style", prefs.toolbar_style))
        prefs.theme = theme if theme in THEMES else "system"
        prefs.toolbar_style = style if style in TOOLBAR_STYLES else "text_beside_icon"
        prefs.reopen_last = settings.value("preferences/reopen_last", False, type=bool)
        prefs.show_welcome = settings.value("preferences/show_welcome", True, type=bool)
        return prefs

    def save(self, settings: QSettings) -> None:
        settings.setValue("preferences/theme", self.theme)
        settings.setValue("preferences/toolbar_style", self.toolbar_style)
        settings.setValue("preferences/reopen_last", self.reopen_last)
        settings.setValue("preferences/show_welcome", self.show_welcome)


class PreferencesDialog(QDialog):
    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.theme = QComboBox()
        for key in THEMES:
            self.theme.addItem(THEME_LABELS[key], key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(prefs.theme)))
        self.theme.setToolTip("Light or dark colours; “Follow the system” switches with your desktop")
        self.toolbar = QComboBox()
        for key, label in TOOLBAR_STYLES.items():
            self.toolbar.addItem(label, key)
        self.toolbar.setCurrentIndex(max(0, self.toolbar.findData(prefs.toolbar_style)))
        self.toolbar.setToolTip("What the toolbar buttons show")
        self.reopen = QCheckBox("&Reopen the last project when Backprop GUI starts")
        self.reopen.setChecked(prefs.reopen_last)
        self.reopen.setToolTip("Otherwise every start shows the default network, ready to step through")
        self.welcome = QCheckBox("Show the &welcome page with the lessons")
        self.welcome.setChecked(prefs.show_welcome)
        self.welcome.setToolTip("The Lesson panel offers the lessons, Explore Freely and the last "
                                "project when Backprop GUI starts")

        look = QGroupBox("Appearance")
        form = QFormLayout(look)
        form.addRow("&Theme:", self.theme)
        form.addRow("Tool&bar:", self.toolbar)
        start = QGroupBox("Start-up")
        start_layout = QVBoxLayout(start)
        start_layout.addWidget(self.reopen)
        start_layout.addWidget(self.welcome)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(look)
        layout.addWidget(start)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def values(self) -> Preferences:
        return Preferences(theme=str(self.theme.currentData()),
                           toolbar_style=str(self.toolbar.currentData()),
                           reopen_last=self.reopen.isChecked(),
                           show_welcome=self.welcome.isChecked())
