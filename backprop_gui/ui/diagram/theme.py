"""Colours and fonts of the diagram, taken from the widget palette so light and dark themes work."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """a blended towards b by t (0 = a, 1 = b)."""
    return QColor(round(a.red() + (b.red() - a.red()) * t),
                  round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def text_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on `fill`."""
    luminance = 0.299 * fill.red() + 0.587 * fill.green() + 0.114 * fill.blue()
    return QColor(20, 20, 20) if luminance > 140 else QColor(250, 250, 250)


@dataclass
class Theme:
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
    def from_palette(cls, palette: QPalette) -> Theme:
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
    f = QFont()
    f.setPointSizeF(point_size)
    f.setBold(bold)
    return f


def pixel_font(pixel_size: float, bold: bool = False) -> QFont:
    """A font sized in scene units, so text inside a neuron grows with it when zooming."""
    f = QFont()
    f.setPixelSize(max(1, round(pixel_size)))
    f.setBold(bold)
    return f
