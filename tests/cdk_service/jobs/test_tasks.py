"""A real celery worker on Redis picks up an enqueued deployment and carries it out."""

from __future__ import annotations

from cdk_service.db.models import Deployment, DeploymentStatus, DeploymentStep
from cdk_service.jobs.tasks import retry_delay
from tests.aws import Aws
from tests.cdk_service.cloudformation import templates
from tests.cdk_service.jobs.processes import Workers, eventually
from tests.cdk_service.stacks.conftest import Requester
from tests.conftest import ANALYST


async def test_a_celery_worker_deploys_an_enqueued_deployment(
    requester: Requester, workers: Workers, aws: Aws
) -> None:
    accepted = await requester.stack(ANALYST)
    worker = workers.start()

    await workers.enqueue(accepted.deployment.id)

    async def succeeded() -> bool:
        assert worker.poll() is None, "the worker exited"
        deployment = await Deployment.get(id=accepted.deployment.id)
        return deployment.status is DeploymentStatus.SUCCEEDED

    await eventually(succeeded, what="the deployment succeeding")
    deployment = await Deployment.get(id=accepted.deployment.id)
    assert deployment.lease_owner is None
    assert templates.BUCKET in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]


async def test_a_worker_takes_other_deployments_while_cloudformation_changes_a_stack(
    requester: Requester, workers: Workers, aws: Aws
) -> None:
    slow = await requester.stack(ANALYST, name="slow")
    quick = await requester.stack(ANALYST, name="quick", params={"bucket_name": "quick-data"})
    worker = workers.start(  # one worker: each look at the slow stack is a task of its own
        DATAHUB_TEST_QUEUE_PER_STACK="1",
        DATAHUB_TEST_CHANGING_STACK=slow.stack.cloudformation_stack_name,
        DATAHUB_TEST_CHANGING_LOOKS="8",
        DATAHUB_WORKER_POLL_SECONDS="0.5",
    )

    await workers.enqueue(slow.deployment.id)

    async def changing() -> bool:
        return (await Deployment.get(id=slow.deployment.id)).step is DeploymentStep.POLLING

    await eventually(changing, what="the slow stack being handed off while it changes")
    await workers.enqueue(quick.deployment.id)

    async def both_final() -> bool:
        assert worker.poll() is None, "the worker exited"
        deployments = await Deployment.filter(id__in=[slow.deployment.id, quick.deployment.id])
        return all(deployment.active is None for deployment in deployments)

    await eventually(both_final, what="both deployments ending")
    slow_run = await Deployment.get(id=slow.deployment.id)
    quick_run = await Deployment.get(id=quick.deployment.id)
    assert (slow_run.status, quick_run.status) == (DeploymentStatus.SUCCEEDED,) * 2
    assert quick_run.finished_at < slow_run.finished_at  # not queued behind the slow one
    assert (slow_run.attempts, slow_run.lease_owner) == (1, None)  # eight looks, one attempt
    stacks = [s["StackName"] for s in aws("cloudformation").list_stacks()["StackSummaries"]]
    assert sorted(stacks) == sorted(
        [slow.stack.cloudformation_stack_name, quick.stack.cloudformation_stack_name]
    )


def test_retries_back_off_up_to_five_minutes() -> None:
    delays = [retry_delay(retries, first=5, longest=300) for retries in range(10)]

    assert 2.5 <= delays[0] <= 5
    assert all(150 <= delay <= 300 for delay in delays[7:])
