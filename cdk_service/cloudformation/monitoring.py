"""Watching a stack: new events since a marker, its status classified, its outputs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from cdk_service.cloudformation.models import StackEvent, StackOutcome, StackOutputs, StackState
from cdk_service.cloudformation.stacks import describe_stack, stack_resources
from service_contract.aws_errors import aws_pages
from service_contract.errors import NotFound

STACK_TYPE = "AWS::CloudFormation::Stack"
SUCCEEDED = frozenset({"CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"})
ROLLED_BACK = frozenset({"UPDATE_ROLLBACK_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"})
# The stack-level statuses that open an operation: a failure's cause lies after the newest.
OPERATION_STARTS = frozenset(
    {"CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "DELETE_IN_PROGRESS", "IMPORT_IN_PROGRESS"}
)
CONSEQUENTIAL_REASONS = ("Resource creation cancelled", "Resource update cancelled")
EVENTS_READ_FOR_A_REASON = 500


def new_events(
    cloudformation: Any,
    stack: str,
    since_event_id: str | None = None,
    not_before: datetime | None = None,
) -> list[StackEvent]:
    """Events newer than the marker (or ``not_before``), oldest first; none for a gone stack."""
    fresh: list[StackEvent] = []
    try:
        for event in _newest_first(cloudformation, stack):
            if event.event_id == since_event_id or (not_before and event.timestamp < not_before):
                break
            fresh.append(event)
    except NotFound:
        return []
    return fresh[::-1]


def stack_state(cloudformation: Any, stack: str) -> StackState:
    """The stack's status, classified, with the first failure's reason when it failed."""
    found = describe_stack(cloudformation, stack)
    if found is None:
        return StackState(stack_name=stack, outcome="gone")
    status = found["StackStatus"]
    state = StackState(
        stack_name=found["StackName"],
        stack_id=found["StackId"],
        status=status,
        outcome=classify(status),
        outputs=_listed_outputs(found),
    )
    if state.outcome in ("failed", "rolled_back") or "ROLLBACK" in status:
        events = islice(_newest_first(cloudformation, found["StackId"]), EVENTS_READ_FOR_A_REASON)
        return with_failure(state, events, found.get("StackStatusReason"))
    return state


def classify(status: str) -> StackOutcome:
    """in_progress, succeeded, failed, rolled_back (an update undone) or gone."""
    if status == "DELETE_COMPLETE":
        return "gone"
    if status.endswith("_IN_PROGRESS"):
        return "in_progress"
    if status in SUCCEEDED:
        return "succeeded"
    return "rolled_back" if status in ROLLED_BACK else "failed"


def with_failure(
    state: StackState, newest_first: Iterable[StackEvent], stack_reason: str | None
) -> StackState:
    """The state with the reason of the first failure of the stack's latest operation."""
    failures: list[StackEvent] = []
    for event in newest_first:
        if event.status.endswith("_FAILED") and event.reason:
            failures.append(event)
        if event.is_stack and event.status in OPERATION_STARTS:
            break
    cause = _first_cause(failures[::-1])
    if cause is None:
        return state.model_copy(update={"reason": stack_reason})
    failed_resource = None if cause.is_stack else cause.logical_id
    return state.model_copy(update={"reason": cause.reason, "failed_resource": failed_resource})


def stack_outputs(
    cloudformation: Any, stack: str, settled: StackState | None = None
) -> StackOutputs:
    """The stack's outputs; each resource's physical id when the stack returns no outputs.

    ``settled``: the state just read once the stack settled; its outputs and id are used
    instead of describing the stack again.
    """
    if settled is not None and settled.stack_id is not None:
        listed, stack_id = settled.outputs, settled.stack_id
    else:
        found = describe_stack(cloudformation, stack)
        if found is None:
            raise NotFound(f"stack {stack} does not exist", code="stack_not_found")
        listed, stack_id = _listed_outputs(found), found["StackId"]
    if listed:
        return StackOutputs(source="outputs", values=listed)
    resources = stack_resources(cloudformation, stack_id)
    return StackOutputs(source="resource_physical_ids", values=_physical_ids(resources))


def _physical_ids(resources: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Each created resource's physical id by logical id.

    A resource with no physical id was not created (it failed, or moto does not know its
    type and lists it with empty ids), so it has nothing to show.
    """
    return {
        item["LogicalResourceId"]: item["PhysicalResourceId"]
        for item in resources
        if item.get("LogicalResourceId") and item.get("PhysicalResourceId")
    }


def _listed_outputs(found: dict[str, Any]) -> dict[str, str]:
    return {item["OutputKey"]: item.get("OutputValue", "") for item in found.get("Outputs") or []}


def to_event(raw: dict[str, Any]) -> StackEvent:
    """A stack event from ``describe_stack_events``."""
    timestamp: datetime = raw["Timestamp"]
    return StackEvent(
        event_id=raw["EventId"],
        timestamp=timestamp.astimezone(UTC),
        logical_id=raw.get("LogicalResourceId", ""),
        physical_id=raw.get("PhysicalResourceId"),
        resource_type=raw.get("ResourceType", ""),
        status=raw.get("ResourceStatus", ""),
        reason=raw.get("ResourceStatusReason"),
        is_stack=raw.get("ResourceType") == STACK_TYPE
        and raw.get("LogicalResourceId") == raw.get("StackName"),
    )


def _newest_first(cloudformation: Any, stack: str) -> Iterator[StackEvent]:
    pages = aws_pages(cloudformation, "describe_stack_events", "StackEvents", StackName=stack)
    return (to_event(raw) for raw in pages)


def _first_cause(oldest_first: list[StackEvent]) -> StackEvent | None:
    """The earliest failure that is not just a consequence of another (resources first)."""
    causes = [e for e in oldest_first if not (e.reason or "").startswith(CONSEQUENTIAL_REASONS)]
    resource_causes = [event for event in causes if not event.is_stack]
    return next(iter(resource_causes or causes or oldest_first), None)
