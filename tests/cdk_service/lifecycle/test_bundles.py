"""Templates added to the running platform: a kit bundle uploaded, published, requested,
deployed on moto, upgraded to a second bundle, destroyed; a built-in upgraded to a bundle.

The celery workers were started before any upload: they fetch each bundle by digest from the
bucket on moto, with no restart of anything.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.aws import Aws
from tests.cdk_service.api.conftest import KEY
from tests.cdk_service.bundles.bundles import kit_bundle, upload, zipped
from tests.cdk_service.lifecycle.conftest import BUNDLE_BUCKET, Platform
from tests.cdk_service.lifecycle.test_builtin_templates import (
    TEAM,
    approved,
    change,
    destroyed,
    parameter,
    previewed,
    stack_of,
    succeeded,
)
from tests.conftest import ADMIN, ANALYST

pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")


async def uploaded_and_published(platform: Platform, data: bytes) -> dict[str, object]:
    status, bundle = await upload(platform.client, ADMIN, data, key=KEY)
    assert status == 201, bundle
    for key in bundle["versions"]:
        name, _, version = key.partition("@")
        path = f"/v1/templates/{name}/versions/{version}/publish"
        await platform.call(ADMIN, "POST", path, {"constraints": {}})
    return dict(bundle)


@pytest.fixture
def bundle_bucket(aws: Aws) -> str:
    aws("s3").create_bucket(Bucket=BUNDLE_BUCKET)
    return BUNDLE_BUCKET


async def test_a_kit_bundle_lives_and_dies_on_a_running_platform(
    platform: Platform, aws: Aws, bundle_bucket: str, tmp_path: Path
) -> None:
    first = await uploaded_and_published(platform, kit_bundle(tmp_path / "a", version="1.0.0"))
    stored = aws("s3").list_objects_v2(Bucket=bundle_bucket)["Contents"]
    assert [o["Key"] for o in stored] == [f"template-bundles/{first['digest']}.zip"]

    body = {
        "name": "flags",
        "team": TEAM,
        "template": "team-setting",
        "version": "1.0.0",
        "params": {"setting_name": "flags"},
    }
    accepted = await platform.call(ANALYST, "POST", "/v1/stacks", body, expect=202)
    created = succeeded(await platform.settled(ANALYST, accepted["deployment"]["id"]))
    stack = await stack_of(platform, created)
    assert stack["status"] == "active"
    assert parameter(aws, "/datahub/analytics/flags") == "on"

    upper = ("string_value=params.value", "string_value=params.value.upper()")
    second_data = kit_bundle(tmp_path / "b", version="1.1.0", stack=upper)
    second = await uploaded_and_published(platform, second_data)
    assert second["digest"] != first["digest"]  # one package, two versions side by side

    upgraded = succeeded(await change(platform, stack["id"], version="1.1.0"))
    assert (await stack_of(platform, upgraded))["version"] == "1.1.0"
    assert parameter(aws, "/datahub/analytics/flags") == "ON"

    succeeded(await destroyed(platform, stack["id"]))
    assert (await stack_of(platform, created))["status"] == "destroyed"
    assert aws("ssm").get_parameters_by_path(Path="/datahub/analytics")["Parameters"] == []


QUEUE_2_INIT = b'''
"""ingestion-queue 2.0.0, shipped as a bundle: the built-in queue plus an origin marker."""

from stack_catalog.contract import Template
from stack_catalog.templates.ingestion_queue import OUTPUTS, LongPollingParams

TEMPLATES = [
    Template(
        name="ingestion-queue",
        version="2.0.0",
        title="Ingestion queue",
        description="The built-in queue, marked with where its code came from.",
        params=LongPollingParams,
        stack="queue_v2_bundle.stack:MarkedQueueStack",
        outputs=OUTPUTS,
    )
]
EXAMPLE_PARAMS = {"ingestion-queue": {"queue_name": "example"}}
'''

QUEUE_2_STACK = b'''
"""The built-in ingestion-queue stack with one more SSM parameter saying it is 2.0.0."""

from typing import Any

from aws_cdk import aws_ssm as ssm

from stack_catalog.templates.ingestion_queue.stack import IngestionQueueStack


class MarkedQueueStack(IngestionQueueStack):
    """The built-in stack, marked."""

    def __init__(self, scope: Any, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        name = kwargs["params"].queue_name
        team = kwargs["context"].team
        ssm.StringParameter(
            self,
            "Origin",
            parameter_name=f"/datahub/{team}/queues/{name}/origin",
            string_value="bundle 2.0.0",
        )
'''


async def test_a_built_in_version_upgrades_to_a_bundle_version_with_a_preview(
    platform: Platform, aws: Aws, bundle_bucket: str
) -> None:
    body = {
        "name": "orders",
        "team": TEAM,
        "template": "ingestion-queue",
        "version": "1.1.0",
        "params": {"queue_name": "orders", "visibility_timeout_seconds": 90},
    }
    accepted = await platform.call(ANALYST, "POST", "/v1/stacks", body, expect=202)
    stack = await stack_of(
        platform, succeeded(await platform.settled(ANALYST, accepted["deployment"]["id"]))
    )
    files = {"queue_v2_bundle/__init__.py": QUEUE_2_INIT, "queue_v2_bundle/stack.py": QUEUE_2_STACK}
    await uploaded_and_published(platform, zipped(files))

    held = await previewed(platform, stack["id"], version="2.0.0")
    assert held["status"] == "awaiting_execution", held
    added = {
        r["logical_id"]
        for r in held["preview"]["diff"]["resources"]
        if r["action"] == "add" and r["resource_type"] == "AWS::SSM::Parameter"
    }
    assert any(logical.startswith("Origin") for logical in added), held["preview"]["diff"]
    with pytest.raises(Exception, match="ParameterNotFound"):
        parameter(aws, "/datahub/analytics/queues/orders/origin")  # nothing changed yet

    upgraded = succeeded(await approved(platform, held["id"]))
    assert upgraded["params"]["visibility_timeout_seconds"] == 90  # kept across origins
    assert (await stack_of(platform, upgraded))["version"] == "2.0.0"
    assert parameter(aws, "/datahub/analytics/queues/orders/origin") == "bundle 2.0.0"
    succeeded(await destroyed(platform, stack["id"]))
