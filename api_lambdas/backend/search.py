"""Search resolver: stacks, datasets and templates the caller may see, with facet counts."""

from __future__ import annotations

from typing import Any

from ariadne import ObjectType, QueryType
from graphql import GraphQLResolveInfo

from api_lambdas.connections import connection, page_size
from api_lambdas.resolver_context import service_of
from cdk_service.errors import InvalidInput

search_query = QueryType()
hit = ObjectType("SearchHit")
FACETS = ("kind", "team", "template", "status", "tags", "classification", "region", "account")


def _facet_query(filters: list[dict[str, Any]] | None) -> dict[str, str]:
    """Facet filters as the service's comma-separated parameters."""
    chosen: dict[str, list[str]] = {}
    for facet in filters or []:
        if facet["name"] not in FACETS:
            raise InvalidInput(
                f"{facet['name']} is not a facet; use one of {', '.join(FACETS)}",
                code="invalid_facet",
                field="filters",
            )
        chosen.setdefault(facet["name"], []).extend(facet["values"])
    return {name: ",".join(values) for name, values in chosen.items()}


@search_query.field("search")
async def resolve_search(
    _: None,
    info: GraphQLResolveInfo,
    query: str,
    first: int,
    filters: list[dict[str, Any]] | None = None,
    after: str | None = None,
) -> dict[str, Any]:
    """One page of results, and facet counts over every match."""
    wanted = {"q": query, "limit": page_size(first), "cursor": after, **_facet_query(filters)}
    page = await service_of(info).read("/v1/search", wanted)
    hits = page["hits"]
    cursors = [None] * max(len(hits) - 1, 0) + ([page["next_cursor"]] if hits else [])
    facets = [{"name": n, "values": v} for n, v in page["facets"].items()]
    answer = connection(hits, cursors=cursors, has_next_page=page["next_cursor"] is not None)
    return {**answer, "total_count": page["total"], "facets": facets}


@hit.field("highlight")
def resolve_highlight(parent: dict[str, Any], _: GraphQLResolveInfo) -> str | None:
    """The first highlighted passage, preferring the title."""
    highlights: dict[str, list[str]] = parent.get("highlights") or {}
    for field in ("title", "description", *highlights):
        if highlights.get(field):
            return highlights[field][0]
    return None


BINDABLES = [hit]
