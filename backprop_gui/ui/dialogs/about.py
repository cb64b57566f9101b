"""About Backprop GUI: what it is, its version and the versions of what it runs on."""

from __future__ import annotations

import platform
from importlib import metadata

from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget,
)

from ... import __version__
from ..common.theme import app_icon


def _dist_version(name: str) -> str:
    # Read from the package metadata: importing pyqtgraph just to print its version costs ~0.2 s.
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def version_info() -> list[tuple[str, str]]:
    """(component, version) for the About box and bug reports."""
    import numpy
    import PySide6

    return [
        ("Backprop GUI", __version__),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("NumPy", numpy.__version__),
        ("pyqtgraph", _dist_version("pyqtgraph")),
        ("System", f"{platform.system()} {platform.release()} ({platform.machine()})"),
    ]


def version_text() -> str:
    return "\n".join(f"{name}: {version}" for name, version in version_info())


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Backprop GUI")
        logo = QLabel()
        # At the screen's pixel ratio, so the logo is sharp on a high-DPI display.
        logo.setPixmap(app_icon().pixmap(QSize(64, 64), self.devicePixelRatioF()))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"<h2>Backprop GUI {__version__}</h2>")
        blurb = QLabel(
            "See how a neural network learns, one chain-rule step at a time: the forward pass, "
            "the loss, every step of backpropagation and the weight update, each with its "
            "formula and the actual numbers.")
        blurb.setWordWrap(True)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        for row, (name, version) in enumerate(version_info()):
            key = QLabel(name)
            value = QLabel(version)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(key, row, 0)
            grid.addWidget(value, row, 1)
        self.versions = grid

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("&Copy Versions", QDialogButtonBox.ButtonRole.ActionRole)
        copy.setToolTip("Copy these versions to the clipboard, e.g. for a bug report")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(version_text()))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(blurb)
        text.addSpacing(8)
        text.addLayout(grid)
        top = QHBoxLayout()
        top.addWidget(logo)
        top.addSpacing(12)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
