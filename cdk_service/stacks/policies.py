"""The rules of a stack's life: who sees it, what may happen next, and what a result means."""

from __future__ import annotations

import hashlib
import json

from cdk_service.catalog.access import require_admin
from cdk_service.db.models import (
    Deployment,
    DeploymentGate,
    DeploymentKind,
    DeploymentStatus,
    Stack,
    StackStatus,
)
from service_contract.errors import Conflict, NotFound
from service_contract.identity import Identity

FINAL = frozenset({DeploymentStatus.SUCCEEDED, DeploymentStatus.FAILED, DeploymentStatus.CANCELLED})
# A worker moves a deployment forward through these, never back.
WORKER_PROGRESS = (
    DeploymentStatus.QUEUED,
    DeploymentStatus.PREVIEWING,
    DeploymentStatus.AWAITING_EXECUTION,
    DeploymentStatus.EXECUTING,
)
# Held after the preview: a worker takes them on again only once approved (queued again).
HELD = {
    DeploymentGate.PREVIEW: DeploymentStatus.AWAITING_EXECUTION,
    DeploymentGate.APPROVAL: DeploymentStatus.PENDING_APPROVAL,
}
CLAIMABLE = frozenset(WORKER_PROGRESS) - frozenset(HELD.values())
# Once CloudFormation executes, stopping halfway would leave the stack in a worse state.
CANCELLABLE = frozenset(WORKER_PROGRESS[:-1]) | {DeploymentStatus.PENDING_APPROVAL}
# A cancelled deployment in one of these may have left a change set for a worker to delete.
MAY_HAVE_CHANGE_SET = frozenset({DeploymentStatus.PREVIEWING, *HELD.values()})
GONE = frozenset({StackStatus.DESTROYED, StackStatus.CANCELLED})
APPROVABLE_KINDS = frozenset({DeploymentKind.CREATE, DeploymentKind.UPDATE, DeploymentKind.UPGRADE})
EXECUTING_STATUS = {
    DeploymentKind.CREATE: StackStatus.DEPLOYING,
    DeploymentKind.UPDATE: StackStatus.UPDATING,
    DeploymentKind.UPGRADE: StackStatus.UPDATING,
    DeploymentKind.DESTROY: StackStatus.DESTROYING,
}
# CloudFormation put the previous template back: the stack works as it did before the update.
ROLLED_BACK = frozenset({"UPDATE_ROLLBACK_COMPLETE"})


def stack_not_found(stack_id: object) -> NotFound:
    """The answer for a stack that is missing or belongs to another team."""
    return NotFound(f"stack {stack_id} not found", code="stack_not_found")


def deployment_not_found(deployment_id: object) -> NotFound:
    """The answer for a deployment that is missing or on another team's stack."""
    return NotFound(f"deployment {deployment_id} not found", code="deployment_not_found")


def may_see(identity: Identity, team: str) -> bool:
    """Team members see (and act on) their teams' stacks; admins every stack. ``team``: the
    stack's owner, so a read that has only its team column need not build the stack."""
    return identity.may_act_for(team)


def gate_of(*, requires_approval: bool, kind: DeploymentKind, preview: bool) -> DeploymentGate:
    """What a new deployment waits for after its preview: an admin, its team, or nothing.

    An admin's approval, where the version requires it, wins over a team's own preview.
    """
    if requires_approval and kind in APPROVABLE_KINDS:
        return DeploymentGate.APPROVAL
    return DeploymentGate.PREVIEW if preview else DeploymentGate.NONE


def check_approvable(identity: Identity, deployment: Deployment) -> None:
    """Raise unless ``identity`` may let this held deployment execute.

    A preview (awaiting execution) is executed by its team or an admin; a deployment pending
    approval only by an admin. The caller already sees the stack.
    """
    if deployment.status is DeploymentStatus.PENDING_APPROVAL:
        require_admin(identity, "approve deployments")
    elif deployment.status is not DeploymentStatus.AWAITING_EXECUTION:
        raise Conflict(
            f"deployment {deployment.id} is {deployment.status.value}; only a previewed "
            "deployment awaiting execution or one pending approval can be approved",
            code="not_pending_approval",
            details={"status": deployment.status.value},
        )


