"""The app as bootstrap sees it: stack ids in deployment order, names, regions, no lookups."""

from __future__ import annotations

from datahub_platform.app import STACK_ORDER
from datahub_platform.config import EDGE_REGION
from datahub_platform.stacks.base import stack_name


def test_every_stack_is_listed_once_in_deployment_order(platform) -> None:
    artifacts = platform.manifest()["artifacts"]
    stacks = {
        name: artifact
        for name, artifact in artifacts.items()
        if artifact["type"] == "aws:cloudformation:stack"
    }
    assert sorted(stacks) == sorted(STACK_ORDER)
    for position, stack_id in enumerate(STACK_ORDER):
        needs = [dep for dep in stacks[stack_id].get("dependencies", []) if dep in stacks]
        assert all(STACK_ORDER.index(dep) < position for dep in needs), (stack_id, needs)


def test_stacks_are_named_after_the_prefix_and_edge_stacks_live_in_us_east_1(platform) -> None:
    artifacts = platform.manifest()["artifacts"]
    config = platform.config
    for stack_id in STACK_ORDER:
        artifact = artifacts[stack_id]
        assert artifact["properties"]["stackName"] == stack_name(config, stack_id)
        region = EDGE_REGION if stack_id in ("EdgeFirewall", "Frontend") else config.region
        assert artifact["environment"] == f"aws://{config.account}/{region}"
        assert artifact["properties"]["terminationProtection"] is True
    assert stack_name(config, "BackendApi") == "dh-test-backend-api"


def test_synthesis_needs_no_context_lookups(platform) -> None:
    # A lookup would need AWS credentials at synth time and leave placeholder zones behind.
    assert "missing" not in platform.manifest()


def test_stacks_use_the_configured_toolkit(platform) -> None:
    artifacts = platform.manifest()["artifacts"]
    role = artifacts["Network"]["properties"]["assumeRoleArn"]
    assert f"cdk-{platform.config.toolkit_qualifier}-deploy-role-" in role


def outputs(platform, stack_id: str) -> set[str]:
    return set(platform.template_json(stack_id).get("Outputs", {}))


def test_stacks_publish_the_outputs_bootstrap_and_operators_read(platform) -> None:
    assert {"UserPoolId", "UserPoolClientId", "BackendApiUrl", "BackendFunctionName"} <= outputs(
        platform, "BackendApi"
    )
    assert "MetadataApiUrl" in outputs(platform, "MetadataApi")
    assert "ServiceUrl" in outputs(platform, "Service")
    assert {"FrontendUrl", "FrontendBucketName", "DistributionId"} <= outputs(platform, "Frontend")
    assert "AlarmTopicArn" in outputs(platform, "Monitoring")
