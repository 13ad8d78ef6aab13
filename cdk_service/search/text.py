"""Words of a query and of indexed text, shared by the backends and the vocabulary."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

WORD = re.compile(r"[^\W_]+")
MARK_START, MARK_END = "\x02", "\x03"


def query_words(text: str, *, limit: int = 8) -> list[str]:
    """The lower-cased words of a query (at most ``limit``; the rest is ignored)."""
    return [word.lower() for word in WORD.findall(text)][:limit]


def vocabulary(texts: Iterable[str]) -> set[str]:
    """Words worth correcting a query to: alphabetic, 3 to 64 characters, lower-cased."""
    return {
        word.lower()
        for text in texts
        for word in WORD.findall(text)
        if 3 <= len(word) <= 64 and word.isalpha()
    }


def marked_html(fragment: str) -> str:
    """A fragment whose matches are wrapped in ``MARK_START``/``MARK_END``, as escaped HTML
    with ``<mark>`` around the matches (the text itself can never inject markup)."""
    escaped = html.escape(fragment, quote=False)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
