"""Drift checks: requested on an active stack, run by the worker, recorded on the stack."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.models import DriftReport, PropertyDrift, ResourceDrift
from cdk_service.db.models import (
    Deployment,
    DeploymentKind,
    DeploymentStatus,
    DeploymentStep,
    DriftStatus,
    StackStatus,
)
from cdk_service.jobs.flow import run_deployment
from cdk_service.settings import Settings
from cdk_service.stacks import changes, service
from cdk_service.stacks.schemas import DeploymentAccepted
from service_contract.errors import Conflict
from tests.cdk_service.jobs.fakes import FakeSynthesizer, WorkerDied
from tests.cdk_service.stacks.conftest import RecordingDispatcher, Requester
from tests.conftest import ANALYST


async def drift_check(dispatcher: RecordingDispatcher, stack_id: UUID) -> DeploymentAccepted:
    return await changes.request_drift_check(
        dispatcher=dispatcher, identity=ANALYST, stack_id=stack_id
    )


@pytest.fixture
async def deployed(
    requester: Requester, engine: DeployEngine, synthesizer: FakeSynthesizer, settings: Settings
) -> UUID:
    """A stack deployed on moto by the worker."""
    accepted = await requester.stack(ANALYST)
    status = await run_deployment(
        accepted.deployment.id,
        worker_id="w1",
        engine=engine,
        synthesizer=synthesizer,
        settings=settings,
        poll_seconds=0.05,
    )
    assert status is DeploymentStatus.SUCCEEDED
    return accepted.stack.id


async def run(deployment_id: UUID, engine: DeployEngine, settings: Settings, worker: str) -> Any:
    return await run_deployment(
        deployment_id,
        worker_id=worker,
        engine=engine,
        synthesizer=FakeSynthesizer(),
        settings=settings,
        poll_seconds=0.05,
    )


async def test_on_moto_the_drift_status_is_unknown_with_the_reason(
    deployed: UUID, dispatcher: RecordingDispatcher, engine: DeployEngine, settings: Settings
) -> None:
    # moto 5.2 does not implement DetectStackDrift (it answers an HTML 500): the check ends
    # with an unknown status and says why, instead of failing or pretending the stack is in sync.
    check = await drift_check(dispatcher, deployed)
    assert dispatcher.enqueued[-1] == check.deployment.id

    status = await run(check.deployment.id, engine, settings, "w1")

    assert status is DeploymentStatus.SUCCEEDED
    stack = await service.get_stack(identity=ANALYST, stack_id=deployed)
    assert (stack.status, stack.drift_status) == (StackStatus.ACTIVE, DriftStatus.UNKNOWN)
    assert stack.drift_checked_at is not None
    done = await service.get_deployment(identity=ANALYST, deployment_id=check.deployment.id)
    assert done.kind is DeploymentKind.DRIFT_CHECK and done.result is not None
    assert done.result["drift_status"] == "unknown"
    assert "cannot detect drift" in done.result["reason"]


class DriftingCloudFormation:
    """What AWS answers once a queue's timeout was changed by hand; counts detections."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.die_once = True

    def start_drift_detection(self, target: Any, stack: str) -> str:
        self.started.append(stack)
        return f"detection-{len(self.started)}"

    def drift_result(self, target: Any, stack: str, detection_id: str) -> DriftReport:
        if self.die_once:
            self.die_once = False
            raise WorkerDied
        difference = PropertyDrift(
            path="/VisibilityTimeout", expected="30", actual="600", difference="NOT_EQUAL"
        )
        queue = ResourceDrift(
            logical_id="Ingest",
            resource_type="AWS::SQS::Queue",
            drift_status="MODIFIED",
            differences=[difference],
        )
        return DriftReport(
            stack_name=stack,
            detection_id=detection_id,
            stack_drift_status="DRIFTED",
            drifted=[queue],
        )


async def test_a_resumed_check_reads_the_detection_already_started_and_records_the_drift(
    deployed: UUID,
    dispatcher: RecordingDispatcher,
    engine: DeployEngine,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    aws = DriftingCloudFormation()
    monkeypatch.setattr(engine, "start_drift_detection", aws.start_drift_detection)
    monkeypatch.setattr(engine, "drift_result", aws.drift_result)
    check = (await drift_check(dispatcher, deployed)).deployment.id
    with pytest.raises(WorkerDied):
        await run(check, engine, settings, "w-dead")
    recorded = await Deployment.get(id=check)
    assert recorded.step is DeploymentStep.DRIFT_DETECTING
    await Deployment.filter(id=check).update(lease_expires_at=None, lease_owner=None)

    status = await run(check, engine, settings, "w2")

    assert status is DeploymentStatus.SUCCEEDED and len(aws.started) == 1
    stack = await service.get_stack(identity=ANALYST, stack_id=deployed)
    assert stack.drift_status is DriftStatus.DRIFTED
    done = await service.get_deployment(identity=ANALYST, deployment_id=check)
    assert done.result is not None
    assert [r["logical_id"] for r in done.result["drifted"]] == ["Ingest"]
    assert done.result["drifted"][0]["differences"][0]["actual"] == "600"


async def test_a_drift_check_waits_for_the_stack_to_be_active(
    requester: Requester, dispatcher: RecordingDispatcher
) -> None:
    accepted = await requester.stack(ANALYST)

    with pytest.raises(Conflict) as refused:
        await drift_check(dispatcher, accepted.stack.id)

    assert refused.value.code == "deployment_in_progress"
