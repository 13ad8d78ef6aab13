"""The after-stacks step: the deployed stacks' outputs and resources, what the setup custom
resources did, and where the user pool and the Backend Lambda are.

Inside the VPC, the Setup stack's custom resources run the migrations, the search index
set-up and the first admin on every deployment whose inputs changed; bootstrap reports what
they did from the stacks' resources.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bootstrap import messages
from bootstrap.plan import Plan
from bootstrap.progress import Reporter
from bootstrap.results import StepResult
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.stacks import stack_resources

CUSTOM_RESOURCE = "Custom::"
USER_POOL_TYPE = "AWS::Cognito::UserPool"
FUNCTION_TYPE = "AWS::Lambda::Function"
USER_POOL_OUTPUT = "UserPoolId"
BACKEND_FUNCTION_OUTPUT = "BackendFunctionName"
BACKEND_LOGICAL_ID = re.compile(r"^Backend[0-9A-F]{8}$")  # CDK's id of the Lambda "Backend"
CDK_EXPORT_OUTPUTS = "ExportsOutput"  # CDK's cross-stack references, not meant for people
Outputs = Mapping[str, Mapping[str, str]]  # stack name → its outputs
Resources = Mapping[str, list[dict[str, Any]]]  # stack name → list_stack_resources summaries


@dataclass(frozen=True)
class AfterStacks:
    """The deployed platform as the steps after the stacks find it."""

    outputs: Outputs
    resources: Resources
    setup: tuple[StepResult, ...]
    user_pool: str | None
    backend_function: str | None

    def endpoints(self) -> list[tuple[str, str, str]]:
        """(stack, output, value) for each output meant for people, in stack order."""
        return endpoints(self.outputs)


def after_stacks(plan: Plan, *, engine: DeployEngine, reporter: Reporter) -> AfterStacks:
    """Read the deployed stacks; report what their setup custom resources did."""
    outputs = stack_outputs(plan, engine, reporter)
    merged = merged_outputs(outputs)
    resources = {
        stack.stack_name: stack_resources(
            engine.clients.client(plan.options.target(stack.region), "cloudformation"),
            stack.stack_name,
        )
        for stack in plan.assembly.stacks
    }
    found = AfterStacks(
        outputs=outputs,
        resources=resources,
        setup=tuple(setup_resources(resources)),
        user_pool=physical_id(
            merged, resources, output=USER_POOL_OUTPUT, resource_type=USER_POOL_TYPE
        ),
        backend_function=physical_id(
            merged,
            resources,
            output=BACKEND_FUNCTION_OUTPUT,
            resource_type=FUNCTION_TYPE,
            logical_id=BACKEND_LOGICAL_ID,
        ),
    )
    for result in found.setup:
        reporter.note(result.step, messages.step_result(result))
    return found


def stack_outputs(
    plan: Plan, engine: DeployEngine, reporter: Reporter
) -> dict[str, dict[str, str]]:
    """Each platform stack's outputs (none where CloudFormation returns none)."""
    found: dict[str, dict[str, str]] = {}
    for stack in plan.assembly.stacks:
        outputs = engine.outputs(plan.options.target(stack.region), stack.stack_name)
        if outputs.source == "outputs":
            found[stack.stack_name] = outputs.values
    if not found:
        reporter.note(messages.ENDPOINTS, messages.NO_OUTPUTS)
    return found


def setup_resources(resources: Resources) -> list[StepResult]:
    """What each custom resource of the platform did during the deployment."""
    results = [
        StepResult(
            step=_step_name(item["ResourceType"]),
            outcome="done",
            detail=messages.custom_resource(
                item["LogicalResourceId"], stack, item.get("ResourceStatus")
            ),
        )
        for stack, items in resources.items()
        for item in items
        if str(item.get("ResourceType", "")).startswith(CUSTOM_RESOURCE)
    ]
    if not results:
        detail = messages.NO_CUSTOM_RESOURCES
        results.append(StepResult(step="setup custom resources", outcome="skipped", detail=detail))
    return results


def physical_id(
    outputs: Mapping[str, str],
    resources: Resources,
    *,
    output: str,
    resource_type: str,
    logical_id: re.Pattern[str] | None = None,
) -> str | None:
    """A resource's physical id: from the output named so, else from the stacks' resources."""
    if outputs.get(output):
        return outputs[output]
    for items in resources.values():
        for item in items:
            if item.get("ResourceType") == resource_type and (
                logical_id is None or logical_id.match(item.get("LogicalResourceId", ""))
            ):
                return str(item.get("PhysicalResourceId") or "") or None
    return None


def merged_outputs(outputs_by_stack: Outputs) -> dict[str, str]:
    """Every stack's outputs in one mapping (later stacks win on a clash)."""
    merged: dict[str, str] = {}
    for values in outputs_by_stack.values():
        merged.update(values)
    return merged


def endpoints(outputs_by_stack: Outputs) -> list[tuple[str, str, str]]:
    """(stack, output, value) for each output meant for people, in stack order."""
    return [
        (stack, key, value)
        for stack, values in outputs_by_stack.items()
        for key, value in sorted(values.items())
        if not key.startswith(CDK_EXPORT_OUTPUTS)
    ]


def _step_name(resource_type: str) -> str:
    words = re.sub(r"(?<!^)([A-Z])", r" \1", resource_type.removeprefix(CUSTOM_RESOURCE))
    return words.removeprefix("Datahub ").lower()
