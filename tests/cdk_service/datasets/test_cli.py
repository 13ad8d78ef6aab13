"""``datahubctl datasets`` and ``datahubctl search`` against a running service."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cdk_service.search.indexer import Indexer
from datahubctl.cli import main
from tests.cdk_service.api.conftest import KEY
from tests.cdk_service.search.conftest import Records


@pytest.fixture
def datahubctl(client: Any, tmp_path: Path) -> Any:
    """Runs the CLI in a thread (it has its own event loop) against the test server."""
    env = {
        "DATAHUB_SERVICE_URL": str(client.make_url("/")).rstrip("/"),
        "DATAHUB_SERVICE_KEY": KEY,
        "DATAHUB_STATE_DIR": str(tmp_path / "state"),
        "DATAHUB_OPERATOR_GROUPS": '["admins", "analytics"]',
        "COLUMNS": "200",
    }

    async def run(*args: str) -> Result:
        return await asyncio.to_thread(CliRunner().invoke, main, list(args), env=env)

    return run


async def test_register_update_and_read_the_history(datahubctl: Any) -> None:
    registered = await datahubctl(
        "datasets", "register", "analytics", "orders", "--description", "Shop orders",
        "--column", "order_id:string", "--column", "email:string:pii", "--tag", "sales",
    )  # fmt: skip
    assert registered.exit_code == 0, registered.output
    created = json.loads(registered.output)
    assert created["columns"][1] == {"name": "email", "type": "string", "description": "",
                                     "pii": True}  # fmt: skip
    updated = await datahubctl(
        "datasets", "update", created["id"], "--classification", "public", "--revision", "1"
    )
    assert updated.exit_code == 0, updated.output
    assert json.loads(updated.output)["classification"] == "public"
    stale = await datahubctl("datasets", "update", created["id"], "--tag", "x", "--revision", "1")
    assert stale.exit_code == 1 and "[stale_revision]" in stale.output
    history = await datahubctl("datasets", "history", created["id"])
    assert "created" in history.output and "classification" in history.output
    deleted = await datahubctl("datasets", "delete", created["id"])
    assert deleted.exit_code == 0 and "deleted" in deleted.output


async def test_a_dataset_names_its_stack_by_id_or_team_and_name(
    datahubctl: Any, records: Records
) -> None:
    lake, pond = await records.stack("lake"), await records.stack("pond")

    registered = await datahubctl(
        "datasets", "register", "analytics", "orders", "--stack", "analytics/lake"
    )
    assert registered.exit_code == 0, registered.output
    created = json.loads(registered.output)
    assert created["stack_id"] == str(lake.id)
    updated = await datahubctl("datasets", "update", created["id"], "--stack", "analytics/pond")
    assert updated.exit_code == 0, updated.output
    assert json.loads(updated.output)["stack_id"] == str(pond.id)
    by_id = await datahubctl("datasets", "update", created["id"], "--stack", str(lake.id))
    assert by_id.exit_code == 0 and json.loads(by_id.output)["stack_id"] == str(lake.id)
    missing = await datahubctl(
        "datasets", "register", "analytics", "refunds", "--stack", "analytics/nothing"
    )
    assert missing.exit_code == 1, missing.output
    assert "error [stack_not_found]: team analytics has no live stack named nothing" in " ".join(
        missing.output.split()
    )


async def test_search_shows_as_the_match_what_matched_besides_the_title(
    datahubctl: Any, indexer: Indexer
) -> None:
    for name, description in (("orders", "Every orders line of the shop"), ("refunds", "Money")):
        result = await datahubctl(
            "datasets", "register", "analytics", name, "--description", description
        )
        assert result.exit_code == 0, result.output
    await indexer.drain()

    found = await datahubctl("search", "orders")
    only_title = await datahubctl("search", "refunds")

    assert found.exit_code == 0, found.output
    assert "Every orders line of the shop" in found.output
    assert only_title.exit_code == 0, only_title.output
    (row,) = [line for line in only_title.output.splitlines() if line.startswith("│ dataset")]
    assert row.count("refunds") == 2  # title and match: nothing else matched


async def test_search_words_with_facets_then_status_and_reindex(
    datahubctl: Any, indexer: Indexer
) -> None:
    for name in ("orders", "order-lines"):
        result = await datahubctl("datasets", "register", "analytics", name, "--tag", "sales")
        assert result.exit_code == 0, result.output
    await datahubctl("datasets", "register", "analytics", "ordinals", "--tag", "math")
    await indexer.drain()

    found = await datahubctl("search", "order", "--facet", "tags=sales", "--facet", "kind=dataset")
    assert found.exit_code == 0, found.output
    assert "2 found" in found.output and "ordinals" not in found.output
    assert "tags: sales (2)" in found.output
    as_json = await datahubctl("search", "--facet", "tags=math", "--json")
    assert [hit["title"] for hit in json.loads(as_json.output)["hits"]] == ["ordinals"]
    bad = await datahubctl("search", "x", "--facet", "team")
    assert bad.exit_code != 0 and "facet=value" in bad.output

    status = await datahubctl("search", "status")
    assert status.exit_code == 0 and "0 pending" in status.output, status.output
    reindexed = await datahubctl("search", "reindex")
    assert reindexed.exit_code == 0 and "reindexed" in reindexed.output
