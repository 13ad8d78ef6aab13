"""Changing a live stack: new parameters, a newer template version, or its destruction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from cdk_service.catalog import repository as catalog_repository
from cdk_service.catalog.request_validation import validate_request
from cdk_service.catalog.schemas import Constraints
from cdk_service.db.models import (
    Deployment,
    DeploymentKind,
    DeploymentStatus,
    Stack,
    TemplateVersion,
)
from cdk_service.db.transactions import transaction
from cdk_service.stacks import repository
from cdk_service.stacks.dispatch import Dispatcher, enqueue_quietly
from cdk_service.stacks.idempotency import accept_once, checked_key, request_digest
from cdk_service.stacks.lifecycle import audit, check_quota, conclude
from cdk_service.stacks.policies import (
    check_changeable,
    deployment_not_found,
    gate_of,
    in_progress,
    may_see,
    stack_not_found,
    supersedes,
)
from cdk_service.stacks.schemas import DeploymentAccepted
from cdk_service.stacks.shared_principals import with_shared_principals
from service_contract.errors import DatahubError, InvalidInput
from service_contract.identity import Identity
from stack_catalog.contract import semver_key
from stack_catalog.registry import Registry

# The version and params a deployment brings its (locked) stack to.
Target = Callable[[Stack], Awaitable[tuple[TemplateVersion, dict[str, Any]]]]


async def _change(
    *,
    dispatcher: Dispatcher,
    identity: Identity,
    stack_id: UUID,
    kind: DeploymentKind,
    request: dict[str, Any],
    idempotency_key: str | None,
    target: Target,
    force: bool = False,
    preview: bool = False,
) -> DeploymentAccepted:
    """One deployment of ``kind`` on a stack the caller may see, unless one is in progress;
    ``preview`` holds it once previewed, until its team (or an admin) approves it."""
    key = checked_key(idempotency_key)
    purpose = f"{kind.value}-preview" if preview else kind.value
    digest = request_digest(purpose, {"stack_id": str(stack_id), **request})
    superseded: list[UUID] = []

    async def write() -> tuple[Stack, Deployment]:
        superseded.clear()
        async with transaction():
            stack = await repository.get_stack(stack_id, for_update=True)
            if stack is None or not may_see(identity, stack.team):
                raise stack_not_found(stack_id)
            if (active := await repository.active_deployment(stack.id)) is not None:
                if not supersedes(kind, active):
                    raise in_progress(active)
                superseded.append(await _supersede(stack, active.id, identity, kind))
            check_changeable(stack, kind, force=force)
            row, params = await target(stack)
            constraints = Constraints.model_validate(row.constraints)
            deployment = await repository.create_deployment(
                stack=stack,
                kind=kind,
                status=DeploymentStatus.QUEUED,
                gate=gate_of(
                    requires_approval=constraints.requires_approval, kind=kind, preview=preview
                ),
                requester=identity.user,
                idempotency_key=key,
                request_digest=digest,
                template_version=row,
                params=params,
                force=force,
            )
            action = f"stack.{kind.value}_{'preview_' if preview else ''}requested"
            await audit(identity.user, action, deployment, **request)
        return stack, deployment

    async def explain() -> DatahubError | None:
        active = await repository.active_deployment(stack_id)
        return None if active is None else in_progress(active)

    accepted = await accept_once(
        identity=identity,
        key=key,
        digest=digest,
        write=write,
        explain=explain,
        dispatcher=dispatcher,
    )
    for deployment_id in superseded:  # a worker deletes the change set it had previewed
        await enqueue_quietly(dispatcher, deployment_id)
    return accepted


async def _supersede(
    stack: Stack, deployment_id: UUID, identity: Identity, kind: DeploymentKind
) -> UUID:
    """Cancel a held preview that the (locked) stack's new deployment makes pointless."""
    held = await repository.get_deployment(deployment_id, for_update=True)
    if held is None:
        raise deployment_not_found(deployment_id)
    await conclude(stack, held, DeploymentStatus.CANCELLED)
    await audit(identity.user, "deployment.superseded", held, by=kind.value)
    return held.id


