"""The committed migrations build the schema the models describe, exactly once."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import asyncpg
from tortoise.context import TortoiseContext

from cdk_service.db.admin import scratch_database
from cdk_service.db.authoring import make_migration
from cdk_service.db.config import open_database, tortoise_config
from cdk_service.db.models import Team
from cdk_service.db.upgrade import MIGRATIONS_DIR, upgrade

MODEL_TABLES = {
    "teams",
    "target_accounts",
    "templates",
    "template_versions",
    "audit_entries",
    "stacks",
    "deployments",
    "stack_events",
}
COLUMNS = """
    SELECT table_name, column_name, data_type, is_nullable, character_maximum_length
    FROM information_schema.columns WHERE table_schema = 'public'
"""
INDEXES = "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
CONSTRAINTS = """
    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
"""


async def _schema(url: str) -> dict[str, set[tuple[object, ...]]]:
    connection = await asyncpg.connect(url)
    try:
        return {
            query: {tuple(row) for row in await connection.fetch(query)}
            for query in (COLUMNS, INDEXES, CONSTRAINTS)
        }
    finally:
        await connection.close()


async def _generated_schema_database(url: str) -> None:
    """What Tortoise itself would create from the models, with no migrations involved."""
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(url))
        await context.generate_schemas(safe=False)


async def test_upgrade_takes_an_empty_database_to_head_once(database_url: str) -> None:
    async with scratch_database(database_url, prefix="datahub_test_migrate") as url:
        applied = await upgrade(url)
        assert applied == sorted(p.name for p in (MIGRATIONS_DIR / "models").glob("[0-9]*.py"))
        tables = {row[0] for row in (await _schema(url))[COLUMNS]}
        assert tables >= MODEL_TABLES | {"aerich"}
        assert await upgrade(url) == []


async def test_migrated_schema_equals_the_schema_generated_from_models(database_url: str) -> None:
    async with (
        scratch_database(database_url, prefix="datahub_test_migrated") as migrated,
        scratch_database(database_url, prefix="datahub_test_generated") as generated,
    ):
        await upgrade(migrated)
        await _generated_schema_database(generated)
        assert await _schema(migrated) == await _schema(generated)


async def test_models_have_no_changes_missing_a_migration(tmp_path: Path) -> None:
    location = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, location)
    assert await make_migration("drift", location) == ""
    assert sorted(p.name for p in location.rglob("*.py")) == sorted(
        p.name for p in MIGRATIONS_DIR.rglob("*.py")
    )


async def test_migrating_leaves_the_open_database_alone(db: str) -> None:
    await Team.create(slug="before", name="Before")
    async with scratch_database(db, prefix="datahub_test_other") as other:
        await upgrade(other)
    assert await open_database(db) is False

    async def from_another_task() -> bool:
        return await Team.filter(slug="before").exists()

    assert await asyncio.create_task(from_another_task())
