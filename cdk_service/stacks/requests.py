"""Requesting a new stack: validated, within quota, recorded with its first deployment at once."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from cdk_service.catalog.request_validation import validate_order
from cdk_service.catalog.schemas import Constraints
from cdk_service.db.models import (
    Deployment,
    DeploymentGate,
    DeploymentKind,
    DeploymentStatus,
    Stack,
    StackStatus,
)
from cdk_service.db.transactions import transaction
from cdk_service.stacks import repository
from cdk_service.stacks.dispatch import Dispatcher
from cdk_service.stacks.idempotency import accept_once, checked_key, request_digest
from cdk_service.stacks.lifecycle import audit, check_quota
from cdk_service.stacks.policies import gate_of
from cdk_service.stacks.schemas import DeploymentAccepted, StackRequest
from service_contract.errors import Conflict, DatahubError, InvalidInput
from service_contract.identity import Identity
from stack_catalog.registry import Registry


async def check_target(account: str, region: str, default: tuple[str, str]) -> None:
    """The service's own target, or one an admin registered; else ``unknown_target``."""
    if (account, region) != default and not await repository.target_account_exists(account, region):
        raise InvalidInput(
            f"account {account} in {region} is not a registered target account",
            code="unknown_target",
            field="account",
        )


async def _create(
    registry: Registry,
    identity: Identity,
    order: StackRequest,
    key: str | None,
    digest: str,
    default_target: tuple[str, str],
) -> tuple[Stack, Deployment]:
    row, params = await validate_order(
        registry=registry,
        identity=identity,
        team=order.team,
        name=order.template,
        version=order.version,
        params=order.params,
    )
    constraints = Constraints.model_validate(row.constraints)
    account, region = order.account or default_target[0], order.region or default_target[1]
    await check_target(account, region, default_target)
    ttl_hours = order.ttl_hours or constraints.default_ttl_hours
    gate = gate_of(
        requires_approval=constraints.requires_approval,
        kind=DeploymentKind.CREATE,
        preview=order.preview,
    )
    async with transaction():
        await check_quota(order.team, row)
        stack = await repository.create_stack(
            name=order.name,
            team=order.team,
            template_version=row,
            params=params,
            account=account,
            region=region,
            status=StackStatus.PENDING_APPROVAL
            if gate is DeploymentGate.APPROVAL
            else StackStatus.REQUESTED,
            cloudformation_stack_name=f"{order.team}-{order.name}",
            expires_at=timezone.now() + timedelta(hours=ttl_hours) if ttl_hours else None,
            created_by=identity.user,
        )
        deployment = await repository.create_deployment(
            stack=stack,
            kind=DeploymentKind.CREATE,
            status=DeploymentStatus.QUEUED,
            gate=gate,
            requester=identity.user,
            idempotency_key=key,
            request_digest=digest,
            template_version=row,
            params=params,
        )
        await audit(
            identity.user,
            "stack.requested",
            deployment,
            template=order.template,
            version=row.version,
            params=params,
            team=order.team,
            target=f"{account}/{region}",
        )
    return stack, deployment


async def request_stack(
    *,
    registry: Registry,
    dispatcher: Dispatcher,
    identity: Identity,
    order: StackRequest,
    idempotency_key: str | None,
    default_account: str,
    default_region: str,
) -> DeploymentAccepted:
    """Record a new stack and its create deployment in one transaction, then queue it; a
    version that requires approval is previewed, then waits for an admin. A repeated key
    returns the first deployment."""
    key = checked_key(idempotency_key)
    digest = request_digest(DeploymentKind.CREATE.value, order.model_dump(mode="json"))
    default_target = (default_account, default_region)

    async def write() -> tuple[Stack, Deployment]:
        return await _create(registry, identity, order, key, digest, default_target)

    async def explain() -> DatahubError | None:
        account, region = order.account or default_account, order.region or default_region
        if await repository.live_stack_named(order.team, account, region, order.name) is None:
            return None
        return Conflict(
            f"team {order.team} already has a live stack named {order.name} in {account}/{region}",
            code="stack_exists",
            field="name",
        )

    return await accept_once(
        identity=identity,
        key=key,
        digest=digest,
        write=write,
        explain=explain,
        dispatcher=dispatcher,
    )
