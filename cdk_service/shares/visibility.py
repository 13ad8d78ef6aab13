"""What a grant shows its grantee: the dataset as "shared with you", and where its data lives."""

from __future__ import annotations

from uuid import UUID

from cdk_service.search.schemas import SearchHitView
from cdk_service.shares import repository
from service_contract.identity import Identity

SHARED_FIELDS = ("location", "glue_database", "glue_table")


async def granted_to(identity: Identity, dataset_id: UUID) -> bool:
    """Whether the dataset is granted to one of the caller's teams."""
    return dataset_id in await repository.shared_dataset_ids(identity.teams, [dataset_id])


async def marked_shared(identity: Identity, hits: list[SearchHitView]) -> list[SearchHitView]:
    """Search hits with the datasets granted to the caller's teams marked ``shared_with_you``,
    their location shown."""
    others = [UUID(h.id) for h in hits if h.kind == "dataset" and h.team not in identity.teams]
    shared = await repository.shared_dataset_ids(identity.teams, others) if others else set()
    if not shared:
        return hits
    marks = {
        str(d.id): {"shared_with_you": True, **{f: getattr(d, f) for f in SHARED_FIELDS}}
        for d in await repository.datasets(shared)
    }
    return [
        h.model_copy(update={"attributes": {**h.attributes, **marks[h.id]}}) if h.id in marks else h
        for h in hits
    ]
