"""Huge numbers (10⁶ … 10³⁰⁰) loaded from a file, typed into the Inspector or reached by
training: nothing raises or warns, training stops with an explanation, and no view ever
shows a bare NaN or ∞. Beside every value that overflowed stands the word "overflow" and,
in each view, what caused it."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import (QAbstractItemModel, QAbstractListModel, QAbstractTableModel, QModelIndex,
                            QPointF, QSettings, Qt)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QGraphicsView, QHeaderView, QLabel,
                               QLineEdit, QMessageBox, QTabBar, QTextEdit, QWidget)

from backprop_gui.engine.limits import TRAINING_BOUNDS
from backprop_gui.engine.network import Network
from backprop_gui.engine.projectfile import save_project
from backprop_gui.engine.selection import Selection
from backprop_gui.session.session import default_project
from backprop_gui.ui.diagram.legend import ColorBar
from backprop_gui.ui.diagram.legend import _layout as legend_layout
from backprop_gui.ui.window.main_window import MainWindow
from backprop_gui.ui.editors.output_chart import OutputChart
from backprop_gui.ui.plots.panel import TABS
from backprop_gui.ui.editors.points_canvas import PointsCanvas, axis_ticks
from backprop_gui.ui.stepper.worksheet import worksheet_blocks

MAGNITUDES = (1e6, 1e20, 1e100, 1e300)

# A number written bare: "nan", "inf", "NaN", "Infinity", "n/a" (not "NaN (not a number)").
BARE = re.compile(r"(?<![\w])(nan|inf|infinity|n/a)(?![\w])(?!\s*\(not a number\))", re.IGNORECASE)
# A huge finite number written out with all its digits ("66126877924592…", 299 of them).
RUNAWAY = re.compile(r"\d{25,}")
# What stands for a value that overflowed, in full ("∞ (overflow)") or short ("∞", "?").
NON_FINITE = ("∞", "undefined")


@pytest.fixture(autouse=True)
def private_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, session, private_settings, monkeypatch):
    win = MainWindow(session, settings=private_settings)
    qtbot.addWidget(win)
    win.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.training.clock.pause()


def huge_project(path: Path, what: str, size: float, dataset: str = "digits01") -> Path:
    """The default project with every weight set to ±`size` (the sign of its initial value),
    every bias to `size` or every input multiplied by it, or with learning rate `size`
    ("weights+inputs": both)."""
    project = default_project(dataset)
    net = project.network
    if "weights" in what:
        net.weights = [size * np.sign(W) for W in net.weights]
    if "biases" in what:
        net.biases = [np.full(b.shape, size) for b in net.biases]
    if "inputs" in what:
        project.dataset.inputs = project.dataset.inputs * size
    if what == "learning_rate":
        project.training = replace(project.training, learning_rate=size)
    save_project(project, path)
    return path


# ----- reading everything a window shows ------------------------------------------------------

def model_texts(model: QAbstractItemModel, parent: QModelIndex = QModelIndex()):
    """Every cell's text and tooltip, children included."""
    # List and table models hide what they do not have: columns, children.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    tree = not isinstance(model, (QAbstractListModel, QAbstractTableModel))
    for r in range(model.rowCount(parent)):
        for c in range(columns):
            index = model.index(r, c, parent)
            yield model.data(index, Qt.ItemDataRole.DisplayRole)
            yield model.data(index, Qt.ItemDataRole.ToolTipRole)
        first = model.index(r, 0, parent)
        if tree and model.hasChildren(first):
            yield from model_texts(model, first)


