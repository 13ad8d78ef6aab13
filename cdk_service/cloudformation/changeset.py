"""Change sets: one per deployment, created once, found again on a retry."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from cdk_service.cloudformation.models import ChangeSetRef
from cdk_service.cloudformation.polling import Polling
from cdk_service.cloudformation.stacks import describe_stack
from service_contract.aws_errors import aws_call, is_template_error
from service_contract.errors import Conflict, DatahubError, InvalidInput, NotFound, UpstreamFailure

ChangeSetType = Literal["CREATE", "UPDATE"]

NAME_PREFIX = "datahub-"
NAME_PATTERN = r"^[a-zA-Z][-a-zA-Z0-9]{0,127}$"
CAPABILITIES = ("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND")
NO_CHANGES_MARKERS = ("didn't contain changes", "No updates are to be performed")
# A stack whose creation failed cannot be updated; it has to be deleted first.
FAILED_CREATION = frozenset({"ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED"})
TYPE_IN_DESCRIPTION = re.compile(r"\((CREATE|UPDATE)\)$")


def change_set_name(deployment_id: str) -> str:
    """The change set name of a deployment: the same every time, so a retry finds it."""
    name = f"{NAME_PREFIX}{deployment_id}"
    if not re.match(NAME_PATTERN, name):
        raise InvalidInput(
            f"deployment id {deployment_id!r} cannot name a change set "
            "(letters, digits and hyphens only, at most 120 characters)",
            code="invalid_deployment_id",
        )
    return name


@dataclass(frozen=True)
class ChangeSetOrder:
    """What to create: a stack's template, parameters and tags under a deployment's name."""

    stack_name: str
    name: str
    parameters: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    execution_role_arn: str | None = None
    # Known by the caller (a deployment creating its stack), so the stack is not described to
    # choose; None: CREATE or UPDATE as the stack is found.
    change_set_type: ChangeSetType | None = None

    def arguments(
        self, change_set_type: ChangeSetType, template: Mapping[str, str]
    ) -> dict[str, Any]:
        """The ``create_change_set`` arguments; ``template`` is TemplateBody or TemplateURL."""
        role = {"RoleARN": self.execution_role_arn} if self.execution_role_arn else {}
        return {
            "StackName": self.stack_name,
            "ChangeSetName": self.name,
            "ChangeSetType": change_set_type,
            "Description": f"DATAHUB deployment {self.name} ({change_set_type})",
            "ClientToken": self.name,
            "Capabilities": list(CAPABILITIES),
            "Parameters": [
                {"ParameterKey": k, "ParameterValue": v} for k, v in self.parameters.items()
            ],
            "Tags": [{"Key": k, "Value": v} for k, v in self.tags.items()],
            **template,
            **role,
        }


def find(cloudformation: Any, stack_name: str, name: str) -> dict[str, Any] | None:
    """The change set of that name on the stack, if one was created before."""
    try:
        return aws_call(
            cloudformation, "describe_change_set", StackName=stack_name, ChangeSetName=name
        )
    except NotFound:
        return None


def type_for(cloudformation: Any, stack_name: str) -> ChangeSetType:
    """CREATE for a new stack (or one only ever reviewed), UPDATE for a deployed one."""
    stack = describe_stack(cloudformation, stack_name)
    if stack is None or stack["StackStatus"] == "REVIEW_IN_PROGRESS":
        return "CREATE"
    if stack["StackStatus"] in FAILED_CREATION:
        raise Conflict(
            f"stack {stack_name} failed to create ({stack['StackStatus']}) and cannot be "
            "updated; destroy it with force, then deploy again",
            code="stack_failed_create",
        )
    return "UPDATE"


def create(cloudformation: Any, order: ChangeSetOrder, template: Mapping[str, str]) -> bool:
    """Create the change set; False when CloudFormation refuses it outright for lack of changes."""
    change_set_type = order.change_set_type or type_for(cloudformation, order.stack_name)
    arguments = order.arguments(change_set_type, template)
    try:
        aws_call(cloudformation, "create_change_set", **arguments)
    except Conflict:
        # Another worker running the same step may have created it a moment ago.
        if find(cloudformation, order.stack_name, order.name) is None:
            raise
    except UpstreamFailure as error:
        if not _says_no_changes(error.message):
            raise
        return False
    return True


def wait_until_ready(
    cloudformation: Any, polling: Polling, stack_name: str, name: str
) -> dict[str, Any]:
    """The change set once CloudFormation has finished working out its changes."""

    def ready() -> dict[str, Any] | None:
        found = find(cloudformation, stack_name, name)
        if found is None:
            raise Conflict(
                f"change set {name} disappeared while being created", code="change_set_gone"
            )
        return found if found["Status"] in ("CREATE_COMPLETE", "FAILED") else None

    return polling.until(ready, f"change set {name} on stack {stack_name}")


def to_ref(found: dict[str, Any]) -> ChangeSetRef:
    """The reference a deployment keeps; a change set that failed for another reason raises."""
    no_changes = found["Status"] == "FAILED" and _says_no_changes(found.get("StatusReason"))
    if found["Status"] == "FAILED" and not no_changes:
        raise _failure(found)
    return ChangeSetRef(
        stack_name=found["StackName"],
        stack_id=found["StackId"],
        change_set_name=found["ChangeSetName"],
        change_set_id=found["ChangeSetId"],
        change_set_type=_type_of(found),
        status=found["Status"],
        execution_status=found.get("ExecutionStatus", "UNAVAILABLE"),
        status_reason=found.get("StatusReason"),
        no_changes=no_changes,
        created_at=found.get("CreationTime"),
    )


def refused_ref(cloudformation: Any, stack_name: str, name: str) -> ChangeSetRef:
    """The reference for a change set CloudFormation refused to create: nothing to change."""
    stack = describe_stack(cloudformation, stack_name) or {}
    return ChangeSetRef(
        stack_name=stack_name,
        stack_id=stack.get("StackId", stack_name),
        change_set_name=name,
        change_set_type="UPDATE",
        status="FAILED",
        execution_status="UNAVAILABLE",
        status_reason="No updates are to be performed.",
        no_changes=True,
    )


def _type_of(found: dict[str, Any]) -> ChangeSetType:
    """CREATE or UPDATE, as our description recorded it (describe_change_set omits the type)."""
    described = TYPE_IN_DESCRIPTION.search(found.get("Description") or "")
    return "CREATE" if described and described.group(1) == "CREATE" else "UPDATE"


def _failure(found: dict[str, Any]) -> DatahubError:
    reason = found.get("StatusReason") or "no reason given"
    if is_template_error(reason):
        return InvalidInput(reason, code="template_invalid")
    return UpstreamFailure(
        f"CloudFormation could not create change set {found['ChangeSetName']}: {reason}",
        code="change_set_failed",
    )


def _says_no_changes(reason: str | None) -> bool:
    return any(marker in (reason or "") for marker in NO_CHANGES_MARKERS)
