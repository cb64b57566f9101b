"""Lesson text: plain Unicode with a little markup, turned into safe HTML.

Teachers write text, not HTML: **bold**, *italic*, `code`, lines starting "- " for a list,
"# " for a heading, a blank line between paragraphs, {{expression}} for a number the
engine computes (quantities.py), and [[term]] or [[term|shown words]] for a link to the User
Guide's glossary (glossary.py checks the term exists; the panel opens the guide there). Anything that looks like an HTML tag is refused by the
loader, and `to_html` escapes every character of the text anyway: a lesson cannot make the
window load a file or a web address. Pictures are not written in the text but listed on the
page (`images`), read from beside the lesson by the panel.
"""

from __future__ import annotations

import html
import re
from typing import Callable

from .actions import _did_you_mean
from .glossary import glossary_terms, term_key
from .limits import MAX_PLACEHOLDERS

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
GLOSSARY_SCHEME = "glossary"
# [[term]] or [[term|shown words]]; a term is words of letters, digits and hyphens.
_LINK = re.compile(r"\[\[([^\[\]|]*?)(?:\|([^\[\]|]*?))?\]\]")
_TERM = re.compile(r"[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+)*")
_TAG = re.compile(r"<\s*[/!?]?\s*[A-Za-z]")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
_INLINE = [
    (re.compile(r"\*\*(.+?)\*\*"), r"<b>\1</b>"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"<i>\1</i>"),
    (re.compile(r"`(.+?)`"), r"<code>\1</code>"),
]


def markup_problem(text: str) -> str | None:
    """Why `text` is not allowed as lesson text (None if it is): HTML tags and entities,
    and too many {{…}}."""
    m = _TAG.search(text)
    if m:
        found = text[m.start():m.start() + 40].split(">")[0]
        return (f"HTML is not allowed (found “{found}”): lesson text is shown as written; "
                f"use **bold**, *italic*, `code`, “- ” lists and {{{{expression}}}}")
    m = _ENTITY.search(text)
    if m:
        return (f"HTML entities are not allowed (found “{m.group(0)}”): write the character "
                f"itself, the file is UTF-8")
    if text.count("{{") != text.count("}}"):
        return "a “{{” has no matching “}}”"
    if len(PLACEHOLDER.findall(text)) > MAX_PLACEHOLDERS:
        return f"more than {MAX_PLACEHOLDERS} {{{{…}}}} in one text"
    return _link_problem(text)


def _link_problem(text: str) -> str | None:
    if text.count("[[") != text.count("]]"):
        return "a “[[” has no matching “]]” (a glossary link is written [[term]] or [[term|words]])"
    known = glossary_terms()
    for m in _LINK.finditer(text):
        term = m.group(1).strip()
        if not _TERM.fullmatch(term):
            return (f"“{m.group(0)}” is not a glossary link: write [[term]] or "
                    f"[[term|shown words]], the term in letters, digits, spaces and hyphens")
        if known and term_key(term) not in known:
            return (f"the glossary has no term “{term}”"
                    f"{_did_you_mean(term_key(term), sorted(known))}")
    if len(_LINK.findall(text)) != text.count("[["):
        return "a glossary link is written [[term]] or [[term|shown words]], one “|” at most"
    return None


def glossary_links(text: str) -> list[str]:
    """The glossary terms `text` links to, in anchor form ("learning-rate")."""
    return [term_key(m.group(1)) for m in _LINK.finditer(text)]


def _link(m: re.Match) -> str:
    term = m.group(1).strip()
    if not _TERM.fullmatch(term):
        return m.group(0)
    shown = (m.group(2) or "").strip() or term
    return f'<a href="{GLOSSARY_SCHEME}:{term_key(term)}">{shown}</a>'


def placeholders(text: str) -> list[str]:
    """The expressions written as {{…}} in `text`."""
    return [m.strip() for m in PLACEHOLDER.findall(text)]


def fill(text: str, value: Callable[[str], str]) -> str:
    """`text` with each {{expression}} replaced by value(expression) (plain text)."""
    return PLACEHOLDER.sub(lambda m: value(m.group(1).strip()), text)


def _inline(line: str) -> str:
    out = _LINK.sub(_link, html.escape(line, quote=True))
    for pattern, repl in _INLINE:
        out = pattern.sub(repl, out)
    return out


def to_html(text: str) -> str:
    """Safe HTML for `text` (already filled): every character escaped, then the markup's
    few tags added. Nothing in the result refers to a file or an address."""
    blocks: list[str] = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.rstrip() for ln in para.splitlines() if ln.strip()]
        if not lines:
            continue
        if all(ln.lstrip().startswith(("- ", "• ")) for ln in lines):
            items = "".join(f"<li>{_inline(ln.lstrip()[2:])}</li>" for ln in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif len(lines) == 1 and lines[0].startswith("# "):
            blocks.append(f"<h3>{_inline(lines[0][2:])}</h3>")
        else:
            blocks.append("<p>" + "<br>".join(_inline(ln) for ln in lines) + "</p>")
    return "\n".join(blocks)
