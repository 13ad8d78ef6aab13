"""Apply the committed aerich migrations: what ``datahubctl db upgrade`` and start-up run."""

from __future__ import annotations

from pathlib import Path

from aerich import Command
from tortoise.context import TortoiseContext

from cdk_service.db.config import MODELS_APP, tortoise_config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def migration_command(database_url: str, location: Path = MIGRATIONS_DIR) -> Command:
    """An aerich command for our models app, reading migrations from ``location``/models."""
    return Command(tortoise_config(database_url), app=MODELS_APP, location=str(location))


async def upgrade(database_url: str, location: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations in order; returns the files applied (empty when at head)."""
    # A context of its own, so migrating never touches (or closes) the service's connections.
    async with TortoiseContext(), migration_command(database_url, location) as command:
        return await command.upgrade(run_in_transaction=True)
