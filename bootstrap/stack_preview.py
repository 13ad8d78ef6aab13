"""What a run would do to one stack, and the preview of its changes (nothing left changed)."""

from __future__ import annotations

from bootstrap import messages
from bootstrap.results import PlannedAction, PlannedStack, StackKind
from bootstrap.stack_deploy import STUCK, StackOrder, discard, is_unchanged, prepare
from bootstrap.watching import running
from cdk_service.cloudformation.changeset import FAILED_CREATION
from cdk_service.cloudformation.diff import diff_templates
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.stacks import deployed_template, describe_stack
from service_contract.errors import DatahubError
from service_contract.targets import Target


def plan_stack(
    engine: DeployEngine,
    target: Target,
    order: StackOrder,
    run_id: str,
    *,
    kind: StackKind,
    file_assets: int = 0,
) -> PlannedStack:
    """What deploying ``order`` would do; change sets made to preview it are deleted again."""
    state = engine.status(target, order.stack_name)
    planned = PlannedStack(
        kind=kind,
        stack_name=order.stack_name,
        region=target.region,
        status=state.status,
        action="create" if state.status is None else "update",
        file_assets=file_assets,
    )
    if state.status in FAILED_CREATION:
        note = messages.failed_creation_replaced(state.reason)
        return _diffed(engine, target, order, planned, "replace", note, from_scratch=True)
    if state.status in STUCK:
        note = messages.cannot_change(state.status)
        return _diffed(engine, target, order, planned, "blocked", note)
    if state.status is not None and running(state.status):
        note = messages.waits_for(state.status)
        return _diffed(engine, target, order, planned, "wait", note)
    try:
        ref, preview = prepare(engine, target, order, run_id)
    except DatahubError as error:
        note = messages.no_change_set_preview(error.message)
        return _diffed(engine, target, order, planned, planned.action, note)
    unchanged = is_unchanged(ref, preview)
    discard(engine, target, ref, made_the_stack=state.status is None)
    return planned.model_copy(
        update={
            "action": "no_changes" if unchanged else planned.action,
            "changes": [] if unchanged else preview.changes,
            "diff": preview.diff,
            "preview_source": "change_set",
        }
    )


def _diffed(
    engine: DeployEngine,
    target: Target,
    order: StackOrder,
    planned: PlannedStack,
    action: PlannedAction,
    note: str,
    *,
    from_scratch: bool = False,
) -> PlannedStack:
    """The plan entry with the diff from the deployed template (or nothing) to the new one."""
    cloudformation = engine.clients.client(target, "cloudformation")
    deployed = (
        {}
        if from_scratch
        else deployed_template(cloudformation, describe_stack(cloudformation, order.stack_name))
    )
    diff = diff_templates(deployed, order.template)
    return planned.model_copy(update={"action": action, "diff": diff, "note": note})
