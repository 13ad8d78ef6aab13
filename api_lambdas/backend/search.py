"""Search resolver: stacks, datasets and templates the caller may see, with facet counts."""

from __future__ import annotations

from typing import Any

from ariadne import ObjectType, QueryType
from graphql import GraphQLResolveInfo

from api_lambdas.arguments import MAX_SEARCH_TEXT, bounded
from api_lambdas.search_pages import facet_query, search_page

search_query = QueryType()
hit = ObjectType("SearchHit")


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
    text = bounded(query, "query", most=MAX_SEARCH_TEXT) or ""
    return await search_page(info, text=text, facets=facet_query(filters), first=first, after=after)


@hit.field("highlight")
def resolve_highlight(parent: dict[str, Any], _: GraphQLResolveInfo) -> str | None:
    """The first highlighted passage, preferring the title."""
    highlights: dict[str, list[str]] = parent.get("highlights") or {}
    for field in ("title", "description", *highlights):
        if highlights.get(field):
            return highlights[field][0]
    return None


@hit.field("sharedWithYou")
def resolve_shared(parent: dict[str, Any], _: GraphQLResolveInfo) -> bool:
    """Marked by the service for datasets granted to one of the caller's teams."""
    return bool((parent.get("attributes") or {}).get("shared_with_you"))


@hit.field("location")
def resolve_location(parent: dict[str, Any], _: GraphQLResolveInfo) -> str | None:
    """A shared dataset's location, as the service adds it for its grantees."""
    location = (parent.get("attributes") or {}).get("location")
    return None if location is None else str(location)


BINDABLES = [hit]
