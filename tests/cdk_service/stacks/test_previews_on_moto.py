# ruff: noqa: F811 - the moto fixtures imported below are requested by name as arguments
"""Previews and approvals run by the worker flow against moto's server and PostgreSQL.

The worker is ``run_deployment`` called directly, with the fake synthesizer of the worker
tests (the built-in templates, as synthesized, do not deploy on moto).
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest
from botocore.exceptions import ClientError

from cdk_service.cloudformation.changeset import change_set_name
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.db.models import (
    Deployment,
    DeploymentStatus,
    DeploymentStep,
    Stack,
    StackStatus,
    TemplateVersion,
)
from cdk_service.deployments import work
from cdk_service.jobs.flow import run_deployment
from cdk_service.settings import Settings
from cdk_service.stacks import service
from service_contract.errors import NotFound
from tests.aws import Aws
from tests.cdk_service.cloudformation import templates
from tests.cdk_service.jobs.conftest import (  # noqa: F401 - fixtures reused
    clients,
    engine,
    fake_credentials,
    fresh_moto,
    settings,
    synthesizer,
)
from tests.cdk_service.jobs.fakes import FakeSynthesizer, WorkerDied
from tests.cdk_service.stacks.conftest import OTHER_TEAM, Requester
from tests.conftest import ADMIN, ANALYST

NEW_QUEUE = "analytics-previewed"
WITH_NEW_QUEUE = templates.with_resource(
    templates.workspace(),
    "Previewed",
    {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": NEW_QUEUE}},
)


async def run_worker(
    deployment_id: UUID, engine: DeployEngine, template: dict[str, Any], settings: Settings
) -> DeploymentStatus | None:
    """One worker run of the deployment, synthesizing ``template``."""
    return await run_deployment(
        deployment_id,
        worker_id="worker-1",
        engine=engine,
        synthesizer=FakeSynthesizer(template),
        settings=settings,
        poll_seconds=0.05,
    )


def queue_exists(aws: Aws, name: str) -> bool:
    try:
        aws("sqs").get_queue_url(QueueName=name)
    except ClientError:
        return False
    return True


def change_set_of(aws: Aws, deployment: Deployment) -> dict[str, Any] | None:
    """The deployment's change set as moto describes it; None once deleted."""
    ref = deployment.checkpoint["change_set"]
    try:
        return aws("cloudformation").describe_change_set(
            ChangeSetName=ref["change_set_name"], StackName=ref["stack_id"]
        )
    except ClientError:
        return None


@pytest.fixture
async def active(requester: Requester, engine: DeployEngine, settings: Settings) -> UUID:
    """A stack the worker created on moto from the workspace template."""
    accepted = await requester.stack(ANALYST)
    status = await run_worker(accepted.deployment.id, engine, templates.workspace(), settings)
    assert status is DeploymentStatus.SUCCEEDED
    return accepted.stack.id


async def preview(requester: Requester, stack_id: UUID, **params: Any) -> UUID:
    accepted = await service.request_change(
        registry=requester.registry,
        dispatcher=requester.dispatcher,
        identity=ANALYST,
        stack_id=stack_id,
        params=params or {"retention_days": 7},
        preview=True,
    )
    return accepted.deployment.id


async def test_a_preview_changes_nothing_until_its_team_executes_the_same_change_set(
    requester: Requester, engine: DeployEngine, settings: Settings, aws: Aws, active: UUID
) -> None:
    deployment_id = await preview(requester, active)

    held = await run_worker(deployment_id, engine, WITH_NEW_QUEUE, settings)

    assert held is DeploymentStatus.AWAITING_EXECUTION
    deployment = await Deployment.get(id=deployment_id)
    assert deployment.preview is not None
    added = [r for r in deployment.preview["diff"]["resources"] if r["action"] == "add"]
    assert [r["logical_id"] for r in added] == ["Previewed"]
    assert not queue_exists(aws, NEW_QUEUE)  # nothing changed in AWS
    change_set = change_set_of(aws, deployment)
    assert change_set is not None and change_set["ExecutionStatus"] == "AVAILABLE"
    assert await run_worker(deployment_id, engine, WITH_NEW_QUEUE, settings) is None  # held

    approved = await service.approve(
        dispatcher=requester.dispatcher, identity=ANALYST, deployment_id=deployment_id
    )
    assert approved.status is DeploymentStatus.QUEUED
    # Synthesizing again is not needed: the change set already holds the template.
    status = await run_worker(deployment_id, engine, templates.workspace(), settings)

    assert status is DeploymentStatus.SUCCEEDED
    assert queue_exists(aws, NEW_QUEUE)
    executed = change_set_of(aws, await Deployment.get(id=deployment_id))
    assert executed is not None and executed["ChangeSetId"] == change_set["ChangeSetId"]
    assert executed["ExecutionStatus"] == "EXECUTE_COMPLETE"
    assert (await Stack.get(id=active)).params["retention_days"] == 7


