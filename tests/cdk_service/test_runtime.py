"""The service as it starts for real: migrations, catalog sync, a warm pool, real synthesis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cdk_service.api.app import create_app
from cdk_service.runtime import running_service
from cdk_service.settings import Settings
from datahubctl.local.cognito import local_demo_teams
from tests.cdk_service.api.conftest import ANALYST, KEY, Caller, error_of


@pytest.fixture
async def live(aiohttp_client: Any, db: str, tmp_path: Path) -> Any:
    settings = Settings(
        database_url=db,
        migrate_on_start=True,
        service_key=KEY,
        state_dir=tmp_path,
        synth_workers=1,
    )
    async with running_service(
        settings, publish_new_versions=True, demo_teams=local_demo_teams()
    ) as services:
        client = await aiohttp_client(create_app(services))
        yield Caller(client, ANALYST), tmp_path
        await client.close()
    leftovers = list((tmp_path / "synth").rglob("*")) if (tmp_path / "synth").exists() else []
    assert leftovers == [], f"the pool left {leftovers}"


async def test_a_built_in_template_is_synthesized_by_a_warm_worker(live) -> None:
    call, _ = live
    order = {
        "template": "data-environment",
        "team": "analytics",
        "params": {"environment_name": "sandbox"},
    }

    status, body = await call("POST", "/v1/synth", order)
    assert status == 200, body
    resources = body["result"]["template"]["Resources"]
    types = {r["Type"] for r in resources.values()}
    assert {
        "AWS::S3::Bucket",
        "AWS::KMS::Key",
        "AWS::Glue::Database",
        "AWS::Athena::WorkGroup",
    } <= types
    assert body["result"]["cached"] is False

    status, again = await call("POST", "/v1/synth", order)
    assert status == 200 and again["result"]["cached"] is True
    assert again["result"]["digest"] == body["result"]["digest"]

    metrics = await (await call.client.get("/metrics")).text()
    assert (
        'datahub_synth_duration_seconds_count{outcome="ok",template="data-environment"}' in metrics
    )
    assert (
        'datahub_synth_duration_seconds_count{outcome="cache_hit",template="data-environment"}'
        in metrics
    )
    assert "datahub_synth_pool_warm_workers 1.0" in metrics


async def test_the_catalog_lists_every_built_in_template(live) -> None:
    call, _ = live
    status, body = await call("GET", "/v1/templates")
    assert status == 200
    names = {t["name"] for t in body["templates"]}
    assert {"data-environment", "dataset", "ingestion-queue"} <= names


async def test_bad_params_for_a_built_in_template_name_the_field(live) -> None:
    call, _ = live
    order = {
        "template": "data-environment",
        "team": "analytics",
        "params": {"environment_name": "No Spaces"},
    }
    status, body = await call("POST", "/v1/synth", order)
    assert status == 400 and error_of(body)["field"] == "params.environment_name"