async def request_update(
    *,
    registry: Registry,
    dispatcher: Dispatcher,
    identity: Identity,
    stack_id: UUID,
    params: dict[str, Any],
    idempotency_key: str | None = None,
    preview: bool = False,
) -> DeploymentAccepted:
    """Deploy new parameters (merged over the current ones) on the stack's template version;
    ``preview`` stops it once previewed, until approved."""

    async def target(stack: Stack) -> tuple[TemplateVersion, dict[str, Any]]:
        current = stack.template_version
        return await validate_request(
            registry=registry,
            identity=identity,
            name=current.template.name,
            version=current.version,
            params=await with_shared_principals(stack.id, {**stack.params, **params}),
        )

    return await _change(
        dispatcher=dispatcher,
        identity=identity,
        stack_id=stack_id,
        kind=DeploymentKind.UPDATE,
        request={"params": params},
        idempotency_key=idempotency_key,
        target=target,
        preview=preview,
    )


async def _carried_over(
    registry: Registry, name: str, version: str, params: dict[str, Any]
) -> dict:
    """The current params the new version still has (all of them if its code is missing)."""
    code = registry.get(name, version)
    if code is not None:
        return {k: v for k, v in params.items() if k in code.params.model_fields}
    row = await catalog_repository.get_version(name, version)
    if row is None or row.bundle_digest is None:
        return params
    # A bundle's version: its stored schema names the params it takes.
    return {k: v for k, v in params.items() if k in row.params_schema.get("properties", {})}


async def request_upgrade(
    *,
    registry: Registry,
    dispatcher: Dispatcher,
    identity: Identity,
    stack_id: UUID,
    version: str,
    params: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    preview: bool = False,
) -> DeploymentAccepted:
    """Move the stack to a newer version of its template, keeping the params it still takes;
    ``preview`` stops it once previewed, until approved."""
    changed = dict(params or {})

    async def target(stack: Stack) -> tuple[TemplateVersion, dict[str, Any]]:
        name, current = stack.template_version.template.name, stack.template_version.version
        if semver_key(version) <= semver_key(current):
            raise InvalidInput(
                f"{version} is not newer than the deployed {current}",
                code="not_an_upgrade",
                field="version",
            )
        kept = await _carried_over(registry, name, version, stack.params)
        row, validated = await validate_request(
            registry=registry,
            identity=identity,
            name=name,
            version=version,
            params=await with_shared_principals(stack.id, {**kept, **changed}),
        )
        await check_quota(stack.team, row)
        return row, validated

    return await _change(
        dispatcher=dispatcher,
        identity=identity,
        stack_id=stack_id,
        kind=DeploymentKind.UPGRADE,
        request={"version": version, "params": changed},
        idempotency_key=idempotency_key,
        target=target,
        preview=preview,
    )


async def request_change(
    *,
    registry: Registry,
    dispatcher: Dispatcher,
    identity: Identity,
    stack_id: UUID,
    params: dict[str, Any],
    version: str | None = None,
    idempotency_key: str | None = None,
    preview: bool = False,
) -> DeploymentAccepted:
    """An update, or with ``version`` an upgrade; ``preview`` holds it once the worker has
    created its change set and recorded the preview, until it is approved."""
    common: dict[str, Any] = {
        "registry": registry,
        "dispatcher": dispatcher,
        "identity": identity,
        "stack_id": stack_id,
        "params": params,
        "idempotency_key": idempotency_key,
        "preview": preview,
    }
    if version is None:
        return await request_update(**common)
    return await request_upgrade(version=version, **common)


async def request_destroy(
    *,
    dispatcher: Dispatcher,
    identity: Identity,
    stack_id: UUID,
    force: bool = False,
    idempotency_key: str | None = None,
) -> DeploymentAccepted:
    """Delete the stack's resources; ``force`` is required for a stack that failed."""

    async def target(stack: Stack) -> tuple[TemplateVersion, dict[str, Any]]:
        return stack.template_version, stack.params

    return await _change(
        dispatcher=dispatcher,
        identity=identity,
        stack_id=stack_id,
        kind=DeploymentKind.DESTROY,
        request={"force": force},
        idempotency_key=idempotency_key,
        target=target,
        force=force,
    )


async def request_drift_check(
    *,
    dispatcher: Dispatcher,
    identity: Identity,
    stack_id: UUID,
    idempotency_key: str | None = None,
) -> DeploymentAccepted:
    """Compare the stack's resources with its template; nothing in the stack changes."""

    async def target(stack: Stack) -> tuple[TemplateVersion, dict[str, Any]]:
        return stack.template_version, stack.params

    return await _change(
        dispatcher=dispatcher,
        identity=identity,
        stack_id=stack_id,
        kind=DeploymentKind.DRIFT_CHECK,
        request={},
        idempotency_key=idempotency_key,
        target=target,
    )
