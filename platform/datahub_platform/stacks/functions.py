"""The platform's Lambdas: Python in private subnets, code from a configured bundle."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from datahub_platform.config import REPOSITORY_ROOT, PlatformConfig
from datahub_platform.stacks.base import retained_log_group
from datahub_platform.stacks.network import COMPUTE_SUBNETS, fixed_group
from stack_catalog.constructs.acknowledgements import acknowledge

MANAGED_POLICY = "arn:<AWS::Partition>:iam::aws:policy/service-role"
DEFAULT_TIMEOUT = cdk.Duration.seconds(30)
RUNTIME = lambda_.Runtime.PYTHON_3_14
LAMBDA_PACKAGE = "api_lambdas"
# Unbundled, a Lambda's asset is a copy of the package's sources staged in the app's output
# folder: an asset of the whole repository would have CDK walk every file under it (~20 s).
SOURCES_FOLDER = "api-lambdas-sources"
NOT_DEPLOYED = shutil.ignore_patterns("__pycache__", "*.pyc", "tests", "*.md")


@dataclass(frozen=True)
class Handler:
    """One Lambda entry point: the bundle it ships in and its ``module.function``."""

    bundle: str
    module: str
    function: str = "handler"

    @property
    def name(self) -> str:
        """What the Lambda runtime calls."""
        return f"{self.module}.{self.function}"


BACKEND = Handler("backend", "api_lambdas.backend.handler")
AUTHORIZER = Handler("authorizer", "api_lambdas.authorizer.handler")
METADATA = Handler("metadata", "api_lambdas.metadata.handler")
AWS_WORKER = Handler("aws_worker", "api_lambdas.account_tasks.handler")
MIGRATIONS = Handler("custom_resources", "api_lambdas.custom_resources.migrations")
SEARCH_INDEX = Handler("custom_resources", "api_lambdas.custom_resources.search_index")
FIRST_ADMIN = Handler("custom_resources", "api_lambdas.custom_resources.first_admin")


def code_of(scope: Construct, config: PlatformConfig, handler: Handler) -> lambda_.Code:
    """The configured bundle of ``handler``, or this repository's ``api_lambdas`` sources."""
    bundle: Path | None = getattr(config.lambda_bundles, handler.bundle)
    if bundle is None:
        bundle = staged_sources(Path(cdk.Stage.of(scope).outdir))  # type: ignore[union-attr]
    return lambda_.Code.from_asset(str(bundle))


def staged_sources(outdir: Path) -> Path:
    """A folder in ``outdir`` whose root holds a copy of this repository's ``api_lambdas``."""
    folder = outdir / SOURCES_FOLDER
    if not folder.exists():
        shutil.copytree(
            REPOSITORY_ROOT / LAMBDA_PACKAGE, folder / LAMBDA_PACKAGE, ignore=NOT_DEPLOYED
        )
    return folder


def platform_function(
    scope: Construct,
    construct_id: str,
    *,
    config: PlatformConfig,
    handler: Handler,
    vpc: ec2.IVpc,
    security_group: ec2.SecurityGroup,
    description: str,
    environment: dict[str, str] | None = None,
    timeout: cdk.Duration = DEFAULT_TIMEOUT,
) -> lambda_.Function:
    """A Python Lambda in the compute subnets, traced, logging to a retained log group."""
    function = lambda_.Function(
        scope,
        construct_id,
        runtime=RUNTIME,
        architecture=lambda_.Architecture.ARM_64,
        handler=handler.name,
        code=code_of(scope, config, handler),
        description=description,
        memory_size=config.sizing.lambda_memory_mib,
        timeout=timeout,
        vpc=vpc,
        vpc_subnets=COMPUTE_SUBNETS,
        security_groups=[fixed_group(scope, security_group)],
        environment={"DATAHUB_LOG_JSON": "true", **(environment or {})},
        tracing=lambda_.Tracing.ACTIVE,
        log_group=retained_log_group(
            scope, f"{construct_id}Logs", days=config.sizing.log_retention_days
        ),
    )
    acknowledge_lambda_basics(function)
    acknowledge(
        function,
        "AwsSolutions-IAM5[Resource::*]",
        "X-Ray's PutTraceSegments and PutTelemetryRecords have no resource-level permissions; "
        "the statement holds only those two actions.",
    )
    return function


def acknowledge_lambda_basics(scope: Construct) -> None:
    """Acknowledge the managed policies every Lambda in a VPC is given, saying what they allow."""
    acknowledge(
        scope,
        f"AwsSolutions-IAM4[Policy::{MANAGED_POLICY}/AWSLambdaBasicExecutionRole]",
        "AWS's basic execution policy allows only creating log streams and writing log events; "
        "the function's log group is its own.",
    )
    acknowledge(
        scope,
        f"AwsSolutions-IAM4[Policy::{MANAGED_POLICY}/AWSLambdaVPCAccessExecutionRole]",
        "AWS's VPC access policy only manages the function's network interfaces in the VPC, "
        "which EC2 does not let one scope by resource before they exist.",
    )
