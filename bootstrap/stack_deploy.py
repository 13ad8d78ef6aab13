"""Deploying one stack to its desired state, from whatever state an earlier run left it in."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bootstrap import messages, protection
from bootstrap.results import DeployAction, StackResult
from bootstrap.watching import NOT_CREATED, Watch, follow, newest_event_id, settle
from cdk_service.cloudformation.changeset import FAILED_CREATION, NAME_PREFIX
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.models import ChangeSetRef, Preview, Teardown
from service_contract.aws_errors import aws_call, aws_pages
from service_contract.errors import Conflict, UpstreamFailure
from service_contract.targets import Target

CHANGE_SET_MARK = "bootstrap-"
# Statuses no change set can move on from: an operator has to look first.
STUCK = frozenset({"UPDATE_ROLLBACK_FAILED", "DELETE_FAILED", "IMPORT_ROLLBACK_FAILED"})


@dataclass(frozen=True)
class StackOrder:
    """A stack to bring to a template: name, template, parameters and stack tags."""

    stack_name: str
    template: Mapping[str, Any]
    parameters: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    termination_protection: bool = False


def deploy_stack(
    engine: DeployEngine, target: Target, order: StackOrder, run_id: str, watch: Watch
) -> StackResult:
    """Bring the stack to the order's template: wait out, replace or update what is there."""
    state = settle(engine, target, order.stack_name, watch)
    replaced = state.status in FAILED_CREATION
    if state.status == NOT_CREATED:
        # An earlier run stopped between its change set and a successful creation: the stack
        # holds nothing yet, so start it afresh (moto also keeps a failed creation's error on
        # such a stack and raises it again on every listing).
        watch.on_note(order.stack_name, messages.LEFT_EMPTY)
        remove_stack(engine, target, order.stack_name, watch)
    elif replaced:
        note = messages.replacing_failed_creation(state.status or "", state.reason)
        watch.on_note(order.stack_name, note)
        remove_stack(engine, target, order.stack_name, watch)
    elif state.status in STUCK:
        raise Conflict(
            messages.stack_stuck(order.stack_name, state.status, state.reason),
            code="stack_stuck",
        )
    clear_stale_change_sets(engine, target, order.stack_name)
    ref, preview = prepare(engine, target, order, run_id)
    if is_unchanged(ref, preview):
        discard(engine, target, ref)
        return StackResult(
            stack_name=order.stack_name,
            region=target.region,
            action="no_changes",
            stack_id=ref.stack_id,
        )
    since = newest_event_id(engine, target, ref.stack_id)
    try:
        engine.execute(target, ref)
    except UpstreamFailure as error:
        raise UpstreamFailure(
            messages.stack_not_executed(order.stack_name, error.message),
            code="stack_deploy_failed",
            details={"stack": order.stack_name},
        ) from error
    final = follow(engine, target, ref.stack_id, since, watch)
    if final.outcome != "succeeded":
        raise UpstreamFailure(
            messages.stack_failed(
                order.stack_name, str(final.status), final.failed_resource, final.reason
            ),
            code="stack_deploy_failed",
            details={"stack": order.stack_name, "status": final.status},
        )
    action: DeployAction = "created" if ref.change_set_type == "CREATE" else "updated"
    return StackResult(
        stack_name=order.stack_name,
        region=target.region,
        action=action,
        replaced_failed_stack=replaced,
        stack_id=ref.stack_id,
    )


def prepare(
    engine: DeployEngine, target: Target, order: StackOrder, run_id: str
) -> tuple[ChangeSetRef, Preview]:
    """The order's change set (created and ready) and its preview."""
    ref = engine.prepare(
        target,
        stack_name=order.stack_name,
        deployment_id=change_set_id(run_id, order.stack_name),
        template=order.template,
        parameters=order.parameters,
        tags=order.tags,
    )
    return ref, engine.preview(target, ref, order.template, order.parameters)


def change_set_id(run_id: str, stack_name: str) -> str:
    """The run's change set id for a stack: unique per stack, since moto looks change sets up
    by name alone (across stacks) and the run id is the same for every stack of a run."""
    return f"{CHANGE_SET_MARK}{run_id}-{hashlib.sha256(stack_name.encode()).hexdigest()[:8]}"


def is_unchanged(ref: ChangeSetRef, preview: Preview) -> bool:
    """No changes: CloudFormation says so, or neither its list nor the template diff has any."""
    if ref.no_changes:
        return True
    return ref.change_set_type == "UPDATE" and not preview.changes and preview.diff.is_empty


def discard(
    engine: DeployEngine, target: Target, ref: ChangeSetRef, *, made_the_stack: bool = True
) -> None:
    """Delete a change set that will not run, and the empty stack it made (if it made one)."""
    cloudformation = engine.clients.client(target, "cloudformation")
    aws_call(
        cloudformation,
        "delete_change_set",
        StackName=ref.stack_id,
        ChangeSetName=ref.change_set_id or ref.change_set_name,
    )
    if made_the_stack and ref.change_set_type == "CREATE":
        state = engine.status(target, ref.stack_id)
        if state.status == NOT_CREATED:
            aws_call(cloudformation, "delete_stack", StackName=ref.stack_id)


def clear_stale_change_sets(engine: DeployEngine, target: Target, stack_name: str) -> None:
    """Delete change sets an earlier, interrupted bootstrap created and never executed."""
    cloudformation = engine.clients.client(target, "cloudformation")
    if engine.status(target, stack_name).outcome == "gone":
        return
    for summary in aws_pages(cloudformation, "list_change_sets", "Summaries", StackName=stack_name):
        ours = summary["ChangeSetName"].startswith(f"{NAME_PREFIX}{CHANGE_SET_MARK}")
        if ours and summary.get("ExecutionStatus") != "EXECUTE_IN_PROGRESS":
            if summary.get("ExecutionStatus") == "EXECUTE_COMPLETE":
                continue
            aws_call(
                cloudformation,
                "delete_change_set",
                StackName=stack_name,
                ChangeSetName=summary["ChangeSetId"],
            )


def remove_stack(
    engine: DeployEngine,
    target: Target,
    stack: str,
    watch: Watch,
    template: Mapping[str, Any] | None = None,
) -> Teardown:
    """Delete a stack (failed ones included), wait until it is gone; what it retained."""
    state = engine.status(target, stack)
    since = newest_event_id(engine, target, state.stack_id) if state.stack_id else None
    if state.stack_id:
        protection.lift(engine, target, state.stack_id)
    teardown = engine.destroy(target, stack, template or {}, force=True)
    if teardown.outcome == "deleting" and teardown.stack_id:
        final = follow(engine, target, teardown.stack_id, since, watch)
        if final.outcome != "gone":
            raise UpstreamFailure(
                messages.stack_not_deleted(stack, str(final.status), final.reason),
                code="stack_delete_failed",
            )
    return teardown
