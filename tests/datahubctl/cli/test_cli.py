"""``datahubctl`` against a running service: what an operator types and what they read."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from datahubctl.cli import main
from tests.cdk_service.api.conftest import KEY


@pytest.fixture
def datahubctl(client: Any, tmp_path: Path):
    """Runs the CLI in a thread (it has its own event loop) against the test server."""
    env = {
        "DATAHUB_SERVICE_URL": str(client.make_url("/")).rstrip("/"),
        "DATAHUB_SERVICE_KEY": KEY,
        "DATAHUB_STATE_DIR": str(tmp_path / "state"),
    }

    async def run(*args: str) -> Result:
        return await asyncio.to_thread(CliRunner().invoke, main, list(args), env=env)

    return run


async def test_publish_then_list_and_show(datahubctl) -> None:
    published = await datahubctl(
        "templates",
        "publish",
        "bucket",
        "1.0.0",
        "--allow",
        'storage_class=["standard"]',
        "--quota",
        "3",
    )
    assert published.exit_code == 0, published.output
    assert "bucket 1.0.0 is published" in published.output

    listed = await datahubctl("templates", "list")
    rows = {line.split()[1]: line for line in listed.output.splitlines() if line.startswith("│")}
    assert listed.exit_code == 0
    assert "1.0.0" in rows["bucket"].split("│")[3]  # latest published
    assert rows["queue"].split("│")[3].strip() == "-"  # the operator sees the draft too

    shown = await datahubctl("templates", "show", "bucket", "--version", "1.0.0")
    version = json.loads(shown.output)
    assert version["constraints"]["quota_per_team"] == 3
    assert version["json_schema"]["properties"]["storage_class"]["enum"] == ["standard"]


async def test_synth_writes_the_template_to_a_file(datahubctl, tmp_path: Path) -> None:
    await datahubctl("templates", "publish", "bucket", "1.0.0")
    target = tmp_path / "out.json"

    result = await datahubctl(
        "synth",
        "bucket",
        "--team",
        "analytics",
        "--param",
        "bucket_name=raw-events",
        "--param",
        "retention_days=7",
        "-o",
        str(target),
    )

    assert result.exit_code == 0, result.output
    properties = json.loads(target.read_text())["Resources"]["Thing"]["Properties"]
    assert properties["retention_days"] == 7 and properties["bucket_name"] == "raw-events"


async def test_errors_are_one_line_with_the_code_and_exit_1(datahubctl) -> None:
    result = await datahubctl("synth", "nope", "--team", "analytics")
    assert result.exit_code == 1
    assert "error [template_not_found]" in result.output
    assert "Traceback" not in result.output


async def test_bad_params_list_every_field(datahubctl) -> None:
    await datahubctl("templates", "publish", "bucket", "1.0.0")
    result = await datahubctl(
        "synth", "bucket", "--team", "analytics", "--param", "retention_days=0"
    )
    assert result.exit_code == 1
    assert "invalid_params" in result.output
    assert "params.bucket_name" in result.output and "params.retention_days" in result.output


async def test_bad_params_are_said_once_not_again_as_json(datahubctl) -> None:
    await datahubctl("templates", "publish", "bucket", "1.0.0")
    result = await datahubctl(
        "synth", "bucket", "--team", "analytics", "--param", "retention_days=0"
    )
    assert result.exit_code == 1
    # The headline names every field; its details used to follow as JSON, saying it all again.
    assert result.output.count("params.retention_days") == 1, result.output
    assert '{"field"' not in result.output


async def test_a_key_the_service_does_not_know_says_which_key_and_what_to_do(
    client: Any, tmp_path: Path
) -> None:
    # As when the CLI runs from another folder than `datahubctl up`: a new key of its own.
    env = {
        "DATAHUB_SERVICE_URL": str(client.make_url("/")).rstrip("/"),
        "DATAHUB_STATE_DIR": str(tmp_path / "elsewhere"),
        "DATAHUB_SERVICE_KEY": None,  # unset: the state directory's key
    }
    result = await asyncio.to_thread(CliRunner().invoke, main, ["templates", "list"], env=env)
    assert result.exit_code == 1
    assert "error [bad_signature]" in result.output
    said = " ".join(result.output.split())
    assert f"the key in {tmp_path / 'elsewhere' / 'service.key'}" in said
    assert "run it from the folder `datahubctl up` runs in" in said


async def test_an_unreachable_service_is_a_clear_error(tmp_path: Path) -> None:
    env = {"DATAHUB_SERVICE_URL": "http://127.0.0.1:9", "DATAHUB_SERVICE_KEY": KEY}
    result = await asyncio.to_thread(CliRunner().invoke, main, ["templates", "list"], env=env)
    assert result.exit_code == 1 and "service_unreachable" in result.output
    said = " ".join(result.output.split())
    assert "is the service running? `datahubctl up` starts one" in said
    assert "DATAHUB_SERVICE_URL (http://127.0.0.1:9)" in said
