"""Database-level chores the ORM does not do: create and drop whole databases."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

import asyncpg

DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def with_database(url: str, database: str) -> str:
    """The same server URL, pointing at another database (query string such as host kept)."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


def _checked(database: str) -> str:
    # Names are interpolated into DDL (it takes no parameters), so only plain ones pass.
    if not DATABASE_NAME.match(database):
        raise ValueError(f"not a plain database name: {database!r}")
    return database


async def create_database(server_url: str, database: str, *, if_missing: bool = False) -> bool:
    """Create ``database`` on the server of ``server_url``; False when it already existed."""
    connection = await asyncpg.connect(server_url)
    try:
        exists = await connection.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", _checked(database)
        )
        if exists and if_missing:
            return False
        await connection.execute(f'CREATE DATABASE "{database}"')
        return True
    finally:
        await connection.close()


async def drop_database(server_url: str, database: str) -> None:
    """Drop ``database``, disconnecting whoever is still using it."""
    connection = await asyncpg.connect(server_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{_checked(database)}" WITH (FORCE)')
    finally:
        await connection.close()


@asynccontextmanager
async def scratch_database(server_url: str, prefix: str = "datahub_scratch") -> AsyncIterator[str]:
    """A new empty database on ``server_url``'s server, dropped on exit; yields its URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    await create_database(server_url, name)
    try:
        yield with_database(server_url, name)
    finally:
        await drop_database(server_url, name)