async def test_a_stack_changed_since_the_preview_is_not_executed(
    requester: Requester, engine: DeployEngine, settings: Settings, aws: Aws, active: UUID
) -> None:
    deployment_id = await preview(requester, active)
    await run_worker(deployment_id, engine, WITH_NEW_QUEUE, settings)
    deployment = await Deployment.get(id=deployment_id)
    # Someone changes the stack outside DATAHUB after the preview was taken.
    cloudformation = aws("cloudformation")
    outside = templates.with_resource(
        templates.workspace(),
        "Outside",
        {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "changed-outside"}},
    )
    stack_id = deployment.checkpoint["change_set"]["stack_id"]
    cloudformation.update_stack(
        StackName=stack_id, TemplateBody=json.dumps(outside), Capabilities=["CAPABILITY_NAMED_IAM"]
    )
    await service.approve(
        dispatcher=requester.dispatcher, identity=ANALYST, deployment_id=deployment_id
    )

    status = await run_worker(deployment_id, engine, WITH_NEW_QUEUE, settings)

    failed = await Deployment.get(id=deployment_id)
    assert status is DeploymentStatus.FAILED
    assert failed.error is not None and failed.error["code"] == "preview_stale"
    assert not queue_exists(aws, NEW_QUEUE)
    assert change_set_of(aws, failed) is None  # deleted, so nobody executes it later
    assert (await Stack.get(id=active)).status is StackStatus.ACTIVE


async def test_an_approval_gated_create_is_previewed_then_an_admin_approves_it(
    requester: Requester, engine: DeployEngine, settings: Settings, aws: Aws
) -> None:
    await TemplateVersion.filter(version="1.0.0").update(constraints={"requires_approval": True})
    accepted = await requester.stack(ANALYST)
    deployment_id = accepted.deployment.id

    held = await run_worker(deployment_id, engine, templates.workspace(), settings)

    assert held is DeploymentStatus.PENDING_APPROVAL
    shown = await service.get_deployment(identity=ADMIN, deployment_id=deployment_id)
    assert shown.preview is not None  # what the admin approves
    assert {r["logical_id"] for r in shown.preview["diff"]["resources"]} >= {"RawBucket"}
    buckets = [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]
    assert templates.BUCKET not in buckets

    await service.approve(
        dispatcher=requester.dispatcher, identity=ADMIN, deployment_id=deployment_id
    )
    status = await run_worker(deployment_id, engine, templates.workspace(), settings)

    assert status is DeploymentStatus.SUCCEEDED
    assert templates.BUCKET in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]
    assert (await Stack.get(id=accepted.stack.id)).status is StackStatus.ACTIVE


async def test_cancelling_a_held_create_deletes_its_change_set_and_review_stack(
    requester: Requester, engine: DeployEngine, settings: Settings, aws: Aws
) -> None:
    await TemplateVersion.filter(version="1.0.0").update(constraints={"requires_approval": True})
    accepted = await requester.stack(ANALYST)
    deployment_id = accepted.deployment.id
    await run_worker(deployment_id, engine, templates.workspace(), settings)
    held = await Deployment.get(id=deployment_id)
    assert change_set_of(aws, held) is not None
    with pytest.raises(NotFound):
        await service.cancel(
            dispatcher=requester.dispatcher, identity=OTHER_TEAM, deployment_id=deployment_id
        )

    await service.cancel(
        dispatcher=requester.dispatcher, identity=ANALYST, deployment_id=deployment_id
    )
    assert requester.dispatcher.enqueued[-1] == deployment_id
    assert await run_worker(deployment_id, engine, templates.workspace(), settings) is None

    cancelled = await Deployment.get(id=deployment_id)
    assert change_set_of(aws, cancelled) is None
    live = aws("cloudformation").list_stacks()["StackSummaries"]
    assert live and all(s["StackStatus"] == "DELETE_COMPLETE" for s in live)
    assert cancelled.result == {"change_set_discarded": True, "change_set_found": True}
    # Looking again finds nothing left to do.
    assert await run_worker(deployment_id, engine, templates.workspace(), settings) is None
    assert (await Deployment.get(id=deployment_id)).updated_at == cancelled.updated_at


