"""Help ▸ User Guide: the offline guide in resources/help, driven like a person.

The pages are checked as files (every page in the manifest exists, every internal link and
picture resolves, anchors are unique, no address outside the guide) and as the window shows
them (F1 opens the index, a click follows a link, an external link is refused with no network,
a glossary address lands on its term, sections appear only with their panel).
"""

from __future__ import annotations

import shutil
import socket
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QColor, QDesktopServices, QKeySequence, QPalette, QTextCursor
from PySide6.QtWidgets import QLabel, QMessageBox

from backprop_gui import resources
from backprop_gui.ui.guide import contents
from backprop_gui.ui.guide.browser import GuideBrowser, guide_css
from backprop_gui.ui.guide.contents import INDEX, Guide, load_sections, scan
from backprop_gui.ui.guide.dialog import GuideDialog
from backprop_gui.ui.window import main_window
from backprop_gui.ui.window.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
HELP = ROOT / "resources" / "help"

# The terms lessons may link to (guide.html#glossary-<term>); the list and more.
GLOSSARY_TERMS = [
    "epoch", "batch", "mini-batch", "sgd", "learning-rate", "gradient", "gradient-descent",
    "loss", "activation", "weight", "bias", "neuron", "layer", "forward-pass", "backward-pass",
    "chain-rule", "softmax", "cross-entropy", "mean-squared-error", "momentum", "overfitting",
    "validation", "regularisation", "error-signal", "finite-differences", "sigmoid", "relu",
    "vanishing-gradient", "weighted-sum", "target", "parameter", "accuracy", "seed",
    "initialisation",
]


def every_section(_need: str) -> bool:
    return True


def no_optional_section(_need: str) -> bool:
    return False


# ----- the pages as files -------------------------------------------------------------------

def test_every_page_in_the_manifest_exists_and_has_a_title():
    sections = load_sections(HELP)
    assert len(sections) >= 15
    for section in sections:
        page = HELP / section.page
        assert page.is_file(), f"contents.json lists {section.page}, which does not exist"
        assert scan(page.read_text(encoding="utf-8")).title.strip(), f"{section.page} has no <title>"
    assert (HELP / INDEX).is_file()
    assert contents.SECTIONS_MARK in (HELP / INDEX).read_text(encoding="utf-8")


def test_the_guide_covers_every_panel_of_the_window(window):
    # One section per dock the window has today (a new dock needs its page too).
    shown = Guide.load(has=window.guide.has).sections
    titles = {s.title for s in shown}
    # A draft page was written before its panel landed: once the window has it, finalise it.
    assert [s.page for s in shown if s.draft] == []
    for name in window.dock_names():
        assert name in titles, f"the guide has no section for the {name} panel"
    for title in ["The network diagram", "Training", "Menus", "Keyboard shortcuts",
                  "Files, undo and recovery", "Limits and huge numbers", "Glossary"]:
        assert title in titles


@pytest.mark.parametrize("has", [every_section, no_optional_section],
                         ids=["every panel", "no optional panel"])
def test_every_internal_link_and_picture_resolves(has):
    guide = Guide.load(HELP, has)
    anchors = {page: set(scan(guide.page_html(page)).anchors) for page in guide.pages()}
    checked = 0
    for page in guide.pages():
        found = scan(guide.page_html(page))
        for href in found.links:
            url = QUrl(page).resolved(QUrl(href))
            target = url.path() or page
            assert target in guide.pages(), f"{page}: link {href!r} leads to no page shown"
            if url.fragment():
                assert url.fragment() in anchors[target], f"{page}: no anchor for {href!r}"
            checked += 1
        for src in found.images:
            assert QUrl(src).isRelative() and src.endswith(".png"), f"{page}: picture {src!r}"
            assert (HELP / QUrl(page).resolved(QUrl(src)).path()).is_file(), f"{page}: no {src}"
    assert checked > 100
    assert guide.problems() == []


