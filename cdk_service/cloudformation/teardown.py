"""Destroying a stack: say what its deletion policies keep, then delete it (once)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk_service.cloudformation.models import RetainedResource, Teardown
from cdk_service.cloudformation.stacks import describe_stack, stack_resources
from service_contract.aws_errors import aws_call
from service_contract.errors import Conflict

RETAINING_POLICIES = frozenset({"Retain", "RetainExceptOnCreate"})
FAILED_STATES = frozenset(
    {
        "ROLLBACK_COMPLETE",
        "ROLLBACK_FAILED",
        "CREATE_FAILED",
        "DELETE_FAILED",
        "UPDATE_ROLLBACK_FAILED",
    }
)


def retained_resources(template: Mapping[str, Any]) -> list[RetainedResource]:
    """The template's resources whose deletion policy keeps them when the stack goes."""
    return [
        RetainedResource(
            logical_id=logical_id,
            resource_type=str(resource.get("Type", "")),
            deletion_policy=str(resource["DeletionPolicy"]),
        )
        for logical_id, resource in (template.get("Resources") or {}).items()
        if resource.get("DeletionPolicy") in RETAINING_POLICIES
    ]


def destroy(
    cloudformation: Any, stack: str, template: Mapping[str, Any], *, force: bool = False
) -> Teardown:
    """Delete the stack; a gone stack is success, a failed one needs ``force``."""
    retained = retained_resources(template)
    found = describe_stack(cloudformation, stack)
    if found is None:
        return Teardown(stack_name=stack, outcome="already_gone", retained=retained)
    stack_id, status = found["StackId"], found["StackStatus"]
    _refuse_failed_unless_forced(stack, status, force)
    retained = _with_physical_ids(cloudformation, stack_id, retained)
    if status != "DELETE_IN_PROGRESS":
        aws_call(cloudformation, "delete_stack", StackName=stack_id)
    outcome = "deleted" if describe_stack(cloudformation, stack_id) is None else "deleting"
    return Teardown(stack_name=stack, stack_id=stack_id, outcome=outcome, retained=retained)


def _refuse_failed_unless_forced(stack: str, status: str, force: bool) -> None:
    if status in FAILED_STATES and not force:
        raise Conflict(
            f"stack {stack} is in {status}; destroy it with force to delete what is left",
            code="stack_failed",
        )


def _with_physical_ids(
    cloudformation: Any, stack_id: str, retained: list[RetainedResource]
) -> list[RetainedResource]:
    if not retained:
        return retained
    physical = {
        item["LogicalResourceId"]: item.get("PhysicalResourceId")
        for item in stack_resources(cloudformation, stack_id)
    }
    return [
        item.model_copy(update={"physical_id": physical.get(item.logical_id)}) for item in retained
    ]