def previewed_state(stack: Stack) -> str:
    """A digest of what a stack's change set is computed from (version, params, target,
    CloudFormation stack, status); warnings, drift results and outputs do not count."""
    state = [
        stack.template_version_id,
        stack.params,
        stack.account,
        stack.region,
        stack.cloudformation_stack_id,
        stack.status.value,
    ]
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def check_preview_current(stack: Stack, deployment: Deployment) -> None:
    """Raise ``Conflict(preview_stale)`` when the stack changed since the preview was held."""
    previewed = deployment.checkpoint.get("previewed_state")
    if previewed is not None and previewed != previewed_state(stack):
        raise preview_stale(
            f"stack {stack.id} changed since deployment {deployment.id} was previewed "
            "(its version, parameters, target or status); cancel it and preview again"
        )


def preview_stale(message: str) -> Conflict:
    """The answer for a preview that no longer shows what executing it would do."""
    return Conflict(message, code="preview_stale")


def in_progress(active: Deployment) -> Conflict:
    """409 naming the deployment that holds the stack."""
    return Conflict(
        f"deployment {active.id} ({active.kind.value}, {active.status.value}) is in progress "
        "on this stack; wait for it or cancel it",
        code="deployment_in_progress",
        details={"deployment_id": str(active.id)},
    )


def supersedes(kind: DeploymentKind, active: Deployment) -> bool:
    """Whether a new deployment of ``kind`` cancels the stack's active one instead of waiting:
    a destroy makes a held update or upgrade preview pointless."""
    return (
        kind is DeploymentKind.DESTROY
        and active.status in HELD.values()
        and active.kind in (DeploymentKind.UPDATE, DeploymentKind.UPGRADE)
    )


def check_changeable(stack: Stack, kind: DeploymentKind, *, force: bool = False) -> None:
    """Raise ``Conflict`` unless the stack's status allows a deployment of ``kind``."""
    if stack.status in GONE:
        raise Conflict(f"stack {stack.id} is {stack.status.value}", code="stack_gone")
    if kind is DeploymentKind.DESTROY:
        if stack.status is StackStatus.FAILED and not force:
            raise Conflict(
                "this stack failed; destroy it with force to delete what is left",
                code="force_required",
            )
        allowed = {StackStatus.ACTIVE, StackStatus.FAILED}
    else:
        allowed = {StackStatus.ACTIVE}
    if stack.status not in allowed:
        raise Conflict(
            f"cannot {kind.value} a stack that is {stack.status.value}",
            code="stack_not_ready",
            details={"status": stack.status.value},
        )


def check_cancellable(deployment: Deployment) -> None:
    """Raise ``Conflict`` once a deployment is executing or finished."""
    if deployment.status not in CANCELLABLE:
        raise Conflict(
            f"deployment {deployment.id} is {deployment.status.value}; only deployments that "
            "have not started executing can be cancelled",
            code="not_cancellable",
            details={"status": deployment.status.value},
        )


def check_progress(current: DeploymentStatus, target: DeploymentStatus) -> None:
    """Raise ``Conflict`` unless a worker may move a deployment from ``current`` to ``target``."""
    forward = WORKER_PROGRESS[WORKER_PROGRESS.index(current) + 1 :]
    if target not in forward:
        raise Conflict(
            f"a worker cannot move a deployment from {current.value} to {target.value}",
            code="invalid_transition",
            details={"from": current.value, "to": target.value},
        )


def stack_status_after(
    deployment: Deployment, status: DeploymentStatus, rollback_state: str | None
) -> StackStatus | None:
    """The stack's status once ``deployment`` ends with ``status``; None leaves it as it is."""
    kind, executed = deployment.kind, deployment.status is DeploymentStatus.EXECUTING
    if kind is DeploymentKind.DRIFT_CHECK:
        return None
    if status is DeploymentStatus.CANCELLED:
        return StackStatus.CANCELLED if kind is DeploymentKind.CREATE else None
    if status is DeploymentStatus.SUCCEEDED:
        return StackStatus.DESTROYED if kind is DeploymentKind.DESTROY else StackStatus.ACTIVE
    if kind is DeploymentKind.CREATE:
        return StackStatus.FAILED
    if not executed:
        return None  # nothing was changed: the stack is as it was
    if kind is DeploymentKind.DESTROY or rollback_state not in ROLLED_BACK:
        return StackStatus.FAILED
    return StackStatus.ACTIVE
