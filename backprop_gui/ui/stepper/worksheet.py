"""A printable worksheet of one gradient-descent step for the selected sample (PDF).

Every step's title, textbook formula and explanation, then its numbers laid out as in the
panel (the same `Expression`: operands, operators, result), one phase per page group.
The homework version leaves the result boxes empty for the student to fill in. Rendered
with QTextDocument (HTML tables) onto a QPdfWriter, landscape A4, as many pages as needed.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
from PySide6.QtCore import QMarginsF, QRectF, Qt, QUrl
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from ...engine.walkthrough import Step, walkthrough
from ...session.session import Session
from ...session.stepper import PHASE_TITLES
from ..common.plain_text import shorten
from .expression import Expression, Term, Token, build_expression
from ..common.formatting import fmt, textbook_formula
from .matrix_layout import GAP, visible_indices

MAX_CELLS = 16        # longer axes are shortened with "…" on paper too
PAGE_COLUMNS = 19     # matrix columns (and operators) that fit across a landscape page
SAMPLE_IMAGE = "sample.png"
RESOLUTION = 300      # dots per inch of the PDF's coordinate system
IMAGE_WIDTH = 80      # the sample picture (QTextDocument scales it like 96-dpi pixels: ~2 cm)
# Characters of the dataset's title and a class name (from the file): the header is laid out
# as one block, and with a 10,000-character title it was taller than the page.
FILE_TEXT_LIMIT = 300

_CSS = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 8pt; }
h1 { font-size: 15pt; margin-bottom: 2px; }
h2 { font-size: 12pt; margin-top: 10px; margin-bottom: 2px; }
h3 { font-size: 9.5pt; margin-top: 10px; margin-bottom: 1px; }
p { margin-top: 1px; margin-bottom: 3px; }
.formula { font-size: 10.5pt; }
.muted { color: #555555; }
table.m td { border: 1px solid #999999; padding: 1px 3px; text-align: right; white-space: nowrap; font-size: 7.5pt; }
td.label { text-align: center; font-style: italic; }
td.op { font-size: 12pt; padding: 0px 6px; vertical-align: middle; }
td.blank { font-size: 13pt; }
"""


def sample_image(session: Session, side: int = 120) -> QImage | None:
    """The selected sample drawn as grey pixels (None for a non-image dataset)."""
    ds = session.dataset
    if ds.kind != "image" or ds.image_shape is None:
        return None
    pixels = np.clip(ds.image(session.selected_sample), 0.0, 1.0)
    rows, cols = pixels.shape
    cell = max(1, side // max(rows, cols))
    image = QImage(cols * cell + 1, rows * cell + 1, QImage.Format.Format_RGB32)
    image.fill(QColor(150, 150, 150))
    painter = QPainter(image)
    for r in range(rows):
        for c in range(cols):
            grey = int(round(255 * (1.0 - pixels[r, c])))  # ink is dark, as on paper
            painter.fillRect(c * cell + 1, r * cell + 1, cell - 1, cell - 1, QColor(grey, grey, grey))
    painter.end()
    return image


def _matrix_html(term: Term, blank: bool) -> str:
    n_r, n_c = term.values.shape
    rows = visible_indices(n_r, MAX_CELLS)
    cols = visible_indices(n_c, MAX_CELLS)
    out = ["<table class='m' cellspacing='0'>"]
    for r in rows:
        out.append("<tr>")
        for c in cols:
            if r == GAP or c == GAP:
                out.append("<td>" + ("⋮" if r == GAP else "…") + "</td>")
            elif blank:
                out.append("<td class='blank'>" + "&nbsp;" * 10 + "</td>")
            else:
                out.append(f"<td>{fmt(term.values[r, c], 4)}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _columns(item: Term | Token) -> int:
    if isinstance(item, Token):
        return 1
    n = item.values.shape[1]
    return n if n <= MAX_CELLS + 2 else MAX_CELLS + 1


def expression_html(expr: Expression, blank: bool) -> str:
    """The worked calculation as rows of a table: labels above, matrices below.

    A calculation wider than a page continues on a new row, starting with its operator.
    """
    lines: list[list[Term | Token]] = [[]]
    used = 0
    for item in expr.items:
        if (isinstance(item, Token) and item.role == "op" and lines[-1]
                and used + sum(_columns(i) for i in _rest(expr.items, item)) > PAGE_COLUMNS):
            lines.append([])
            used = 0
        lines[-1].append(item)
        used += _columns(item)
    out = []
    for line in lines:
        labels, cells = [], []
        for item in line:
            if isinstance(item, Token):
                labels.append("<td></td>")
                cells.append(f"<td class='op' valign='middle'>{html.escape(item.text)}</td>")
            else:
                shape = ("" if item.kind == "scalar"
                         else f" ({item.values.shape[0]}×{item.values.shape[1]})")
                labels.append(f"<td class='label'>{html.escape(item.label)}"
                              f"<span class='muted'>{shape}</span></td>")
                cells.append(f"<td valign='middle'>{_matrix_html(item, blank and item.is_result)}</td>")
        out.append(f"<table cellspacing='2'><tr>{''.join(labels)}</tr>"
                   f"<tr>{''.join(cells)}</tr></table>")
    return "".join(out)


def _rest(items: list, start: Term | Token) -> list:
    """`start` and the items after it up to the next operator (they stay on one line)."""
    k = next(i for i, it in enumerate(items) if it is start)
    chunk = [items[k]]
    for it in items[k + 1:]:
        if isinstance(it, Token) and it.role == "op":
            break
        chunk.append(it)
    return chunk


def _summary(session: Session) -> str:
    net = session.network
    acts = ", ".join(a.display for a in net.activations)
    ds = session.dataset
    k = session.selected_sample
    label = shorten(ds.class_names[int(ds.labels[k])], FILE_TEXT_LIMIT) if ds.n_samples else "?"
    title = shorten(ds.title, FILE_TEXT_LIMIT)
    x = session.sample_input()
    inputs = "" if ds.kind == "image" else (
        "<p>Input x = (" + ", ".join(fmt(v, 4) for v in x[:MAX_CELLS]) + ")</p>")
    return (f"<p><b>Network</b> {'-'.join(map(str, net.sizes))} · activations {acts} · loss "
            f"{net.loss_fn.display} · {net.n_parameters} parameters · learning rate α = "
            f"{fmt(session.training.learning_rate, 4)}</p>"
            f"<p><b>Sample</b> {k + 1} of {ds.n_samples} in “{html.escape(title)}”, "
            f"label “{html.escape(label)}”</p>{inputs}")


def header_html(session: Session, blank: bool) -> str:
    kind = ("Homework: one step of backpropagation" if blank
            else "Worked example: one step of backpropagation")
    parts = [f"<h1>{kind}</h1>", _summary(session)]
    if sample_image(session) is not None:
        parts.append(f"<p><img src='{SAMPLE_IMAGE}' width='{IMAGE_WIDTH}'></p>")
    parts.append("<p class='muted'>Vectors are columns, one row per neuron (z = W a + b). "
                 "Numbers are rounded to 4 significant digits; long rows show their first and "
                 "last entries with … between."
                 + (" Fill in each empty box: work out the result from the numbers beside it."
                    if blank else "") + "</p>")
    return "".join(parts)


def step_html(step: Step, number: int, expr: Expression, blank: bool, new_phase: bool) -> str:
    parts = [f"<h2>{PHASE_TITLES[step.phase]}</h2>"] if new_phase else []
    parts.append(f"<h3>{number}. {html.escape(step.title)}</h3>")
    parts.append(f"<p class='formula'>{html.escape(textbook_formula(step, False))}</p>")
    parts.append(f"<p class='muted'>{html.escape(step.explanation)}</p>")
    parts.append(expression_html(expr, blank))
    return "".join(parts)


def worksheet_blocks(session: Session, steps: list[Step], blank: bool) -> list[str]:
    """The worksheet as HTML blocks (the header, then one per step) that never split."""
    net = session.network
    sample = session.selected_sample
    blocks = [header_html(session, blank)]
    phase = None
    for n, step in enumerate(steps, start=1):
        expr = build_expression(step, net.n_layers, [sample])
        blocks.append(step_html(step, n, expr, blank, step.phase != phase))
        phase = step.phase
    return blocks


def _document(body: str, writer: QPdfWriter, width: float, image: QImage | None) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)   # measure fonts as they will print
    doc.setDefaultStyleSheet(_CSS)
    if image is not None:
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(SAMPLE_IMAGE), image)
    doc.setHtml(f"<html><body>{body}</body></html>")
    doc.setTextWidth(width)
    return doc


