"""One page of the service's search as a connection; both GraphQL APIs search through here."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from api_lambdas.arguments import MAX_FACETS_TEXT, bounded, cursor
from api_lambdas.connections import asks_for, connection, page_size
from api_lambdas.resolver_context import service_of
from service_contract.errors import InvalidInput

FACETS = ("kind", "team", "template", "status", "tags", "classification", "region", "account")
HIGHLIGHT_FIELDS = ("highlight", "highlights")


def facet_query(filters: list[dict[str, Any]] | None) -> dict[str, str]:
    """``[{name, values}]`` facet filters as the service's comma-separated parameters."""
    chosen: dict[str, list[str]] = {}
    for facet in filters or []:
        if facet["name"] not in FACETS:
            raise InvalidInput(
                f"{facet['name']} is not a facet; use one of {', '.join(FACETS)}",
                code="invalid_facet",
                field="filters",
            )
        chosen.setdefault(facet["name"], []).extend(facet["values"])
    joined = {name: ",".join(values) for name, values in chosen.items()}
    bounded(",".join(joined.values()), "filters", most=MAX_FACETS_TEXT)
    return joined


async def search_page(
    info: GraphQLResolveInfo,
    *,
    text: str,
    facets: dict[str, str],
    first: int | None,
    after: str | None,
) -> dict[str, Any]:
    """Hits as a connection with ``total_count`` and ``facets``.

    Search cursors mark where a page ends, so only the last edge carries one.
    """
    wanted: dict[str, Any] = {
        "q": text,
        "limit": page_size(first),
        "cursor": cursor(after),
        **facets,
    }
    # What costs the service most, only for queries that show it.
    if not asks_for(info, "facets"):
        wanted["facets"] = "false"
    if not any(asks_for(info, "edges", "node", field) for field in HIGHLIGHT_FIELDS):
        wanted["highlights"] = "false"
    page = await service_of(info).read("/v1/search", wanted)
    hits = page["hits"]
    cursors = [None] * max(len(hits) - 1, 0) + ([page["next_cursor"]] if hits else [])
    answer = connection(hits, cursors=cursors, has_next_page=page["next_cursor"] is not None)
    counts = [{"name": name, "values": values} for name, values in page["facets"].items()]
    return {**answer, "total_count": page["total"], "facets": counts}
