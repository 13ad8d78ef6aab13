"""Preflight: whose credentials these are, whether they reach the right account and region,
and what of the platform exists already."""

from __future__ import annotations

from collections.abc import Iterable

import boto3
from botocore.exceptions import NoCredentialsError, PartialCredentialsError

from bootstrap import messages
from bootstrap.options import Options
from bootstrap.plan import Plan
from bootstrap.results import ExistingStack, PreflightReport
from cdk_service.cloudformation.stacks import describe_stack
from service_contract.aws_errors import aws_call
from service_contract.errors import InvalidInput, Unauthenticated, UpstreamFailure
from service_contract.targets import AwsClients, Target

MISSING_CREDENTIALS = (NoCredentialsError, PartialCredentialsError)


def check_region(region: str) -> None:
    """``InvalidInput`` unless CloudFormation exists in ``region`` (botocore's own region list)."""
    known = set(boto3.Session().get_available_regions("cloudformation"))
    known |= set(boto3.Session().get_available_regions("cloudformation", "aws-us-gov"))
    known |= set(boto3.Session().get_available_regions("cloudformation", "aws-cn"))
    if region not in known:
        raise InvalidInput(messages.unknown_region(region), code="unknown_region")


def caller_arn(clients: AwsClients, target: Target) -> str:
    """The caller's ARN, once STS confirms the credentials reach ``target.account``."""
    sts = clients.client(target, "sts")
    try:
        identity = aws_call(sts, "get_caller_identity")
    except UpstreamFailure as error:
        if isinstance(error.__cause__, MISSING_CREDENTIALS):
            raise Unauthenticated(
                messages.NO_CREDENTIALS,
                code="aws_credentials_missing",
            ) from error
        raise
    if identity["Account"] != target.account:
        raise InvalidInput(
            messages.account_mismatch(identity["Account"], identity["Arn"], target.account),
            code="account_mismatch",
            field="account",
        )
    return str(identity["Arn"])


def existing_stacks(
    clients: AwsClients, targets: dict[str, Target], stacks: Iterable[tuple[str, str]]
) -> list[ExistingStack]:
    """The status of each (stack name, region), by region's target."""
    found = []
    for stack_name, region in stacks:
        described = describe_stack(clients.client(targets[region], "cloudformation"), stack_name)
        found.append(
            ExistingStack(
                stack_name=stack_name,
                region=region,
                status=described["StackStatus"] if described else None,
                reason=described.get("StackStatusReason") if described else None,
            )
        )
    return found


def verify(options: Options, clients: AwsClients) -> str:
    """The preflight step: region, credentials and account, before the slow steps; the
    caller's ARN."""
    check_region(options.config.region)
    return caller_arn(clients, options.home)


def survey(plan: Plan, caller: str, clients: AwsClients) -> PreflightReport:
    """What exists already: each toolkit and platform stack's status."""
    targets = {toolkit.region: plan.options.target(toolkit.region) for toolkit in plan.toolkits}
    names = [(t.stack_name, t.region) for t in plan.toolkits]
    names += [(s.stack_name, s.region) for s in plan.assembly.stacks]
    return PreflightReport(
        caller_arn=caller,
        account=plan.config.account,
        regions=list(targets),
        stacks=existing_stacks(clients, targets, names),
    )