def export_worksheet(session: Session, path: str | Path, blank: bool = False) -> int:
    """Write the worksheet for the selected sample to `path` (PDF); returns the page count.

    Each step is laid out on its own and moved to the next page when it does not fit, so
    no matrix is cut in half. Raises ValueError when there is nothing to step through,
    OSError when the file cannot be written.
    """
    steps = walkthrough(session.network, session.sample_input(), session.sample_target(),
                        session.training.learning_rate)
    target = Path(path)
    writer = QPdfWriter(str(target))
    writer.setTitle("Backprop worksheet")
    writer.setCreator("Backprop GUI")
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Landscape, QMarginsF(12, 12, 12, 12),
                                     QPageLayout.Unit.Millimeter))
    page = writer.pageLayout().paintRectPixels(RESOLUTION)
    width, height = float(page.width()), float(page.height())
    footer_h = RESOLUTION * 0.25
    image = sample_image(session)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {target}")
    pages, y = 1, 0.0
    try:
        for block in worksheet_blocks(session, steps, blank):
            doc = _document(block, writer, width, image)
            h = doc.size().height()
            if y > 0 and y + h > height - footer_h:
                _footer(painter, pages, width, height)
                writer.newPage()
                pages += 1
                y = 0.0
            painter.save()
            painter.translate(0, y)
            doc.drawContents(painter)
            painter.restore()
            y += h
        _footer(painter, pages, width, height)
    finally:
        painter.end()
    if not target.is_file() or target.stat().st_size == 0:
        raise OSError(f"the PDF could not be written to {target}")
    return pages


def _footer(painter: QPainter, page: int, width: float, height: float) -> None:
    font = QFont("DejaVu Sans")
    font.setPointSizeF(7.5)
    painter.setFont(font)
    painter.setPen(QColor(110, 110, 110))
    h = painter.fontMetrics().height()
    painter.drawText(QRectF(0, height - h, width, h), Qt.AlignmentFlag.AlignLeft,
                     "Backprop GUI worksheet")
    painter.drawText(QRectF(0, height - h, width, h), Qt.AlignmentFlag.AlignRight, f"Page {page}")


def pdf_page_count(path: str | Path) -> int:
    """Pages in a PDF written by Qt (which writes each page object uncompressed)."""
    data = Path(path).read_bytes()
    return data.count(b"/Type /Page") - data.count(b"/Type /Pages")
