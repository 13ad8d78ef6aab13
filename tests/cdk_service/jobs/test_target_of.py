"""The target a deployment job reaches: the settings' AWS endpoint, the registered deploy role."""

from __future__ import annotations

from cdk_service.jobs.flow import target_of
from cdk_service.settings import Settings
from tests.aws import REGION


async def test_the_endpoint_comes_from_settings(settings: Settings) -> None:
    target = await target_of("123456789012", REGION, settings)

    assert target.endpoint_url == settings.aws_endpoint_url is not None
    assert target.deploy_role_arn is None, "no target account registered: no role to assume"
    assert target.asset_bucket == f"cdk-hnb659fds-assets-123456789012-{REGION}"
