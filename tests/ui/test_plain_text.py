"""Text from a file is text: a project whose every string holds markup opens in the real
window, every panel, tooltip, menu, dialog and the worksheet show the literal characters,
and nothing a tag names is ever read.

Qt renders a string as HTML wherever it guesses rich text (a QLabel on automatic format,
every tooltip, a QMessageBox, pyqtgraph's labels). The file's strings hold tags a person can
see (`<b>`), tags that make Qt read a file (`<img src=…>`: with /dev/zero until memory runs
out), links and `&lt;` (which alone makes Qt guess HTML). The `<img>` tags name a pipe that a
separate process keeps offering for writing: if Qt ever opens it, the process logs it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPointF, QSettings, Qt
from PySide6.QtGui import QAction, QMouseEvent, QTextDocument
from PySide6.QtGui import Qt as QtGui
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QApplication, QComboBox, QGraphicsTextItem, QGraphicsView,
    QLabel, QMenu, QMessageBox, QScrollArea, QTabBar, QTextEdit, QToolTip, QWidget,
)

from backprop_gui.engine.projectfile import save_project
from backprop_gui.engine.selection import Selection
from backprop_gui.engine.walkthrough import walkthrough
from backprop_gui.session.recovery import RecoveryEntry
from backprop_gui.session.session import Session, default_project
from backprop_gui.ui.dialogs.about import AboutDialog
from backprop_gui.ui.dialogs.recovery import RecoveryDialog
from backprop_gui.ui.dialogs.shortcuts import ShortcutsDialog
from backprop_gui.ui.editors.input_panel import sample_caption
from backprop_gui.ui.window.main_window import MainWindow
from backprop_gui.ui.stepper.worksheet import worksheet_blocks

TOKEN = "Zq"    # marks every string that came from the file
LONG = 10_000   # characters added to the title (and, for the layout, to each class name)
# What the file's markup looks like in a string handed to Qt's HTML parser unescaped.
RAW_MARKUP = (f"<b>{TOKEN}", f"&lt;{TOKEN}", '<img src="/', "<img src=fifo", '<a href="/')
# Shown literally, each TOKEN follows one of these; rendered as HTML, it does not.
LITERAL_BEFORE = ("<b>", "&lt;", '">')
# A separate process, not a thread: Qt reads the pipe on the GUI thread without releasing
# the GIL, so a thread could never close it and a fetch would hang the test.
WRITER = """
import os, sys
pipe, log = sys.argv[1:]
while True:
    os.close(os.open(pipe, os.O_WRONLY))   # returns only when someone opens the pipe to read
    with open(log, "a") as f:
        f.write("x")
