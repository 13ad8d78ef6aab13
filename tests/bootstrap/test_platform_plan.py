"""The real platform app through bootstrap on moto: what moto creates, and the dry run of all.

moto creates the toolkits and the network for real. It cannot take the platform further: its
``ExecuteChangeSet`` registers no exports, so the next stack's ``Fn::ImportValue`` of the
network fails ("No export named ..."), and its CloudFormation skips most of the platform's
resource types anyway (RDS clusters, OpenSearch domains, Cognito, WAF, CloudFront, API
Gateway authorizers, custom resources). Every stack is therefore checked through the dry run:
a real change set per stack, listed and deleted again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datahub_platform.app import STACK_ORDER

from bootstrap.assembly import PlatformAssembly
from bootstrap.options import PLATFORM_APP
from cdk_service.cloudformation.template_body import MAX_INLINE_BYTES
from tests.bootstrap.conftest import EDGE_REGION, HOME_REGION, Bootstrap, Regional


@pytest.fixture
def platform_bootstrap(
    moto_url: str, config_file: Path, platform_assembly: PlatformAssembly, tmp_path: Path
) -> Bootstrap:
    """``datahubctl bootstrap`` over the real platform's assembly, on moto."""
    return Bootstrap(
        moto_url, config_file, platform_assembly.directory, tmp_path / "state", app=PLATFORM_APP
    )


def live_stacks(regional: Regional) -> dict[str, str]:
    """Stack name → status of every stack moto has that is not deleted."""
    return {
        summary["StackName"]: summary["StackStatus"]
        for region in (HOME_REGION, EDGE_REGION)
        for summary in regional("cloudformation", region).list_stacks()["StackSummaries"]
        if summary["StackStatus"] != "DELETE_COMPLETE"
    }


async def test_the_dry_run_previews_every_platform_stack_and_leaves_nothing(
    platform_bootstrap: Bootstrap, platform_assembly: PlatformAssembly, regional: Regional
) -> None:
    result = await platform_bootstrap("--dry-run")

    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert [s.artifact_id for s in platform_assembly.stacks] == list(STACK_ORDER)
    too_large = []
    for stack in platform_assembly.stacks:
        resources = stack.template.get("Resources", {})
        assert resources, f"{stack.artifact_id} has resources"
        body = json.dumps(stack.template, separators=(",", ":")).encode()
        # A template over CloudFormation's inline limit needs the toolkit's bucket, which a
        # fresh account's dry run has not made: that stack shows its template diff instead.
        action = "Add" if len(body) <= MAX_INLINE_BYTES else "add"
        too_large += [stack.stack_name] if action == "add" else []
        for logical_id, resource in list(resources.items())[:3]:
            assert f"{stack.stack_name}: {action} {logical_id} ({resource['Type']})" in said
    assert too_large == ["dh-test-service"]  # 66 KB with the image build (see the note)
    assert said.count("no change set preview") == len(too_large), "the others: change sets"
    assert "service image built in the account (no service_image configured)" in said
    assert "ECR repository dh-test/service (scan on push, immutable tags)" in said
    assert live_stacks(regional) == {}
    opensearch = "opensearchservice.amazonaws.com"
    assert f"service-linked role of {opensearch} missing: created first" in said
    roles = regional("iam").list_roles(PathPrefix=f"/aws-service-role/{opensearch}/")
    assert roles["Roles"] == [], "the dry run creates no role"


async def test_moto_creates_the_toolkits_and_the_network_for_real(
    platform_bootstrap: Bootstrap, regional: Regional
) -> None:
    result = await platform_bootstrap()

    said = " ".join(result.output.split())
    if result.exit_code != 0:  # moto's missing exports (see above), should they stop it
        assert "error [stack_deploy_failed]" in said
        assert "No export named dh-test-network:" in said, said[-600:]
    assert "service-linked role of opensearchservice.amazonaws.com created" in said
    stacks = live_stacks(regional)
    assert stacks["dh-test-toolkit"] == "CREATE_COMPLETE"
    assert stacks["dh-test-network"] == "CREATE_COMPLETE"
    ec2 = regional("ec2")
    vpcs = [v for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")]
    assert len(vpcs) == 1
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpcs[0]["VpcId"]]}])
    zones = {subnet["AvailabilityZone"] for subnet in subnets["Subnets"]}
    assert len(zones) >= 2, "the network spans two availability zones"
