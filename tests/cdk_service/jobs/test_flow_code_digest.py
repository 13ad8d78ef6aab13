"""A synth refused for other template code (a rolling deploy) is retried, by another worker."""

from __future__ import annotations

from uuid import UUID

import pytest

from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.db.models import Deployment, DeploymentStatus, Stack, StackStatus
from cdk_service.jobs.flow import RetryLater
from cdk_service.settings import Settings
from cdk_service.synthesis.models import CODE_DIGEST_MISMATCH, SynthRequest, SynthResult
from service_contract.errors import Conflict
from tests.cdk_service.jobs.conftest import FakeSynthesizer
from tests.cdk_service.jobs.test_flow import run
from tests.cdk_service.stacks.conftest import Requester
from tests.conftest import ANALYST


class OtherRelease(FakeSynthesizer):
    """A worker whose template code is not the code the deployment's version records."""

    async def synth(self, request: SynthRequest) -> SynthResult:
        self.requests.append(request)
        raise Conflict(
            f"this synth worker has code {'f' * 12} for {request.template} {request.version}, "
            f"not the code {request.code_digest[:12]} the request was made for",
            code=CODE_DIGEST_MISMATCH,
        )


async def handed_back(deployment_id: UUID, code: str) -> Deployment:
    """The deployment, checked to be free for another worker, the refusal ``code`` shown."""
    deployment = await Deployment.get(id=deployment_id)
    assert deployment.lease_owner is None and deployment.status is not DeploymentStatus.FAILED
    assert deployment.error is not None  # shown while it waits for another worker
    assert (deployment.error["code"], deployment.error["retryable"]) == (code, True)
    return deployment


async def test_a_worker_on_other_code_hands_the_deployment_back_for_one_that_has_it(
    requester: Requester,
    engine: DeployEngine,
    synthesizer: FakeSynthesizer,
    settings: Settings,
) -> None:
    accepted = await requester.stack(ANALYST)

    with pytest.raises(RetryLater):
        await run(accepted.deployment.id, engine, OtherRelease(), settings, "old-worker")

    deployment = await handed_back(accepted.deployment.id, CODE_DIGEST_MISMATCH)
    status = await run(accepted.deployment.id, engine, synthesizer, settings, "new-worker")
    assert status is DeploymentStatus.SUCCEEDED
    (request,) = synthesizer.requests
    assert request.code_digest == (await deployment.template_version).code_digest


async def test_when_no_worker_has_the_code_the_deployment_ends_failed_saying_so(
    requester: Requester, engine: DeployEngine, settings: Settings
) -> None:
    accepted = await requester.stack(ANALYST)
    capped = settings.model_copy(update={"deployment_max_attempts": 2})
    with pytest.raises(RetryLater):
        await run(accepted.deployment.id, engine, OtherRelease(), capped, "worker-1")

    status = await run(accepted.deployment.id, engine, OtherRelease(), capped, "worker-2")

    deployment = await Deployment.get(id=accepted.deployment.id)
    assert (status, deployment.attempts) == (DeploymentStatus.FAILED, 2)
    assert deployment.error is not None and deployment.error["code"] == "attempts_exhausted"
    assert CODE_DIGEST_MISMATCH in deployment.error["message"]
    assert "the request was made for" in deployment.error["message"]
    assert (await Stack.get(id=accepted.stack.id)).status is StackStatus.FAILED
