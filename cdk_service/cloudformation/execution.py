"""Executing a prepared change set, at most once however often the step runs."""

from __future__ import annotations

from typing import Any, Literal

from cdk_service.cloudformation.changeset import find
from cdk_service.cloudformation.models import ChangeSetRef, Execution
from cdk_service.cloudformation.stacks import describe_stack
from service_contract.aws_errors import aws_call
from service_contract.errors import Conflict

EXECUTED = frozenset({"EXECUTE_IN_PROGRESS", "EXECUTE_COMPLETE", "EXECUTE_FAILED"})


def execute(cloudformation: Any, ref: ChangeSetRef, *, first_attempt: bool = False) -> Execution:
    """Execute the change set unless it was executed already (or has nothing to change);
    on a ``first_attempt`` the look for an earlier execution is skipped."""
    if ref.no_changes or ref.change_set_id is None:
        return Execution(action="no_changes", stack_id=ref.stack_id)
    if not first_attempt and execution_status(cloudformation, ref) in EXECUTED:
        return _outcome(ref, "already_executed")
    try:
        aws_call(
            cloudformation,
            "execute_change_set",
            ChangeSetName=ref.change_set_id,
            StackName=ref.stack_id,
            ClientRequestToken=ref.change_set_name,
        )
    except Conflict:
        # Another worker may have executed it between our look and our call.
        if execution_status(cloudformation, ref) not in EXECUTED:
            raise
        return _outcome(ref, "already_executed")
    return _outcome(ref, "executed")


def execution_status(cloudformation: Any, ref: ChangeSetRef) -> str:
    """AVAILABLE or one of the EXECUTE_* statuses; ``Conflict`` when it cannot be executed."""
    found = find(cloudformation, ref.stack_id, ref.change_set_id or ref.change_set_name)
    if found is None:
        return _status_from_stack(cloudformation, ref)
    status = str(found.get("ExecutionStatus", "UNAVAILABLE"))
    if status not in EXECUTED and status != "AVAILABLE":
        raise Conflict(
            f"change set {ref.change_set_name} cannot be executed: {status} "
            f"({found.get('StatusReason') or 'another change set was executed since'})",
            code="change_set_unavailable",
        )
    return status


def _status_from_stack(cloudformation: Any, ref: ChangeSetRef) -> str:
    """A change set CloudFormation no longer lists: executed if the stack last ran it."""
    stack = describe_stack(cloudformation, ref.stack_id) or {}
    if stack.get("ChangeSetId") == ref.change_set_id:
        return "EXECUTE_COMPLETE"
    raise Conflict(
        f"change set {ref.change_set_name} no longer exists; prepare again", code="change_set_gone"
    )


def _outcome(ref: ChangeSetRef, action: Literal["executed", "already_executed"]) -> Execution:
    return Execution(action=action, stack_id=ref.stack_id, change_set_id=ref.change_set_id)
