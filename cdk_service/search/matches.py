"""What matched in a document's body, said as the fields that matched (``name: value``)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from cdk_service.search.documents import SearchDocument
from cdk_service.search.text import MARK_END, MARK_START, marked_html

MARKED = re.compile(r"<mark>(.*?)</mark>")
FIELDS_SHOWN = 2  # as many as the backends' body fragments
VALUE_WIDTH = 80  # a longer value is shown around its first match
BEFORE_MATCH = 20


def readable_highlights(
    document: SearchDocument, highlights: dict[str, list[str]]
) -> dict[str, list[str]]:
    """The highlights with the body's fragments replaced by the fields they matched, each as
    ``name: value`` (escaped HTML, matches in <mark>); unchanged for a body without fields."""
    words = _marked_words(highlights.get("body", []))
    if not words or not document.fields:
        return highlights
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    # Whole words only: the backends split words at anything but letters and digits.
    pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
    matched = [
        marked_html(f"{name}: {_marked(value, pattern)}")
        for name, value in document.fields
        if pattern.search(value)
    ]
    if not matched:
        return highlights
    return {**highlights, "body": matched[:FIELDS_SHOWN]}


def _marked_words(fragments: Iterable[str]) -> set[str]:
    """The text the backend marked, lower-cased (the fragments are escaped HTML)."""
    return {
        html.unescape(word).lower() for fragment in fragments for word in MARKED.findall(fragment)
    }


def _marked(value: str, pattern: re.Pattern[str]) -> str:
    """The value (around its first match when long) with ``MARK_START``/``MARK_END`` around
    each match."""
    first = pattern.search(value)
    if len(value) > VALUE_WIDTH and first is not None:
        start = max(0, first.start() - BEFORE_MATCH)
        end = start + VALUE_WIDTH
        value = ("…" if start else "") + value[start:end] + ("…" if end < len(value) else "")
    return pattern.sub(lambda match: f"{MARK_START}{match.group(0)}{MARK_END}", value)
