"""Search as the API offers it: visibility from the caller, facet filters, cursors; reindex."""

from __future__ import annotations

import base64
import binascii
import json
import time

from cdk_service.db.transactions import transaction
from cdk_service.search import outbox
from cdk_service.search.documents import FACETS, DocumentKind
from cdk_service.search.matches import readable_highlights
from cdk_service.search.port import SearchBackend, SearchHit, SearchQuery, Visibility
from cdk_service.search.schemas import (
    ReindexReport,
    SearchHitView,
    SearchPage,
    SearchParams,
    SearchStatus,
)
from cdk_service.search.shared_with_you import marked_shared
from cdk_service.search.sources import every_document
from service_contract.errors import Forbidden, InvalidInput
from service_contract.identity import Identity

KNOWN_VALUES = {"kind": {k.value for k in DocumentKind}}


def encode_cursor(position: tuple[float, str]) -> str:
    """An opaque cursor for a sort position."""
    raw = json.dumps(list(position), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[float, str]:
    """The sort position of a cursor; ``invalid_cursor`` when it is not one of ours."""
    try:
        score, key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return float(score), str(key)
    except (binascii.Error, ValueError, TypeError) as error:
        raise InvalidInput(
            "the cursor is not one this service gave out", code="invalid_cursor", field="cursor"
        ) from error


def filters_of(params: SearchParams) -> dict[str, frozenset[str]]:
    """Facet filters from the comma-separated parameters; unknown kinds are refused."""
    filters: dict[str, frozenset[str]] = {}
    for facet in FACETS:
        raw = getattr(params, facet)
        values = frozenset(v.strip() for v in (raw or "").split(",") if v.strip())
        unknown = values - KNOWN_VALUES.get(facet, values)
        if unknown:
            allowed = ", ".join(sorted(KNOWN_VALUES[facet]))
            raise InvalidInput(
                f"{facet} must be one of {allowed}", code="invalid_facet", field=facet
            )
        if values:
            filters[facet] = values
    return filters


def hit_view(hit: SearchHit) -> SearchHitView:
    """A hit as the API shows it: what matched in the body said as the fields that matched."""
    document = hit.document
    return SearchHitView(
        **document.model_dump(exclude={"body", "fields", "visible_to_all", "version"}),
        score=hit.score,
        highlights=readable_highlights(document, hit.highlights),
    )


async def search(*, backend: SearchBackend, identity: Identity, params: SearchParams) -> SearchPage:
    """The documents the caller may see that match, newest state first by relevance."""
    query = SearchQuery(
        text=params.q,
        filters=filters_of(params),
        limit=params.limit,
        after=None if params.cursor is None else decode_cursor(params.cursor),
        facets=params.facets,
        highlights=params.highlights,
    )
    results = await backend.search(query, Visibility.of(identity))
    return SearchPage(
        hits=await marked_shared(identity, [hit_view(hit) for hit in results.hits]),
        total=results.total,
        facets=results.facets,
        next_cursor=None if results.next_after is None else encode_cursor(results.next_after),
    )


def _admin_only(identity: Identity, what: str) -> None:
    if not identity.is_admin:
        raise Forbidden(f"only admins may {what}", code="admins_only")


async def reindex(*, backend: SearchBackend, identity: Identity) -> ReindexReport:
    """Rebuild the whole index from the records, with the outbox drain paused meanwhile.

    Rebuilt documents carry version 0, so every outbox entry still pending (or written while
    this runs) is applied afterwards: it rewrites its document from the then-current records.
    """
    _admin_only(identity, "reindex search")
    started = time.perf_counter()
    async with transaction():
        await outbox.hold_drain_lock(wait=True)
        written = await backend.rebuild(every_document())
    return ReindexReport(
        backend=backend.name, documents=written, seconds=round(time.perf_counter() - started, 3)
    )


async def status(*, backend: SearchBackend, identity: Identity) -> SearchStatus:
    """Backend name, document count and outbox lag (admins)."""
    _admin_only(identity, "see the search status")
    return SearchStatus(
        backend=backend.name, documents=await backend.count(), outbox=await outbox.lag()
    )
