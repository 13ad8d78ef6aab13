"""A real celery worker on Redis picks up an enqueued deployment and carries it out."""

from __future__ import annotations

from cdk_service.db.models import Deployment, DeploymentStatus
from cdk_service.worker.tasks import retry_delay
from tests.aws import Aws
from tests.cdk_service.deployment import templates
from tests.cdk_service.stacks.conftest import Requester
from tests.cdk_service.worker.processes import Workers, eventually
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


def test_retries_back_off_up_to_five_minutes() -> None:
    delays = [retry_delay(retries, first=5, longest=300) for retries in range(10)]

    assert 2.5 <= delays[0] <= 5
    assert all(150 <= delay <= 300 for delay in delays[7:])
