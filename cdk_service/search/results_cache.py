"""Search results kept until the index changes, for the PostgreSQL backend.

OpenSearch keeps a query's counts and aggregations per shard until its next refresh (its
request cache); this is the same for ``search_documents``. Every writer of the table sends
``NOTIFY`` in its transaction, which PostgreSQL delivers at commit to a connection of the
cache's own that ``LISTEN``s; each change empties the cache. Results are kept only when no
change was announced while they were computed, and only while that connection is up: without
it nothing is kept or served, and it is opened again at a later search.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import structlog

from cdk_service.search.port import SearchResults

log = structlog.get_logger(__name__)
CHANNEL = "search_documents_changed"
NOTIFY_CHANGED = f"NOTIFY {CHANNEL}"
Connect = Callable[[], Awaitable[asyncpg.Connection]]


class ResultsCache:
    """The latest results of up to ``entries`` searches, valid until the next change."""

    def __init__(
        self, connect: Connect, *, entries: int = 512, retry_seconds: float = 30.0
    ) -> None:
        self._connect = connect
        self._most = entries
        self._retry_seconds = retry_seconds
        self._entries: OrderedDict[str, SearchResults] = OrderedDict()
        self._connection: asyncpg.Connection | None = None
        self._next_attempt = 0.0
        self.generation = 0  # changes announced so far: results computed across one are stale

    async def listening(self) -> bool:
        """Whether changes are being heard (connecting first if not, at most every
        ``retry_seconds`` after a failure): only then may results be kept or served."""
        if self._connection is not None and not self._connection.is_closed():
            return True
        if time.monotonic() < self._next_attempt:
            return False
        self._next_attempt = time.monotonic() + self._retry_seconds
        try:
            connection = await self._connect()
            await connection.add_listener(CHANNEL, self._changed)
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("search_cache_not_listening", error=str(error))
            return False
        connection.add_termination_listener(self._lost)
        self.forget()  # changes made while nobody listened
        self._connection = connection
        return True

    def get(self, key: str) -> SearchResults | None:
        """The kept results for ``key``, if any."""
        results = self._entries.get(key)
        if results is not None:
            self._entries.move_to_end(key)
        return results

    def keep(self, key: str, results: SearchResults, *, generation: int) -> None:
        """Keep ``results``, computed from ``generation`` on, unless a change came since."""
        if generation != self.generation or self._connection is None:
            return
        self._entries[key] = results
        self._entries.move_to_end(key)
        while len(self._entries) > self._most:
            self._entries.popitem(last=False)

    async def close(self) -> None:
        """Stop listening, and forget everything."""
        connection, self._connection = self._connection, None
        self.forget()
        if connection is not None and not connection.is_closed():
            connection.remove_termination_listener(self._lost)  # not lost: closed
            await connection.close()

    def forget(self) -> None:
        """Drop every kept result: the index changed."""
        self.generation += 1
        self._entries.clear()

    def _changed(self, *_: Any) -> None:
        self.forget()

    def _lost(self, _: Any) -> None:
        log.warning("search_cache_connection_lost")
        self._connection = None
        self.forget()
