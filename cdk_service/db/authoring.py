"""For developers: write the migration for changed models (``python -m cdk_service.db.authoring``).

aerich diffs the models against the state recorded in the last committed migration, offline:
no database is needed, and the committed files stay the one source of truth for the schema.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from tortoise.context import TortoiseContext

from cdk_service.db.upgrade import MIGRATIONS_DIR, migration_command

# Offline aerich still builds a connection object to learn the dialect; it never connects.
OFFLINE_URL = "postgres://offline@127.0.0.1:1/offline"


async def make_migration(name: str, location: Path = MIGRATIONS_DIR) -> str:
    """Write ``<n>_<timestamp>_<name>.py`` for what changed; returns its name, '' when nothing."""
    async with TortoiseContext():
        command = migration_command(OFFLINE_URL, location)
        await command.init(offline=True)
        return await command.migrate(name, no_input=True, offline=True)


def main() -> None:
    """Command line: ``python -m cdk_service.db.authoring add_stacks``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("name", help="short snake_case description of the change")
    written = asyncio.run(make_migration(parser.parse_args().name))
    print(f"wrote {written}" if written else "models match the migrations; nothing written")


if __name__ == "__main__":
    main()
