"""The embedded PostgreSQL that ``datahubctl up`` starts when no database is configured."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from cdk_service.db.embedded import start_embedded, stop_embedded
from cdk_service.db.upgrade import upgrade


@pytest.fixture
def state_dir() -> Iterator[Path]:
    """A state directory outside pytest's: run as root, pgserver serves from another user,
    and concurrent pytest runs reset /tmp/pytest-of-root to 0700 under its feet."""
    parent = Path(tempfile.mkdtemp(prefix="datahub-embedded-"))
    try:
        yield parent / "state"
    finally:
        shutil.rmtree(parent)


async def test_embedded_server_serves_a_migratable_datahub_database(state_dir: Path) -> None:
    url = start_embedded(state_dir)
    try:
        assert "/datahub?" in url
        assert start_embedded(state_dir) == url  # a second start reuses the server
        assert await upgrade(url)
        connection = await asyncpg.connect(url)
        assert await connection.fetchval("SELECT count(*) FROM templates") == 0
        await connection.close()
    finally:
        stop_embedded(state_dir)
    with pytest.raises((OSError, asyncpg.PostgresError)):
        await asyncpg.connect(url, timeout=2)
