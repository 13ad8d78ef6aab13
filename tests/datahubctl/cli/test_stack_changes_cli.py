"""``datahubctl stacks preview|deploy|upgrade|approve|cancel`` against a running service.

A worker is simulated in the test's event loop: it waits for the deployment the CLI asked
for, then records its preview and holds it, or runs it to its end, as a worker would.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from cdk_service.db.models import Deployment, DeploymentStatus, DeploymentStep, TemplateVersion
from cdk_service.deployments import previews, work
from cdk_service.stacks.schemas import DeploymentFailure
from tests.cdk_service.api.test_stacks_events_stream import WORKER, events
from tests.cdk_service.stacks.conftest import claim_to, run_to_end
from tests.datahubctl.cli.test_stacks_cli import client, datahubctl, dispatcher, fast_polling

__all__ = ["client", "datahubctl", "dispatcher", "fast_polling"]

PREVIEW = {
    "change_set": {"change_set_name": "datahub-x"},
    "changes": [
        {"action": "Modify", "logical_id": "RawBucket", "replacement": "True"},
        {"action": "Add", "logical_id": "Ingest", "replacement": None},
    ],
    "diff": {
        "resources": [
            {
                "logical_id": "RawBucket",
                "resource_type": "AWS::S3::Bucket",
                "action": "modify",
                "replacement": True,
                "changes": [
                    {
                        "path": "Properties.BucketName",
                        "old": "sandbox-data",
                        "new": "sandbox-data-v2",
                        "replacement": True,
                    },
                    {
                        "path": "Properties.LifecycleConfiguration.Rules[0].ExpirationInDays",
                        "old": 30,
                        "new": 7,
                        "replacement": False,
                    },
                ],
            },
            {"logical_id": "Ingest", "resource_type": "AWS::SQS::Queue", "action": "add"},
            {"logical_id": "Alerts", "resource_type": "AWS::SNS::Topic", "action": "remove"},
        ],
        "outputs": [{"name": "QueueUrl", "action": "add", "new": "https://queue"}],
        "parameters": [],
    },
}


async def active_stack(datahubctl) -> str:
    """A bucket 1.0.0 stack whose create deployment a worker ran to success; its id."""
    result = await datahubctl(
        "stacks", "request", "bucket", "--team", "analytics", "--name", "sandbox",
        "--version", "1.0.0", "--param", "bucket_name=sandbox-data",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    stack_id = result.output.split()[1]
    await run_to_end(await deployment_of(stack_id, DeploymentStatus.QUEUED))
    return stack_id


async def deployment_of(stack_id: str, status: DeploymentStatus) -> uuid.UUID:
    """Wait for the stack's active deployment to reach ``status``; its id."""
    async with asyncio.timeout(10):
        while True:
            found = await Deployment.get_or_none(stack_id=stack_id, active=True, status=status)
            if found is not None:
                return found.id
            await asyncio.sleep(0.02)


async def hold_with_preview(deployment_id: uuid.UUID) -> None:
    """Record the preview above and hold the deployment, as a worker would."""
    await claim_to(
        deployment_id,
        DeploymentStatus.PREVIEWING,
        DeploymentStep.CHANGE_SET_CREATED,
        preview=PREVIEW,
    )
    await previews.hold(deployment_id=deployment_id, worker_id="worker-1")


async def deploy_with_events(deployment_id: uuid.UUID, *, fails: bool = False) -> None:
    """Execute the deployment with two events, then succeed (or fail with a reason)."""
    await claim_to(
        deployment_id, DeploymentStatus.EXECUTING, DeploymentStep.EXECUTING, worker=WORKER
    )
    await work.record_events(deployment_id=deployment_id, worker_id=WORKER, events=events("a"))
    await asyncio.sleep(0.1)
    await work.record_events(deployment_id=deployment_id, worker_id=WORKER, events=events("b"))
    failure = DeploymentFailure(code="stack_rolled_back", message="rolled back", reason="denied")
    await work.finish(
        deployment_id=deployment_id,
        worker_id=WORKER,
        status=DeploymentStatus.FAILED if fails else DeploymentStatus.SUCCEEDED,
        error=failure if fails else None,
    )


async def with_worker(command: Awaitable[Any], *steps: Callable[[], Awaitable[None]]) -> Any:
    """Run the CLI command while the simulated worker takes its steps in order."""
    running = asyncio.ensure_future(command)
    for step in steps:
        await step()
    return await asyncio.wait_for(running, 15)


