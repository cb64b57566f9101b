"""The glossary terms a lesson may link to: the `glossary-<term>` anchors of the User Guide's
glossary page (resources/help/glossary.html), so a link in a lesson can be checked on load
and a mistyped term is named to the teacher instead of leading nowhere.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..resources import resource_path

GLOSSARY_PAGE = "glossary.html"
ANCHOR_PREFIX = "glossary-"
_ANCHOR = re.compile(r"""id\s*=\s*["']glossary-([a-z0-9-]+)["']""")
_READ_LIMIT = 1024 * 1024      # the page is ~20 kB; a bundled file, read once


@lru_cache(maxsize=1)
def glossary_terms() -> frozenset[str]:
    """The terms the bundled glossary defines ("epoch", "learning-rate", …); empty when the
    guide is not there (then links are not checked against it)."""
    path = resource_path("help") / GLOSSARY_PAGE
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(_READ_LIMIT)
    except OSError:
        return frozenset()
    return frozenset(_ANCHOR.findall(text))


def term_key(term: str) -> str:
    """The anchor form of a term as a teacher writes it: "Learning rate" → "learning-rate"."""
    return "-".join(term.lower().split())


def guide_address(term: str) -> str:
    """Where the User Guide shows `term` (its stable address, whatever page holds it)."""
    return f"guide.html#{ANCHOR_PREFIX}{term_key(term)}"
