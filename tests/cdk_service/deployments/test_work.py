"""What workers call: leases (one holder, takeover on expiry), steps, events, finishing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import BaseModel

from cdk_service.db.audit import audit_entries
from cdk_service.db.models import (
    Deployment,
    DeploymentKind,
    DeploymentStatus,
    DeploymentStep,
    DriftStatus,
    StackStatus,
)
from cdk_service.deployments import work
from cdk_service.deployments.work_schemas import LeaseLost
from cdk_service.stacks import service
from cdk_service.stacks.schemas import DeploymentFailure
from service_contract.errors import Conflict
from tests.cdk_service.stacks.conftest import run_to_end, unchecked_deployment


class Event(BaseModel):
    """Shaped like the deploy engine's stack events."""

    event_id: str
    timestamp: datetime
    logical_id: str
    physical_id: str | None = None
    resource_type: str = "AWS::S3::Bucket"
    status: str = "CREATE_IN_PROGRESS"
    reason: str | None = None


def events(*ids: str) -> list[Event]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        Event(event_id=i, timestamp=start + timedelta(seconds=n), logical_id=f"R{i}")
        for n, i in enumerate(ids)
    ]


@pytest.fixture
async def queued(requester, analyst):
    return (await requester.stack(analyst)).deployment.id


async def test_of_two_workers_claiming_at_once_only_one_wins(queued) -> None:
    results = await asyncio.gather(
        *(work.claim(deployment_id=queued, worker_id=f"w{n}", lease_seconds=60) for n in range(2))
    )

    [won] = [result for result in results if result is not None]
    assert won.attempts == 1 and won.lease_owner in {"w0", "w1"}
    assert won.template == "bucket" and won.cloudformation_stack_name == "analytics-sandbox"
    # Taken on from its request: previewing (synth and change set) from now on.
    assert won.step is DeploymentStep.REQUESTED and won.status is DeploymentStatus.PREVIEWING


async def test_a_claim_makes_previewing_only_a_deploy_taken_on_from_its_request(
    requester, analyst
) -> None:
    created = await requester.stack(analyst)
    await run_to_end(created.deployment.id)
    destroy = (await requester.destroy(analyst, created.stack.id)).deployment.id

    claimed = await work.claim(deployment_id=destroy, worker_id="w1", lease_seconds=60)

    assert claimed is not None and claimed.status is DeploymentStatus.QUEUED


async def test_an_expired_lease_is_taken_over_and_the_old_worker_cannot_write(queued) -> None:
    first = await work.claim(deployment_id=queued, worker_id="w1", lease_seconds=0)
    assert first is not None

    second = await work.claim(deployment_id=queued, worker_id="w2", lease_seconds=60)
    assert second is not None and second.attempts == 2 and second.lease_owner == "w2"

    with pytest.raises(LeaseLost) as raised:
        await work.record_step(
            deployment_id=queued, worker_id="w1", step=DeploymentStep.SYNTHESIZED
        )
    assert raised.value.details["lease_owner"] == "w2"
    with pytest.raises(LeaseLost):
        await work.renew(deployment_id=queued, worker_id="w1", lease_seconds=60)
    with pytest.raises(LeaseLost):
        await work.record_events(deployment_id=queued, worker_id="w1", events=events("e1"))
    with pytest.raises(LeaseLost):
        await work.finish(deployment_id=queued, worker_id="w1", status=DeploymentStatus.SUCCEEDED)


async def test_a_live_lease_is_not_taken(queued) -> None:
    await work.claim(deployment_id=queued, worker_id="w1", lease_seconds=60)
    assert await work.claim(deployment_id=queued, worker_id="w2", lease_seconds=60) is None


async def test_a_lapsed_lease_must_be_renewed_before_writing(queued) -> None:
    await work.claim(deployment_id=queued, worker_id="w1", lease_seconds=0)
    with pytest.raises(LeaseLost):
        await work.record_step(
            deployment_id=queued, worker_id="w1", step=DeploymentStep.SYNTHESIZED
        )

    expires_at = await work.renew(deployment_id=queued, worker_id="w1", lease_seconds=60)

    assert expires_at > datetime.now(UTC)
    await work.record_step(deployment_id=queued, worker_id="w1", step=DeploymentStep.SYNTHESIZED)


