"""Leases: one worker at a time runs a deployment, and a dead worker's lease runs out."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from cdk_service.db.models import Deployment, Stack
from cdk_service.deployments.work_schemas import ClaimedDeployment, LeaseLost, claimed
from cdk_service.stacks import repository, work_repository
from cdk_service.stacks.policies import deployment_not_found


async def claim(
    *, deployment_id: UUID, worker_id: str, lease_seconds: float
) -> ClaimedDeployment | None:
    """Take the lease (free or expired) and count an attempt; None if held or not claimable."""
    if not await work_repository.claim(deployment_id, worker_id, lease_seconds):
        return None
    return await _claimed(deployment_id)


async def renew(*, deployment_id: UUID, worker_id: str, lease_seconds: float) -> datetime:
    """Extend the worker's lease by ``lease_seconds`` from now; ``LeaseLost`` if it is gone."""
    expires_at = await work_repository.renew(deployment_id, worker_id, lease_seconds)
    if expires_at is None:
        raise await _lost(deployment_id)
    return expires_at


async def release(*, deployment_id: UUID, worker_id: str) -> bool:
    """Hand the deployment back unfinished (to retry later or elsewhere); False if not held."""
    return await work_repository.release(deployment_id, worker_id)


async def held(deployment_id: UUID, worker_id: str) -> tuple[Stack, Deployment]:
    """Lock the stack, then the deployment (the one lock order), if the worker's lease is
    live; else ``LeaseLost``. Two queries: every write of a worker starts with them."""
    stack = await work_repository.lock_stack_of(deployment_id)
    leased = None if stack is None else await work_repository.lock_leased(deployment_id, worker_id)
    if stack is None or leased is None:
        raise deployment_not_found(deployment_id)
    deployment, holds = leased
    if not holds:
        raise LeaseLost(deployment_id, deployment.status, deployment.lease_owner)
    return stack, deployment


async def take_back_expired(*, limit: int = 100) -> list[tuple[UUID, int]]:
    """Free the leases of workers that stopped renewing: (deployment id, attempts) of each."""
    return await work_repository.take_back_expired(limit)


async def touch_unclaimed(*, older_than_seconds: float, limit: int = 100) -> list[tuple[UUID, int]]:
    """Claimable deployments nobody touched for a while (a lost message, out of retries),
    marked as seen now: (deployment id, attempts) of each."""
    return await work_repository.touch_unclaimed(older_than_seconds, limit)


async def _claimed(deployment_id: UUID) -> ClaimedDeployment:
    pair = await work_repository.claimed_pair(deployment_id)
    if pair is None:
        raise deployment_not_found(deployment_id)
    return claimed(*pair)


async def _lost(deployment_id: UUID) -> LeaseLost:
    deployment = await repository.get_deployment(deployment_id)
    if deployment is None:
        return LeaseLost(deployment_id, None, None)
    return LeaseLost(deployment_id, deployment.status, deployment.lease_owner)
