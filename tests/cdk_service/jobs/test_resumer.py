"""The resumer's sweep on PostgreSQL: what it queues again, once, and what it gives up."""

from __future__ import annotations

from cdk_service.db.audit import SYSTEM_ACTOR, audit_entries
from cdk_service.db.models import DeploymentStatus, DeploymentStep, StackStatus
from cdk_service.deployments import work
from cdk_service.jobs.resumer import resume_abandoned
from cdk_service.stacks import service
from cdk_service.stacks.schemas import DeploymentFailure
from tests.cdk_service.stacks.conftest import (
    RecordingDispatcher,
    Requester,
    claim_to,
    run_to_end,
)
from tests.conftest import ANALYST

HOUR = 3600.0


async def sweep(dispatcher: RecordingDispatcher, *, unclaimed_after: float = HOUR, cap: int = 5):
    return await resume_abandoned(
        dispatcher=dispatcher, max_attempts=cap, unclaimed_after_seconds=unclaimed_after
    )


async def test_a_lease_that_ran_out_is_taken_back_and_queued_once(
    requester: Requester, dispatcher: RecordingDispatcher
) -> None:
    dead = (await requester.stack(ANALYST, name="dead")).deployment.id
    alive = (await requester.stack(ANALYST, name="alive")).deployment.id
    await work.claim(deployment_id=dead, worker_id="w-dead", lease_seconds=0)
    await work.claim(deployment_id=alive, worker_id="w-alive", lease_seconds=60)
    dispatcher.enqueued.clear()

    first = await sweep(dispatcher)
    again = await sweep(dispatcher)

    assert (first.queued, again.queued, dispatcher.enqueued) == ([dead], [], [dead])
    # The dead worker's lease is gone: it can no longer write, another may claim at once.
    assert await work.release(deployment_id=dead, worker_id="w-dead") is False
    assert await work.claim(deployment_id=dead, worker_id="w-2", lease_seconds=60) is not None


async def test_a_deployment_nobody_claimed_for_a_while_is_queued_again_once_a_period(
    requester: Requester, dispatcher: RecordingDispatcher
) -> None:
    lost = (await requester.stack(ANALYST, name="lost")).deployment.id
    done = (await requester.stack(ANALYST, name="done")).deployment.id
    await run_to_end(done)
    dispatcher.enqueued.clear()

    assert (await sweep(dispatcher, unclaimed_after=HOUR)).queued == []
    assert (await sweep(dispatcher, unclaimed_after=0)).queued == [lost]
    # Queued again just now: not again before another period has passed.
    assert (await sweep(dispatcher, unclaimed_after=60)).queued == []
    assert dispatcher.enqueued == [lost]


async def test_a_deployment_handed_off_whose_look_never_came_is_queued_again(
    requester: Requester, dispatcher: RecordingDispatcher
) -> None:
    deployment_id = (await requester.stack(ANALYST)).deployment.id
    await claim_to(deployment_id, DeploymentStatus.EXECUTING, DeploymentStep.EXECUTING)
    await work.hand_off(
        deployment_id=deployment_id, worker_id="worker-1", step=DeploymentStep.POLLING
    )
    dispatcher.enqueued.clear()  # the look queued for later was lost

    assert (await sweep(dispatcher)).queued == []  # not before the period
    swept = await sweep(dispatcher, unclaimed_after=0)

    assert swept.queued == [deployment_id] and dispatcher.enqueued == [deployment_id]
    claimed = await work.claim(deployment_id=deployment_id, worker_id="w2", lease_seconds=60)
    assert claimed is not None and (claimed.step, claimed.attempts) == (DeploymentStep.POLLING, 1)


