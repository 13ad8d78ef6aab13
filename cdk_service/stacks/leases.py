"""Leases: one worker at a time runs a deployment, and a dead worker's lease runs out."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from cdk_service.db.models import Deployment, Stack
from cdk_service.stacks import repository, work_repository
from cdk_service.stacks.lifecycle import lock_pair
from cdk_service.stacks.policies import deployment_not_found
from cdk_service.stacks.work_schemas import ClaimedDeployment, LeaseLost, claimed


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
    """Lock the stack and deployment if the worker's lease is live; else ``LeaseLost``."""
    pair = await lock_pair(deployment_id)
    if pair is None:
        raise deployment_not_found(deployment_id)
    if not await work_repository.holds_lease(deployment_id, worker_id):
        raise await _lost(deployment_id)
    return pair


async def take_back_expired(*, limit: int = 100) -> list[tuple[UUID, int]]:
    """Free the leases of workers that stopped renewing: (deployment id, attempts) of each."""
    return await work_repository.take_back_expired(limit)


async def touch_unclaimed(*, older_than_seconds: float, limit: int = 100) -> list[tuple[UUID, int]]:
    """Claimable deployments nobody touched for a while (a lost message, out of retries),
    marked as seen now: (deployment id, attempts) of each."""
    return await work_repository.touch_unclaimed(older_than_seconds, limit)


async def _claimed(deployment_id: UUID) -> ClaimedDeployment:
    deployment = await repository.get_deployment(deployment_id)
    stack = None if deployment is None else await repository.get_stack(deployment.stack_id)
    if deployment is None or stack is None:
        raise deployment_not_found(deployment_id)
    return claimed(stack, deployment)


async def _lost(deployment_id: UUID) -> LeaseLost:
    deployment = await repository.get_deployment(deployment_id)
    if deployment is None:
        return LeaseLost(deployment_id, None, None)
    return LeaseLost(deployment_id, deployment.status, deployment.lease_owner)
