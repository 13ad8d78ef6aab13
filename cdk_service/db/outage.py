"""A lost database connection (a failover, a restart, the server unreachable), told apart from
other failures, and ridden out by trying again on a fresh connection.

asyncpg's pool replaces a connection it finds closed at the next acquire, so the pool recovers
by itself once the server is back: what fails meanwhile is the statement that met the dead
connection, or the connect that met a server still starting. Only those are retried here;
a constraint violation or a bug is not.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import asyncpg
import structlog

log = structlog.get_logger(__name__)
T = TypeVar("T")

# Server answers that mean "not now, come back": shutting down, crashed, starting up.
SERVER_GOING_AWAY = (
    asyncpg.PostgresConnectionError,  # class 08, the connection itself
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,
)
# A socket error counts only when it came out of the database client (not from AWS, say).
DATABASE_CLIENT_MODULES = ("asyncpg", "tortoise")


def connection_lost(error: BaseException) -> bool:
    """Whether ``error`` (or one it was raised from) is the database connection going away."""
    return any(_is_lost(cause) for cause in _chain(error))


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _is_lost(error: BaseException) -> bool:
    if isinstance(error, SERVER_GOING_AWAY):
        return True
    if isinstance(error, asyncpg.InterfaceError):
        return "closed" in str(error)  # "connection is closed", "pool is closed"
    if isinstance(error, asyncpg.InternalClientError):
        # "another operation is in progress": a connection the server ended (its shutdown's
        # FATAL read, its closing not yet) went back to the pool and was taken again.
        return "another operation" in str(error)
    if isinstance(error, OSError | TimeoutError):  # refused, reset, socket gone, connect timeout
        return _raised_in_database_client(error)
    return False


def _raised_in_database_client(error: BaseException) -> bool:
    traceback = error.__traceback__
    while traceback is not None:
        module = traceback.tb_frame.f_globals.get("__name__", "")
        if module.split(".")[0] in DATABASE_CLIENT_MODULES:
            return True
        traceback = traceback.tb_next
    return False


def backoff(attempt: int, *, first: float, longest: float) -> float:
    """Exponential backoff with jitter (``first`` doubling up to ``longest``), so workers that
    met the same outage or throttling do not all try again in step."""
    ceiling = min(first * 2**attempt, longest)
    return random.uniform(ceiling / 2, ceiling)


async def riding_out_outages(
    work: Callable[[], Awaitable[T]],
    *,
    within_seconds: float,
    first_seconds: float = 0.1,
    longest_seconds: float = 2.0,
) -> T:
    """Run ``work``; when it fails on a lost database connection, run it again (it takes a
    fresh connection) with backoff, until ``within_seconds`` have passed: then the last error
    is raised. ``work`` must be safe to run again from its start."""
    deadline = time.monotonic() + within_seconds
    attempt = 0
    while True:
        try:
            return await work()
        except Exception as error:
            if not connection_lost(error) or time.monotonic() >= deadline:
                raise
            delay = backoff(attempt, first=first_seconds, longest=longest_seconds)
            log.warning("database_connection_lost", error=repr(error), retry_in=round(delay, 2))
            attempt += 1
            await asyncio.sleep(delay)
