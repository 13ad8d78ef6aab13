"""The search outbox: rows the triggers write, claimed in id order, retried with backoff."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel
from tortoise import Tortoise

from cdk_service.db.models import SearchOutboxEntry

# One drainer at a time (held for a transaction): updates are applied in the order written.
DRAIN_LOCK = 0x5EA4C4


async def hold_drain_lock(*, wait: bool) -> bool:
    """Take the drain lock for the current transaction; without ``wait``, False when taken."""
    connection = Tortoise.get_connection("default")
    if wait:
        await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [DRAIN_LOCK])
        return True
    rows = await connection.execute_query_dict(
        "SELECT pg_try_advisory_xact_lock($1) AS held", [DRAIN_LOCK]
    )
    return bool(rows[0]["held"])


async def due_entries(limit: int) -> list[SearchOutboxEntry]:
    """The oldest entries whose retry time has come."""
    return (
        await SearchOutboxEntry.filter(available_at__lte=datetime.now(UTC))
        .order_by("id")
        .limit(limit)
    )


async def remove(entries: list[SearchOutboxEntry]) -> None:
    """Entries now in the index."""
    await SearchOutboxEntry.filter(id__in=[e.id for e in entries]).delete()


# The first retry waits first_seconds; each next one twice as long, up to longest_seconds.
POSTPONE = """
UPDATE search_outbox SET attempts = attempts + 1, last_error = $2,
    available_at = now() + make_interval(secs => least($4::float8, $3::float8 * 2 ^ attempts))
WHERE id = ANY($1::bigint[])
"""


async def postpone(
    entries: list[SearchOutboxEntry], error: str, *, first_seconds: float, longest_seconds: float
) -> None:
    """Count a failed attempt on every entry of a batch and set when each is tried again."""
    await Tortoise.get_connection("default").execute_query(
        POSTPONE, [[e.id for e in entries], error[:2000], first_seconds, longest_seconds]
    )


class OutboxLag(BaseModel):
    """How far the index is behind the records."""

    pending: int
    failing: int
    oldest_age_seconds: float
    last_error: str | None = None


async def lag() -> OutboxLag:
    """Pending entries, how many have failed at least once, and the age of the oldest."""
    rows = await Tortoise.get_connection("default").execute_query_dict(
        """
        SELECT count(*) AS pending, count(*) FILTER (WHERE attempts > 0) AS failing,
            coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest,
            (SELECT last_error FROM search_outbox WHERE last_error IS NOT NULL
             ORDER BY id DESC LIMIT 1) AS last_error
        FROM search_outbox
        """
    )
    row = rows[0]
    return OutboxLag(
        pending=row["pending"],
        failing=row["failing"],
        oldest_age_seconds=row["oldest"],
        last_error=row["last_error"],
    )
