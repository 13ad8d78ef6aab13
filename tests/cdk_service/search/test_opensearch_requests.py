"""The OpenSearch adapter's requests, checked without a cluster (a recording client stands in)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from opensearchpy.serializer import JSONSerializer

from cdk_service.search import opensearch_requests as requests
from cdk_service.search.documents import DocumentDeletion, DocumentKind, SearchDocument
from cdk_service.search.opensearch import OpenSearchBackend
from cdk_service.search.port import SearchQuery, Visibility
from cdk_service.settings import Settings

WHEN = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
ORDERS = SearchDocument(
    kind=DocumentKind.DATASET,
    id="d1",
    title="orders",
    description="Every order",
    team="analytics",
    tags=["sales"],
    classification="internal",
    visible_to_all=True,
    updated_at=WHEN,
    version=7,
)


def test_the_index_template_has_text_with_keyword_subfields_and_keyword_facets() -> None:
    template = requests.index_template("datahub")
    assert template["index_patterns"] == ["datahub-*"]
    fields = template["template"]["mappings"]["properties"]
    assert fields["title"]["type"] == "text"
    assert fields["title"]["fields"]["keyword"]["type"] == "keyword"
    for facet in ("kind", "team", "template", "status", "tags", "classification", "region"):
        assert fields[facet] == {"type": "keyword"}
    assert fields["document"] == {"type": "object", "enabled": False}


def test_writes_carry_external_versions_so_older_ones_are_refused() -> None:
    gone = DocumentDeletion(kind=DocumentKind.STACK, id="s1", version=9)
    index, delete = requests.bulk_actions("datahub", [ORDERS], [gone])
    assert (index["_op_type"], index["_id"], index["version"]) == ("index", "dataset:d1", 7)
    assert index["version_type"] == delete["version_type"] == "external_gte"
    assert index["_source"]["tags"] == ["sales"] and index["_source"]["document"]["id"] == "d1"
    assert (delete["_op_type"], delete["_id"], delete["version"]) == ("delete", "stack:s1", 9)


def test_a_query_filters_by_visibility_and_facets_and_pages_after_a_position() -> None:
    query = SearchQuery(
        text="ordr", filters={"kind": frozenset({"dataset"})}, limit=5, after=(1.5, "dataset:x")
    )
    body = requests.search_body(query, Visibility(teams=frozenset({"analytics"})))
    (text,) = body["query"]["bool"]["must"]
    (word,) = text["bool"]["must"]  # one clause a word: the start of a word, or a typo
    prefix, typo = (clause["multi_match"] for clause in word["bool"]["should"])
    assert (prefix["query"], prefix["type"]) == ("ordr", "bool_prefix")
    assert (typo["query"], typo["fuzziness"]) == ("ordr", "AUTO")
    facet, visibility = body["query"]["bool"]["filter"]
    assert facet == {"terms": {"kind": ["dataset"]}}
    assert visibility["bool"]["should"] == [
        {"term": {"visible_to_all": True}},
        {"terms": {"team": ["analytics"]}},
    ]
    assert body["search_after"] == [1.5, "dataset:x"] and body["size"] == 6
    assert body["highlight"]["encoder"] == "html"
    assert set(body["aggs"]) == {
        "kind", "team", "template", "status", "tags", "classification", "region", "account"
    }  # fmt: skip


def test_admins_are_not_filtered_and_no_text_sorts_newest_first() -> None:
    body = requests.search_body(SearchQuery(), Visibility(everything=True))
    assert body["query"]["bool"] == {"must": [{"match_all": {}}], "filter": []}
    assert body["sort"] == [{"updated_epoch": "desc"}, {"key": "asc"}]
    assert "highlight" not in body


def test_a_response_becomes_results_with_the_next_position() -> None:
    source = {"document": ORDERS.model_dump(mode="json")}
    hit = {
        "_source": source,
        "sort": [2.5, "dataset:d1"],
        "highlight": {"title": ["<mark>o</mark>"]},
    }
    response = {
        "hits": {"total": {"value": 9}, "hits": [hit, hit]},
        "aggregations": {"team": {"buckets": [{"key": "analytics", "doc_count": 9}]}},
    }
    results = requests.results_of(response, SearchQuery(limit=1))
    assert [h.document for h in results.hits] == [ORDERS]
    assert results.hits[0].highlights == {"title": ["<mark>o</mark>"]}
    assert results.total == 9 and results.next_after == (2.5, "dataset:d1")
    assert results.facets["team"][0].count == 9 and results.facets["kind"] == []


class RecordingIndices:
    """Stands in for ``client.indices``: records calls, knows one index behind the alias."""

    def __init__(self, calls: list[tuple[str, Any]]) -> None:
        self.calls = calls

    async def create(self, index: str, body: Any = None) -> None:
        self.calls.append(("create", index))

    async def refresh(self, index: str) -> None:
        self.calls.append(("refresh", index))

    async def get_alias(self, name: str) -> dict[str, Any]:
        return {"datahub-1": {"aliases": {name: {}}}}

    async def update_aliases(self, body: dict[str, Any]) -> None:
        self.calls.append(("update_aliases", body["actions"]))


class RecordingClient:
    """Stands in for ``AsyncOpenSearch`` (bulk answers that every item succeeded)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.indices = RecordingIndices(self.calls)
        self.transport = SimpleNamespace(serializer=JSONSerializer())

    async def bulk(self, body: Any, **options: Any) -> dict[str, Any]:
        lines = [line for line in body.splitlines() if line] if isinstance(body, str) else body
        self.calls.append(("bulk", len(lines) // 2))
        return {"errors": False, "items": []}


async def test_a_rebuild_fills_a_new_index_then_switches_the_alias_in_one_step() -> None:
    client = RecordingClient()
    backend = OpenSearchBackend(client, "datahub")  # type: ignore[arg-type]

    async def documents() -> Any:
        for number in range(3):
            yield ORDERS.model_copy(update={"id": f"d{number}"})

    assert await backend.rebuild(documents()) == 3
    (created, new), (bulk, count), (refreshed, _), (switch, actions) = client.calls
    assert (created, bulk, count, refreshed, switch) == (
        "create",
        "bulk",
        3,
        "refresh",
        "update_aliases",
    )
    assert actions == [
        {"add": {"index": new, "alias": "datahub", "is_write_index": True}},
        {"remove_index": {"index": "datahub-1"}},
    ]


def test_basic_and_sigv4_auth_are_configured_from_settings(fake_credentials: None) -> None:
    from opensearchpy import AWSV4SignerAsyncAuth

    basic = Settings(search_url="http://127.0.0.1:9200", search_auth="basic",
                     search_username="u", search_password="p")  # fmt: skip
    backend = OpenSearchBackend.from_settings(basic)
    assert backend._client.transport.kwargs["http_auth"] == ("u", "p")  # type: ignore[attr-defined]
    sigv4 = Settings(search_url="https://search.example:443", search_auth="sigv4",
                     search_region="eu-west-1")  # fmt: skip
    signed = OpenSearchBackend.from_settings(sigv4)
    assert isinstance(signed._client.transport.kwargs["http_auth"], AWSV4SignerAsyncAuth)  # type: ignore[attr-defined]
