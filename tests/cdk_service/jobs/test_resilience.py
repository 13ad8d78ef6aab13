"""Real celery workers and the scheduler on Redis, PostgreSQL and moto's server: deployments
survive a worker killed with SIGKILL, a lost message, and AWS going away.

Templates come from a fake synthesizer (see conftest): the built-in ones need jsii.
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable, Iterator
from uuid import UUID

import pytest
import redis
from moto.server import ThreadedMotoServer
from tortoise import timezone

from cdk_service.db.models import Deployment, DeploymentStatus, DeploymentStep, Stack, StackStatus
from cdk_service.deployments.expiry import EXPIRY
from cdk_service.stacks import service
from tests.aws import Aws
from tests.cdk_service.cloudformation import templates
from tests.cdk_service.jobs.processes import REDIS_URL, Workers, eventually
from tests.cdk_service.stacks.conftest import Requester
from tests.conftest import ANALYST


async def deployment(deployment_id: UUID) -> Deployment:
    return await Deployment.get(id=deployment_id)


def stacks_in(aws: Aws) -> list[str]:
    """Stacks moto has, deleted ones included: one per stack ever created."""
    return [s["StackName"] for s in aws("cloudformation").list_stacks()["StackSummaries"]]


async def finished(deployment_id: UUID) -> bool:
    return (await deployment(deployment_id)).active is None


async def executing_recorded(deployment_id: UUID, aws: Aws) -> bool:
    """The change set made and recorded with executing (not executed yet: the worker pauses)."""
    return (await deployment(deployment_id)).step is DeploymentStep.EXECUTING


async def executed(deployment_id: UUID, aws: Aws) -> bool:
    """The change set executed and the stack complete, the end not recorded (the worker pauses
    before it)."""
    stack = await Stack.get(id=(await deployment(deployment_id)).stack_id)
    summaries = aws("cloudformation").list_stacks()["StackSummaries"]
    complete = [s for s in summaries if s["StackStatus"] == "CREATE_COMPLETE"]
    return [s["StackName"] for s in complete] == [stack.cloudformation_stack_name]


@pytest.mark.parametrize(
    ("pause", "reached"),
    [
        ({"DATAHUB_TEST_PAUSE_AFTER_STEP": DeploymentStep.EXECUTING.value}, executing_recorded),
        ({"DATAHUB_TEST_PAUSE_BEFORE_FINISH": "1"}, executed),
    ],
    ids=["executing-recorded", "executed"],
)
async def test_a_worker_killed_mid_deployment_is_resumed_by_another_through_the_scheduler(
    requester: Requester,
    workers: Workers,
    aws: Aws,
    pause: dict[str, str],
    reached: Callable[[UUID, Aws], Awaitable[bool]],
) -> None:
    accepted = await requester.stack(ANALYST)
    deployment_id = accepted.deployment.id
    doomed = workers.start(**pause)
    await workers.enqueue(deployment_id)

    async def paused() -> bool:
        assert doomed.poll() is None, "the first worker exited"
        return await reached(deployment_id, aws)

    await eventually(paused, what=f"the first worker pausing ({reached.__name__})")
    doomed.kill()  # SIGKILL: no clean-up, the task unacknowledged, the lease left to expire
    doomed.wait()
    # Redis hands an unacknowledged message back only after an hour: the scheduler resumes it.
    workers.start(beat=True)

    await eventually(lambda: finished(deployment_id), what="the resumed deployment finishing")
    after = await deployment(deployment_id)
    assert after.status is DeploymentStatus.SUCCEEDED, after.error
    assert (after.attempts, after.lease_owner) == (2, None)
    stack = await Stack.get(id=accepted.stack.id)
    assert stack.status is StackStatus.ACTIVE
    assert stacks_in(aws) == [stack.cloudformation_stack_name]
    assert templates.BUCKET in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]


async def test_a_queued_deployment_whose_message_was_lost_is_queued_again(
    requester: Requester, workers: Workers, aws: Aws
) -> None:
    accepted = await requester.stack(ANALYST)  # recorded, but never sent to the broker

    workers.start(beat=True)

    await eventually(lambda: finished(accepted.deployment.id), what="the deployment finishing")
    after = await deployment(accepted.deployment.id)
    assert (after.status, after.attempts) == (DeploymentStatus.SUCCEEDED, 1)
    assert stacks_in(aws) == [accepted.stack.cloudformation_stack_name]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class StoppableMoto:
    """A moto server of the test's own on a fixed port, to stop and start again.

    moto keeps its accounts in this process, so a restarted server has what the first made.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: ThreadedMotoServer | None = None

    def start(self) -> None:
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


@pytest.fixture
def stoppable_moto(moto_url: str) -> Iterator[StoppableMoto]:
    moto = StoppableMoto()
    moto.start()
    try:
        yield moto
    finally:
        moto.stop()


