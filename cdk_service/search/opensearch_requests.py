"""The OpenSearch request bodies and response reading, as pure functions (unit tested always).

Text fields carry a ``keyword`` subfield; facet fields are keywords. Documents are written with
external versions (the outbox id), so an older write is refused by OpenSearch itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from cdk_service.search.documents import FACET_VALUES, FACETS, DocumentDeletion, SearchDocument
from cdk_service.search.port import FacetCount, SearchHit, SearchQuery, SearchResults, Visibility
from cdk_service.search.text import query_words

TEXT = {"type": "text", "analyzer": "english", "fields": {"keyword": {"type": "keyword"}}}
KEYWORD = {"type": "keyword"}
MAPPINGS = {
    "dynamic": False,
    "properties": {
        "key": KEYWORD,
        "id": KEYWORD,
        "title": TEXT,
        "description": TEXT,
        "body": {"type": "text", "analyzer": "english"},
        **{facet: KEYWORD for facet in FACETS},
        "visible_to_all": {"type": "boolean"},
        "updated_epoch": {"type": "double"},
        "document": {"type": "object", "enabled": False},
    },
}
SEARCHED_FIELDS = ["title^3", "description^2", "body"]
HIGHLIGHT = {
    "pre_tags": ["<mark>"],
    "post_tags": ["</mark>"],
    "encoder": "html",
    "fields": {
        "title": {"number_of_fragments": 0},
        "description": {"fragment_size": 150, "number_of_fragments": 1},
        "body": {"fragment_size": 80, "number_of_fragments": 2},
    },
}


def index_template(alias: str, *, shards: int = 1, replicas: int = 1) -> dict[str, Any]:
    """The template every index behind ``alias`` (``alias-*``) is created with."""
    return {
        "index_patterns": [f"{alias}-*"],
        "template": {
            "settings": {"number_of_shards": shards, "number_of_replicas": replicas},
            "mappings": MAPPINGS,
        },
    }


def source_of(document: SearchDocument) -> dict[str, Any]:
    """What is stored for a document: its facet and text fields, and the document itself."""
    dumped = document.model_dump(mode="json")
    return {
        **{name: dumped[name] for name in ("id", "title", "description", "body", *FACETS)},
        "key": document.key,
        "visible_to_all": document.visible_to_all,
        "updated_epoch": document.updated_at.timestamp(),
        "document": dumped,
    }


def bulk_actions(
    index: str, documents: Sequence[SearchDocument], deletions: Sequence[DocumentDeletion]
) -> list[dict[str, Any]]:
    """Bulk actions (for ``helpers.async_bulk``) with external versions."""
    written = [
        {
            "_op_type": "index",
            "_index": index,
            "_id": document.key,
            "version": document.version,
            "version_type": "external_gte",
            "_source": source_of(document),
        }
        for document in documents
    ]
    removed = [
        {
            "_op_type": "delete",
            "_index": index,
            "_id": deletion.key,
            "version": deletion.version,
            "version_type": "external_gte",
        }
        for deletion in deletions
    ]
    return written + removed


def _filters(query: SearchQuery, visibility: Visibility) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = [
        {"terms": {facet: sorted(values)}} for facet, values in sorted(query.filters.items())
    ]
    if not visibility.everything:
        seen_by_all = {"term": {"visible_to_all": True}}
        own = {"terms": {"team": sorted(visibility.teams)}}
        filters.append({"bool": {"should": [seen_by_all, own], "minimum_should_match": 1}})
    return filters


def _word_query(word: str, *, stop_word_matches: bool) -> dict[str, Any]:
    """A word matches as the start of an indexed word or, misspelt, as one close to it; a stop
    word (which the analyzer drops) matches everything or nothing."""
    zero_terms = "all" if stop_word_matches else "none"
    as_typed = {"query": word, "fields": SEARCHED_FIELDS, "zero_terms_query": zero_terms}
    prefix = {"multi_match": {**as_typed, "type": "bool_prefix"}}
    typo = {"multi_match": {**as_typed, "fuzziness": "AUTO"}}
    return {"bool": {"should": [prefix, typo], "minimum_should_match": 1}}


def _text_query(words: list[str]) -> dict[str, Any]:
    """Every word but stop words, as PostgreSQL's tsquery: stop words alone match nothing."""
    some_word = [_word_query(word, stop_word_matches=False) for word in words]
    return {
        "bool": {
            "must": [_word_query(word, stop_word_matches=True) for word in words],
            "filter": [{"bool": {"should": some_word, "minimum_should_match": 1}}],
        }
    }


def search_body(query: SearchQuery, visibility: Visibility) -> dict[str, Any]:
    """The search request: every word (prefix or typo), filters, facet aggregations, a page."""
    words = query_words(query.text)
    text = _text_query(words) if words else {"match_all": {}}
    order = {"_score": "desc"} if words else {"updated_epoch": "desc"}
    sort = [order, {"key": "asc"}]
    body: dict[str, Any] = {
        "query": {"bool": {"must": [text], "filter": _filters(query, visibility)}},
        "sort": sort,
        "size": query.limit + 1,
        "track_total_hits": True,
        "_source": ["document"],
    }
    if query.facets:
        body["aggs"] = {f: {"terms": {"field": f, "size": FACET_VALUES}} for f in FACETS}
    if words and query.highlights:
        body["highlight"] = HIGHLIGHT
    if query.after is not None:
        body["search_after"] = list(query.after)
    return body


def _facets(aggregations: dict[str, Any]) -> dict[str, list[FacetCount]]:
    return {
        facet: sorted(
            (
                FacetCount(value=str(bucket["key"]), count=bucket["doc_count"])
                for bucket in aggregations.get(facet, {}).get("buckets", [])
            ),
            key=lambda c: (-c.count, c.value),
        )
        for facet in FACETS
    }


def results_of(response: dict[str, Any], query: SearchQuery) -> SearchResults:
    """A search response as results: at most ``limit`` hits, and the next page's position."""
    raw_hits: Iterable[dict[str, Any]] = response["hits"]["hits"]
    hits = [
        SearchHit(
            document=SearchDocument.model_validate(hit["_source"]["document"]),
            score=float(hit["sort"][0]),
            highlights={k: list(v) for k, v in hit.get("highlight", {}).items()},
        )
        for hit in raw_hits
    ]
    more = len(hits) > query.limit
    hits = hits[: query.limit]
    return SearchResults(
        hits=hits,
        total=response["hits"]["total"]["value"],
        facets=_facets(response.get("aggregations", {})),
        next_after=(hits[-1].score, hits[-1].document.key) if more else None,
    )
