"""Queries and writes of datasets and their revisions (the only module that runs them)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

from tortoise.exceptions import IntegrityError

from cdk_service.db.models import Dataset, DatasetRevision, DatasetShare, ShareStatus, Stack
from service_contract.errors import Conflict


async def dataset(dataset_id: UUID, *, for_update: bool = False) -> Dataset | None:
    """A dataset by id (row-locked for the transaction with ``for_update``)."""
    query = Dataset.filter(id=dataset_id)
    return await (query.select_for_update() if for_update else query).first()


async def datasets(ids: Collection[UUID]) -> list[Dataset]:
    """These datasets."""
    return await Dataset.filter(id__in=list(ids))


async def granted_ids(teams: Collection[str], among: Collection[UUID]) -> set[UUID]:
    """Of the datasets ``among``, those a share grants to any of these teams."""
    rows = await DatasetShare.filter(
        requester_team__in=list(teams), status=ShareStatus.GRANTED, dataset_id__in=list(among)
    ).values_list("dataset_id", flat=True)
    return {UUID(str(row)) for row in rows}


async def dataset_of_stack(stack_id: UUID) -> Dataset | None:
    """The dataset registered from a stack, if any."""
    return await Dataset.filter(stack_id=stack_id).select_for_update().first()


async def dataset_named(team: str, name: str) -> Dataset | None:
    """A team's dataset by name."""
    return await Dataset.filter(team=team, name=name).select_for_update().first()


async def stack(stack_id: UUID) -> Stack | None:
    """A stack, with its template version and template."""
    return await Stack.filter(id=stack_id).prefetch_related("template_version__template").first()


async def create(values: dict[str, Any]) -> Dataset:
    """A new dataset; ``dataset_exists`` when the team has one of that name."""
    try:
        return await Dataset.create(**values)
    except IntegrityError:
        raise Conflict(
            f"team {values['team']} already has a dataset named {values['name']}",
            code="dataset_exists",
            field="name",
        ) from None


async def save(dataset: Dataset, values: dict[str, Any]) -> None:
    """Write changed fields and bump the revision."""
    for name, value in values.items():
        setattr(dataset, name, value)
    dataset.revision += 1
    await dataset.save()


async def record_revision(
    dataset: Dataset, *, action: str, actor: str, changes: dict[str, Any]
) -> None:
    """Append one revision of ``dataset`` to its history."""
    await DatasetRevision.create(
        dataset_id=dataset.id,
        team=dataset.team,
        revision=dataset.revision,
        action=action,
        changed_by=actor,
        changes=changes,
    )


async def revisions(dataset_id: UUID) -> list[DatasetRevision]:
    """A dataset's history, oldest first."""
    return await DatasetRevision.filter(dataset_id=dataset_id).order_by("revision")
