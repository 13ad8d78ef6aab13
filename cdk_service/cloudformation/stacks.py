"""Looking a stack up, and the one place that knows how CloudFormation says a stack is gone."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from service_contract.aws_errors import aws_call, aws_pages
from service_contract.errors import NotFound, UpstreamFailure


def describe_stack(cloudformation: Any, stack: str) -> dict[str, Any] | None:
    """The stack (by name or id) as ``describe_stacks`` shows it; None when it is gone."""
    try:
        stacks = aws_call(cloudformation, "describe_stacks", StackName=stack)["Stacks"]
    except NotFound:
        return None
    if not stacks or stacks[0]["StackStatus"] == "DELETE_COMPLETE":
        return None
    found: dict[str, Any] = stacks[0]
    return found


def stack_resources(cloudformation: Any, stack: str) -> list[dict[str, Any]]:
    """The stack's resources as ``list_stack_resources`` gives them (all pages)."""
    return list(
        aws_pages(cloudformation, "list_stack_resources", "StackResourceSummaries", StackName=stack)
    )


def parameter_values(stack: dict[str, Any] | None) -> dict[str, str]:
    """The stack's deployed parameter values by name."""
    parameters = (stack or {}).get("Parameters") or []
    return {item["ParameterKey"]: item.get("ParameterValue", "") for item in parameters}


def deployed_template(cloudformation: Any, stack: dict[str, Any] | None) -> Mapping[str, Any]:
    """The template the stack runs now; empty for a stack not created yet."""
    if stack is None or stack["StackStatus"] == "REVIEW_IN_PROGRESS":
        return {}
    body = aws_call(
        cloudformation, "get_template", StackName=stack["StackId"], TemplateStage="Original"
    )["TemplateBody"]
    if isinstance(body, Mapping):  # botocore decodes JSON template bodies
        return body
    try:
        parsed: Mapping[str, Any] = json.loads(body)
    except ValueError as error:
        raise UpstreamFailure(
            f"the template deployed on {stack['StackName']} is not JSON; DATAHUB diffs JSON only",
            code="deployed_template_unreadable",
        ) from error
    return parsed
