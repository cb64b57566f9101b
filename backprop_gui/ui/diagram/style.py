"""The diagram's colours and fonts, taken from the widget palette so light and dark themes work."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette

from ..common.colors import mix
from ..common.fonts import relative_font


@dataclass
class DiagramColors:
    """The diagram's colours for the current palette (the app's light or dark theme:
    ui/common/theme.py), made again when the palette changes."""

    background: QColor
    text: QColor
    muted: QColor        # secondary text: notes, weight-layer names
    outline: QColor      # neuron outlines
    panel: QColor        # legend and caption panels
    selection: QColor    # ring around the selected neuron / halo of the selected weight
    accent: QColor       # the step-through highlight (amber: apart from both colour maps)
    dead: QColor         # fill of a dead ReLU
    neutral: QColor      # edges whose value is unknown (gradients not computed yet)
    dark: bool

    @classmethod
    def from_palette(cls, palette: QPalette) -> DiagramColors:
        bg = palette.color(QPalette.ColorRole.Base)
        fg = palette.color(QPalette.ColorRole.Text)
        dark = bg.lightness() < 128
        panel = palette.color(QPalette.ColorRole.Window)
        panel.setAlpha(235)
        return cls(
            background=bg, text=fg, muted=mix(fg, bg, 0.42), outline=mix(fg, bg, 0.35),
            panel=panel, selection=fg,
            accent=QColor(255, 176, 32) if dark else QColor(230, 140, 0),
            dead=mix(bg, fg, 0.25), neutral=mix(fg, bg, 0.7), dark=dark)


def font(point_size: float, bold: bool = False) -> QFont:
    """`point_size` relative to the application's font (ui/common/fonts.py): the diagram's type
    follows the system's font size and presentation mode's zoom (the view rebuilds when the
    application's font changes)."""
    return relative_font(point_size, bold)


def pixel_font(pixel_size: float, bold: bool = False) -> QFont:
    """A font sized in scene units, so text inside a neuron grows with it when zooming."""
    f = QFont()
    f.setPixelSize(max(1, round(pixel_size)))
    f.setBold(bold)
    return f
