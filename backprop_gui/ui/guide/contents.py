"""The User Guide's pages: which there are, which this window shows, and where each anchor is.

The guide is HTML in `resources/help/`. `contents.json` lists its sections in order; a section
that describes a panel or command not every build has names it in `needs` ("panel:Landscape",
"command:compare_action"), and the guide shows it only when the window has it. The index page
(`index.html`) is a template whose `<!-- sections -->` line becomes the list of the sections
shown, so the index never links to a page the window leaves out.

Addresses (documented for lesson writers in resources/help/README.md):
- inside the guide, ordinary relative links: `training.html#settings`, `#top`;
- from outside it (a lesson), `guide.html#<anchor>`: the page that holds the anchor, wherever it
  is, so pages can be reorganised without breaking a lesson. Every anchor is unique across the
  guide; glossary terms are `glossary-<term>` (`guide.html#glossary-epoch`).
"""

from __future__ import annotations

import html
import json
import posixpath
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

from ...resources import resource_path

MANIFEST = "contents.json"
INDEX = "index.html"
STABLE = "guide.html"          # guide.html#anchor: the anchor's page, wherever it is
SECTIONS_MARK = "<!-- sections -->"
GLOSSARY_PREFIX = "glossary-"


def help_dir() -> Path:
    """The folder of the guide's pages (resources/help)."""
    return resource_path("help")


@dataclass(frozen=True)
class Section:
    page: str            # file name relative to the help folder
    title: str
    summary: str
    needs: str | None = None   # "panel:<dock name>" or "command:<action object name>"
    draft: bool = False        # written before its panel was merged: check it when it lands


def load_sections(root: Path) -> list[Section]:
    """The sections `contents.json` in `root` lists, in order (ValueError if it is malformed)."""
    data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    sections = []
    for n, entry in enumerate(data["sections"], start=1):
        if not isinstance(entry, dict) or not {"page", "title", "summary"} <= entry.keys():
            raise ValueError(f"{MANIFEST}: section {n} needs page, title and summary")
        sections.append(Section(entry["page"], entry["title"], entry["summary"],
                                entry.get("needs"), bool(entry.get("draft", False))))
    return sections


def shown_sections(sections: list[Section], has: Callable[[str], bool]) -> list[Section]:
    """The sections whose `needs` the window has (`has("panel:Graph")` → bool)."""
    return [s for s in sections if s.needs is None or has(s.needs)]


def index_html(template: str, sections: list[Section]) -> str:
    """The index page: `template` with its sections mark replaced by a list of `sections`."""
    items = "\n".join(
        f'<li><a href="{html.escape(s.page)}"><b>{html.escape(s.title)}</b></a> — '
        f'{html.escape(s.summary)}</li>' for s in sections)
    return template.replace(SECTIONS_MARK, f"<ul class=\"contents\">\n{items}\n</ul>")


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[str] = []
        self.links: list[str] = []
        self.images: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.anchors.append(values[key] or "")
        if tag == "a" and values.get("href") is not None:
            self.links.append(values["href"] or "")
        if tag == "img" and values.get("src") is not None:
            self.images.append(values["src"] or "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def scan(html: str) -> _Scan:
    """The anchors (id=, <a name=>), links (href) and images (src) of a page, in order."""
    parser = _Scan()
    parser.feed(html)
    parser.close()
    return parser


@dataclass
class Guide:
    """The guide as one window shows it: its pages and where each anchor is."""

    root: Path
    sections: list[Section]      # the sections shown

    @classmethod
    def load(cls, root: Path | None = None,
             has: Callable[[str], bool] = lambda _need: True) -> Guide:
        root = help_dir() if root is None else root
        return cls(root, shown_sections(load_sections(root), has))

    def pages(self) -> list[str]:
        """Every page shown: the index first, then the sections in order."""
        return [INDEX] + [s.page for s in self.sections]

    def page_html(self, page: str) -> str:
        """The HTML of a page shown (KeyError for any other name)."""
        if page not in self.pages():
            raise KeyError(page)
        text = (self.root / page).read_text(encoding="utf-8")
        return index_html(text, self.sections) if page == INDEX else text

    @cached_property
    def anchor_pages(self) -> dict[str, str]:
        """anchor → the page that holds it (the first, if a mistake repeats one)."""
        found: dict[str, str] = {}
        for page in self.pages():
            for anchor in scan(self.page_html(page)).anchors:
                found.setdefault(anchor, page)
        return found

    def resolve_stable(self, fragment: str) -> tuple[str, str]:
        """(page, anchor) for `guide.html#fragment`; the index if no page has the anchor."""
        page = self.anchor_pages.get(fragment) if fragment else None
        return (page, fragment) if page else (INDEX, "")

    def title(self, page: str) -> str:
        for section in self.sections:
            if section.page == page:
                return section.title
        return "Contents"

    def problems(self) -> list[str]:
        """What is broken, one line each: a page missing, a link to a page not shown or to
        an anchor not there (any address outside the guide is one), a picture missing."""
        found: list[str] = []
        anchors: dict[str, set[str]] = {}
        for page in self.pages():
            if (self.root / page).is_file():
                anchors[page] = set(scan(self.page_html(page)).anchors)
            else:
                found.append(f"{page}: listed in {MANIFEST} but missing")
        for page in anchors:
            here = scan(self.page_html(page))
            for href in here.links:
                path, _, fragment = href.partition("#")
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) \
                    if path else page
                if target not in anchors:
                    found.append(f"{page}: the link {href} leads to no page of the guide")
                elif fragment and fragment not in anchors[target]:
                    found.append(f"{page}: the link {href} names no anchor of {target}")
            for src in here.images:
                path = posixpath.normpath(posixpath.join(posixpath.dirname(page), src))
                if ":" in src or not (self.root / path).is_file():
                    found.append(f"{page}: the picture {src} is not in the guide's folder")
        return found

    def glossary_terms(self) -> list[str]:
        """The glossary's terms by anchor name, without the prefix ("epoch", …)."""
        return [a[len(GLOSSARY_PREFIX):] for a in self.anchor_pages
                if a.startswith(GLOSSARY_PREFIX)]
