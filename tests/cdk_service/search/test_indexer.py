"""The outbox: written with every change, drained in order, nothing lost with the backend down."""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from cdk_service.datasets import service as datasets
from cdk_service.datasets.schemas import DatasetUpdate
from cdk_service.db.models import SearchOutboxEntry, StackStatus
from cdk_service.search import outbox
from cdk_service.search.documents import DocumentDeletion, DocumentKind, SearchDocument
from cdk_service.search.indexer import Indexer, indexing
from cdk_service.search.port import SearchBackend, SearchQuery, Visibility
from cdk_service.search.postgres import PostgresSearch
from cdk_service.search.sources import documents_of
from service_contract.errors import UpstreamFailure
from tests.cdk_service.search.conftest import ADMIN, ANALYST, Records, titles


@dataclass
class FlakyBackend:
    """A backend (PostgreSQL unless given) behind a switch: while ``down``, every write fails."""

    backend: SearchBackend = field(default_factory=PostgresSearch)
    down: bool = True
    writes: list[int] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)

    async def write(
        self, documents: Sequence[SearchDocument], deletions: Sequence[DocumentDeletion]
    ) -> None:
        if self.down:
            raise UpstreamFailure("search backend unreachable", code="search_unavailable")
        self.writes.append(len(documents) + len(deletions))
        await self.backend.write(documents, deletions)


async def test_every_change_writes_an_outbox_entry_in_its_transaction(records: Records) -> None:
    detail = await records.dataset(name="orders")
    assert await SearchOutboxEntry.filter(kind="dataset", entity_id=str(detail.id)).count() == 1

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned):
        async with in_transaction():
            await records.dataset(name="refunds")
            raise Abandoned
    assert await SearchOutboxEntry.filter(kind="dataset").count() == 1


async def test_with_the_backend_down_writes_succeed_and_the_index_converges_in_order(
    records: Records, backend: SearchBackend, find: Any
) -> None:
    flaky = FlakyBackend(backend)
    indexer = Indexer(backend=flaky, retry_first_seconds=0.01, retry_longest_seconds=0.02)
    detail = await records.dataset(name="orders", description="version 0")
    for number in range(1, 6):
        await datasets.update(
            identity=ANALYST,
            dataset_id=detail.id,
            update=DatasetUpdate(description=f"version {number}"),
        )
        assert await indexer.drain() == 0  # postponed, not lost
    lag = await outbox.lag()
    assert lag.pending == 6 and lag.failing >= 1
    assert lag.last_error is not None and "search backend unreachable" in lag.last_error

    flaky.down = False
    await asyncio.sleep(0.05)  # past the longest backoff
    assert await indexer.drain() == 6
    assert flaky.writes == [1]  # six changes of one dataset: one write of its newest state
    (hit,) = (await find(ANALYST, "orders")).hits
    assert hit.document.description == "version 5"
    assert (await outbox.lag()).pending == 0


async def test_retries_back_off_and_wait_for_their_time(records: Records, search_db: str) -> None:
    indexer = Indexer(backend=FlakyBackend(), retry_first_seconds=30, retry_longest_seconds=60)
    await records.dataset(name="orders")
    assert await indexer.drain() == 0
    (entry,) = await SearchOutboxEntry.all()
    assert entry.attempts == 1
    assert (entry.available_at - entry.created_at).total_seconds() >= 29
    assert await outbox.due_entries(10) == []


async def test_deletes_and_gone_stacks_leave_the_index(
    records: Records, indexer: Indexer, find: Any
) -> None:
    stack = await records.stack("lake")
    detail = await records.dataset(name="orders")
    await indexer.drain()
    assert sorted(titles(await find(ADMIN))) == ["Bucket", "lake", "orders"]
    await datasets.delete(identity=ANALYST, dataset_id=detail.id, revision=None)
    stack.status = StackStatus.DESTROYED
    await stack.save()
    await indexer.drain()
    assert titles(await find(ADMIN)) == ["Bucket"]


