"""Where the GraphQL SDL lives: types both APIs share, and each API's own folder."""

from __future__ import annotations

from pathlib import Path

from ariadne import load_schema_from_path

SHARED_SCHEMA_DIR = Path(__file__).parent / "shared_schema"
PAGED = {"complexity": 1, "multipliers": ["first"]}  # a list's cost is times its page size


def type_defs(*folders: Path) -> list[str]:
    """The SDL of every ``.graphql`` file in the shared folder and the given ones."""
    return [load_schema_from_path(str(folder)) for folder in (SHARED_SCHEMA_DIR, *folders)]
