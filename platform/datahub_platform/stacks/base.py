"""What every platform stack shares: its name, environment, toolkit and tags."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_logs as logs
from constructs import Construct

from datahub_platform.config import PlatformConfig


def stack_name(config: PlatformConfig, stack_id: str) -> str:
    """The CloudFormation stack name of a stack: ``BackendApi`` is ``<prefix>-backend-api``."""
    words = "".join(f"-{c.lower()}" if c.isupper() else c for c in stack_id).lstrip("-")
    return f"{config.prefix}-{words}"


class PlatformStack(cdk.Stack):
    """One unit of the base platform, named after the configuration's prefix."""

    def __init__(
        self,
        scope: Construct,
        stack_id: str,
        *,
        config: PlatformConfig,
        description: str,
        region: str | None = None,
    ) -> None:
        super().__init__(
            scope,
            stack_id,
            stack_name=stack_name(config, stack_id),
            description=f"DATAHUB base platform: {description}",
            env=cdk.Environment(account=config.account, region=region or config.region),
            synthesizer=cdk.DefaultStackSynthesizer(
                qualifier=config.toolkit_qualifier, generate_bootstrap_version_rule=False
            ),
            termination_protection=True,
        )
        self.config = config
        cdk.Tags.of(self).add("datahub:platform", config.prefix)
        cdk.Tags.of(self).add("datahub:component", stack_id)

    def publish(self, **outputs: str) -> None:
        """Stack outputs that bootstrap and operators read (``UserPoolId``, ``ServiceUrl``...)."""
        for name, value in outputs.items():
            cdk.CfnOutput(self, name, value=value)


def retained_log_group(scope: Construct, construct_id: str, *, days: int) -> logs.LogGroup:
    """A log group kept after its stack is deleted, expiring entries after ``days``."""
    group = logs.LogGroup(scope, construct_id, removal_policy=cdk.RemovalPolicy.RETAIN)
    cfn_group = group.node.default_child
    assert isinstance(cfn_group, logs.CfnLogGroup)
    cfn_group.retention_in_days = days
    return group