async def test_the_running_indexer_keeps_up_with_writes(
    records: Records, indexer: Indexer, find: Any
) -> None:
    async with indexing(indexer):
        await records.dataset(name="orders")
        for _ in range(100):
            if titles(await find(ANALYST, "orders")):
                break
            await asyncio.sleep(0.02)
    assert titles(await find(ANALYST, "orders")) == ["orders"]


async def test_only_one_indexer_drains_at_a_time(records: Records, indexer: Indexer) -> None:
    await records.dataset(name="orders")
    async with in_transaction():
        assert await outbox.hold_drain_lock(wait=False)
        # A task of its own context, so it does not share the transaction's connection.
        other = asyncio.create_task(indexer.drain_once(), context=contextvars.Context())
        assert await other == 0  # the lock is held by the transaction above
    assert await indexer.drain_once() == 1


async def test_a_failing_database_is_retried_with_growing_pauses(search_db: str) -> None:
    attempts: list[float] = []

    class Unreachable(Indexer):
        async def drain(self) -> int:
            attempts.append(asyncio.get_running_loop().time())
            raise OSError("connection refused")

    indexer = Unreachable(
        backend=FlakyBackend(), poll_seconds=0.001, retry_first_seconds=0.02,
        retry_longest_seconds=0.16,
    )  # fmt: skip
    async with indexing(indexer):
        deadline = asyncio.get_running_loop().time() + 30
        while len(attempts) < 4:  # however slow the machine, the pauses only grow
            assert asyncio.get_running_loop().time() < deadline, f"{len(attempts)} attempts"
            await asyncio.sleep(0.01)
    pauses = [later - earlier for earlier, later in itertools.pairwise(attempts[:4])]
    # Not one every poll_seconds: each pause at least the doubled backoff (0.04, 0.08, 0.16 s).
    backoff = [0.04, 0.08, 0.16]
    assert all(pause >= 0.95 * least for pause, least in zip(pauses, backoff, strict=True)), pauses


async def test_a_dataset_shows_the_current_state_of_its_stack(
    records: Records, indexer: Indexer, find: Any
) -> None:
    stack = await records.stack("lake", region="eu-central-1")
    await records.dataset(name="orders", stack_id=str(stack.id))
    await indexer.drain()
    stack.status = StackStatus.UPDATING
    await stack.save()
    await indexer.drain()
    (hit,) = (await find(ANALYST, "orders", kind="dataset")).hits
    assert (hit.document.status, hit.document.region) == ("updating", "eu-central-1")


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_random_changes_with_an_unreliable_backend_converge_to_the_records(
    records: Records, backend: SearchBackend, seed: int
) -> None:
    rng = random.Random(seed)
    flaky = FlakyBackend(backend, down=False)
    indexer = Indexer(backend=flaky, batch_size=7, retry_first_seconds=0.001,
                      retry_longest_seconds=0.002)  # fmt: skip
    live: dict[str, Any] = {}
    for step in range(60):
        action = rng.choice(["create", "update", "update", "delete", "drain"])
        if action == "create" or not live:
            detail = await records.dataset(name=f"set-{step}", tags=["new"])
            live[detail.name] = detail.id
        elif action == "update":
            change = DatasetUpdate(description=f"step {step}", tags=[f"t{step}"],
                                   classification=rng.choice(["public", "restricted"]))  # fmt: skip
            await datasets.update(identity=ANALYST, dataset_id=rng.choice(list(live.values())),
                                  update=change)  # fmt: skip
        elif action == "delete":
            name = rng.choice(sorted(live))
            await datasets.delete(identity=ANALYST, dataset_id=live.pop(name), revision=None)
        else:
            flaky.down = rng.random() < 0.5
            await indexer.drain()
    flaky.down = False
    await asyncio.sleep(0.01)
    await indexer.drain()
    assert (await outbox.lag()).pending == 0

    expected = await documents_of(DocumentKind.DATASET, [str(i) for i in live.values()])
    indexed = (await backend.search(SearchQuery(limit=100), Visibility(everything=True))).hits
    found = {hit.document.id: hit.document for hit in indexed}
    assert set(found) == set(expected)
    for entity, document in expected.items():
        fields = {"description", "tags", "classification", "title"}
        assert found[entity].model_dump(include=fields) == document.model_dump(include=fields)
