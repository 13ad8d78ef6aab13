"""Datasets: register, read, change, delete; history; who may do what."""

from __future__ import annotations

from uuid import uuid4

import pytest

from cdk_service.datasets import service
from cdk_service.datasets.schemas import DatasetUpdate
from cdk_service.db.models import AuditEntry, DatasetRevision
from service_contract.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.cdk_service.search.conftest import ADMIN, ANALYST, FINANCE, Records

COLUMNS = [
    {"name": "order_id", "type": "string", "description": "Order key"},
    {"name": "email", "type": "string", "pii": True},
]


async def test_changes_are_kept_with_who_changed_which_fields(records: Records) -> None:
    detail = await records.dataset(name="orders", columns=COLUMNS, tags=["sales"])
    assert detail.revision == 1 and detail.access == "owner"
    changed = await service.update(
        identity=ADMIN,
        dataset_id=detail.id,
        update=DatasetUpdate(classification="confidential", tags=["sales", "pii"], revision=1),
    )
    assert (changed.revision, changed.classification.value) == (2, "confidential")
    assert changed.columns == detail.columns  # fields not sent keep their value
    unchanged = await service.update(
        identity=ANALYST, dataset_id=detail.id, update=DatasetUpdate(tags=["sales", "pii"])
    )
    assert unchanged.revision == 2  # nothing differed: no revision

    history = await service.history(identity=ANALYST, dataset_id=detail.id)
    assert [(r.revision, r.action, r.changed_by) for r in history.revisions] == [
        (1, "created", "alan"),
        (2, "updated", "ada"),
    ]
    assert history.revisions[1].changes == {
        "classification": {"before": "internal", "after": "confidential"},
        "tags": {"before": ["sales"], "after": ["sales", "pii"]},
    }
    assert history.revisions[0].changes["columns"]["after"][1]["pii"] is True
    actions = await AuditEntry.filter(target_id=str(detail.id)).values_list("action", flat=True)
    assert actions == ["dataset.created", "dataset.updated"]


async def test_the_history_lists_only_fields_that_have_or_had_a_value_and_changed(
    records: Records,
) -> None:
    detail = await records.dataset(name="orders", description="Shop orders", tags=["sales"])
    await service.update(
        identity=ANALYST,
        dataset_id=detail.id,
        update=DatasetUpdate(description="Shop orders", location=None, topics=["retail"]),
    )

    history = await service.delete(identity=ANALYST, dataset_id=detail.id, revision=2)

    created, updated, deleted = (r.changes for r in history.revisions)
    assert created == {
        "description": {"before": None, "after": "Shop orders"},
        "tags": {"before": None, "after": ["sales"]},
        "classification": {"before": None, "after": "internal"},
    }
    assert updated == {"topics": {"before": [], "after": ["retail"]}}
    assert set(deleted) == {"description", "tags", "classification", "topics"}


async def test_revisions_recorded_with_unchanged_fields_show_only_the_changed_ones(
    records: Records,
) -> None:
    detail = await records.dataset(name="orders")
    noise = {
        "location": {"before": None, "after": None},
        "columns": {"before": None, "after": []},
        "description": {"before": "", "after": ""},
        "format": {"before": "csv", "after": "parquet"},
    }
    await DatasetRevision.create(
        dataset_id=detail.id, team="analytics", revision=2, action="updated", changed_by="alan",
        changes=noise,
    )  # fmt: skip

    history = await service.history(identity=ANALYST, dataset_id=detail.id)

    assert history.revisions[1].changes == {"format": {"before": "csv", "after": "parquet"}}


async def test_a_stale_revision_is_refused(records: Records) -> None:
    detail = await records.dataset(name="orders")
    await service.update(
        identity=ANALYST, dataset_id=detail.id, update=DatasetUpdate(description="a")
    )
    with pytest.raises(Conflict) as stale:
        await service.update(
            identity=ANALYST,
            dataset_id=detail.id,
            update=DatasetUpdate(description="b", revision=1),
        )
    assert stale.value.code == "stale_revision" and stale.value.details == {"revision": 2}


async def test_other_teams_see_open_datasets_as_metadata_only_and_cannot_change_them(
    records: Records,
) -> None:
    internal = await records.dataset(
        name="orders", location="s3://analytics-orders/data/", glue_database="orders_db"
    )
    restricted = await records.dataset(name="salaries", classification="restricted")
    seen = await service.get(identity=FINANCE, dataset_id=internal.id)
    assert seen.access == "metadata" and seen.name == "orders"
    assert (seen.location, seen.glue_database) == (None, None)
    with pytest.raises(NotFound):
        await service.get(identity=FINANCE, dataset_id=restricted.id)
    with pytest.raises(Forbidden):
        await service.update(
            identity=FINANCE, dataset_id=internal.id, update=DatasetUpdate(description="x")
        )
    with pytest.raises(NotFound):
        await service.history(identity=FINANCE, dataset_id=internal.id)


async def test_registering_checks_team_name_and_stack(records: Records) -> None:
    with pytest.raises(Forbidden):
        await records.dataset(ANALYST, name="orders", team="finance")
    await records.dataset(name="orders")
    with pytest.raises(Conflict) as taken:
        await records.dataset(name="orders")
    assert taken.value.code == "dataset_exists"
    finance_stack = await records.stack("lake", team="finance")
    with pytest.raises(InvalidInput) as foreign:
        await records.dataset(name="refunds", stack_id=str(finance_stack.id))
    assert foreign.value.field == "stack_id"
    with pytest.raises(InvalidInput):
        await records.dataset(name="returns", stack_id=str(uuid4()))


async def test_deleting_keeps_the_history(records: Records) -> None:
    detail = await records.dataset(name="orders", description="gone soon")
    history = await service.delete(identity=ANALYST, dataset_id=detail.id, revision=1)
    assert [r.action for r in history.revisions] == ["created", "deleted"]
    assert history.revisions[-1].changes["description"] == {"before": "gone soon", "after": None}
    with pytest.raises(NotFound):
        await service.get(identity=ANALYST, dataset_id=detail.id)
    with pytest.raises(NotFound):
        await service.history(identity=FINANCE, dataset_id=detail.id)