def widget_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of every label, button, field, table cell, tab, action, graphics text
    and tooltip under `root`."""
    out: list[tuple[str, str]] = []

    def add(where: str, text) -> None:
        if text:
            out.append((where, str(text)))

    for w in [root, *root.findChildren(QWidget)]:
        name = f"{type(w).__name__} {w.objectName()}".strip()
        add(name + " tooltip", w.toolTip())
        add(name + " description", w.accessibleDescription())
        if isinstance(w, (QLabel, QAbstractButton, QLineEdit)) or callable(getattr(w, "text", None)):
            try:
                add(name, w.text())              # also our own painted texts (LiveText)
            except TypeError:
                pass
        if isinstance(w, QTextEdit):
            add(name, w.toPlainText())
        if isinstance(w, QTabBar):
            for i in range(w.count()):
                add(name, w.tabText(i))
                add(name, w.tabToolTip(i))
        if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView) and w.model() is not None:
            for text in model_texts(w.model()):
                add(name + " cell", text)
        if isinstance(w, QGraphicsView) and w.scene() is not None:
            for item in w.scene().items():
                add(name + " item tooltip", item.toolTip())
                for attr in ("toPlainText", "text", "value_text"):
                    value = getattr(item, attr, None)
                    if callable(value):
                        try:
                            value = value()
                        except TypeError:
                            continue
                    if isinstance(value, str):
                        add(f"{name} {type(item).__name__}", value)
    for action in root.findChildren(QAction):
        add("action", action.text())
        add("action tooltip", action.toolTip())
        add("action status tip", action.statusTip())
    return out


def diagram_texts(window: MainWindow) -> list[tuple[str, str]]:
    """The legend, and the tooltip of every neuron and of a few edges of each layer."""
    view, net = window.view, window.session.network
    out = [("legend", t) for t in view.legend().texts()]
    for layer, n in enumerate(net.sizes):
        for j in range(n):
            out.append(("neuron tooltip", view.tooltip_for(Selection.neuron(layer, j))))
    for l, W in enumerate(net.weights):
        for j, i in ((0, 0), (W.shape[0] - 1, W.shape[1] - 1)):
            out.append(("edge tooltip", view.tooltip_for(Selection.weight(l + 1, j, i))))
    return out


def stepper_texts(window: MainWindow) -> list[tuple[str, str]]:
    """Every step page: its labels and tables, each matrix entry with its tooltip and hand-
    worked line, and the worksheet; matrix cells checked against the page's note."""
    from backprop_gui.ui.stepper.worked_line import entry_sentence
    from backprop_gui.ui.common.formatting import full

    panel = window.stepper
    cursor, page = panel.cursor, panel.page
    out = []
    cursor.first()
    while True:
        canvas, expr = page.canvas, page.expression
        # Matrix cells and hand-worked lines are short ("∞", "?"): the page's note says why.
        short = [t for rows in canvas.displayed_texts().values() for row in rows for t in row]
        for term in expr.terms:
            for r in range(term.values.shape[0]):
                for c in range(term.values.shape[1]):
                    out.append(("entry tooltip", full(term.values[r, c])))
                    short.append(entry_sentence(expr, term, r, c))
        assert not [t for t in short if BARE.search(t)]
        if any("∞" in t or "?" in t.replace("?", "?") for t in short):
            assert "overflow" in page.note.text(), (page.title.text(), page.note.text())
        out += [("operator", t) for t in canvas.operator_texts()]
        out += widget_texts(page)
        if not cursor.next():
            break
    out += [("worksheet", html) for html in worksheet_blocks(window.session, cursor.steps, False)]
    return out


def plot_texts(window: MainWindow) -> list[tuple[str, str]]:
    """Every tab of the Plots panel, with the value under the pointer in each heatmap."""
    panel = window.training.panel()
    for tab in TABS:
        panel._redraw_tab(tab)
    out = widget_texts(panel)
    for heat in (panel.gradients, panel.weights):
        for items in heat._layers:
            for plot in (items.plot_w, items.plot_b):
                point = plot.getViewBox().mapViewToScene(QPointF(1.0, 1.0))
                out.append(("heatmap readout", heat.describe_at(point) or ""))
    out.append(("loss readout", panel.loss.readout_text()))
    return out


