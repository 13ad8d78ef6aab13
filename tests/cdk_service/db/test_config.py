"""The process's connection pool: a connection goes back without asyncpg's reset round trip,
yet never with a transaction left open."""

from __future__ import annotations

from tortoise import Tortoise

LAST_STATEMENT = "SELECT query FROM pg_stat_activity WHERE pid = $1"


async def test_a_query_outside_a_transaction_is_the_last_thing_its_connection_sent(db: str) -> None:
    connection = Tortoise.get_connection("default")
    async with connection.acquire_connection() as watching:  # held: the other is another one
        async with connection.acquire_connection() as pooled:
            pid = pooled.get_server_pid()
            await pooled.fetchval("SELECT 'datahub-pool-check'")

        # asyncpg's default reset would show: SELECT pg_advisory_unlock_all(); CLOSE ALL; ...
        assert "datahub-pool-check" in await watching.fetchval(LAST_STATEMENT, pid)


async def test_a_connection_released_inside_a_transaction_comes_back_without_it(db: str) -> None:
    connection = Tortoise.get_connection("default")
    async with connection.acquire_connection() as pooled:
        pid = pooled.get_server_pid()
        await pooled.execute("BEGIN")
        await pooled.execute("SELECT pg_advisory_xact_lock(20261129)")

    async with connection.acquire_connection() as again:
        assert again.get_server_pid() == pid  # the pool's one idle connection, reused
        assert not again.is_in_transaction()
        held = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = $1"
        assert await again.fetchval(held, pid) == 0
