"""Export: the loss history as CSV, any plot as PNG or SVG (pyqtgraph's exporters)."""

from __future__ import annotations

import csv
import importlib
import math
import os
import tempfile
from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters as exporters

from ...engine.project import History

CSV_COLUMNS = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy")
PNG_SCALE = 2
PIXELATED = ('image-rendering="optimizeSpeed" style="image-rendering:optimizeSpeed;'
             'image-rendering:crisp-edges;image-rendering:pixelated"')  # exported pictures at twice the screen size: sharp on slides and paper


def _cell(value: float) -> str:
    # An empty cell for "no value" (NaN) reads well in every spreadsheet; repr round-trips.
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(float(value))


def history_rows(history: History) -> list[list[str]]:
    rows = [list(CSV_COLUMNS)]
    for i, epoch in enumerate(history.epoch):
        rows.append([str(int(epoch))] + [_cell(getattr(history, key)[i]) for key in CSV_COLUMNS[1:]])
    return rows


def export_history_csv(history: History, path: str | Path) -> Path:
    """Write one row per epoch; written to a temporary file first, then renamed."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".loss-", suffix=".csv", dir=target.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(history_rows(history))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def export_graphics(widget: pg.GraphicsLayoutWidget, path: str | Path) -> Path:
    """Save everything drawn in `widget` as PNG or SVG (chosen by the file's extension)."""
    target = Path(path)
    suffix = target.suffix.lower()
    item = widget.ci
    # View boxes update their transforms just before painting; a plot changed since the
    # last paint would otherwise export its images at the old scale.
    widget.scene().prepareForPaint()
    if suffix == ".svg":
        _tolerate_closed_paths()
        exporter = exporters.SVGExporter(item)
        exporter.export(str(target))
        if not target.exists():
            raise OSError("the file could not be written")
        # Heatmap cells are pixels of an embedded image: ask viewers not to blur them.
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace('image-rendering="optimizeSpeed"', PIXELATED),
                          encoding="utf-8")
        return target
    if suffix == ".png":
        exporter = exporters.ImageExporter(item)
        width = int(item.boundingRect().width() * PNG_SCALE)
        exporter.parameters()["width"] = max(width, 2)
        exporter.parameters()["antialias"] = True
    else:
        raise ValueError(f"cannot export a plot as “{suffix or target.name}”: use .png or .svg")
    result = exporter.export(str(target))
    if result is False or not target.exists():
        raise OSError("the file could not be written")
    return target



def _tolerate_closed_paths() -> None:
    """pyqtgraph 0.13–0.14 rewrites every SVG path point as "x,y" and fails on the "Z" that
    closes a path (Qt writes one for each rectangle). Drop the Z first: an SVG fill closes a
    path by itself, and the rectangles it closes end where they started anyway."""
    module = importlib.import_module("pyqtgraph.exporters.SVGExporter")
    original = getattr(module, "correctCoordinates", None)
    if original is None or getattr(original, "tolerates_closed_paths", False):
        return

    def correct_coordinates(node, defs, item, options):
        for path in node.getElementsByTagName("path"):
            d = path.getAttribute("d")
            if "Z" in d or "z" in d:
                path.setAttribute("d", " ".join(t for t in d.split() if t not in ("Z", "z")))
        return original(node, defs, item, options)

    correct_coordinates.tolerates_closed_paths = True
    module.correctCoordinates = correct_coordinates
