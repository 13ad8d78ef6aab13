"""The Backend schema against its reviewed snapshot, and every operation the web console sends."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from graphql import parse, validate

from api_lambdas.backend.schema import backend_schema, schema_sdl

SNAPSHOT = Path(__file__).parent / "snapshots" / "backend.graphql"
CONSOLE_QUERIES = Path(__file__).parents[3] / "frontend" / "src" / "lib" / "queries.ts"
UPDATE = "DATAHUB_UPDATE_SNAPSHOTS"
CONSTANT = re.compile(r"(?:export )?const (\w+) = `([^`]*)`;", re.S)


def test_the_schema_matches_its_reviewed_snapshot() -> None:
    current = schema_sdl()
    if os.environ.get(UPDATE) == "1":
        SNAPSHOT.write_text(current)
    assert current == SNAPSHOT.read_text(), (
        "The Backend GraphQL schema changed. Review the change, then update the snapshot: "
        f"{UPDATE}=1 .venv/bin/python -m pytest {Path(__file__).relative_to(Path.cwd())} "
        "and commit tests/api_lambdas/backend/snapshots/backend.graphql with it."
    )


def console_operations() -> dict[str, str]:
    """The console's operations by constant name, ``${NAME}`` pieces filled in."""
    constants = dict(CONSTANT.findall(CONSOLE_QUERIES.read_text()))
    filled = {
        name: re.sub(r"\$\{(\w+)\}", lambda m: constants[m.group(1)], text)
        for name, text in constants.items()
    }
    return {name: text for name, text in filled.items() if re.match(r"\s*(query|mutation)", text)}


@pytest.mark.skipif(not CONSOLE_QUERIES.exists(), reason="the web console is not in this tree")
@pytest.mark.parametrize("name", sorted(console_operations()) if CONSOLE_QUERIES.exists() else [])
def test_every_console_operation_is_valid_against_the_schema(name: str) -> None:
    errors = validate(backend_schema(), parse(console_operations()[name]))
    assert not errors, [error.message for error in errors]