def test_problems_names_each_broken_link_and_picture(tmp_path):
    guide = Guide.load(HELP)
    shutil.copytree(HELP, tmp_path / "help")
    page = tmp_path / "help" / "keys.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", "<a href='nowhere.html'>x</a><a href='steps.html#no-anchor'>y</a>"
                   "<a href='https://example.com/'>z</a><img src='shots/none.png'></body>"),
        encoding="utf-8")
    (tmp_path / "help" / "limits.html").unlink()
    broken = Guide.load(tmp_path / "help").problems()
    assert broken[0] == "limits.html: listed in contents.json but missing"
    planted = [
        "keys.html: the link nowhere.html leads to no page of the guide",
        "keys.html: the link steps.html#no-anchor names no anchor of steps.html",
        "keys.html: the link https://example.com/ leads to no page of the guide",
        "keys.html: the picture shots/none.png is not in the guide's folder",
    ]
    assert [p for p in broken if p.startswith("keys.html")] == planted
    # The rest: the links to the missing page, e.g. from the contents.
    rest = [p for p in broken[1:] if not p.startswith("keys.html")]
    assert "index.html: the link limits.html leads to no page of the guide" in rest
    assert all("limits.html" in p for p in rest)
    assert guide.problems() == []


def test_anchors_are_unique_and_no_page_points_outside_the_guide():
    guide = Guide.load(HELP, every_section)
    seen: dict[str, str] = {}
    for page in guide.pages():
        found = scan(guide.page_html(page))
        for anchor in found.anchors:
            assert anchor not in seen, f"anchor {anchor!r} is in {seen.get(anchor)} and {page}"
            seen[anchor] = page
        for address in found.links + found.images:
            assert QUrl(address).isRelative(), f"{page} points outside the guide: {address}"
        text = guide.page_html(page).lower()
        # Colours come from the palette (guide_css), never from a page.
        for forbidden in ("color", "style=", "<script", "<font", "<style"):
            assert forbidden not in text, f"{page} contains {forbidden!r}"


def test_glossary_has_an_anchor_for_every_term_a_lesson_may_link():
    guide = Guide.load(HELP, no_optional_section)
    assert set(GLOSSARY_TERMS) <= set(guide.glossary_terms())
    for term in GLOSSARY_TERMS:
        assert guide.resolve_stable(f"glossary-{term}") == ("glossary.html", f"glossary-{term}")
    # The glossary lists its terms in alphabetical order.
    terms = [a for a in scan(guide.page_html("glossary.html")).anchors if a.startswith("glossary-")]
    assert terms == sorted(terms)


def test_sections_that_need_a_panel_are_shown_only_with_it():
    needs = {s.page: s.needs for s in load_sections(HELP)}
    assert needs["landscape.html"] == "panel:Landscape"
    assert needs["graph.html"] == "panel:Graph"
    assert needs["lessons.html"] == "panel:Lesson"
    assert needs["compare.html"] == "command:compare_action"
    shown = Guide.load(HELP, lambda need: need == "panel:Graph").pages()
    assert "graph.html" in shown and "landscape.html" not in shown
    index = Guide.load(HELP, no_optional_section).page_html(INDEX)
    assert 'href="graph.html"' not in index and 'href="steps.html"' in index


# ----- the guide in the window --------------------------------------------------------------

@pytest.fixture
def window(qtbot, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    window = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                        remember_layout=False)
    qtbot.addWidget(window)
    window.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def link_point(browser: GuideBrowser, href: str):
    """The middle of the first link to `href` on the page shown, in viewport coordinates."""
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(browser.document())
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                return browser.cursorRect(cursor).center()
            it += 1
        block = block.next()
    raise AssertionError(f"no link to {href} on {browser.current_page()}")


def click_link(qtbot, browser: GuideBrowser, href: str) -> None:
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=link_point(browser, href))


def test_f1_opens_the_guide_at_its_contents(qtbot, window):
    help_menu = window.menu("Help")
    first = help_menu.actions()[0]
    assert first.text().replace("&", "") == "User Guide"
    assert first.shortcut() == QKeySequence("F1")
    assert window.guide.dialog is None
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.guide.dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert dialog.browser.current_page() == INDEX
    text = dialog.browser.toPlainText()
    for title in ["Backprop GUI User Guide", "The network diagram", "Steps", "Glossary"]:
        assert title in text
    assert dialog.windowTitle() == "Contents — Backprop GUI User Guide"


