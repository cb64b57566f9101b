"""The User Guide window: the page view with Back, Forward, Contents and Glossary.

Not modal: a student reads a page and tries it out in the main window beside it.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QStyle, QToolButton, QVBoxLayout, QWidget,
)

from ..common.action_helper import make_action
from ..common.plain_text import window_title
from .browser import GuideBrowser
from .contents import INDEX, Guide

GLOSSARY = "glossary.html"
Key = QKeySequence.StandardKey


class GuideDialog(QDialog):
    def __init__(self, guide: Guide, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guide_dialog")
        self.setModal(False)
        self.guide = guide
        self.browser = GuideBrowser(guide, self)
        icons = self.style()
        self.back = make_action(self, "&Back", "Go back to the page you read before",
                                self.browser.backward, Key.Back, fallback="Alt+Left",
                                icon=icons.standardIcon(QStyle.StandardPixmap.SP_ArrowBack),
                                enabled=False)
        self.forward = make_action(self, "&Forward", "Go forward again",
                                   self.browser.forward, Key.Forward, fallback="Alt+Right",
                                   icon=icons.standardIcon(QStyle.StandardPixmap.SP_ArrowForward),
                                   enabled=False)
        self.contents = make_action(self, "&Contents", "The list of the guide's sections",
                                    lambda: self.show_page(INDEX), "Alt+Home")
        self.glossary = make_action(self, "&Glossary", "The words of neural networks explained",
                                    lambda: self.show_page(GLOSSARY), "Ctrl+G")
        self.browser.backwardAvailable.connect(self.back.setEnabled)
        self.browser.forwardAvailable.connect(self.forward.setEnabled)
        self.browser.sourceChanged.connect(self._on_page_changed)
        self.browser.refused.connect(self._show_refusal)

        row = QHBoxLayout()
        for action in (self.back, self.forward, self.contents, self.glossary):
            self.addAction(action)       # the keys work wherever the focus is in the dialog
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            row.addWidget(button)
        row.addStretch(1)

        # Why a link was not followed; plain text, so an address in it is never markup.
        self.message = QLabel()
        self.message.setObjectName("guide_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._fit_size(parent)

    def _fit_size(self, parent: QWidget | None) -> None:
        # Wide enough for the screenshots (800 px), never larger than the window it helps.
        width, height = 940, 720
        if parent is not None and parent.width() > 0:
            width = min(width, int(parent.width() * 0.92))
            height = min(height, int(parent.height() * 0.92))
        self.resize(width, height)

    def show_page(self, target: str) -> bool:
        """Show `target` ("page.html#anchor" or "guide.html#anchor"); False if refused (the
        page stays, or the contents come up if none was shown, with the reason below)."""
        if self.browser.follow(QUrl(target)):
            return True
        if not self.browser.current_page():
            reason = self.message.text()
            self.browser.follow(QUrl(INDEX))
            self._show_refusal(reason)
        return False

    def _on_page_changed(self, url: QUrl) -> None:
        self.message.hide()
        # From the signal's url: source() may still be the page before while it is emitted.
        title = self.guide.title(self.browser.page_of(url))
        self.setWindowTitle(window_title(f"{title} — Backprop GUI User Guide"))

    def _show_refusal(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
