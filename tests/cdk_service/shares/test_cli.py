"""``datahubctl shares`` against the service: request, list, approve, show, history, revoke."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient
from click.testing import CliRunner, Result

from datahubctl.cli import main
from tests.cdk_service.api.conftest import KEY
from tests.cdk_service.shares.conftest import READER, Sharing


def as_member(client: TestClient, tmp_path: Path, user: str, team: str) -> Any:
    """Runs the CLI in a thread (it has its own event loop) as a member of ``team``."""
    env = {
        "DATAHUB_SERVICE_URL": str(client.make_url("/")).rstrip("/"),
        "DATAHUB_SERVICE_KEY": KEY,
        "DATAHUB_STATE_DIR": str(tmp_path / user),
        "DATAHUB_OPERATOR_USER": user,
        "DATAHUB_OPERATOR_GROUPS": json.dumps([team]),
        "COLUMNS": "250",
    }

    async def run(*args: str) -> Result:
        return await asyncio.to_thread(CliRunner().invoke, main, list(args), env=env)

    return run


async def test_a_team_requests_and_the_owner_approves_from_the_command_line(
    client: TestClient, tmp_path: Path, sharing: Sharing
) -> None:
    dataset = await sharing.dataset()
    finance = as_member(client, tmp_path, "rita", "finance")
    analytics = as_member(client, tmp_path, "olga", "analytics")

    requested = await finance(
        "shares", "request", str(dataset.id), "--team", "finance", "--principal", READER,
        "--reason", "month end",
    )  # fmt: skip
    assert requested.exit_code == 0, requested.output
    share_id = json.loads(requested.output)["id"]
    listed = await analytics("shares", "list")
    assert share_id in listed.output and "requested" in listed.output
    assert share_id not in (await finance("shares", "list")).output  # not incoming for finance
    assert share_id in (await finance("shares", "list", "--outgoing")).output

    refused = await finance("shares", "approve", share_id)
    assert refused.exit_code == 1 and "[not_share_owner]" in refused.output
    approved = await analytics("shares", "approve", share_id, "--note", "ok")
    assert approved.exit_code == 0, approved.output
    assert json.loads(approved.output)["status"] == "granting"
    await sharing.deploy_last()
    shown = await finance("shares", "show", share_id)
    assert json.loads(shown.output)["status"] == "granted"
    history = await finance("shares", "history", share_id)
    assert "share.approved" in history.output and "olga" in history.output
    revoked = await finance("shares", "revoke", share_id)
    assert json.loads(revoked.output)["status"] == "revoking"
