"""Previews: what a change set would change, as CloudFormation lists it and as a diff."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cdk_service.cloudformation.diff import diff_templates
from cdk_service.cloudformation.models import ChangeDetail, ChangeSetRef, Preview, ResourceChange
from cdk_service.cloudformation.stacks import deployed_template, describe_stack, parameter_values
from service_contract.aws_errors import aws_pages


def preview(
    cloudformation: Any,
    ref: ChangeSetRef,
    template: Mapping[str, Any],
    parameters: Mapping[str, str] | None = None,
    described: Mapping[str, Any] | None = None,
) -> Preview:
    """The change set's resource changes and the diff from the deployed template to ``template``
    (``described``: the change set's description just read, used when it holds every change)."""
    # A CREATE change set is made on a stack with nothing deployed: no template to read.
    creating = ref.change_set_type == "CREATE"
    stack = None if creating else describe_stack(cloudformation, ref.stack_id)
    diff = diff_templates(
        deployed_template(cloudformation, stack),
        template,
        deployed_values=parameter_values(stack) if parameters is not None else None,
        new_values=parameters,
    )
    return Preview(
        change_set=ref, changes=resource_changes(cloudformation, ref, described), diff=diff
    )


def resource_changes(
    cloudformation: Any, ref: ChangeSetRef, described: Mapping[str, Any] | None = None
) -> list[ResourceChange]:
    """The resource changes CloudFormation lists for the change set (all pages)."""
    if ref.change_set_id is None:
        return []
    changes: Iterable[dict[str, Any]]
    if described is not None and "NextToken" not in described:  # one page, already read
        changes = described.get("Changes") or []
    else:
        changes = aws_pages(
            cloudformation,
            "describe_change_set",
            "Changes",
            ChangeSetName=ref.change_set_id,
            StackName=ref.stack_id,
        )
    return [
        _resource_change(change["ResourceChange"])
        for change in changes
        if "ResourceChange" in change
    ]


def _resource_change(change: dict[str, Any]) -> ResourceChange:
    return ResourceChange(
        action=change.get("Action", ""),
        logical_id=change.get("LogicalResourceId", ""),
        physical_id=change.get("PhysicalResourceId"),
        resource_type=change.get("ResourceType", ""),
        replacement=change.get("Replacement"),
        scope=change.get("Scope") or [],
        details=[
            ChangeDetail(
                attribute=detail.get("Target", {}).get("Attribute"),
                name=detail.get("Target", {}).get("Name"),
                requires_recreation=detail.get("Target", {}).get("RequiresRecreation"),
                change_source=detail.get("ChangeSource"),
            )
            for detail in change.get("Details") or []
        ],
    )
