"""The deployment flow: claim a deployment, resume it from its recorded step, and finish it.

Every AWS step is safe to run again (the engine finds its change set, execution and deletion
again), so a worker resuming after another died repeats at most the step it was on.
"""

from __future__ import annotations

import asyncio
from uuid import UUID

import structlog

from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.db.models import DeploymentKind, DeploymentStatus
from cdk_service.deployments import previews, work
from cdk_service.deployments.work_schemas import attempts_exhausted
from cdk_service.jobs.drift_check import DriftCheckRun
from cdk_service.jobs.heartbeat import lease_kept
from cdk_service.jobs.steps import DeploymentRun
from cdk_service.settings import Settings
from cdk_service.stacks.schemas import DeploymentFailure
from cdk_service.synthesis.models import ANOTHER_RELEASE_MAY_SYNTH, Synthesizer
from cdk_service.teams.repository import get_target_account
from service_contract.aws_errors import TransientAwsError
from service_contract.errors import DatahubError
from service_contract.targets import Target

log = structlog.get_logger(__name__)


class RetryLater(Exception):
    """AWS failed transiently; the lease is released: run the same deployment again later."""


async def run_deployment(
    deployment_id: UUID,
    *,
    worker_id: str,
    engine: DeployEngine,
    synthesizer: Synthesizer,
    settings: Settings,
    poll_seconds: float | None = None,
) -> DeploymentStatus | None:
    """Carry a deployment to its end; None when it is not ours to run (held, final, lost).

    A transient AWS failure, or a synth refused because this worker's template code is not the
    version's (``code_digest_mismatch``) or its release lacks the version
    (``version_not_on_worker``), hands the deployment back (``RetryLater``) until it has had
    ``deployment_max_attempts`` runs; then it ends failed, ``attempts_exhausted``.
    """
    claimed = await work.claim(
        deployment_id=deployment_id,
        worker_id=worker_id,
        lease_seconds=settings.worker_lease_seconds,
    )
    if claimed is None:
        log.info("deployment_not_claimed", deployment_id=str(deployment_id))
        if (leftover := await previews.cancelled_leftover(deployment_id)) is not None:
            await discard_change_set(leftover, engine, settings)
        return None
    log.info("deployment_claimed", deployment_id=str(deployment_id), step=claimed.step.value)
    runs = DriftCheckRun if claimed.kind is DeploymentKind.DRIFT_CHECK else DeploymentRun
    run: DeploymentRun | None = None
    try:
        run = runs(
            claimed=claimed,
            target=await target_of(claimed.account, claimed.region, settings),
            worker_id=worker_id,
            engine=engine,
            synthesizer=synthesizer,
            poll_seconds=settings.worker_poll_seconds if poll_seconds is None else poll_seconds,
        )
        async with lease_kept(
            deployment_id=deployment_id,
            worker_id=worker_id,
            lease_seconds=settings.worker_lease_seconds,
        ):
            return await run.to_end()
    except work.LeaseLost as lost:
        log.info("lease_lost", deployment_id=str(deployment_id), status=lost.status)
        if lost.status is DeploymentStatus.CANCELLED:  # it may have just made a change set
            await discard_change_set(claimed, engine, settings)
        return None
    except DatahubError as error:
        # A synth refused for other template code or a version this release lacks (a rolling
        # deploy): another worker has it.
        if not isinstance(error, TransientAwsError) and error.code not in ANOTHER_RELEASE_MAY_SYNTH:
            failure = DeploymentFailure(code=error.code, message=error.message)
            return await _fail(deployment_id, worker_id, failure)
        reached = claimed if run is None else run.claimed
        return await _retry_or_give_up(reached, worker_id, error, settings.deployment_max_attempts)


async def _retry_or_give_up(
    reached: work.ClaimedDeployment, worker_id: str, error: DatahubError, max_attempts: int
) -> DeploymentStatus | None:
    """Hand the deployment back with the error shown and raise ``RetryLater``; on its last
    attempt, end it failed (``attempts_exhausted``) instead."""
    deployment_id = reached.deployment_id
    failure = DeploymentFailure(code=error.code, message=error.message, retryable=True)
    if reached.attempts >= max_attempts:
        executing = reached.status is DeploymentStatus.EXECUTING
        exhausted = attempts_exhausted(reached.attempts, failure.model_dump(), executing=executing)
        return await _fail(deployment_id, worker_id, exhausted)
    try:
        await work.hand_back(deployment_id=deployment_id, worker_id=worker_id, error=failure)
    except work.LeaseLost:
        log.info("lease_lost", deployment_id=str(deployment_id), retrying=failure.code)
    raise RetryLater(f"deployment {deployment_id}: {error.message}") from error


async def _fail(
    deployment_id: UUID, worker_id: str, failure: DeploymentFailure
) -> DeploymentStatus | None:
    """Finish the deployment failed with the error that stopped it (unless no longer ours)."""
    try:
        await work.finish(
            deployment_id=deployment_id,
            worker_id=worker_id,
            status=DeploymentStatus.FAILED,
            error=failure,
        )
    except work.LeaseLost:
        log.info("lease_lost", deployment_id=str(deployment_id), failed_with=failure.code)
        return None
    log.info("deployment_failed", deployment_id=str(deployment_id), code=failure.code)
    return DeploymentStatus.FAILED


async def discard_change_set(
    cancelled: work.ClaimedDeployment, engine: DeployEngine, settings: Settings
) -> None:
    """Delete what a cancelled deployment left in AWS (its change set, a review-only stack)."""
    deployment_id = str(cancelled.deployment_id)
    try:
        target = await target_of(cancelled.account, cancelled.region, settings)
        found = await asyncio.to_thread(
            engine.discard,
            target,
            cancelled.cloudformation_stack_id or cancelled.cloudformation_stack_name,
            deployment_id,
        )
    except DatahubError as error:  # not recorded as done: the next look tries again
        log.warning("change_set_discard_failed", deployment_id=deployment_id, code=error.code)
        return
    await previews.record_discarded(deployment_id=cancelled.deployment_id, found=found)
    log.info("change_set_discarded", deployment_id=deployment_id, found=found)


async def target_of(account: str, region: str, settings: Settings) -> Target:
    """The target for an account and region, through its deploy role when one is registered."""
    registered = await get_target_account(account, region)
    role = None if registered is None else registered.deploy_role_arn
    return Target(
        account=account,
        region=region,
        deploy_role_arn=role,
        endpoint_url=settings.aws_endpoint_url,  # moto locally, AWS in production
    )