def everything(window: MainWindow, steps: bool = True) -> list[tuple[str, str]]:
    """What the window shows with each kind of item selected in turn (the Inspector, the
    diagram with its tooltips, the output chart, the toolbars); with `steps`, every page of
    the step-through too."""
    session, chart = window.session, window.findChild(OutputChart)
    out = []
    net = session.network
    for sel in [Selection.weight(l + 1, 0, 0) for l in range(net.n_layers)] + \
               [Selection.bias(l + 1, 0) for l in range(net.n_layers)] + \
               [Selection.neuron(layer, 0) for layer in range(net.n_layers + 1)]:
        session.select(sel)
        out += [(f"inspector {sel}", t) for _, t in widget_texts(window.inspector)]
    out += [("output chart", chart.summary())] + [("output value", t) for t in chart.value_texts()]
    if chart.problem is None:
        out += [("output chart loss", t) for t in chart.loss_texts()]
    if any(t in ("∞", "−∞", "?") for t in chart.value_texts()):
        assert "overflow" in chart.summary()
    window.stepper.show_explain(Selection.weight(1, 0, 0))
    out += widget_texts(window)
    out += diagram_texts(window)
    if any(item.value_text in ("∞", "−∞", "?") for row in window.view.scene().neurons for item in row):
        assert any("overflow" in t for t in window.view.legend().texts())
    if steps:
        out += stepper_texts(window)
        window.stepper.gradcheck.run()
        out += widget_texts(window.stepper.gradcheck)
    return out


def assert_explained(texts: list[tuple[str, str]]) -> None:
    """No bare NaN or ∞ anywhere, no number written with all its 300 digits; every NaN or ∞
    written out says it is an overflow."""
    bare = [(where, text) for where, text in texts if BARE.search(text) or RUNAWAY.search(text)]
    assert not bare, bare[:5]
    unexplained = [(where, text) for where, text in texts
                   if any(mark in text for mark in NON_FINITE) and "overflow" not in text
                   and text not in ("∞", "−∞")]
    assert not unexplained, unexplained[:5]


def play_until_stopped(window: MainWindow, qtbot) -> list[str]:
    """Press Play like a person and wait until training stops by itself; its messages."""
    clock, bar = window.training.clock, window.training.bar
    messages: list[str] = []
    clock.diverged.connect(messages.append)
    clock.stopped.connect(messages.append)
    clock.failed.connect(messages.append)
    qtbot.mouseClick(bar.widgetForAction(bar.play_action), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not clock.is_running, timeout=10_000)
    return messages


# ----- loaded from a file ---------------------------------------------------------------------

@pytest.mark.parametrize("what", ["weights", "biases", "inputs", "learning_rate"])
@pytest.mark.parametrize("size", MAGNITUDES)
def test_huge_numbers_from_a_file_open_train_and_are_explained_everywhere(
        window, qtbot, tmp_path, what, size):
    path = huge_project(tmp_path / f"huge-{what}.bpnet", what, size)
    if what == "learning_rate" and size > TRAINING_BOUNDS["learning_rate"].high:
        # Beyond what the learning-rate field can hold, a file is refused (engine.limits),
        # naming the field, and the window keeps its project.
        shown = []
        window.files._show_error = lambda title, text, detail="": shown.append(detail)
        assert not window.files.open_path(path, ask=False)
        assert "training.learning_rate: must be in 1e-06 … 1,000,000" in shown[-1]
        return
    assert window.files.open_path(path, ask=False)
    assert_explained(everything(window, steps=False))

    messages = play_until_stopped(window, qtbot)
    assert messages and "diverged" in messages[-1] or "already" in messages[-1], messages
    assert window.training.clock.divergence == messages[-1]
    banner = window.training.bar.banner
    assert banner.isVisible() and messages[-1] in [t for _, t in widget_texts(banner)]
    # The step pages only show overflows from 10¹⁰⁰ on (below, every number is finite).
    assert_explained(everything(window, steps=size >= 1e100))


# ----- typed into the Inspector ---------------------------------------------------------------

def type_value(qtbot, window: MainWindow, text: str) -> None:
    editor = window.inspector.editor
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


