"""Stacks of the dataset template register their dataset when they become active."""

from __future__ import annotations

from typing import Any

from cdk_service.datasets import service
from cdk_service.datasets.schemas import DatasetUpdate
from cdk_service.db.models import Dataset, Stack, StackStatus, Template, TemplateVersion
from cdk_service.search.indexer import Indexer
from tests.cdk_service.search.conftest import ANALYST, titles

PARAMS = {
    "dataset_name": "orders",
    "description": "Orders from the shop",
    "classification": "confidential",
    "data_format": "parquet",
}
OUTPUTS = {"DataLocation": "s3://analytics-orders-1a2b/data/", "GlueDatabaseName": "orders_db"}


async def _dataset_stack(status: StackStatus, outputs: dict[str, Any] | None = None) -> Stack:
    template = await Template.create(name="dataset", title="Dataset", description="Storage")
    version = await TemplateVersion.create(
        template=template,
        version="1.0.0",
        title="Dataset",
        description="Storage",
        params_schema={},
        code_digest="0" * 64,
    )
    return await Stack.create(
        name="orders-store",
        team="analytics",
        template_version=version,
        params=PARAMS,
        account="123456789012",
        region="eu-west-1",
        status=status,
        cloudformation_stack_name="analytics-orders-store",
        outputs=outputs or {},
        created_by="alan",
    )


async def test_an_active_dataset_stack_registers_its_dataset_from_its_outputs(
    search_db: str, indexer: Indexer, find: Any
) -> None:
    stack = await _dataset_stack(StackStatus.DEPLOYING)
    await indexer.drain()
    assert await Dataset.all().count() == 0  # not before the stack is active

    stack.status, stack.outputs = StackStatus.ACTIVE, OUTPUTS
    await stack.save()
    await indexer.drain()
    dataset = await Dataset.get(team="analytics", name="orders")
    assert (dataset.location, dataset.glue_database) == (OUTPUTS["DataLocation"], "orders_db")
    assert (dataset.classification.value, dataset.format) == ("confidential", "parquet")
    assert dataset.stack_id == stack.id and dataset.created_by == "system"
    assert set(titles(await find(ANALYST, "orders"))) == {"orders", "orders-store"}
    (hit,) = [h for h in (await find(ANALYST, "orders", kind="dataset")).hits]
    assert (hit.document.template, hit.document.region) == ("dataset", "eu-west-1")


async def test_a_later_stack_change_updates_only_where_the_data_lives(
    search_db: str, indexer: Indexer
) -> None:
    stack = await _dataset_stack(StackStatus.ACTIVE, OUTPUTS)
    await indexer.drain()
    dataset = await Dataset.get(name="orders")
    await service.update(
        identity=ANALYST, dataset_id=dataset.id, update=DatasetUpdate(description="Curated")
    )
    stack.outputs = OUTPUTS | {"DataLocation": "s3://analytics-orders-9z9z/data/"}
    await stack.save()
    await indexer.drain()
    await dataset.refresh_from_db()
    assert (dataset.description, dataset.location) == (
        "Curated",
        "s3://analytics-orders-9z9z/data/",
    )
    history = await service.history(identity=ANALYST, dataset_id=dataset.id)
    assert [(r.action, r.changed_by, sorted(r.changes)) for r in history.revisions][1:] == [
        ("updated", "alan", ["description"]),
        ("updated", "system", ["location"]),
    ]


async def test_a_stack_upgraded_to_dataset_2_0_0_moves_its_dataset_to_the_new_database(
    search_db: str, indexer: Indexer
) -> None:
    stack = await _dataset_stack(StackStatus.ACTIVE, {**OUTPUTS, "GlueDatabaseName": "a_orders"})
    await indexer.drain()
    # dataset 2.0.0 replaced the database: the upgrade's outputs name the new one.
    stack.outputs = OUTPUTS | {"GlueDatabaseName": "analytics_orders_dataset"}
    await stack.save()
    await indexer.drain()

    dataset = await Dataset.get(name="orders")
    assert dataset.glue_database == "analytics_orders_dataset"
    history = await service.history(identity=ANALYST, dataset_id=dataset.id)
    assert [(r.changed_by, sorted(r.changes)) for r in history.revisions][-1] == (
        "system",
        ["glue_database"],
    )
