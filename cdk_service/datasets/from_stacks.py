"""Stacks of the ``dataset`` template register their dataset once they are active.

Run as a reaction of the search indexer: the outbox triggers record every stack change, so
this needs no hook in the deploy workers, and runs again harmlessly when a batch is retried.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import structlog

from cdk_service.datasets import repository, service
from cdk_service.db.audit import SYSTEM_ACTOR
from cdk_service.db.models import Classification, SearchOutboxEntry, Stack, StackStatus
from service_contract.identity import ADMIN_GROUP, Identity

DATASET_TEMPLATE = "dataset"
SYSTEM = Identity(user=SYSTEM_ACTOR, groups=frozenset({ADMIN_GROUP}))
log = structlog.get_logger(__name__)


def values_from(stack: Stack) -> dict[str, Any]:
    """Dataset metadata from a dataset stack's parameters and outputs (missing ones: none)."""
    params, outputs = stack.params, stack.outputs
    classification = params.get("classification", Classification.INTERNAL.value)
    return {
        "description": params.get("description", ""),
        "classification": Classification(classification),
        "format": params.get("data_format"),
        "location": outputs.get("DataLocation"),
        "glue_database": outputs.get("GlueDatabaseName"),
        "stack_id": stack.id,
    }


async def register_from_stack(stack: Stack) -> None:
    """Create the stack's dataset, or bring its location and Glue database up to date."""
    existing = await repository.dataset_of_stack(stack.id)
    name = str(stack.params.get("dataset_name") or stack.name)
    if existing is None:
        existing = await repository.dataset_named(stack.team, name)
    values = values_from(stack)
    if existing is None:
        await service.create(SYSTEM_ACTOR, stack.team, name, values, SYSTEM)
        log.info("dataset_registered_from_stack", stack_id=str(stack.id), name=name)
        return
    # The stack owns where the data lives; the team owns the rest of the metadata.
    placed = {k: v for k, v in values.items() if k in ("location", "glue_database", "stack_id")}
    await service.change(SYSTEM_ACTOR, existing, {k: v for k, v in placed.items() if v})


async def register_active_dataset_stacks(entries: Sequence[SearchOutboxEntry]) -> None:
    """Indexer reaction: register the datasets of active ``dataset`` stacks in a batch."""
    ids = {UUID(e.entity_id) for e in entries if e.kind == "stack"}
    if not ids:
        return
    stacks = await Stack.filter(
        id__in=ids,
        status=StackStatus.ACTIVE,
        template_version__template__name=DATASET_TEMPLATE,
    )
    for stack in stacks:
        await register_from_stack(stack)