async def test_preview_prints_the_diff_and_changes_nothing(datahubctl) -> None:
    stack_id = await active_stack(datahubctl)

    async def worker() -> None:
        await hold_with_preview(await deployment_of(stack_id, DeploymentStatus.QUEUED))

    result = await with_worker(
        datahubctl("stacks", "preview", stack_id, "--param", "retention_days=7"), worker
    )

    assert result.exit_code == 0, result.output
    out = result.output
    assert "~ RawBucket (AWS::S3::Bucket)  REPLACEMENT" in out
    assert 'Properties.BucketName: "sandbox-data" → "sandbox-data-v2"  REPLACEMENT' in out
    assert "Properties.LifecycleConfiguration.Rules[0].ExpirationInDays: 30 → 7" in out
    assert "+ Ingest (AWS::SQS::Queue)" in out and "- Alerts (AWS::SNS::Topic)" in out
    assert "+ output QueueUrl" in out
    assert "1 to add, 1 to modify, 1 to remove, 1 replaced" in out
    assert "execute it with: datahubctl stacks approve" in out
    held = await Deployment.get(stack_id=stack_id, active=True)
    assert held.status is DeploymentStatus.AWAITING_EXECUTION


async def test_approve_executes_the_preview_and_follows_it(datahubctl) -> None:
    stack_id = await active_stack(datahubctl)
    preview = asyncio.ensure_future(datahubctl("stacks", "preview", stack_id))
    await hold_with_preview(await deployment_of(stack_id, DeploymentStatus.QUEUED))
    deployment_id = (await Deployment.get(stack_id=stack_id, active=True)).id
    assert (await preview).exit_code == 0

    async def worker() -> None:
        await deploy_with_events(await deployment_of(stack_id, DeploymentStatus.QUEUED))

    result = await with_worker(datahubctl("stacks", "approve", str(deployment_id)), worker)

    assert result.exit_code == 0, result.output
    assert f"deployment {deployment_id} approved" in result.output
    assert "Ra" in result.output and "Rb" in result.output
    assert f"deployment {deployment_id} succeeded" in result.output


async def test_watch_stops_at_a_hold_and_shows_the_preview(datahubctl) -> None:
    stack_id = await active_stack(datahubctl)
    previewing = asyncio.ensure_future(datahubctl("stacks", "preview", stack_id))
    await hold_with_preview(await deployment_of(stack_id, DeploymentStatus.QUEUED))
    assert (await previewing).exit_code == 0
    deployment_id = str((await Deployment.get(stack_id=stack_id, active=True)).id)

    result = await datahubctl("stacks", "watch", deployment_id)

    assert result.exit_code == 0, result.output
    assert "~ RawBucket" in result.output and "execute it with" in result.output


async def test_deploy_follows_the_update_and_exits_1_when_it_fails(datahubctl) -> None:
    stack_id = await active_stack(datahubctl)

    async def worker() -> None:
        deployment_id = await deployment_of(stack_id, DeploymentStatus.QUEUED)
        await deploy_with_events(deployment_id, fails=True)

    result = await with_worker(
        datahubctl("stacks", "deploy", stack_id, "--param", "retention_days=7"), worker
    )

    assert result.exit_code == 1, result.output
    assert "update deployment" in result.output and "Rb" in result.output
    assert "error [stack_rolled_back]: rolled back (denied)" in result.output


async def test_deploy_and_preview_take_the_stack_as_team_and_name(datahubctl) -> None:
    stack_id = await active_stack(datahubctl)

    async def worker() -> None:
        await deploy_with_events(await deployment_of(stack_id, DeploymentStatus.QUEUED))

    deployed = await with_worker(
        datahubctl("stacks", "deploy", "analytics/sandbox", "--param", "retention_days=7"), worker
    )

    assert deployed.exit_code == 0, deployed.output
    assert f"stack {stack_id} (analytics/sandbox): update deployment" in deployed.output

    async def previews_it() -> None:
        await hold_with_preview(await deployment_of(stack_id, DeploymentStatus.QUEUED))

    previewed = await with_worker(
        datahubctl("stacks", "preview", "analytics/sandbox", "--version", "1.1.0"), previews_it
    )

    assert previewed.exit_code == 0, previewed.output
    held = await Deployment.get(stack_id=stack_id, active=True)
    assert (held.kind.value, held.status) == ("upgrade", DeploymentStatus.AWAITING_EXECUTION)


