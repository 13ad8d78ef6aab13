"""The deployment flow, called directly (no celery), on PostgreSQL and moto's server.

Templates come from a fake synthesizer (see conftest): the built-in ones, as synthesized, do
not deploy on moto.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from tortoise import timezone

from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.models import StackState
from cdk_service.cloudformation.polling import next_look
from cdk_service.db.models import (
    Deployment,
    DeploymentStatus,
    DeploymentStep,
    Stack,
    StackEvent,
    StackStatus,
)
from cdk_service.deployments import work
from cdk_service.jobs.flow import RetryLater, run_deployment
from cdk_service.jobs.steps import LookLater
from cdk_service.settings import Settings
from cdk_service.synthesis.models import SynthRequest, SynthResult, sha256_of
from service_contract.aws_errors import TransientAwsError
from service_contract.targets import Target
from tests.cdk_service.cloudformation import templates
from tests.cdk_service.cloudformation.conftest import Aws
from tests.cdk_service.jobs.conftest import FakeSynthesizer
from tests.cdk_service.jobs.fakes import WorkerDied
from tests.cdk_service.stacks.conftest import Requester
from tests.conftest import ANALYST

POLL_SECONDS = 0.05


async def run(
    deployment_id: UUID,
    engine: DeployEngine,
    synthesizer: FakeSynthesizer,
    settings: Settings,
    worker_id: str = "worker-1",
) -> DeploymentStatus | None:
    return await run_deployment(
        deployment_id,
        worker_id=worker_id,
        engine=engine,
        synthesizer=synthesizer,
        settings=settings,
        poll_seconds=POLL_SECONDS,
    )


def stack_names(aws: Aws) -> list[str]:
    """Stacks moto has, deleted ones included."""
    summaries = aws("cloudformation").list_stacks()["StackSummaries"]
    return [summary["StackName"] for summary in summaries]


async def test_a_requested_stack_is_deployed_with_its_events_and_outputs(
    requester: Requester,
    engine: DeployEngine,
    synthesizer: FakeSynthesizer,
    settings: Settings,
    aws: Aws,
) -> None:
    accepted = await requester.stack(ANALYST)

    status = await run(accepted.deployment.id, engine, synthesizer, settings)

    assert status is DeploymentStatus.SUCCEEDED
    assert templates.BUCKET in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]
    assert aws("sqs").get_queue_url(QueueName=templates.QUEUE)["QueueUrl"]
    deployment = await Deployment.get(id=accepted.deployment.id)
    assert deployment.step is DeploymentStep.COMPLETED
    assert deployment.template_digest == sha256_of(synthesizer.template)
    assert deployment.preview is not None
    assert {c["logical_id"] for c in deployment.preview["changes"]} >= {"RawBucket", "Ingest"}
    stack = await Stack.get(id=accepted.stack.id)
    assert stack.status is StackStatus.ACTIVE
    assert stack.cloudformation_stack_id is not None
    assert templates.BUCKET in stack.outputs.values()
    events = await StackEvent.filter(deployment_id=deployment.id).values_list("status", flat=True)
    assert "CREATE_COMPLETE" in events


async def test_running_a_finished_deployment_again_does_nothing(
    requester: Requester,
    engine: DeployEngine,
    synthesizer: FakeSynthesizer,
    settings: Settings,
) -> None:
    accepted = await requester.stack(ANALYST)
    await run(accepted.deployment.id, engine, synthesizer, settings)
    before = await Deployment.get(id=accepted.deployment.id)
    events = await StackEvent.filter(deployment_id=before.id).count()

    again = await run(accepted.deployment.id, engine, synthesizer, settings, "worker-2")

    after = await Deployment.get(id=accepted.deployment.id)
    assert again is None
    assert (after.status, after.attempts, after.updated_at) == (
        DeploymentStatus.SUCCEEDED,
        before.attempts,
        before.updated_at,
    )
    assert await StackEvent.filter(deployment_id=before.id).count() == events
    assert len(synthesizer.requests) == 1


def dies_recording(step: DeploymentStep) -> Callable[[pytest.MonkeyPatch], None]:
    """The worker dies as it records ``step``: nothing of that write is kept."""

    def arrange(patched: pytest.MonkeyPatch) -> None:
        record_step = work.record_step

        async def dies_at_step(**recorded: Any) -> work.ClaimedDeployment:
            if recorded["step"] is step:
                raise WorkerDied
            return await record_step(**recorded)

        patched.setattr(work, "record_step", dies_at_step)

    return arrange


def dies_after_recording(step: DeploymentStep) -> Callable[[pytest.MonkeyPatch], None]:
    """The worker dies once ``step`` is recorded, before its next call."""

    def arrange(patched: pytest.MonkeyPatch) -> None:
        record_step = work.record_step

        async def dies_after_step(**recorded: Any) -> work.ClaimedDeployment:
            claimed = await record_step(**recorded)
            if recorded["step"] is step:
                raise WorkerDied
            return claimed

        patched.setattr(work, "record_step", dies_after_step)

    return arrange


def dies_finishing(patched: pytest.MonkeyPatch) -> None:
    """The worker dies as it records the end: the change set was executed."""

    async def dies(**_: Any) -> None:
        raise WorkerDied

    patched.setattr(work, "finish", dies)


@pytest.mark.parametrize(
    ("dies", "left_at"),
    [
        # The change set made, not recorded: the next run finds it.
        (dies_recording(DeploymentStep.EXECUTING), DeploymentStep.REQUESTED),
        # The change set recorded with executing, not executed yet.
        (dies_after_recording(DeploymentStep.EXECUTING), DeploymentStep.EXECUTING),
        # The change set executed and the stack done (moto), the end not recorded.
        (dies_finishing, DeploymentStep.EXECUTING),
    ],
    ids=["recording-executing", "after-recording-executing", "finishing"],
)
async def test_a_worker_that_died_is_resumed_by_another_without_a_second_stack(
    requester: Requester,
    engine: DeployEngine,
    synthesizer: FakeSynthesizer,
    settings: Settings,
    aws: Aws,
    monkeypatch: pytest.MonkeyPatch,
    dies: Callable[[pytest.MonkeyPatch], None],
    left_at: DeploymentStep,
) -> None:
    accepted = await requester.stack(ANALYST)
    deployment_id = accepted.deployment.id

    with monkeypatch.context() as patched, pytest.raises(WorkerDied):
        dies(patched)
        await run(deployment_id, engine, synthesizer, settings, "worker-dead")
    assert (await Deployment.get(id=deployment_id)).step is left_at
    # Another worker must wait for the lease to run out: here it is made to run out now.
    assert await run(deployment_id, engine, synthesizer, settings) is None
    past = timezone.now() - timedelta(minutes=1)
    await Deployment.filter(id=deployment_id).update(lease_expires_at=past)

    status = await run(deployment_id, engine, synthesizer, settings, "worker-2")

    deployment = await Deployment.get(id=deployment_id)
    assert status is DeploymentStatus.SUCCEEDED
    assert (deployment.attempts, deployment.lease_owner) == (2, None)
    stack = await Stack.get(id=accepted.stack.id)
    assert stack_names(aws) == [stack.cloudformation_stack_name]
    assert stack.status is StackStatus.ACTIVE


async def test_a_stack_still_changing_is_handed_off_and_looked_at_again_without_executing(
    requester: Requester,
    engine: DeployEngine,
    synthesizer: FakeSynthesizer,
    settings: Settings,
    aws: Aws,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    accepted = await requester.stack(ANALYST)
    deployment_id = accepted.deployment.id
    real_status, looks = engine.status, []

    def still_creating_at_first(target: Target, stack: str) -> StackState:
        looks.append(state := real_status(target, stack))
        if len(looks) > 1:
            return state
        return state.model_copy(update={"status": "CREATE_IN_PROGRESS", "outcome": "in_progress"})

    with monkeypatch.context() as patched, pytest.raises(LookLater) as later:
        patched.setattr(engine, "status", still_creating_at_first)
        await run(deployment_id, engine, synthesizer, settings, "worker-1")
    assert later.value.seconds == POLL_SECONDS  # the longest pause is shorter than the first
    handed_off = await Deployment.get(id=deployment_id)
    assert (handed_off.step, handed_off.lease_owner) == (DeploymentStep.POLLING, None)
    assert handed_off.status is DeploymentStatus.EXECUTING
    assert handed_off.checkpoint["execution"] == "executed"
    assert await StackEvent.filter(deployment_id=deployment_id).exists()  # recorded with it

    def executed_again(*_: Any, **__: Any) -> None:
        raise AssertionError("a look at a handed-off deployment executes nothing")

    monkeypatch.setattr(engine, "execute", executed_again)
    status = await run(deployment_id, engine, synthesizer, settings, "worker-2")

    deployment = await Deployment.get(id=deployment_id)
    assert status is DeploymentStatus.SUCCEEDED
    assert deployment.attempts == 1  # a look later is no new attempt
    assert "looking_later" not in deployment.checkpoint
    assert stack_names(aws) == [accepted.stack.cloudformation_stack_name]
    statuses = await StackEvent.filter(deployment_id=deployment_id).values_list("status", flat=True)
    assert "CREATE_COMPLETE" in statuses and len(statuses) == len(set(statuses))


def test_a_changing_stack_is_looked_at_soon_then_less_often() -> None:
    looks = [next_look(seconds, longest=2.0) for seconds in (0, 1, 2, 4, 6, 8, 60, 3600)]
    assert looks == [0.5, 0.5, 0.5, 1.0, 1.5, 2.0, 2.0, 2.0]


async def test_events_read_before_the_stack_settled_are_read_again_to_its_end(
    requester: Requester,
    engine: DeployEngine,
    synthesizer: FakeSynthesizer,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    accepted = await requester.stack(ANALYST)
    real_events, reads = engine.events, []

    def first_read_too_early(*arguments: Any) -> list[Any]:
        reads.append(arguments)
        return [] if len(reads) == 1 else real_events(*arguments)

    monkeypatch.setattr(engine, "events", first_read_too_early)
    status = await run(accepted.deployment.id, engine, synthesizer, settings)

    assert status is DeploymentStatus.SUCCEEDED and len(reads) == 2
    statuses = await StackEvent.filter(deployment_id=accepted.deployment.id).values_list(
        "status", flat=True
    )
    assert "CREATE_COMPLETE" in statuses


async def test_a_template_moto_rejects_ends_failed_with_the_reason(
    requester: Requester,
    engine: DeployEngine,
    settings: Settings,
) -> None:
    """moto refuses the execute call itself (it records no failing resource event), so the
    reason comes from its error; reasons from failing events are covered by the engine tests."""
    fifo_without_suffix = {
        "Resources": {
            "Ingest": {
                "Type": "AWS::SQS::Queue",
                "Properties": {"QueueName": templates.QUEUE, "FifoQueue": True},
            }
        }
    }
    accepted = await requester.stack(ANALYST)

    status = await run(
        accepted.deployment.id, engine, FakeSynthesizer(fifo_without_suffix), settings
    )

    deployment = await Deployment.get(id=accepted.deployment.id)
    assert status is DeploymentStatus.FAILED
    assert deployment.error is not None
    assert "must end in .fifo" in deployment.error["message"]
    assert (await Stack.get(id=accepted.stack.id)).status is StackStatus.FAILED


async def test_a_destroy_deletes_the_stack_and_its_resources(
    requester: Requester,
    engine: DeployEngine,
    synthesizer: FakeSynthesizer,
    settings: Settings,
    aws: Aws,
) -> None:
    created = await requester.stack(ANALYST)
    await run(created.deployment.id, engine, synthesizer, settings)
    destroy = await requester.destroy(ANALYST, created.stack.id)

    status = await run(destroy.deployment.id, engine, synthesizer, settings)

    assert status is DeploymentStatus.SUCCEEDED
    assert templates.BUCKET not in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]
    assert (await Stack.get(id=created.stack.id)).status is StackStatus.DESTROYED
    events = await StackEvent.filter(deployment_id=destroy.deployment.id).values_list(
        "status", flat=True
    )
    assert "DELETE_COMPLETE" in events


def throttled(*_: Any, **__: Any) -> None:
    """AWS refusing a call for now."""
    raise TransientAwsError("CreateChangeSet failed: Throttling: Rate exceeded")


async def test_a_transient_aws_error_hands_the_deployment_back_for_a_retry(
    requester: Requester,
    engine: DeployEngine,
    synthesizer: FakeSynthesizer,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    accepted = await requester.stack(ANALYST)

    with monkeypatch.context() as patched, pytest.raises(RetryLater):
        patched.setattr(engine, "prepare_with_preview", throttled)
        await run(accepted.deployment.id, engine, synthesizer, settings)

    deployment = await Deployment.get(id=accepted.deployment.id)
    assert deployment.lease_owner is None
    assert deployment.status is DeploymentStatus.PREVIEWING
    assert deployment.error is not None  # shown while it waits for the retry
    assert (deployment.error["code"], deployment.error["retryable"]) == ("aws_transient", True)
    status = await run(accepted.deployment.id, engine, synthesizer, settings)
    assert status is DeploymentStatus.SUCCEEDED
    assert (await Deployment.get(id=accepted.deployment.id)).error is None


async def test_a_transient_error_on_the_last_attempt_ends_the_deployment_failed(
    requester: Requester,
    engine: DeployEngine,
    synthesizer: FakeSynthesizer,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    accepted = await requester.stack(ANALYST)
    monkeypatch.setattr(engine, "prepare_with_preview", throttled)
    capped = settings.model_copy(update={"deployment_max_attempts": 2})
    with pytest.raises(RetryLater):
        await run(accepted.deployment.id, engine, synthesizer, capped)

    status = await run(accepted.deployment.id, engine, synthesizer, capped)

    deployment = await Deployment.get(id=accepted.deployment.id)
    assert (status, deployment.attempts) == (DeploymentStatus.FAILED, 2)
    assert deployment.error is not None and deployment.error["code"] == "attempts_exhausted"
    assert "Rate exceeded" in deployment.error["message"]
    assert (await Stack.get(id=accepted.stack.id)).status is StackStatus.FAILED


class SlowSynthesizer(FakeSynthesizer):
    """A synth that takes longer than a lease lasts."""

    async def synth(self, request: SynthRequest) -> SynthResult:
        await asyncio.sleep(2.5)
        return await super().synth(request)


async def test_a_step_longer_than_the_lease_keeps_it_while_the_worker_lives(
    requester: Requester, engine: DeployEngine, settings: Settings
) -> None:
    accepted = await requester.stack(ANALYST)
    short_lease = settings.model_copy(update={"worker_lease_seconds": 1})

    status = await run(accepted.deployment.id, engine, SlowSynthesizer(), short_lease)

    deployment = await Deployment.get(id=accepted.deployment.id)
    assert (status, deployment.attempts) == (DeploymentStatus.SUCCEEDED, 1)