@pytest.mark.parametrize("target, name", [(Selection.weight(1, 0, 1), "W¹[1,2]"),
                                          (Selection.bias(1, 0), "b¹[1]")])
@pytest.mark.parametrize("text", ["1e6", "1e20", "1e100", "1e300"])
def test_huge_values_typed_into_the_inspector_are_explained_and_training_says_why_it_stops(
        window, qtbot, target, name, text):
    session = window.session
    session.select(target)
    type_value(qtbot, window, text)
    assert session.undo_stack.undoText() == f"Set {name} to {float(text):.4g}"
    assert not window.inspector.error.isVisible()
    assert_explained(everything(window, steps=False))

    messages = play_until_stopped(window, qtbot)
    what = "weights" if target.is_weight else "biases"
    assert f"The {what} were already huge before training" in messages[-1]
    assert "Re-initialise the weights" in messages[-1] and "too high" not in messages[-1]
    assert_explained(everything(window, steps=text == "1e300"))


def test_a_value_that_makes_the_forward_pass_overflow_is_refused_where_it_was_typed(window, qtbot):
    session = window.session
    session.select(Selection.weight(1, 0, 1))
    type_value(qtbot, window, "1e300")                   # z¹ reaches 10³⁰⁰: still finite
    assert session.network.weights[0][0, 1] == 1e300
    before = [W.copy() for W in session.network.weights]
    session.select(Selection.weight(2, 0, 0))
    type_value(qtbot, window, "1e300")                   # z² = 10³⁰⁰ · 10³⁰⁰ · x would be ∞
    inspector = window.inspector
    message = ("1×10³⁰⁰ is too large for W²[1,1]: the forward pass would overflow (z² of sample 1 "
               "would pass 1.8×10³⁰⁸, the largest number the computer can hold). Type a smaller "
               "value.")
    assert inspector.error.isVisible() and inspector.error.text() == message
    assert "border" in inspector.editor.styleSheet()     # the field is marked, with the text kept
    assert inspector.editor.text() == "1e300"
    assert window.statusBar().currentMessage() == message
    assert all(np.array_equal(W, W0) for W, W0 in zip(session.network.weights, before))
    assert session.undo_stack.count() == 1
    # A smaller value for the same weight is taken.
    type_value(qtbot, window, "2")
    assert session.network.weights[1][0, 0] == 2.0 and not inspector.error.isVisible()


# ----- reached by training --------------------------------------------------------------------

@pytest.mark.parametrize("rate", MAGNITUDES)
def test_a_huge_learning_rate_diverges_and_every_view_explains_what_it_left(window, qtbot, rate):
    bar = window.training.bar
    if rate <= 1e6:        # the learning-rate field goes up to 10⁶: typed there like a person
        field = bar.findChild(QWidget, "learning_rate_field")
        qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
        field.selectAll()
        qtbot.keyClicks(field, f"{rate:.0f}")
        qtbot.keyClick(field, Qt.Key.Key_Return)
    else:                  # beyond it, neither a file nor the settings command may set it
        with pytest.raises(ValueError, match=r"^Learning rate must be in 1e-06 … 1,000,000"):
            window.training.clock.set_setting("learning_rate", rate)
        assert window.session.training.learning_rate == 0.1
        return
    assert window.session.training.learning_rate == rate

    messages = play_until_stopped(window, qtbot)
    assert f"The learning rate {rate:g} is too high" in messages[-1]
    assert "Try a lower learning rate, such as 0.1." in messages[-1]
    assert all(np.isfinite(p).all() for p in (*window.session.network.weights,
                                               *window.session.network.biases))
    texts = everything(window) + plot_texts(window)
    assert_explained(texts)
    assert any(messages[-1] in t for _, t in texts)