async def test_deploy_with_preview_asks_then_executes(datahubctl) -> None:
    stack_id = await active_stack(datahubctl)

    async def preview() -> None:
        await hold_with_preview(await deployment_of(stack_id, DeploymentStatus.QUEUED))

    async def executes() -> None:
        await deploy_with_events(await deployment_of(stack_id, DeploymentStatus.QUEUED))

    command = datahubctl(
        "stacks", "deploy", stack_id, "--param", "retention_days=7", "--preview", answer="y\n"
    )
    result = await with_worker(command, preview, executes)

    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("~ RawBucket") < out.index("Execute this change?") < out.index("approved")
    assert "succeeded" in out
    # The command asks and executes itself: no "execute it with: datahubctl stacks approve".
    assert "stacks approve" not in out and "stacks cancel" not in out


async def test_deploy_with_preview_answered_no_cancels_it(datahubctl) -> None:
    stack_id = await active_stack(datahubctl)

    async def preview() -> None:
        await hold_with_preview(await deployment_of(stack_id, DeploymentStatus.QUEUED))

    command = datahubctl("stacks", "deploy", stack_id, "--preview", answer="n\n")
    result = await with_worker(command, preview)

    assert result.exit_code == 0, result.output
    assert "cancelled; the stack is unchanged" in result.output
    assert await Deployment.filter(stack_id=stack_id, active=True).count() == 0


async def test_upgrade_of_a_version_needing_approval_stops_at_the_preview(datahubctl) -> None:
    stack_id = await active_stack(datahubctl)
    await TemplateVersion.filter(version="1.1.0").update(constraints={"requires_approval": True})

    async def worker() -> None:
        await hold_with_preview(await deployment_of(stack_id, DeploymentStatus.QUEUED))

    result = await with_worker(datahubctl("stacks", "upgrade", stack_id, "1.1.0"), worker)

    assert result.exit_code == 0, result.output
    assert "upgrade deployment" in result.output and "~ RawBucket" in result.output
    assert "waiting for an admin: datahubctl stacks approve" in result.output
    held = await Deployment.get(stack_id=stack_id, active=True)
    assert held.status is DeploymentStatus.PENDING_APPROVAL


async def test_a_team_member_cannot_approve_what_waits_for_an_admin(datahubctl) -> None:
    stack_id = await active_stack(datahubctl)
    await TemplateVersion.filter(version="1.0.0").update(constraints={"requires_approval": True})
    deploying = asyncio.ensure_future(datahubctl("stacks", "deploy", stack_id))
    await hold_with_preview(await deployment_of(stack_id, DeploymentStatus.QUEUED))
    assert (await deploying).exit_code == 0
    deployment_id = str((await Deployment.get(stack_id=stack_id, active=True)).id)

    analyst = {"DATAHUB_OPERATOR_USER": "alan", "DATAHUB_OPERATOR_GROUPS": '["analytics"]'}
    result = await datahubctl("stacks", "approve", deployment_id, **analyst)

    assert result.exit_code == 1 and "error [forbidden]" in result.output
    cancelled = await datahubctl("stacks", "cancel", deployment_id, **analyst)
    assert cancelled.exit_code == 0 and f"deployment {deployment_id} cancelled" in cancelled.output


@pytest.mark.parametrize("command", ["approve", "cancel"])
async def test_approve_or_cancel_of_an_unknown_deployment_is_one_line(datahubctl, command):
    result = await datahubctl("stacks", command, str(uuid.uuid4()))
    assert result.exit_code == 1 and "error [deployment_not_found]" in result.output
    assert "Traceback" not in result.output


async def test_preview_reports_a_failed_preview_and_exits_1(datahubctl) -> None:
    stack_id = await active_stack(datahubctl)

    async def worker() -> None:
        deployment_id = await deployment_of(stack_id, DeploymentStatus.QUEUED)
        failure = DeploymentFailure(code="template_invalid", message="bad template")
        await claim_to(deployment_id, DeploymentStatus.PREVIEWING, DeploymentStep.SYNTHESIZED)
        await work.finish(
            deployment_id=deployment_id,
            worker_id="worker-1",
            status=DeploymentStatus.FAILED,
            error=failure,
        )

    result = await with_worker(datahubctl("stacks", "preview", stack_id), worker)

    assert result.exit_code == 1
    assert "error [template_invalid]: bad template" in result.output


async def test_request_with_preview_stops_at_the_preview(datahubctl) -> None:
    result = await datahubctl(
        "stacks", "request", "bucket", "--team", "analytics", "--name", "sandbox",
        "--version", "1.0.0", "--param", "bucket_name=sandbox-data", "--preview",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    stack_id = result.output.split()[1]
    deployment_id = await deployment_of(stack_id, DeploymentStatus.QUEUED)
    assert (await Deployment.get(id=deployment_id)).gate.value == "preview"
    await hold_with_preview(deployment_id)

    watched = await datahubctl("stacks", "watch", str(deployment_id))

    assert watched.exit_code == 0 and "execute it with" in watched.output