async def test_a_deployment_handed_back_for_a_retry_that_never_came_is_queued_again(
    requester: Requester, dispatcher: RecordingDispatcher
) -> None:
    deployment_id = (await requester.stack(ANALYST)).deployment.id
    await claim_to(deployment_id, DeploymentStatus.PREVIEWING, DeploymentStep.SYNTHESIZED)
    throttled = DeploymentFailure(code="aws_transient", message="Throttling", retryable=True)
    await work.hand_back(deployment_id=deployment_id, worker_id="worker-1", error=throttled)
    dispatcher.enqueued.clear()  # celery ran out of retries: no message will come

    swept = await sweep(dispatcher, unclaimed_after=0)

    assert swept.queued == [deployment_id] and dispatcher.enqueued == [deployment_id]
    claimed = await work.claim(deployment_id=deployment_id, worker_id="w2", lease_seconds=60)
    assert claimed is not None and claimed.step is DeploymentStep.SYNTHESIZED


async def test_a_deployment_out_of_attempts_ends_failed_saying_why(
    requester: Requester, dispatcher: RecordingDispatcher
) -> None:
    accepted = await requester.stack(ANALYST)
    deployment_id = accepted.deployment.id
    for attempt in range(3):  # three workers, each killed before it renewed its lease
        await work.claim(deployment_id=deployment_id, worker_id=f"w{attempt}", lease_seconds=0)
    dispatcher.enqueued.clear()

    swept = await sweep(dispatcher, cap=3)

    assert (swept.queued, swept.given_up, dispatcher.enqueued) == ([], [deployment_id], [])
    failed = await service.get_deployment(identity=ANALYST, deployment_id=deployment_id)
    assert (failed.status, failed.attempts) == (DeploymentStatus.FAILED, 3)
    assert failed.error is not None and failed.error.code == "attempts_exhausted"
    assert failed.error.retryable
    assert "gave up after 3 attempts" in failed.error.message
    assert "stopped before it finished" in failed.error.message
    stack = await service.get_stack(identity=ANALYST, stack_id=accepted.stack.id)
    assert (stack.status, stack.active_deployment_id) == (StackStatus.FAILED, None)
    entries = await audit_entries(target_kind="stack", target_id=str(accepted.stack.id))
    assert (entries[-1].actor, entries[-1].action) == (SYSTEM_ACTOR, "deployment.failed")
    assert (await sweep(dispatcher, unclaimed_after=0)).given_up == []


async def test_a_deployment_whose_message_could_not_be_sent_is_queued_by_the_next_sweep(
    requester: Requester, dispatcher: RecordingDispatcher
) -> None:
    dispatcher.fail_with = ConnectionRefusedError(111, "the broker is restarting")
    unsent = (await requester.stack(ANALYST, name="unsent")).deployment.id  # still accepted
    dispatcher.fail_with = None

    # Not left for the sweep of deployments untouched for a while (an hour here).
    assert (await sweep(dispatcher, unclaimed_after=HOUR)).queued == [unsent]
    assert (await sweep(dispatcher, unclaimed_after=HOUR)).queued == []
    assert dispatcher.enqueued == [unsent]


async def test_a_sweep_that_cannot_send_leaves_the_deployment_to_the_next_one(
    requester: Requester, dispatcher: RecordingDispatcher
) -> None:
    lost = (await requester.stack(ANALYST, name="lost")).deployment.id
    dispatcher.enqueued.clear()
    dispatcher.fail_with = ConnectionRefusedError(111, "the broker is restarting")

    assert (await sweep(dispatcher, unclaimed_after=0)).queued == [lost]  # tried, not sent
    dispatcher.fail_with = None

    assert (await sweep(dispatcher, unclaimed_after=HOUR)).queued == [lost]
    assert dispatcher.enqueued == [lost]


async def test_a_worker_takes_back_its_own_lease_after_its_run_stopped(
    requester: Requester,
) -> None:
    queued = (await requester.stack(ANALYST)).deployment.id
    first = await work.claim(deployment_id=queued, worker_id="w1", lease_seconds=60)
    # Its run stopped on a lost database connection, the lease still held: it carries on
    # at once, counting an attempt; another worker still cannot take it.
    assert await work.claim(deployment_id=queued, worker_id="w2", lease_seconds=60) is None
    again = await work.claim(deployment_id=queued, worker_id="w1", lease_seconds=60)

    assert first is not None and again is not None
    assert (first.attempts, again.attempts) == (1, 2)