async def test_aws_gone_mid_deployment_shows_a_retryable_error_then_succeeds_when_it_is_back(
    requester: Requester, workers: Workers, stoppable_moto: StoppableMoto
) -> None:
    accepted = await requester.stack(ANALYST)
    deployment_id = accepted.deployment.id
    workers.start(
        DATAHUB_AWS_ENDPOINT_URL=stoppable_moto.url,
        DATAHUB_TEST_PAUSE_AFTER_STEP=DeploymentStep.EXECUTING.value,
        DATAHUB_TEST_PAUSE_SECONDS="3",  # time to stop moto
        DATAHUB_DEPLOYMENT_MAX_ATTEMPTS="1000",
    )
    await workers.enqueue(deployment_id)
    step_reached = DeploymentStep.EXECUTING  # with the change set made, not executed yet
    await eventually(
        lambda: _at_step(deployment_id, step_reached), what="the change set being created"
    )

    stoppable_moto.stop()

    async def waiting_to_retry() -> bool:
        seen = await service.get_deployment(identity=ANALYST, deployment_id=deployment_id)
        return seen.error is not None

    await eventually(waiting_to_retry, what="the deployment showing the AWS failure")
    seen = await service.get_deployment(identity=ANALYST, deployment_id=deployment_id)
    assert seen.status is DeploymentStatus.EXECUTING
    assert seen.error is not None and seen.error.retryable
    assert seen.error.code == "aws_transient"
    assert "could not reach AWS" in seen.error.message

    stoppable_moto.start()

    await eventually(lambda: finished(deployment_id), what="the deployment finishing")
    after = await service.get_deployment(identity=ANALYST, deployment_id=deployment_id)
    assert (after.status, after.error) == (DeploymentStatus.SUCCEEDED, None)
    assert after.attempts > 1
    aws = Aws(stoppable_moto.url)
    assert stacks_in(aws) == [accepted.stack.cloudformation_stack_name]


async def _at_step(deployment_id: UUID, step: DeploymentStep) -> bool:
    return (await deployment(deployment_id)).step is step


async def test_a_deployment_out_of_attempts_ends_failed_and_says_why(
    requester: Requester, workers: Workers, stoppable_moto: StoppableMoto
) -> None:
    accepted = await requester.stack(ANALYST)
    stoppable_moto.stop()
    workers.start(DATAHUB_AWS_ENDPOINT_URL=stoppable_moto.url, DATAHUB_DEPLOYMENT_MAX_ATTEMPTS="3")

    await workers.enqueue(accepted.deployment.id)

    await eventually(lambda: finished(accepted.deployment.id), what="the deployment ending")
    after = await service.get_deployment(identity=ANALYST, deployment_id=accepted.deployment.id)
    assert (after.status, after.attempts) == (DeploymentStatus.FAILED, 3)
    assert after.error is not None and after.error.code == "attempts_exhausted"
    assert after.error.retryable
    assert after.error.message.startswith("gave up after 3 attempts")
    assert "could not reach AWS" in after.error.message
    stack = await service.get_stack(identity=ANALYST, stack_id=accepted.stack.id)
    assert stack.status is StackStatus.FAILED


async def test_the_scheduler_warns_the_owners_of_an_expired_stack_then_destroys_it(
    requester: Requester, workers: Workers, aws: Aws
) -> None:
    accepted = await requester.stack(ANALYST)
    workers.start(
        beat=True, DATAHUB_EXPIRY_INTERVAL_SECONDS="0.5", DATAHUB_EXPIRY_WARNING_SECONDS="0"
    )
    await workers.enqueue(accepted.deployment.id)
    await eventually(lambda: finished(accepted.deployment.id), what="the stack being deployed")
    assert templates.BUCKET in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]

    await Stack.filter(id=accepted.stack.id).update(expires_at=timezone.now())

    async def destroyed() -> bool:
        return (await Stack.get(id=accepted.stack.id)).status is StackStatus.DESTROYED

    await eventually(destroyed, what="the expired stack being destroyed")
    stack = await Stack.get(id=accepted.stack.id)
    destroy = await Deployment.filter(stack_id=stack.id).order_by("-created_at").first()
    assert destroy is not None and destroy.requester == EXPIRY.user
    assert stack.expiry_warned_at is not None and stack.expiry_warned_at < destroy.created_at
    assert templates.BUCKET not in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]


async def test_a_deployment_queued_three_times_to_two_workers_runs_once(
    requester: Requester, workers: Workers, aws: Aws
) -> None:
    accepted = await requester.stack(ANALYST)
    workers.start()
    workers.start()

    for _ in range(3):  # a retried publish, a resumer's sweep: the same id again
        await workers.enqueue(accepted.deployment.id)

    await eventually(lambda: finished(accepted.deployment.id), what="the deployment finishing")
    broker = redis.Redis.from_url(REDIS_URL)

    async def all_taken() -> bool:
        return int(broker.llen(workers.queue)) == 0

    await eventually(all_taken, what="the workers taking the three messages")
    broker.close()
    after = await deployment(accepted.deployment.id)
    assert (after.status, after.attempts) == (DeploymentStatus.SUCCEEDED, 1)
    assert stacks_in(aws) == [accepted.stack.cloudformation_stack_name]
