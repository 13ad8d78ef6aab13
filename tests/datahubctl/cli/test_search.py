"""``datahubctl search``'s match column: what matched, besides the title when anything else did."""

from __future__ import annotations

from typing import Any

import pytest

from datahubctl.cli.search import match_of

TITLE = ["<mark>orders</mark>"]
DESCRIPTION = ["Every <mark>orders</mark> line"]
BODY = ["column: <mark>orders</mark>_id", "tag: <mark>orders</mark>"]


def hit(**highlights: list[str]) -> dict[str, Any]:
    return {"title": "orders", "description": "Shop data", "highlights": highlights}


@pytest.mark.parametrize(
    ("highlights", "shown"),
    [
        ({"title": TITLE, "body": BODY, "description": DESCRIPTION}, "Every orders line"),
        ({"body": BODY, "title": TITLE}, "column: orders_id"),
        ({"title": TITLE, "parameters": ["retention: <mark>orders</mark>"]}, "retention: orders"),
        ({"title": TITLE, "description": [""], "body": []}, "orders"),
        ({}, "Shop data"),
    ],
    ids=["description first", "body before title", "any before title", "title alone", "none"],
)
def test_the_match_prefers_a_field_other_than_the_title(
    highlights: dict[str, list[str]], shown: str
) -> None:
    assert match_of(hit(**highlights)).plain == shown


def test_the_match_marks_what_matched_and_unescapes_the_rest() -> None:
    match = match_of(hit(description=["Tom &amp; <mark>Jerry</mark>"]))

    assert match.plain == "Tom & Jerry"
    assert [match.plain[span.start : span.end] for span in match.spans] == ["Jerry"]