"""


def hostile(field: str, src: str) -> str:
    return (f'&lt;{TOKEN}{field}&gt; <b>{TOKEN}{field}</b> <img src="{src}"> '
            f'<a href="{src}">{TOKEN}{field}</a>')


class FetchDetector:
    """A named pipe and a process waiting to write to it: counts how often it was opened."""

    def __init__(self, folder: Path) -> None:
        self.pipe = folder / "fifo"
        self.log = folder / "fetches.log"
        os.mkfifo(self.pipe)
        self.log.write_text("")
        self.process = subprocess.Popen([sys.executable, "-c", WRITER, str(self.pipe), str(self.log)])

    def fetches(self) -> int:
        return len(self.log.read_text())

    def prove_it_detects(self, qtbot) -> None:
        """The pipe named the way the file name names it, in a label rendered as HTML: the
        detector must see that fetch (else every "nothing fetched" above proves nothing)."""
        before = self.fetches()
        label = QLabel("<img src=fifo>")   # relative: Qt reads it from the working folder
        label.setTextFormat(Qt.TextFormat.RichText)
        label.sizeHint()
        qtbot.waitUntil(lambda: self.fetches() > before, timeout=5000)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def detector(tmp_path, monkeypatch):
    if not hasattr(os, "mkfifo"):
        pytest.skip("named pipes are POSIX")
    monkeypatch.chdir(tmp_path)   # the file name's `<img src=fifo>` is relative to it
    d = FetchDetector(tmp_path)
    yield d
    d.stop()


@pytest.fixture(autouse=True)
def private_settings(tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def hostile_project_file(folder: Path, dataset: str, pipe: Path, long_names: bool = False) -> Path:
    """The built-in `dataset` as a project file whose every string holds markup (with
    `long_names`, class names of 10,000 more characters with nowhere to break a line)."""
    project = default_project(dataset)
    ds = project.dataset
    src = str(pipe)
    ds.name = hostile("name", src)
    ds.title = hostile("title", src) + " " + "x" * LONG
    ds.description = hostile("description", src)
    ds.class_names = [hostile(f"c{k}", src) + ("y" * LONG if long_names else "")
                      for k in range(ds.n_classes)]
    project.lesson = hostile("lesson", src)
    # The file's own name too ("/" cannot be in it: the pipe is named relative to the cwd).
    path = folder / f"&lt;{TOKEN}file&gt; <b>{TOKEN}file<i> <img src=fifo> [*] & co.bpnet"
    save_project(project, path)
    return path


def open_window(qtbot, settings, path: Path, size=(1280, 800), at_start: bool = False) -> MainWindow:
    """A window showing the project at `path`: opened with File ▸ Open's own code, or
    (`at_start`) before the window is built, as `backprop-gui FILE --screenshot` does."""
    session = Session()
    if at_start:
        session.open_file(path)
    window = MainWindow(session, settings=settings)
    qtbot.addWidget(window)
    window.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    if not at_start:
        assert window.files.open_path(path, ask=False)
    settle()
    return window


def settle() -> None:
    """Let the layout settle: requests climb one level per turn, and a combo box fits its
    new items after a 20 ms timer."""
    QTest.qWait(100)


# ----- what Qt shows, and whether as HTML ---------------------------------------------------

def tooltip_is_rich(text: str) -> bool:
    return QtGui.mightBeRichText(text)


def label_is_rich(label: QLabel) -> bool:
    fmt = label.textFormat()
    return fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText
                                             and QtGui.mightBeRichText(label.text()))


def rendered(text: str, rich: bool) -> str:
    """What a person reads. Only called for HTML built by the app (checked unescaped first)."""
    if not rich:
        return text
    assert not any(m in text for m in RAW_MARKUP), text[:300]
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def model_texts(view: QAbstractItemView, where: str):
    model = view.model()
    if model is None:
        return

    def columns(parent: QModelIndex = QModelIndex()) -> int:
        try:
            return model.columnCount(parent)
        except TypeError:   # a list model's columnCount is private in PySide
            return 1

    def walk(parent: QModelIndex, depth: int):
        for row in range(min(model.rowCount(parent), 200)):
            for col in range(columns(parent)):
                index = model.index(row, col, parent)
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str) and tip:
                    yield f"{where}[{row},{col}] tooltip", tip, tooltip_is_rich(tip)
                text = model.data(index, Qt.ItemDataRole.DisplayRole)
                if isinstance(text, str):
                    yield f"{where}[{row},{col}]", text, False
                if depth < 3:
                    yield from walk(index, depth + 1)

    yield from walk(QModelIndex(), 0)
    for orientation in (Qt.Orientation.Horizontal, Qt.Orientation.Vertical):
        count = columns() if orientation == Qt.Orientation.Horizontal else model.rowCount()
        for section in range(min(count, 200)):
            tip = model.headerData(section, orientation, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str) and tip:
                yield f"{where} header tooltip", tip, tooltip_is_rich(tip)


def shown_texts(root: QWidget):
    """(where, text, Qt renders it as HTML) for every text `root` and its children show:
    labels, buttons, tooltips, tabs, item views, graphics items, documents and actions."""
    for w in [root, *root.findChildren(QWidget)]:
        name = f"{type(w).__name__} {w.objectName()}".strip()
        if w.toolTip():
            yield f"{name} tooltip", w.toolTip(), tooltip_is_rich(w.toolTip())
        if isinstance(w, QLabel):
            yield name, w.text(), label_is_rich(w)
        elif isinstance(w, QAbstractButton):
            yield name, w.text(), False
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                yield f"{name} tab {i}", w.tabText(i), False
                if w.tabToolTip(i):
                    yield f"{name} tab {i} tooltip", w.tabToolTip(i), tooltip_is_rich(w.tabToolTip(i))
        elif isinstance(w, QTextEdit):
            yield name, w.toPlainText(), False
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{name} item {i}", w.itemText(i), False
        if isinstance(w, QAbstractItemView):
            yield from model_texts(w, name)
        if isinstance(w, QGraphicsView) and w.scene() is not None:
            for item in w.scene().items():
                if item.toolTip():
                    yield f"{name} item tooltip", item.toolTip(), tooltip_is_rich(item.toolTip())
                if isinstance(item, QGraphicsTextItem):   # pyqtgraph's titles, labels, legends
                    yield f"{name} {type(item).__name__}", item.toPlainText(), False
                elif hasattr(item, "text") and callable(item.text):
                    text = item.text()
                    if isinstance(text, str):
                        yield f"{name} {type(item).__name__}", text, False
    for action in root.findChildren(QAction):
        where = f"action {action.iconText()[:40]!r}"
        # iconText is the text as a menu shows it: "&" marks a shortcut letter, "&&" is "&".
        yield where, action.iconText(), False
        if action.toolTip():
            yield f"{where} tooltip", action.toolTip(), tooltip_is_rich(action.toolTip())


def problems(texts) -> list[str]:
    found = []
    for where, text, rich in texts:
        if rich:
            raw = [m for m in RAW_MARKUP if m in text]
            if raw:
                found.append(f"{where}: the file's {raw} reaches Qt as HTML: {text[:160]!r}")
            continue
        for match in re.finditer(TOKEN, text):
            if not text[:match.start()].endswith(LITERAL_BEFORE):
                found.append(f"{where}: shows the file's markup, not its characters: "
                             f"{text[max(0, match.start() - 40):match.start() + 20]!r}")
                break
    return found


def visit_everything(qtbot, window: MainWindow) -> None:
    """Show each panel and tab and each kind of selection, as a person would look around."""
    session = window.session
    window.dock("Dataset").raise_()
    stepper = window.stepper
    window.dock("Steps").raise_()
    for _ in range(len(stepper.cursor.steps)):
        stepper.next()
        QApplication.processEvents()
    window.dock("Plots").raise_()
    plots = window.training.panel()
    for i in range(plots.tabs.count()):
        plots.tabs.setCurrentIndex(i)
        QApplication.processEvents()
    window.dock("Steps").raise_()
    net = session.network
    last = net.n_layers
    for selection in (Selection.neuron(0, 0), Selection.bias(1, 0), Selection.neuron(last, 0),
                      Selection.weight(last, 0, 0)):
        session.select(selection)
        QApplication.processEvents()
    stepper.show_explain(Selection.weight(last, 0, 0))
    stepper.tabs.setCurrentIndex(2)
    QApplication.processEvents()
    stepper.tabs.setCurrentIndex(0)
    # The recent-files menu fills itself when it opens; the Dataset panel's context menu
    # (with "Label as" and the class names) is built on a right-click.
    for menu in window.findChildren(QMenu):
        menu.aboutToShow.emit()
    panel = window.panel("Dataset")
    panel._on_context_menu(panel.view.visualRect(panel.model.index(0)).center())
    QApplication.processEvents()
    for menu in panel.findChildren(QMenu):
        menu.close()


def hover(view, scene_point: QPointF) -> str:
    vp = view.viewport()
    pos = view.mapFromScene(scene_point)
    event = QMouseEvent(QMouseEvent.Type.MouseMove, QPointF(pos), QPointF(vp.mapToGlobal(pos)),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, event)
    return QToolTip.text()


# ----- the tests ------------------------------------------------------------------------------

@pytest.mark.parametrize("dataset", ["digits", "moons", "xor"])
def test_a_file_whose_every_string_holds_markup_is_shown_literally(qtbot, tmp_path, detector,
                                                                   private_settings, dataset):
    path = hostile_project_file(tmp_path, dataset, detector.pipe)
    window = open_window(qtbot, private_settings, path)
    session = window.session
    ds = session.dataset
    src = str(detector.pipe)
    shown_class = ds.class_names[ds.labels[session.selected_sample]]   # the selected sample's
    assert ds.title.startswith(hostile("title", src)) and session.project.lesson == hostile("lesson", src)

    # The Input panel's caption: exactly the caption's characters, drawn as plain text.
    caption = window.panel("Input").caption
    assert not isinstance(caption, QLabel) or caption.textFormat() == Qt.TextFormat.PlainText
    assert caption.text() == sample_caption(session) and shown_class in caption.text()
    # The output chart and the network's output labels name the classes literally.
    chart = window.panel("Input").output_chart
    _, labels = chart.label_column()
    # (a name this long is cut with "…" to the chart's width: its first characters suffice)
    assert labels and all("“&lt;" in label for label in labels), (labels, chart.width())
    assert any(f"“{hostile(f'c{k}', src)}”" in chart.summary() for k in range(ds.n_classes))
    named = [item.text() for item in window.view.scene().labels.output_labels if "“" in item.text()]
    assert all(f"“&lt;{TOKEN}c" in text for text in named), named
    assert named or dataset == "xor"   # one sigmoid output: "ŷ = 0.39"
    # The Dataset panel's header (HTML built by the panel) shows the title's characters.
    dataset_panel = window.panel("Dataset")
    assert rendered(dataset_panel.header.text(), True).startswith(f"&lt;{TOKEN}title&gt;")
    tip = dataset_panel.view.model().data(dataset_panel.view.model().index(0), Qt.ItemDataRole.ToolTipRole)
    assert f"label “{shown_class}”" in rendered(tip, tooltip_is_rich(tip))
    header_tip = dataset_panel.header.toolTip()
    assert hostile("description", src) in rendered(header_tip, tooltip_is_rich(header_tip))

    visit_everything(qtbot, window)
    # The Inspector names the sample's class in plain text.
    note = window.inspector.note
    assert note.textFormat() == Qt.TextFormat.PlainText and f"“&lt;{TOKEN}c" in note.text()
    # Hovering an output neuron: its tooltip names its class (with several outputs), escaped.
    tip = hover(window.view, window.view.neuron_scene_pos(session.network.n_layers, 0))
    assert tip and (f"“&lt;{TOKEN}c0" in rendered(tip, tooltip_is_rich(tip)) or dataset == "xor")

    # Undo names the relabelled sample's class: in the Edit menu ("&" is no shortcut
    # letter there), its tooltip and the status bar, literally.
    other = 1 - int(ds.labels[0])
    session.relabel_sample(0, other)
    undo = window.window_actions.undo
    name = f"“{hostile(f'c{other}', src)}”"
    assert name in undo.iconText() and name in rendered(undo.toolTip(), tooltip_is_rich(undo.toolTip()))
    # The window title: the file's name, its "[*]" kept, then the modified mark.
    assert window.windowHandle().title().startswith(path.name + "*")
    session.undo_stack.undo()
    QApplication.processEvents()
    assert window.windowHandle().title().startswith(path.name + " — ")

    texts = list(shown_texts(window))
    texts.append(("status bar", window.statusBar().currentMessage(), False))
    texts.append(("window title", window.windowHandle().title(), False))
    for dialog in (AboutDialog(window), ShortcutsDialog(window.menuBar(), window)):
        texts += shown_texts(dialog)   # built by the functions Help ▸ … calls; deleted with the window
    found = problems(texts)
    assert not found, "\n".join(found)
    # Some of what was checked really holds the file's strings.
    assert sum(TOKEN in text for _, text, _ in texts) > 20

    assert detector.fetches() == 0, "Qt opened a file named in the project's markup"
    detector.prove_it_detects(qtbot)


def test_the_worksheet_prints_the_file_strings_as_text(qtbot, tmp_path, detector, private_settings):
    path = hostile_project_file(tmp_path, "digits", detector.pipe)
    window = open_window(qtbot, private_settings, path)
    session = window.session
    pdf = tmp_path / "worksheet.pdf"
    assert window.stepper.export_worksheet(path=str(pdf)) >= 1 and pdf.stat().st_size > 0
    steps = walkthrough(session.network, session.sample_input(), session.sample_target(),
                        session.training.learning_rate)
    header = rendered(worksheet_blocks(session, steps, False)[0], True)
    assert f"in “{hostile('title', str(detector.pipe))}" in header
    # The 10,000-character title is cut: laid out whole, the header was taller than a page.
    assert "x" * (LONG // 10) not in header and "x…”, label" in header
    assert f"label “{hostile('c0', str(detector.pipe))}”" in header
    assert detector.fetches() == 0, "the worksheet read a file named in the project's markup"
    detector.prove_it_detects(qtbot)


def test_message_boxes_and_the_recovery_dialog_show_names_as_text(qtbot, tmp_path, detector,
                                                                  private_settings, monkeypatch):
    src = str(detector.pipe)
    # A broken file with a hostile name and hostile content: the error names both.
    broken = tmp_path / f"<b>{TOKEN}broken<i> <img src=fifo>.bpnet"
    broken.write_text('{"format": "backprop-gui-project", "version": 1, "network": {'
                      f'"sizes": [2, 1], "activations": ["&lt;{TOKEN}act <img src=fifo>"]}}}}')
    window = open_window(qtbot, private_settings, hostile_project_file(tmp_path, "xor", detector.pipe))
    boxes: list[QMessageBox] = []
    monkeypatch.setattr("backprop_gui.ui.window.file_controller.can_ask", lambda: True)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box) or 0)
    assert not window.files.open_path(broken, ask=False)
    boxes.append(window.files.save_changes_box())   # the question File ▸ Open asks first

    now = datetime.now().astimezone()
    entry = RecoveryEntry("a", tmp_path / "a.bpnet", hostile("display", src),
                          Path(hostile("original", src)), now, hostile("version", src))
    problem = f"The autosaved copy of “{hostile('problem', src)}” could not be read"
    dialog = RecoveryDialog([entry], [problem], tmp_path, window)   # deleted with the window
    dialog.show()
    boxes.append(dialog.discard_box(entry))

    for box in boxes:   # each a child of the window or the dialog, deleted with it
        box.show()
        assert box.textFormat() == Qt.TextFormat.PlainText, box.text()
    # The file's name and what it holds are in the detail (always plain text) under the
    # plain words.
    detail = boxes[0].detailedText()
    assert f"“{broken}” could not be opened" in detail
    assert f"&lt;{TOKEN}act <img src=fifo>" in detail
    assert window.session.path.name in boxes[1].text()
    assert hostile("display", src) in boxes[2].text()
    assert dialog.problems.textFormat() == Qt.TextFormat.PlainText
    item = dialog.list.topLevelItem(0)
    assert hostile("display", src) in rendered(item.toolTip(0), tooltip_is_rich(item.toolTip(0)))
    texts = [t for w in (dialog, *boxes) for t in shown_texts(w)]
    for box in boxes:
        box.close()
    dialog.close()
    found = problems(texts)
    assert not found, "\n".join(found)
    assert detector.fetches() == 0, "a dialog read a file named in a name or an error"
    detector.prove_it_detects(qtbot)


def test_typed_markup_in_the_inspector_is_quoted_as_text(qtbot, tmp_path, detector, private_settings):
    window = open_window(qtbot, private_settings, hostile_project_file(tmp_path, "xor", detector.pipe))
    window.session.select(Selection.weight(1, 0, 0))
    editor = window.inspector.editor
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, f"<b>{TOKEN}typed</b><img src=fifo>")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    error = window.inspector.error
    assert error.isVisible() and error.textFormat() == Qt.TextFormat.PlainText
    assert f"“<b>{TOKEN}typed</b><img src=fifo>” is not a number" in error.text()
    assert detector.fetches() == 0
    detector.prove_it_detects(qtbot)


def test_exports_name_the_chosen_file_as_text(qtbot, tmp_path, detector, private_settings,
                                              monkeypatch):
    """A file name a person types in a save dialog is shown as text too."""
    window = open_window(qtbot, private_settings, hostile_project_file(tmp_path, "digits", detector.pipe))
    chosen = f"&lt;{TOKEN}chosen&gt; <b>{TOKEN}chosen<i> <img src=fifo>"
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box) or 0)
    # The diagram's Export: says where it saved in a tooltip over the diagram.
    view = window.view
    monkeypatch.setattr("backprop_gui.ui.diagram.view_actions.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(tmp_path / f"{chosen}.png"), ""))
    view.view_actions.export.trigger()
    assert (tmp_path / f"{chosen}.png").is_file()
    tip = QToolTip.text()
    assert f"saved to {tmp_path / chosen}.png" in rendered(tip, tooltip_is_rich(tip))
    # The worksheet and a plot, into a folder that does not exist: a message box says so.
    missing = tmp_path / chosen / "missing"
    assert window.stepper.export_worksheet(path=str(missing / "sheet.pdf")) == 0
    plots = window.training.panel()
    plots.ask_path = lambda *a: str(missing / "plot.png")
    assert plots.export_current("png") is None
    assert len(boxes) == 2
    for box in boxes:
        assert box.textFormat() == Qt.TextFormat.PlainText and str(missing) in box.text(), box.text()
    assert detector.fetches() == 0
    detector.prove_it_detects(qtbot)


@pytest.mark.parametrize("dataset, size, at_start", [
    ("digits", (1280, 800), False), ("digits", (1024, 600), True), ("moons", (1024, 600), True)])
def test_long_names_and_a_10000_character_title_keep_the_window_in_shape(
        qtbot, tmp_path, detector, private_settings, dataset, size, at_start):
    # The standard layout at 1024×600 too (Automatic would choose the compact one): in the
    # compact layout's narrower, taller diagram the long names keep their long label form and
    # the network keeps only ~60 % of its width, a limit of the compact layout still open.
    private_settings.setValue("layout/mode", "standard")
    plain = open_window(qtbot, private_settings, _plain_copy(tmp_path, dataset), size, at_start)
    plain_span = _network_span(plain)
    chart = plain.panel("Input").output_chart
    assert chart.label_column()[1] == chart.row_labels()   # names that fit are never cut
    window = open_window(qtbot, private_settings,
                         hostile_project_file(tmp_path, dataset, detector.pipe, long_names=True),
                         size, at_start)
    window.session.select(Selection.neuron(window.session.network.n_layers, 0))   # the Inspector's note
    settle()
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 600, hint
    # No panel grows wider than its dock (a scroll bar across it).
    for name in ("Input", "Dataset", "Inspector"):
        scroll = window.dock(name).widget()
        assert isinstance(scroll, QScrollArea)
        assert scroll.horizontalScrollBar().maximum() == 0, name
    # The sample list's rows stay about as wide as the panel (72,000 pixels before).
    assert window.panel("Dataset").view.horizontalScrollBar().maximum() < 300
    # The Dataset panel's header cuts the title to its width, with "…".
    header = window.panel("Dataset").header
    title = rendered(header.text(), True).split("\n")[0]
    assert title.endswith("…") and header.fontMetrics().horizontalAdvance(title) < 2 * header.width()
    # The output chart cuts long class names to its label column.
    chart = window.panel("Input").output_chart
    width, labels = chart.label_column()
    assert all(label.endswith("…”") or label.endswith("…") for label in labels), labels
    assert all(chart.fontMetrics().horizontalAdvance(label) < width for label in labels), labels
    # The long labels do not shrink the diagram: the network keeps most of its width.
    span = _network_span(window)
    assert span >= 0.7 * plain_span, (span, plain_span)   # 0.4 when the labels were not cut


def _plain_copy(folder: Path, dataset: str) -> Path:
    path = folder / "plain.bpnet"
    save_project(default_project(dataset), path)
    return path


def _network_span(window: MainWindow) -> float:
    """Pixels from the input column to the output column after Fit."""
    view = window.view
    view.fit_to_view()
    QApplication.processEvents()
    first = view.mapFromScene(view.neuron_scene_pos(0, 0))
    last = view.mapFromScene(view.neuron_scene_pos(window.session.network.n_layers, 0))
    return float(last.x() - first.x())
