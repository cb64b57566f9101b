"""PlotPage: the frame the layer plots share (gradient sizes, weight and gradient heat maps, the
first layer's weights): a sentence saying what the plot shows (its tooltip says more), the
pyqtgraph drawing, and under it a line that reads out what the mouse points at."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from .style import style_widget


class PlotPage(QWidget):
    """`caption`, `graphics` (a GraphicsLayoutWidget, in `scroll` if `scrolling`), `readout`."""

    def __init__(self, name: str, caption: str, help_text: str, graphics_tip: str,
                 readout_name: str, readout_tip: str, scrolling: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.caption.setToolTip(help_text)
        self.readout = QLabel(" ")
        self.readout.setObjectName(readout_name)
        self.readout.setToolTip(readout_tip)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setToolTip(graphics_tip)
        style_widget(self.graphics)
        body: QWidget = self.graphics
        if scrolling:   # rows of fixed height, as many as there are layers
            self.scroll = body = QScrollArea()
            self.scroll.setWidget(self.graphics)
            self.scroll.setWidgetResizable(True)
            self.scroll.setFrameShape(QFrame.Shape.NoFrame)
            # Sideways only when the plots' least width does not fit (their numbers are
            # then never cut off at the edge).
            self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(body, 1)
        layout.addWidget(self.readout)
