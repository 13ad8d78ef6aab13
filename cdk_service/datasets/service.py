"""Registering, reading, changing and deleting datasets, each change kept in the history."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from cdk_service.datasets import repository
from cdk_service.datasets.schemas import (
    DATASET_FIELDS,
    OPEN_CLASSIFICATIONS,
    DatasetChanges,
    DatasetDetail,
    DatasetHistory,
    DatasetRegistration,
    DatasetRevisionView,
    DatasetUpdate,
)
from cdk_service.db.audit import record_audit
from cdk_service.db.models import Dataset, DatasetRevision
from cdk_service.db.transactions import transaction
from service_contract.errors import Conflict, Forbidden, InvalidInput, NotFound
from service_contract.identity import Identity

HIDDEN_FROM_OTHER_TEAMS = ("location", "glue_database", "glue_table", "stack_id")


def _not_found(dataset_id: UUID) -> NotFound:
    return NotFound(f"dataset {dataset_id} does not exist", code="dataset_not_found")


def detail(dataset: Dataset, identity: Identity, *, shared: bool = False) -> DatasetDetail:
    """The dataset as ``identity`` may see it (another team's: metadata only, unless it is
    ``shared`` with one of the caller's teams: then where the data lives too)."""
    values = {
        field: getattr(dataset, field) for field in DatasetDetail.model_fields if field != "access"
    }
    if identity.may_act_for(dataset.team):
        return DatasetDetail(**values, access="owner")
    if shared:
        return DatasetDetail(**(values | {"stack_id": None}), access="shared")
    hidden = dict.fromkeys(HIDDEN_FROM_OTHER_TEAMS)
    return DatasetDetail(**(values | hidden), access="metadata")


def stored(changes: DatasetChanges, fields: set[str]) -> dict[str, Any]:
    """The given fields as the database stores them (columns as plain dicts)."""
    dumped = changes.model_dump(mode="json", include=fields)
    values = {name: getattr(changes, name) for name in fields}
    values["columns"] = dumped.get("columns", [])
    return {name: values[name] for name in fields}


async def _check_stack(identity: Identity, team: str, stack_id: UUID | None) -> None:
    if stack_id is None:
        return
    stack = await repository.stack(stack_id)
    if stack is None or not identity.may_act_for(stack.team) or stack.team != team:
        raise InvalidInput(
            f"stack {stack_id} is not a stack of team {team}",
            code="invalid_stack",
            field="stack_id",
        )


async def register(*, identity: Identity, registration: DatasetRegistration) -> DatasetDetail:
    """Record a new dataset of one of the caller's teams; the history starts at revision 1."""
    if not identity.may_act_for(registration.team):
        raise Forbidden(f"you are not a member of team {registration.team}", code="not_a_member")
    await _check_stack(identity, registration.team, registration.stack_id)
    values = stored(registration, set(DATASET_FIELDS))
    async with transaction():
        return await create(identity.user, registration.team, registration.name, values, identity)


async def create(
    actor: str, team: str, name: str, values: dict[str, Any], viewer: Identity
) -> DatasetDetail:
    """Create a dataset with its first revision and an audit entry (in a transaction)."""
    if await repository.dataset_named(team, name) is not None:
        raise Conflict(
            f"team {team} already has a dataset named {name}", code="dataset_exists", field="name"
        )
    dataset = await repository.create(
        {**values, "team": team, "name": name, "created_by": actor, "updated_by": actor}
    )
    changes = changed_fields({}, _json(values))
    await repository.record_revision(dataset, action="created", actor=actor, changes=changes)
    await record_audit(
        actor=actor,
        action="dataset.created",
        target_kind="dataset",
        target_id=str(dataset.id),
        details={"team": team, "name": name},
    )
    return detail(dataset, viewer)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each field whose value differs, with its value before and after (a field missing on one
    side is None there); a field with no value on either side (never set) did not change."""
    names = dict.fromkeys([*before, *after])
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in names
        if before.get(name) != after.get(name)
        and (_has_value(before.get(name)) or _has_value(after.get(name)))
    }


def _has_value(value: Any) -> bool:
    return value is not None and value not in ("", [], {})


def _json(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: str(value) if isinstance(value, UUID) else getattr(value, "value", value)
        for name, value in values.items()
    }


async def _owned(identity: Identity, dataset_id: UUID, revision: int | None) -> Dataset:
    dataset = await repository.dataset(dataset_id, for_update=True)
    if dataset is None or not _visible(identity, dataset):
        raise _not_found(dataset_id)
    if not identity.may_act_for(dataset.team):
        raise Forbidden(f"dataset {dataset_id} belongs to team {dataset.team}", code="not_a_member")
    if revision is not None and revision != dataset.revision:
        raise Conflict(
            f"dataset {dataset_id} is at revision {dataset.revision}, not {revision}",
            code="stale_revision",
            field="revision",
            details={"revision": dataset.revision},
        )
    return dataset


async def change(actor: str, dataset: Dataset, values: dict[str, Any]) -> dict[str, Any]:
    """Apply the values that differ, recording a revision; returns the changes (may be none)."""
    before = _json({name: getattr(dataset, name) for name in values})
    changes = changed_fields(before, _json(values))
    if changes:
        await repository.save(
            dataset, {name: values[name] for name in changes} | {"updated_by": actor}
        )
        await repository.record_revision(dataset, action="updated", actor=actor, changes=changes)
        await record_audit(
            actor=actor,
            action="dataset.updated",
            target_kind="dataset",
            target_id=str(dataset.id),
            details={"fields": sorted(changes)},
        )
    return changes


async def update(*, identity: Identity, dataset_id: UUID, update: DatasetUpdate) -> DatasetDetail:
    """Change the fields sent; no revision is recorded when nothing differs."""
    fields = update.model_fields_set & set(DATASET_FIELDS)
    async with transaction():
        dataset = await _owned(identity, dataset_id, update.revision)
        if "stack_id" in fields:
            await _check_stack(identity, dataset.team, update.stack_id)
        await change(identity.user, dataset, stored(update, fields))
        return detail(dataset, identity)


async def delete(*, identity: Identity, dataset_id: UUID, revision: int | None) -> DatasetHistory:
    """Delete a dataset; its history (ending with the deletion) is kept and returned."""
    async with transaction():
        dataset = await _owned(identity, dataset_id, revision)
        dataset.revision += 1
        last = _json({name: getattr(dataset, name) for name in DATASET_FIELDS})
        changes = changed_fields(last, {})
        await repository.record_revision(
            dataset, action="deleted", actor=identity.user, changes=changes
        )
        await record_audit(
            actor=identity.user,
            action="dataset.deleted",
            target_kind="dataset",
            target_id=str(dataset.id),
            details={"team": dataset.team, "name": dataset.name},
        )
        await dataset.delete()
    return await history(identity=identity, dataset_id=dataset_id)


def _visible(identity: Identity, dataset: Dataset) -> bool:
    return identity.may_act_for(dataset.team) or dataset.classification in OPEN_CLASSIFICATIONS


async def _granted(identity: Identity, dataset_id: UUID) -> bool:
    """Whether a share grants the dataset to one of the caller's teams."""
    return dataset_id in await repository.granted_ids(identity.teams, [dataset_id])


async def get(*, identity: Identity, dataset_id: UUID) -> DatasetDetail:
    """A dataset the caller may see; another team's confidential one does not exist for them."""
    dataset = await repository.dataset(dataset_id)
    if dataset is None:
        raise _not_found(dataset_id)
    if not identity.may_act_for(dataset.team) and await _granted(identity, dataset.id):
        return detail(dataset, identity, shared=True)
    if not _visible(identity, dataset):
        raise _not_found(dataset_id)
    return detail(dataset, identity)


async def history(*, identity: Identity, dataset_id: UUID) -> DatasetHistory:
    """Every revision of a dataset of the caller's teams (admins: any), oldest first."""
    revisions = await repository.revisions(dataset_id)
    if not revisions or not identity.may_act_for(revisions[0].team):
        raise _not_found(dataset_id)
    return DatasetHistory(
        dataset_id=dataset_id,
        team=revisions[0].team,
        revisions=[_revision_view(revision) for revision in revisions],
    )


def _revision_view(revision: DatasetRevision) -> DatasetRevisionView:
    """A revision showing only the fields that changed (older revisions also recorded the
    fields that had no value before or after)."""
    changes: dict[str, dict[str, Any]] = revision.changes
    before = {name: change["before"] for name, change in changes.items()}
    after = {name: change["after"] for name, change in changes.items()}
    view = DatasetRevisionView.model_validate(revision, from_attributes=True)
    return view.model_copy(update={"changes": changed_fields(before, after)})
