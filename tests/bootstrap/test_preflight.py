"""Preflight: the wrong account, region or configuration, or no credentials, stop the run early."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bootstrap import preflight
from bootstrap.assembly import PlatformAssembly
from tests.aws import ACCOUNT
from tests.bootstrap.conftest import (
    CONFIG,
    EDGE_REGION,
    HOME_REGION,
    PLATFORM,
    TOOLKITS,
    Bootstrap,
    Regional,
    Steps,
)

OTHER_ACCOUNT = "210987654321"


async def test_credentials_of_another_account_are_refused_before_anything_changes(
    bootstrap: Bootstrap, regional: Regional, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps({**CONFIG, "account": OTHER_ACCOUNT}))
    bootstrap.config_file = elsewhere

    result = await bootstrap("--account", OTHER_ACCOUNT)

    assert result.exit_code == 1
    assert "error [account_mismatch]" in result.output
    assert f"not {OTHER_ACCOUNT}" in " ".join(result.output.split())
    assert regional("cloudformation").list_stacks()["StackSummaries"] == []


async def test_an_account_other_than_the_configurations_is_refused(bootstrap: Bootstrap) -> None:
    result = await bootstrap("--account", OTHER_ACCOUNT)

    assert result.exit_code == 1
    assert "error [config_account_mismatch]" in result.output


async def test_a_region_without_cloudformation_is_refused(
    bootstrap: Bootstrap, tmp_path: Path
) -> None:
    nowhere = tmp_path / "nowhere.json"
    nowhere.write_text(json.dumps({**CONFIG, "region": "xx-nowhere-1"}))
    bootstrap.config_file = nowhere

    result = await bootstrap("--region", "xx-nowhere-1")

    assert result.exit_code == 1
    assert "error [unknown_region]" in result.output


async def test_missing_credentials_are_named_as_such(bootstrap: Bootstrap) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        bootstrap.env[name] = None  # CliRunner unsets it
    bootstrap.env["AWS_EC2_METADATA_DISABLED"] = "true"

    result = await bootstrap()

    assert result.exit_code == 1
    assert "error [aws_credentials_missing]" in result.output
    assert "Traceback" not in result.output


async def test_a_bad_configuration_names_the_field(bootstrap: Bootstrap, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({**CONFIG, "allowed_ip_ranges": ["10.0.0.1/8"]}))
    bootstrap.config_file = broken

    result = await bootstrap()

    assert result.exit_code == 1
    assert "error [invalid_platform_config]" in result.output
    assert "allowed_ip_ranges" in result.output


async def test_without_a_configuration_file_the_operator_is_told_what_to_pass(
    bootstrap: Bootstrap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./platform.yaml here
    bootstrap.config_file = None

    result = await bootstrap()

    assert result.exit_code == 1
    assert "error [config_missing]" in result.output


async def test_preflight_names_the_caller_then_the_survey_finds_nothing_yet(
    steps: Steps, standin_assembly: PlatformAssembly
) -> None:
    caller = await asyncio.to_thread(preflight.verify, steps.options, steps.engine.clients)

    assert caller.startswith("arn:aws:") and ACCOUNT in caller
    plan = await asyncio.to_thread(steps.plan, standin_assembly.directory)
    survey = await asyncio.to_thread(preflight.survey, plan, caller, steps.engine.clients)
    assert (survey.caller_arn, survey.account) == (caller, ACCOUNT)
    assert survey.regions == [HOME_REGION, EDGE_REGION]
    assert [(s.stack_name, s.region) for s in survey.stacks] == TOOLKITS + PLATFORM
    assert not any(stack.exists for stack in survey.stacks)