@pytest.mark.parametrize("size", (1e20, 1e300, 1.7e308))
def test_points_far_out_are_drawn_with_a_few_ticks_and_short_numbers(window, tmp_path, size):
    # Two moons times 10²⁰ … 1.7×10³⁰⁸ (the largest float): the plot used to list one tick
    # per unit (a ValueError in every paint), the sample list all 300 digits of each number.
    project = default_project("moons")
    project.dataset.inputs = np.clip(project.dataset.inputs * size, -1.7e308, 1.7e308)
    path = tmp_path / "far.bpnet"
    save_project(project, path)
    assert window.files.open_path(path, ask=False)
    canvas = window.findChild(PointsCanvas)
    canvas.grab()                                         # paints axes, regions and points
    ticks = axis_ticks(canvas.limit, canvas.plot_rect().width(), canvas.fontMetrics().horizontalAdvance)
    assert 2 <= len(ticks) <= 21 and np.isfinite(ticks).all()
    x, y = project.dataset.inputs[0]
    p = canvas.data_to_widget(x, y)
    assert canvas.plot_rect().adjusted(-1, -1, 1, 1).contains(p)
    assert np.allclose(canvas.widget_to_data(p), (x, y), rtol=1e-9)
    rows = [t for _, t in widget_texts(window) if t.lstrip("\u2007").startswith("1   “")]
    assert rows and all(len(t) < 80 for t in rows), rows
    assert_explained(everything(window, steps=False))


# ----- the explanations, one view at a time ------------------------------------------------------

@pytest.fixture
def overflowed(window, tmp_path) -> MainWindow:
    """The window on the default project with every weight ±10³⁰⁰: z² and all after it are
    ±∞ or NaN for every sample."""
    assert window.files.open_path(huge_project(tmp_path / "w.bpnet", "weights", 1e300), ask=False)
    return window


CAUSE = "overflow: the weights are too large (up to 1×10³⁰⁰)"


def test_the_inspector_says_why_above_the_numbers(window, tmp_path):
    session, inspector = window.session, window.inspector
    session.select(Selection.neuron(2, 1))
    assert "overflow" not in inspector.readouts.text()    # ordinary weights: no such line
    window.files.open_path(huge_project(tmp_path / "w.bpnet", "weights", 1e300), ask=False)
    session.select(Selection.neuron(2, 1))
    assert inspector.readouts.text().startswith(f"<p>∞ and “undefined” below mark an {CAUSE}.</p>")
    assert "(overflow)</b>" in inspector.readouts.text()


def test_diagram_tooltips_and_legend_say_why(overflowed):
    view = overflowed.view
    # a¹[5] = 4×10³⁰⁰ (the ±10³⁰⁰ weights of sample 1's pixels add up to four), W²[3,5] = −10³⁰⁰.
    tip = view.tooltip_for(Selection.weight(2, 2, 4))
    assert "<b>4×10³⁰⁰ × −1×10³⁰⁰ = −∞ (overflow)</b>" in tip
    assert f"</table><div style='color:gray'>O{CAUSE[1:]}</div><span" in tip
    assert f"</table><div style='color:gray'>O{CAUSE[1:]}</div><span" in view.tooltip_for(
        Selection.neuron(2, 1))
    assert "Overflow" not in view.tooltip_for(Selection.neuron(0, 1))
    spec = view.legend()
    assert spec.entries[0].text == f"∞, ? and “undefined” mark an {CAUSE}"
    # In the smallest legend too, which leaves out every other note and the line-width key.
    placed = legend_layout(spec, 200.0)[1]
    assert spec.entries[0] in [entry for entry, _, _ in placed]
    bars = [e for e in spec.entries if isinstance(e, ColorBar)]
    assert bars and all(np.isfinite([b.low, b.high]).all() for b in bars)


def test_an_update_page_says_the_loss_is_already_undefined(overflowed):
    panel = overflowed.stepper
    panel.cursor.go_to(next(i for i, s in enumerate(panel.cursor.steps) if s.phase == "update"))
    assert panel.page.loss_line.text().startswith(
        "<b>The loss for this sample is already undefined (overflow) before this step.</b>")
    assert panel.page.note.text().startswith(f"∞ and ? mark an {CAUSE}. ")


