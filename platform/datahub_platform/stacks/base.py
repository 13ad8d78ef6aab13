"""What every platform stack shares: its name, environment, toolkit and tags."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from datahub_platform.config import PlatformConfig
from stack_catalog.constructs.encryption import customer_managed_key

LOGS_KEY_ID = "LogsKey"


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


def logs_key(scope: Construct) -> kms.Key:
    """The stack's key for its log groups, made with the first of them.

    CloudWatch Logs encrypts with it only for log groups of this account and region (the
    encryption context condition), and the key outlives the stack as the log groups do.
    """
    stack = cdk.Stack.of(scope)
    existing = stack.node.try_find_child(LOGS_KEY_ID)
    if isinstance(existing, kms.Key):
        return existing
    key = customer_managed_key(
        stack,
        LOGS_KEY_ID,
        alias=f"alias/{stack.stack_name}/logs",
        purpose=f"CloudWatch Logs of {stack.stack_name}",
        outlives_stack=True,
    )
    key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=[
                "kms:Encrypt*",
                "kms:Decrypt*",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:Describe*",
            ],
            resources=["*"],
            conditions={
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": stack.format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name="*",
                        arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                    )
                }
            },
        )
    )
    return key


def retained_log_group(scope: Construct, construct_id: str, *, days: int) -> logs.LogGroup:
    """A log group under the stack's logs key, kept after its stack is deleted, expiring
    entries after ``days``."""
    group = logs.LogGroup(
        scope,
        construct_id,
        removal_policy=cdk.RemovalPolicy.RETAIN,
        encryption_key=logs_key(scope),
    )
    cfn_group = group.node.default_child
    assert isinstance(cfn_group, logs.CfnLogGroup)
    cfn_group.retention_in_days = days
    return group