async def test_steps_record_progress_for_a_worker_that_resumes(queued) -> None:
    await work.claim(deployment_id=queued, worker_id="w1", lease_seconds=60)
    await work.record_step(
        deployment_id=queued,
        worker_id="w1",
        step=DeploymentStep.SYNTHESIZED,
        status=DeploymentStatus.PREVIEWING,
        template_digest="d" * 64,
    )
    await work.record_step(
        deployment_id=queued,
        worker_id="w1",
        step=DeploymentStep.CHANGE_SET_CREATED,
        preview={"changes": []},
        checkpoint={"change_set_id": "cs-1"},
        cloudformation_stack_id="arn:aws:cloudformation:us-east-1:000000000000:stack/a/1",
    )
    assert await work.release(deployment_id=queued, worker_id="w1")

    resumed = await work.claim(deployment_id=queued, worker_id="w2", lease_seconds=60)

    assert resumed is not None and resumed.step is DeploymentStep.CHANGE_SET_CREATED
    assert resumed.status is DeploymentStatus.PREVIEWING and resumed.template_digest == "d" * 64
    assert resumed.checkpoint == {"change_set_id": "cs-1"}
    assert resumed.cloudformation_stack_id.endswith("stack/a/1")


async def test_a_hand_off_frees_the_lease_and_the_look_that_follows_counts_no_attempt(
    queued,
) -> None:
    await work.claim(deployment_id=queued, worker_id="w1", lease_seconds=60)
    await work.record_step(
        deployment_id=queued,
        worker_id="w1",
        step=DeploymentStep.EXECUTING,
        status=DeploymentStatus.EXECUTING,
    )

    await work.hand_off(
        deployment_id=queued,
        worker_id="w1",
        step=DeploymentStep.POLLING,
        checkpoint={"execution": "executed"},
        events=events("a"),
    )

    looked = await work.claim(deployment_id=queued, worker_id="w2", lease_seconds=0)
    assert looked is not None and (looked.attempts, looked.step) == (1, DeploymentStep.POLLING)
    assert looked.checkpoint == {"execution": "executed"}
    assert await work.last_event_id(deployment_id=queued) == "a"
    with pytest.raises(LeaseLost):  # handed off: the first worker writes no more
        await work.record_events(deployment_id=queued, worker_id="w1", events=events("b"))
    # w2 died during its look (its lease ran out): the next claim counts an attempt.
    resumed = await work.claim(deployment_id=queued, worker_id="w3", lease_seconds=60)
    assert resumed is not None and resumed.attempts == 2


async def test_executing_moves_the_stack_and_there_is_no_going_back(queued, analyst) -> None:
    await work.claim(deployment_id=queued, worker_id="w1", lease_seconds=60)
    await work.record_step(
        deployment_id=queued,
        worker_id="w1",
        step=DeploymentStep.EXECUTING,
        status=DeploymentStatus.EXECUTING,
    )
    deployment = await Deployment.get(id=queued)
    stack = await service.get_stack(identity=analyst, stack_id=deployment.stack_id)
    assert stack.status is StackStatus.DEPLOYING

    with pytest.raises(Conflict) as raised:
        await work.record_step(
            deployment_id=queued,
            worker_id="w1",
            step=DeploymentStep.CHANGE_SET_CREATED,
            status=DeploymentStatus.PREVIEWING,
        )
    assert raised.value.code == "invalid_transition"


