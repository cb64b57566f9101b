"""Export: the loss history as CSV, any plot as PNG or SVG (pyqtgraph's exporters)."""

from __future__ import annotations

import csv
import math
import os
import tempfile
from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters as exporters

from ...engine.project import History

CSV_COLUMNS = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy")
PNG_SCALE = 2  # exported pictures at twice the screen size: sharp on slides and paper


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
    if suffix == ".svg":
        exporter = exporters.SVGExporter(item)
    elif suffix == ".png":
        exporter = exporters.ImageExporter(item)
        width = int(item.boundingRect().width() * PNG_SCALE)
        exporter.parameters()["width"] = max(width, 2)
        exporter.parameters()["antialias"] = True
    else:
        raise ValueError(f"cannot export a plot as “{suffix or target.name}”: use .png or .svg")
    result = exporter.export(str(target))
    if result is False or not target.exists():
        raise OSError(f"the file could not be written")
    return target