@pytest.mark.parametrize(
    ("preview", "recording"),
    [
        (False, DeploymentStep.EXECUTING),  # recorded with the change set, before executing
        (True, DeploymentStep.CHANGE_SET_CREATED),  # recorded before it is held
    ],
    ids=["not-held", "held"],
)
async def test_a_worker_cancelled_while_previewing_deletes_the_change_set_it_made(
    requester: Requester,
    engine: DeployEngine,
    settings: Settings,
    aws: Aws,
    monkeypatch: pytest.MonkeyPatch,
    preview: bool,
    recording: DeploymentStep,
) -> None:
    accepted = await requester.stack(ANALYST, preview=preview)
    deployment_id = accepted.deployment.id
    record_step = work.record_step

    async def cancelled_meanwhile(**recorded: Any) -> work.ClaimedDeployment:
        # The team cancels after the change set exists but before the worker records it.
        if recorded["step"] is recording:
            await service.cancel(
                dispatcher=requester.dispatcher, identity=ANALYST, deployment_id=deployment_id
            )
        return await record_step(**recorded)

    monkeypatch.setattr(work, "record_step", cancelled_meanwhile)
    assert await run_worker(deployment_id, engine, templates.workspace(), settings) is None

    cancelled = await Deployment.get(id=deployment_id)
    assert cancelled.status is DeploymentStatus.CANCELLED
    assert cancelled.result == {"change_set_discarded": True, "change_set_found": True}
    live = aws("cloudformation").list_stacks()["StackSummaries"]
    assert live and all(s["StackStatus"] == "DELETE_COMPLETE" for s in live)
    assert templates.BUCKET not in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]


async def test_a_create_cancelled_after_its_worker_died_making_the_change_set_has_it_deleted(
    requester: Requester,
    engine: DeployEngine,
    settings: Settings,
    aws: Aws,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    accepted = await requester.stack(ANALYST)
    deployment_id = accepted.deployment.id

    async def dies(**_: Any) -> work.ClaimedDeployment:
        raise WorkerDied  # the change set is made, nothing of it recorded

    with monkeypatch.context() as patched, pytest.raises(WorkerDied):
        patched.setattr(work, "record_step", dies)
        await run_worker(deployment_id, engine, templates.workspace(), settings)
    taken_on = await Deployment.get(id=deployment_id)
    assert (taken_on.step, taken_on.status) == (
        DeploymentStep.REQUESTED,
        DeploymentStatus.PREVIEWING,  # since its claim: a worker may have made a change set
    )
    made = aws("cloudformation").describe_change_set(
        ChangeSetName=change_set_name(str(deployment_id)),
        StackName=accepted.stack.cloudformation_stack_name,
    )
    assert made["ExecutionStatus"] == "AVAILABLE"

    await service.cancel(
        dispatcher=requester.dispatcher, identity=ANALYST, deployment_id=deployment_id
    )
    assert requester.dispatcher.enqueued[-1] == deployment_id
    assert await run_worker(deployment_id, engine, templates.workspace(), settings) is None

    cancelled = await Deployment.get(id=deployment_id)
    assert cancelled.result == {"change_set_discarded": True, "change_set_found": True}
    live = aws("cloudformation").list_stacks()["StackSummaries"]
    assert live and all(s["StackStatus"] == "DELETE_COMPLETE" for s in live)


async def test_a_previewed_create_makes_nothing_until_its_team_approves(
    requester: Requester, engine: DeployEngine, settings: Settings, aws: Aws
) -> None:
    accepted = await requester.stack(ANALYST, preview=True)
    deployment_id = accepted.deployment.id
    assert accepted.stack.status is StackStatus.REQUESTED  # no admin involved

    held = await run_worker(deployment_id, engine, templates.workspace(), settings)

    assert held is DeploymentStatus.AWAITING_EXECUTION
    assert templates.BUCKET not in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]
    summaries = aws("cloudformation").list_stacks()["StackSummaries"]
    assert [s["StackStatus"] for s in summaries] == ["REVIEW_IN_PROGRESS"]

    await service.approve(
        dispatcher=requester.dispatcher, identity=ANALYST, deployment_id=deployment_id
    )
    status = await run_worker(deployment_id, engine, templates.workspace(), settings)

    assert status is DeploymentStatus.SUCCEEDED
    assert templates.BUCKET in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]