async def test_events_are_recorded_once_and_read_after_a_marker(queued, analyst) -> None:
    await work.claim(deployment_id=queued, worker_id="w1", lease_seconds=60)
    assert await work.record_events(deployment_id=queued, worker_id="w1", events=events("a", "b"))
    added = await work.record_events(
        deployment_id=queued, worker_id="w1", events=events("a", "b", "c", "c")
    )
    assert added == 1
    assert await work.last_event_id(deployment_id=queued) == "c"

    page = await service.list_events(identity=analyst, deployment_id=queued, limit=2)
    assert [e.event_id for e in page.events] == ["a", "b"] and not page.finished
    rest = await service.list_events(identity=analyst, deployment_id=queued, after=page.after)
    assert [e.event_id for e in rest.events] == ["c"] and not rest.finished

    await work.finish(deployment_id=queued, worker_id="w1", status=DeploymentStatus.SUCCEEDED)
    last = await service.list_events(identity=analyst, deployment_id=queued, after=rest.after)
    assert last.events == [] and last.finished and last.after == rest.after


async def test_finishing_a_create_makes_the_stack_active_with_its_outputs(queued, analyst):
    await run_to_end(queued, outputs={"BucketName": "sandbox-data"})

    deployment = await service.get_deployment(identity=analyst, deployment_id=queued)
    assert deployment.status is DeploymentStatus.SUCCEEDED
    assert deployment.step is DeploymentStep.COMPLETED
    stack = await service.get_stack(identity=analyst, stack_id=deployment.stack_id)
    assert stack.status is StackStatus.ACTIVE and stack.outputs == {"BucketName": "sandbox-data"}
    assert stack.cloudformation_stack_id is not None and stack.active_deployment_id is None
    actions = [e.action for e in await audit_entries(target_id=str(stack.id))]
    assert actions == ["stack.requested", "deployment.succeeded"]
    assert await work.claim(deployment_id=queued, worker_id="w9", lease_seconds=60) is None


async def test_a_failed_create_records_why_and_fails_the_stack(queued, analyst) -> None:
    failure = DeploymentFailure(
        code="stack_failed",
        message="CREATE_FAILED",
        reason="Bucket name taken",
        failed_resource="Bucket",
        rollback_state="ROLLBACK_COMPLETE",
    )
    await run_to_end(queued, status=DeploymentStatus.FAILED, error=failure)

    deployment = await service.get_deployment(identity=analyst, deployment_id=queued)
    assert deployment.error == failure and deployment.step is DeploymentStep.EXECUTING
    stack = await service.get_stack(identity=analyst, stack_id=deployment.stack_id)
    assert stack.status is StackStatus.FAILED


async def test_a_rolled_back_update_leaves_the_stack_active(requester, analyst) -> None:
    stack = (await requester.active_stack(analyst)).stack
    update = await requester.update(analyst, stack.id, {"retention_days": 7})
    failure = DeploymentFailure(
        code="stack_failed", message="failed", rollback_state="UPDATE_ROLLBACK_COMPLETE"
    )

    await run_to_end(update.deployment.id, status=DeploymentStatus.FAILED, error=failure)

    after = await service.get_stack(identity=analyst, stack_id=stack.id)
    assert after.status is StackStatus.ACTIVE and after.params["retention_days"] == 30


async def test_a_drift_check_records_the_drift_status(requester, analyst) -> None:
    stack = (await requester.active_stack(analyst)).stack
    check = await unchecked_deployment(stack.id, DeploymentKind.DRIFT_CHECK)
    await work.claim(deployment_id=check.id, worker_id="w1", lease_seconds=60)
    await work.finish(
        deployment_id=check.id,
        worker_id="w1",
        status=DeploymentStatus.SUCCEEDED,
        drift_status=DriftStatus.DRIFTED,
    )

    after = await service.get_stack(identity=analyst, stack_id=stack.id)
    assert after.drift_status is DriftStatus.DRIFTED and after.status is StackStatus.ACTIVE


async def test_finishing_checks_its_arguments(queued) -> None:
    await work.claim(deployment_id=queued, worker_id="w1", lease_seconds=60)
    with pytest.raises(ValueError):
        await work.finish(deployment_id=queued, worker_id="w1", status=DeploymentStatus.FAILED)
    with pytest.raises(ValueError):
        await work.finish(deployment_id=queued, worker_id="w1", status=DeploymentStatus.CANCELLED)