def test_a_click_follows_a_link_and_back_returns(qtbot, window):
    dialog = window.guide.show()
    browser = dialog.browser
    click_link(qtbot, browser, "steps.html")
    assert browser.current_page() == "steps.html"
    assert dialog.windowTitle().startswith("Steps — ")
    assert "Gradient check" in browser.toPlainText()
    assert dialog.back.isEnabled()
    dialog.back.trigger()
    assert browser.current_page() == INDEX
    dialog.glossary.trigger()
    assert browser.current_page() == "glossary.html"


def test_a_glossary_address_opens_its_term(qtbot, window):
    dialog = window.guide.show("guide.html#glossary-momentum")
    browser = dialog.browser
    assert browser.current_page() == "glossary.html"
    assert browser.source().fragment() == "glossary-momentum"
    assert browser.verticalScrollBar().value() > 0        # scrolled down to the term
    # Qt reads the id of every term as an anchor it can scroll to.
    names = set()
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            names.update(it.fragment().charFormat().anchorNames())
            it += 1
        block = block.next()
    assert {f"glossary-{t}" for t in GLOSSARY_TERMS} <= names
    # An unknown anchor falls back to the contents.
    window.guide.show("guide.html#glossary-no-such-term")
    assert browser.current_page() == INDEX


def test_a_bad_address_on_first_opening_shows_the_contents_and_why(qtbot, window):
    dialog = window.guide.show("https://example.com/")
    assert dialog.browser.current_page() == INDEX
    assert dialog.message.isVisible()
    assert dialog.message.text().startswith("Not opened: https://example.com/")


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or hand a link to the desktop fails the test."""
    attempts: list[object] = []

    def refuse(*args, **_kwargs):
        attempts.append(args)
        raise AssertionError(f"network connection attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(refuse))
    return attempts


def hostile_guide(tmp_path: Path) -> Guide:
    help_dir = tmp_path / "help"
    help_dir.mkdir()
    (tmp_path / "secret.html").write_text("<p>outside the guide</p>", encoding="utf-8")
    (help_dir / "contents.json").write_text(
        '{"sections": [{"page": "a.html", "title": "A", "summary": "s"}]}', encoding="utf-8")
    (help_dir / INDEX).write_text("<h1 id='i'>Index</h1><!-- sections -->", encoding="utf-8")
    (help_dir / "a.html").write_text(
        "<h1 id='a'>Page A</h1>"
        "<p><a href='http://example.com/'>web</a> <a href='mailto:x@example.com'>mail</a> "
        "<a href='../secret.html'>up</a> <a href='file:///etc/passwd'>file</a> "
        "<a href='b.html'>missing</a> <a href='#a'>top</a></p>"
        "<p><img src='http://example.com/x.png'><img src='../secret.png'></p>", encoding="utf-8")
    shutil.copy(HELP / "shots" / "input.png", tmp_path / "secret.png")
    return Guide.load(help_dir)


@pytest.mark.parametrize("href", ["http://example.com/", "mailto:x@example.com",
                                  "../secret.html", "file:///etc/passwd", "b.html"])
def test_a_link_outside_the_guide_is_refused_and_not_followed(qtbot, tmp_path, no_network, href):
    dialog = GuideDialog(hostile_guide(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.show_page("a.html")
    assert not dialog.message.isVisible()
    click_link(qtbot, dialog.browser, href)
    assert dialog.browser.current_page() == "a.html"         # still there
    assert "Page A" in dialog.browser.toPlainText()
    assert dialog.message.isVisible()
    assert dialog.message.text().startswith("Not opened: ")
    assert dialog.message.textFormat() == Qt.TextFormat.PlainText
    assert not no_network                                    # nothing went online
    click_link(qtbot, dialog.browser, "#a")                   # an anchor on the page is fine
    assert dialog.browser.current_page() == "a.html" and not dialog.message.isVisible()


class RecordingBrowser(GuideBrowser):
    """Records what Qt asks the browser to read, and whether it got anything."""

    def __init__(self, guide: Guide) -> None:
        super().__init__(guide)
        self.asked: list[tuple[str, bool]] = []

    def loadResource(self, kind, url):
        result = super().loadResource(kind, url)
        self.asked.append((url.toString(), result is not None))
        return result


def test_pictures_and_pages_outside_the_guide_are_not_read(qtbot, tmp_path, no_network):
    browser = RecordingBrowser(hostile_guide(tmp_path))
    qtbot.addWidget(browser)
    browser.show()
    assert browser.follow("a.html")
    qtbot.wait(50)                                           # laid out: pictures asked for
    images = {url.rsplit("/", 1)[-1]: ok for url, ok in browser.asked if url.endswith(".png")}
    assert images == {"x.png": False, "secret.png": False}   # asked for, and refused
    assert browser.asked[0][1] is True                       # the page itself was read
    real_picture_elsewhere = QUrl.fromLocalFile(str(HELP / "shots" / "input.png"))
    assert browser.loadResource(2, real_picture_elsewhere) is None
    assert not no_network


@pytest.fixture
def window_without(qtbot, tmp_path, monkeypatch):
    """A window built without one of its installers (`window_without("install_landscape")`),
    as in a build that lacks that panel or command."""
    def build(installer: str) -> MainWindow:
        monkeypatch.setattr(main_window, installer, lambda *args, **kwargs: None)
        settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, remember_layout=False)
        qtbot.addWidget(window)
        window.files._ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        return window
    return build


def test_a_section_appears_when_its_panel_is_installed(qtbot, window_without):
    window = window_without("install_landscape")
    assert "Landscape" not in window.dock_names()
    assert "landscape.html" not in Guide.load(has=window.guide.has).pages()
    assert "graph.html" in Guide.load(has=window.guide.has).pages()
    window.set_dock_widget("Landscape", QLabel("a landscape"))
    dialog = window.guide.show()
    assert "Landscape" in dialog.browser.toPlainText()
    assert dialog.show_page("landscape.html")
    assert dialog.browser.current_page() == "landscape.html"


def test_a_section_appears_when_its_command_exists(window_without):
    window = window_without("install_runs")
    assert "compare.html" not in Guide.load(has=window.guide.has).pages()
    compare = QAction("Compare…", window)
    compare.setObjectName("compare_action")
    assert "compare.html" in Guide.load(has=window.guide.has).pages()


# ----- colours ------------------------------------------------------------------------------

def test_pages_take_their_colours_from_the_palette(qtbot):
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Link, QColor(110, 170, 255))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor(40, 44, 52))
    css = guide_css(palette)
    assert "#6eaaff" in css and "#282c34" in css
    browser = GuideBrowser(Guide.load(HELP))
    qtbot.addWidget(browser)
    browser.follow("glossary.html")
    browser.setPalette(palette)                # a theme change re-reads the page in its colours
    assert "#6eaaff" in browser.document().defaultStyleSheet()
    assert browser.current_page() == "glossary.html"


# ----- found wherever the app runs from -----------------------------------------------------

def test_the_guide_is_found_in_an_installed_package(monkeypatch, tmp_path):
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["resources"] == "backprop_gui/resources_data"   # help travels with it
    package = tmp_path / "site-packages" / "backprop_gui"
    shutil.copytree(HELP, package / "resources_data" / "help")
    monkeypatch.setattr(resources, "_PACKAGE_DIR", package)
    guide = Guide.load()
    assert guide.root == package / "resources_data" / "help"
    assert "Backprop GUI User Guide" in guide.page_html(INDEX)
    assert guide.resolve_stable("glossary-epoch")[0] == "glossary.html"


def test_the_guide_is_found_in_a_checkout():
    assert Guide.load().root == HELP


def test_the_package_test_checks_the_guide_is_bundled():
    script = (ROOT / "packaging" / "test-package.sh").read_text(encoding="utf-8")
    assert "_internal/resources/help/index.html" in script
    assert "_internal/resources/help/shots/window.png" in script
