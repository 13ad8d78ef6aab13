"""The indexer: drains the outbox into the search backend, in order, retrying with backoff.

Each entry only says *which* document changed; the document is rebuilt from the records when
the entry is drained, and written with the entry's id as its version. So a retry always writes
the newest state, a late or repeated write of an older version is ignored by the backend, and
with the backend down nothing is lost: the entries stay until a write succeeds.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import structlog

from cdk_service.db.models import SearchOutboxEntry
from cdk_service.db.transactions import transaction
from cdk_service.search import outbox
from cdk_service.search.documents import DocumentDeletion, DocumentKind, SearchDocument
from cdk_service.search.port import SearchBackend
from cdk_service.search.sources import datasets_in_stacks, documents_of

log = structlog.get_logger(__name__)
Reaction = Callable[[Sequence[SearchOutboxEntry]], Awaitable[None]]


async def changes_of(
    entries: Sequence[SearchOutboxEntry],
) -> tuple[list[SearchDocument], list[DocumentDeletion]]:
    """What to write for a batch: each changed entity once, at its newest entry's version."""
    newest: dict[tuple[DocumentKind, str], int] = {}
    for entry in entries:
        newest[(DocumentKind(entry.kind), entry.entity_id)] = entry.id
    stacks = {entity: v for (k, entity), v in newest.items() if k is DocumentKind.STACK}
    for dataset, stack in await datasets_in_stacks(stacks):  # they show the stack's region
        key = (DocumentKind.DATASET, dataset)
        newest[key] = max(newest.get(key, 0), stacks[stack])
    documents: list[SearchDocument] = []
    deletions: list[DocumentDeletion] = []
    for kind in DocumentKind:
        ids = {entity: version for (k, entity), version in newest.items() if k is kind}
        found = await documents_of(kind, ids) if ids else {}
        for entity, version in ids.items():
            if entity in found:
                documents.append(found[entity].model_copy(update={"version": version}))
            else:
                deletions.append(DocumentDeletion(kind=kind, id=entity, version=version))
    return documents, deletions


@dataclass
class Indexer:
    """Drains the outbox into ``backend``; ``reactions`` see each batch first (in its
    transaction), for work that follows record changes, such as registering datasets."""

    backend: SearchBackend
    batch_size: int = 500
    retry_first_seconds: float = 1.0
    retry_longest_seconds: float = 60.0
    poll_seconds: float = 0.1
    reactions: Sequence[Reaction] = field(default_factory=tuple)

    async def drain_once(self) -> int:
        """Index one batch; returns how many entries it took off the outbox (0: none due, the
        batch failed and was postponed, or another indexer is draining)."""
        async with transaction():
            if not await outbox.hold_drain_lock(wait=False):
                return 0
            entries = await outbox.due_entries(self.batch_size)
            if not entries:
                return 0
            try:
                async with transaction():  # a savepoint: a failure leaves the claim usable
                    for react in self.reactions:
                        await react(entries)
                    documents, deletions = await changes_of(entries)
                    await self.backend.write(documents, deletions)
            except Exception as error:  # recorded on the entries and retried: nothing is lost
                log.exception("search_index_failed", entries=len(entries))
                await outbox.postpone(
                    entries,
                    f"{type(error).__name__}: {error}",
                    first_seconds=self.retry_first_seconds,
                    longest_seconds=self.retry_longest_seconds,
                )
                return 0
            await outbox.remove(entries)
            return len(entries)

    async def drain(self) -> int:
        """Drain until nothing is due; returns the entries indexed."""
        total = 0
        while drained := await self.drain_once():
            total += drained
        return total

    async def run(self, stop: asyncio.Event) -> None:
        """Drain until ``stop`` is set, looking again every ``poll_seconds`` when idle; while
        the database itself fails, waiting longer after each failure (as for index retries)."""
        failures = 0
        while not stop.is_set():
            pause = self.poll_seconds
            try:
                drained = await self.drain()
                failures = 0
            except Exception:  # logged, and tried again after a pause
                log.exception("search_indexer_failed", failures=failures + 1)
                drained, failures = 0, failures + 1
                pause = min(self.retry_longest_seconds, self.retry_first_seconds * 2**failures)
            if not drained:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)


@asynccontextmanager
async def indexing(indexer: Indexer) -> AsyncIterator[Indexer]:
    """Run ``indexer`` in the background for the duration of the block."""
    stop = asyncio.Event()
    task = asyncio.create_task(indexer.run(stop), name="search-indexer")
    try:
        yield indexer
    finally:
        stop.set()
        await task
