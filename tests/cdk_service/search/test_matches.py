"""What matched in a document's body, said as the fields that matched."""

from __future__ import annotations

from datetime import UTC, datetime

from cdk_service.search.documents import DocumentKind, SearchDocument
from cdk_service.search.matches import VALUE_WIDTH, readable_highlights


def stack(*fields: tuple[str, str]) -> SearchDocument:
    return SearchDocument(
        kind=DocumentKind.STACK,
        id="7",
        title="landing-zone",
        body=" ".join(value for _, value in fields),
        fields=list(fields),
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_each_field_a_marked_word_is_in_is_shown_with_its_name_marks_and_escaping() -> None:
    document = stack(
        ("bucket_name", "sales-raw-data"),
        ("retention_days", "30"),
        ("description", "Sales & <b>orders</b>"),
        ("wholesale", "no"),
    )
    fragments = ["<mark>sales</mark>-raw-data 30 <mark>Sales</mark> &amp; &lt;b&gt;orders"]

    shown = readable_highlights(document, {"title": ["x"], "body": fragments})

    assert shown == {
        "title": ["x"],
        "body": [
            "bucket_name: <mark>sales</mark>-raw-data",
            "description: <mark>Sales</mark> &amp; &lt;b&gt;orders&lt;/b&gt;",
        ],
    }


def test_a_long_value_is_shown_around_its_match() -> None:
    value = "x" * 200 + " sales " + "y" * 200
    (line,) = readable_highlights(stack(("notes", value)), {"body": ["<mark>sales</mark>"]})["body"]

    assert "<mark>sales</mark>" in line
    assert line.startswith("notes: …") and line.endswith("…")
    assert len(line) < VALUE_WIDTH + 40


def test_a_body_without_fields_keeps_the_backend_passages() -> None:
    document = stack().model_copy(update={"kind": DocumentKind.DATASET, "body": "orders retail"})
    highlights = {"body": ["orders <mark>retail</mark>"]}

    assert readable_highlights(document, highlights) == highlights
