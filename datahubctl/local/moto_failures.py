"""CloudFormation's failure semantics on moto: a resource that fails rolls the stack back.

moto 5.2 lets the error of a resource that cannot be created or updated escape from
``ExecuteChangeSet`` as that call's own error (or an HTML 500), and leaves the stack
``*_IN_PROGRESS`` for ever, with no event saying what failed. CloudFormation accepts the
execution, records the resource's ``CREATE_FAILED`` or ``UPDATE_FAILED`` event with the
reason, rolls back and ends ``ROLLBACK_COMPLETE`` (a create) or ``UPDATE_ROLLBACK_COMPLETE``
(an update). This does the same, so a failure reaches the service the way AWS reports it.

Limit: moto cannot undo an update, so resources an update changed before the failing one
keep their new properties (CloudFormation would restore them); a failed create's resources
are deleted, as CloudFormation does.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import CloudFormationError, UnformattedGetAttTemplateException
from moto.cloudformation.models import CloudFormationBackend, Event, Stack

Hook = Callable[..., Any]
# The template's own errors (a Ref or GetAtt to nothing...): CloudFormation refuses the change
# set for those; they stay the errors moto raises.
TEMPLATE_ERRORS = (CloudFormationError, UnformattedGetAttTemplateException)


class ResourceFailed(Exception):
    """A resource of a stack failed to be created or updated."""

    def __init__(self, operation: str, logical_id: str, resource_type: str, error: Exception):
        self.operation = operation
        self.logical_id = logical_id
        self.resource_type = resource_type
        code = getattr(error, "error_type", None) or getattr(error, "code", None)
        message = getattr(error, "message", None) or str(error)
        self.reason = f"{code or type(error).__name__}: {message}"
        super().__init__(f"{operation} {logical_id} ({resource_type}) failed: {self.reason}")


def _original(hook: Hook) -> Hook:
    return getattr(hook, "moto_original", hook)  # type: ignore[no-any-return]


def _failing_as(operation: str, hook: Hook) -> Hook:
    """``hook(logical_id, resource_json, ...)`` whose errors name the resource and operation."""

    def guarded(logical_id: str, resource_json: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return hook(logical_id, resource_json, *args, **kwargs)
        except (ResourceFailed, *TEMPLATE_ERRORS):
            raise
        except Exception as error:  # whatever moto's backend raised: the resource failed
            raise ResourceFailed(operation, logical_id, resource_json["Type"], error) from error

    guarded.moto_original = hook  # type: ignore[attr-defined]
    return guarded


def record_failure(stack: Stack, failure: ResourceFailed, *, creating: bool) -> None:
    """The resource's failure event, then the rollback CloudFormation would do."""
    stack.events.append(
        Event(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=failure.logical_id,
            physical_resource_id="",
            resource_type=failure.resource_type,
            resource_status=f"{failure.operation}_FAILED",
            resource_status_reason=failure.reason,
            resource_properties=None,
        )
    )
    failed = f"The following resource(s) failed to {failure.operation.lower()}: "
    failed += f"[{failure.logical_id}]."
    if creating:
        stack._add_stack_event("ROLLBACK_IN_PROGRESS", f"{failed} Rollback requested by user.")
        # What cannot be deleted stays, as a failed rollback would leave it.
        with suppress(Exception):
            stack.resource_map.delete()
        stack.status = "ROLLBACK_COMPLETE"
    else:
        stack._add_stack_event("UPDATE_ROLLBACK_IN_PROGRESS", failed)
        stack.status = "UPDATE_ROLLBACK_COMPLETE"
    stack._add_stack_event(stack.status)


def _executing_with_rollback(execute: Hook) -> Hook:
    def execute_change_set(
        backend: CloudFormationBackend, change_set_name: str, stack_name: str | None = None
    ) -> None:
        try:
            execute(backend, change_set_name, stack_name)
        except ResourceFailed as failure:
            change_set = backend.change_sets.get(change_set_name) or next(
                found
                for found in backend.change_sets.values()
                if found.change_set_name == change_set_name
                and stack_name in (None, found.stack_name, found.stack_id)
            )
            stack = backend.stacks[change_set.stack_id]
            record_failure(stack, failure, creating=change_set.change_set_type == "CREATE")
            change_set.execution_status = "EXECUTE_COMPLETE"

    execute_change_set.moto_original = execute  # type: ignore[attr-defined]
    return execute_change_set


def apply_failure_semantics() -> None:
    """Patch moto, in this process; applying twice changes nothing."""
    parsing.parse_and_create_resource = _failing_as(  # type: ignore[assignment]
        "CREATE", _original(parsing.parse_and_create_resource)
    )
    parsing.parse_and_update_resource = _failing_as(  # type: ignore[assignment]
        "UPDATE", _original(parsing.parse_and_update_resource)
    )
    CloudFormationBackend.execute_change_set = _executing_with_rollback(  # type: ignore[method-assign]
        _original(CloudFormationBackend.execute_change_set)
    )
