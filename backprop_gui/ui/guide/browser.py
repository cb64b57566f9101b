"""The guide's page view: a QTextBrowser that shows only the guide's own pages and pictures.

Nothing here opens a web browser or a network connection. A link is followed only when it
leads to a page of the guide (or an anchor on one); any other (http://…, mailto:, a file
outside resources/help, a page the window does not show) is refused and reported through
`refused`, and the page stays as it was. Pictures and pages are read by `loadResource`, which
answers only for files inside the help folder, so a page cannot make the view read anything
else either.

The pages carry no colours of their own: `guide_css` writes the default style sheet from the
palette (text, links, note boxes), so the guide is readable in the light and the dark theme.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import QImage, QPalette, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from ..common.plain_text import shorten
from .contents import INDEX, STABLE, Guide

PICTURE_SUFFIXES = (".png",)
_HTML = QTextDocument.ResourceType.HtmlResource.value
_IMAGE = QTextDocument.ResourceType.ImageResource.value


def guide_css(palette: QPalette) -> str:
    """The pages' style sheet in the palette's colours (no colour is written in a page)."""
    role = QPalette.ColorRole
    link = palette.color(role.Link).name()
    note = palette.color(role.AlternateBase).name()
    rule = palette.color(role.Mid).name()
    return f"""
a {{ color: {link}; }}
h1 {{ font-size: x-large; margin-bottom: 6px; }}
h2 {{ font-size: large; margin-top: 18px; }}
h3 {{ font-size: medium; margin-top: 12px; }}
p.caption {{ font-style: italic; margin-top: 2px; }}
table.keys {{ border-color: {rule}; }}
table.keys th {{ text-align: left; padding: 3px 8px; }}
table.keys td {{ padding: 3px 8px; }}
div.note {{ background-color: {note}; padding: 6px; margin: 6px 0px; }}
dt {{ font-weight: bold; margin-top: 8px; }}
dd {{ margin-left: 18px; }}
"""


class GuideBrowser(QTextBrowser):
    """Shows the pages of `guide` and follows only links between them."""

    refused = Signal(str)       # why a link was not followed (plain text, for the person)

    def __init__(self, guide: Guide, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guide_browser")
        self.guide = guide
        self._root = guide.root.resolve()
        self._base = QUrl.fromLocalFile(str(self._root) + "/")
        # Every click comes to `follow`: Qt opens nothing itself, inside or outside the guide.
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self.follow)
        self._apply_style()

    # ----- where a link leads --------------------------------------------------------------

    def page_url(self, page: str, anchor: str = "") -> QUrl:
        url = self._base.resolved(QUrl(page))
        if anchor:
            url.setFragment(anchor)
        return url

    def current_page(self) -> str:
        """The page shown, relative to the help folder ("" before the first)."""
        return self.page_of(self.source())

    def page_of(self, url: QUrl) -> str:
        """The page `url` (absolute) shows, relative to the help folder ("" if none)."""
        return self._inside(url) or ""

    def _inside(self, url: QUrl) -> str | None:
        """`url`'s path relative to the help folder, if it is a local file inside it."""
        if url.scheme() != "file":
            return None
        try:
            return Path(url.toLocalFile()).resolve().relative_to(self._root).as_posix()
        except (ValueError, OSError):
            return None

    def target_of(self, url: QUrl) -> tuple[str, str] | None:
        """(page, anchor) that `url` (relative to the page shown) leads to, or None when it
        leads outside the guide's pages."""
        base = self.source() if not self.source().isEmpty() else self.page_url(INDEX)
        absolute = base.resolved(url)
        name = self._inside(absolute)
        if name == STABLE:
            return self.guide.resolve_stable(absolute.fragment())
        if name is None or name not in self.guide.pages():
            return None
        return name, absolute.fragment()

    def follow(self, url: QUrl | str) -> bool:
        """Show the guide page `url` leads to; refuse (and say so) any other link."""
        url = QUrl(url) if isinstance(url, str) else url
        target = self.target_of(url)
        if target is None:
            # Plain text (the dialog's label shows it so): an address is never markup.
            self.refused.emit(
                f"Not opened: {shorten(url.toDisplayString(), 80)} is not a page of this "
                "guide. The guide opens only its own pages; Backprop GUI never goes online.")
            return False
        self.setSource(self.page_url(*target))
        return True

    # ----- reading pages and pictures ------------------------------------------------------

    def loadResource(self, kind: int, name: QUrl) -> object:
        """Only the guide's pages and the pictures in its folder; nothing else is read."""
        kind = getattr(kind, "value", kind)
        url = self.source().resolved(name) if name.isRelative() else name
        if kind == _HTML:
            target = self.target_of(url)
            return self.guide.page_html(target[0]) if target else None
        if kind == _IMAGE:
            inside = self._inside(url)
            path = self._root / inside if inside else None
            if path is not None and path.suffix.lower() in PICTURE_SUFFIXES and path.is_file():
                return QImage(str(path))
        return None

    # ----- colours -------------------------------------------------------------------------

    def _apply_style(self) -> None:
        self.document().setDefaultStyleSheet(guide_css(self.palette()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            # The style sheet is read when a page is parsed: parse the page again.
            self._apply_style()
            if not self.source().isEmpty():
                self.reload()
