"""Search hits of datasets granted to the caller: "shared with you", where their data lives."""

from __future__ import annotations

from uuid import UUID

from cdk_service.datasets import repository as datasets
from cdk_service.search.schemas import SearchHitView
from service_contract.identity import Identity

SHARED_FIELDS = ("location", "glue_database", "glue_table")


async def marked_shared(identity: Identity, hits: list[SearchHitView]) -> list[SearchHitView]:
    """Search hits with the datasets granted to the caller's teams marked ``shared_with_you``,
    their location shown."""
    others = [UUID(h.id) for h in hits if h.kind == "dataset" and h.team not in identity.teams]
    shared = await datasets.granted_ids(identity.teams, others) if others else set()
    if not shared:
        return hits
    marks = {
        str(d.id): {"shared_with_you": True, **{f: getattr(d, f) for f in SHARED_FIELDS}}
        for d in await datasets.datasets(shared)
    }
    return [
        h.model_copy(update={"attributes": {**h.attributes, **marks[h.id]}}) if h.id in marks else h
        for h in hits
    ]
