"""Search endpoints: find what exists; admins reindex and watch the outbox lag."""

from __future__ import annotations

from aiohttp import web

from cdk_service.api.context import services_of
from cdk_service.api.endpoints import Api
from cdk_service.api.middleware import identity_of
from cdk_service.search import service
from cdk_service.search.schemas import ReindexReport, SearchPage, SearchParams, SearchStatus

api = Api()


@api.route(
    "GET",
    "/v1/search",
    summary="Search stacks, datasets and templates the caller may see, with facet counts",
    tag="search",
    query=SearchParams,
    response=SearchPage,
)
async def search(request: web.Request, query: SearchParams) -> SearchPage:
    """Full-text search with facet filters and highlights, most relevant first."""
    return await service.search(
        backend=services_of(request).search, identity=identity_of(request), params=query
    )


@api.route(
    "GET",
    "/v1/search/status",
    summary="The search backend, its document count and the outbox lag (admins)",
    tag="search",
    response=SearchStatus,
    errors=(403,),
)
async def search_status(request: web.Request) -> SearchStatus:
    """How far the index is behind the records."""
    return await service.status(backend=services_of(request).search, identity=identity_of(request))


@api.route(
    "POST",
    "/v1/search/reindex",
    summary="Rebuild the whole index from the records, without downtime (admins)",
    tag="search",
    response=ReindexReport,
    errors=(403,),
)
async def reindex(request: web.Request) -> ReindexReport:
    """Rebuild every document; reads are served from the old index until it is replaced."""
    return await service.reindex(backend=services_of(request).search, identity=identity_of(request))