def test_the_worked_matrices_paint_overflows_on_a_dark_background(overflowed, qtbot):
    from backprop_gui.ui.common.theme import dark_palette

    page = overflowed.stepper.page
    overflowed.stepper.cursor.go_to(2)                     # z²: ±∞ and NaN beside 10³⁰⁰
    assert not np.isfinite(page.expression.result.values).all()
    page.canvas.setPalette(dark_palette())
    page.canvas.grab()                                     # tints by |value|: ∞ at full strength


@pytest.mark.parametrize("dataset, what, size, where", [
    ("digits01", "weights", 1e300, "heatmap readout"),   # the gradients are NaN
    ("digits01", "inputs", 1e100, "loss readout"),       # the first epoch's loss is NaN …
    ("digits01", "inputs", 1e100, "training_progress"),  # … on the plot and in the bar
    ("xor", "linear", 1e300, "QTableView"),              # the samples table's ŷ = ∞
])
def test_plots_bar_and_samples_table_explain_overflows(window, qtbot, tmp_path, dataset, what,
                                                      size, where):
    path = tmp_path / "h.bpnet"
    if what == "linear":
        # XOR (a table) into one linear neuron, ŷ = 10³⁰⁰x₁ + 10³⁰⁰x₂ with inputs of 10³⁰⁰:
        # ∞ for every sample but (0, 0). (Sums of +∞ and −∞ are left out: BLAS may give
        # either infinity instead of NaN.)
        project = default_project(dataset)
        project.network = Network([2, 1], ["linear"], "mse", [np.full((1, 2), size)], [np.zeros(1)])
        project.dataset.inputs = project.dataset.inputs * size
        save_project(project, path)
    else:
        huge_project(path, what, size, dataset)
    assert window.files.open_path(path, ask=False)
    play_until_stopped(window, qtbot)
    texts = everything(window, steps=False) + plot_texts(window)
    assert_explained(texts)
    assert any("overflow" in t for w, t in texts if where in w), [(w, t) for w, t in texts if where in w]


def test_the_activation_colour_scale_spans_finite_values(window):
    # W¹ = 10³⁰⁸ everywhere: z¹ = 10³⁰⁸ × (the pixels that are on) = ∞, so a¹ = ∞ and all
    # after it NaN; the scale runs over what is finite (the inputs' 0 … 1 and nothing else).
    net = window.session.network.copy()
    net.weights[0] = np.full(net.weights[0].shape, 1e308)
    window.session.replace_network("Huge first layer", net)
    bars = [e for e in window.view.legend().entries if isinstance(e, ColorBar)]
    assert [(b.low, b.high) for b in bars if b.title.startswith("neuron colour")] == [(0.0, 1.0)]


def test_a_huge_but_finite_loss_is_written_short(window, qtbot):
    # W¹[1,2] = 10³⁰⁰ (taken: every number stays finite) gives sample 1 a loss of 6.6×10²⁹⁸,
    # which the Output chart wrote with all its 299 digits, over its own title.
    window.session.select(Selection.weight(1, 0, 1))
    type_value(qtbot, window, "1e300")
    chart = window.findChild(OutputChart)
    assert chart.problem is None and 1e298 < chart.loss < 1e299
    assert chart.loss_texts() == ("cross-entropy loss 6.61×10²⁹⁸", "loss L = 6.61×10²⁹⁸")
    assert_explained(everything(window, steps=False))


def test_pixels_far_out_are_written_short(window, tmp_path):
    from backprop_gui.ui.editors.pixel_editor import PixelEditor, _format_pixel

    assert [_format_pixel(v) for v in (0.0, 1.0, 0.25, 999.5)] == ["0", "1", ".25", "999.50"]
    assert _format_pixel(1e300) == "1×10³⁰⁰" and _format_pixel(-2.5e20) == "−2.5×10²⁰"
    assert window.files.open_path(huge_project(tmp_path / "p.bpnet", "inputs", 1e300), ask=False)
    window.findChild(PixelEditor).grab()
