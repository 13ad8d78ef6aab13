"""A synth worker of an older release, without the deployment's template version, hands the
deployment back for a worker of the release that has it (a rolling deploy)."""

from __future__ import annotations

import pytest

from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.db.models import Deployment, DeploymentStatus, Stack, StackStatus
from cdk_service.jobs.flow import RetryLater
from cdk_service.settings import Settings
from cdk_service.synthesis.models import VERSION_NOT_ON_WORKER, SynthRequest, SynthResult
from cdk_service.synthesis.synthesizer import find_template
from stack_catalog.registry import Registry
from tests.cdk_service.jobs.conftest import FakeSynthesizer
from tests.cdk_service.jobs.test_flow import run
from tests.cdk_service.jobs.test_flow_code_digest import handed_back
from tests.cdk_service.stacks.conftest import Requester
from tests.conftest import ANALYST, code_templates


class OlderRelease(FakeSynthesizer):
    """A worker of a release without ``missing`` (one version, or a whole template by its name):
    it answers as the real synthesizer does for a version its code lacks."""

    def __init__(self, missing: tuple[str, str | None]) -> None:
        super().__init__()
        name, version = missing
        lacks = (lambda t: t.name == name) if version is None else (lambda t: t.key == missing)
        self.registry = Registry(t for t in code_templates() if not lacks(t))

    async def synth(self, request: SynthRequest) -> SynthResult:
        self.requests.append(request)
        find_template(self.registry, request.template, request.version)
        raise AssertionError(f"the older release has {request.template} {request.version}")


@pytest.mark.parametrize(
    ("order", "missing"),
    [
        ({"version": "1.1.0"}, ("bucket", "1.1.0")),
        (
            {"template": "queue", "version": "0.1.0", "params": {"queue_name": "events"}},
            ("queue", None),
        ),
    ],
    ids=["version", "template"],
)
async def test_a_worker_without_the_version_hands_the_deployment_back_for_one_that_has_it(
    requester: Requester,
    engine: DeployEngine,
    synthesizer: FakeSynthesizer,
    settings: Settings,
    order: dict[str, object],
    missing: tuple[str, str | None],
) -> None:
    accepted = await requester.stack(ANALYST, **order)

    with pytest.raises(RetryLater):
        await run(accepted.deployment.id, engine, OlderRelease(missing), settings, "old-worker")

    deployment = await handed_back(accepted.deployment.id, VERSION_NOT_ON_WORKER)
    assert deployment.error is not None and missing[0] in deployment.error["message"]
    assert "though the catalog has it" in deployment.error["message"]
    status = await run(accepted.deployment.id, engine, synthesizer, settings, "new-worker")
    assert status is DeploymentStatus.SUCCEEDED
    (request,) = synthesizer.requests
    assert (request.template, request.version) == (
        order.get("template", "bucket"),
        order["version"],
    )


async def test_when_no_worker_has_the_version_the_deployment_ends_failed_saying_so(
    requester: Requester, engine: DeployEngine, settings: Settings
) -> None:
    accepted = await requester.stack(ANALYST, version="1.1.0")
    capped = settings.model_copy(update={"deployment_max_attempts": 2})
    older = OlderRelease(("bucket", "1.1.0"))
    with pytest.raises(RetryLater):
        await run(accepted.deployment.id, engine, older, capped, "worker-1")

    status = await run(accepted.deployment.id, engine, older, capped, "worker-2")

    deployment = await Deployment.get(id=accepted.deployment.id)
    assert (status, deployment.attempts) == (DeploymentStatus.FAILED, 2)
    assert deployment.error is not None and deployment.error["code"] == "attempts_exhausted"
    assert VERSION_NOT_ON_WORKER in deployment.error["message"]
    assert "bucket has no version 1.1.0 on this synth worker" in deployment.error["message"]
    assert (await Stack.get(id=accepted.stack.id)).status is StackStatus.FAILED
