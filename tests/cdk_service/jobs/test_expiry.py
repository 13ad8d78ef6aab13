"""Stack expiry on PostgreSQL and moto's server: a warning the owners can see, then a destroy.

Time is moved by rewriting ``expires_at``: the stacks' time-to-live is counted in hours.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from tortoise import timezone

from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.db.audit import audit_entries
from cdk_service.db.models import (
    Deployment,
    DeploymentKind,
    DeploymentStatus,
    Stack,
    StackStatus,
    VersionStatus,
)
from cdk_service.deployments.expiry import EXPIRY, sweep_expiry
from cdk_service.jobs.flow import run_deployment
from cdk_service.settings import Settings
from cdk_service.stacks import service
from cdk_service.stacks.schemas import DeploymentFailure
from tests.aws import Aws
from tests.cdk_service.cloudformation import templates
from tests.cdk_service.jobs.fakes import FakeSynthesizer
from tests.cdk_service.stacks.conftest import (
    RecordingDispatcher,
    Requester,
    preview_and_hold,
    run_to_end,
)
from tests.conftest import ANALYST, Factories, StubDigestRegistry

HOUR = 3600.0


async def expire_now(stack_id: UUID) -> None:
    """Time passes: the stack's expiry is a minute ago."""
    await Stack.filter(id=stack_id).update(expires_at=timezone.now() - timedelta(minutes=1))


async def test_a_stack_past_its_time_to_live_is_warned_then_destroyed(
    factories: Factories,
    test_registry: StubDigestRegistry,
    dispatcher: RecordingDispatcher,
    engine: DeployEngine,
    synthesizer: FakeSynthesizer,
    settings: Settings,
    aws: Aws,
) -> None:
    constraints = {"default_ttl_hours": 2}
    await factories.template_version(
        "bucket", "1.0.0", status=VersionStatus.PUBLISHED, constraints=constraints
    )
    accepted = await Requester(test_registry, dispatcher).stack(ANALYST)
    stack_id = accepted.stack.id
    expires_at = accepted.stack.expires_at
    assert expires_at is not None
    assert abs(expires_at - timezone.now() - timedelta(hours=2)) < timedelta(minutes=1)
    work = {"engine": engine, "synthesizer": synthesizer, "settings": settings}
    assert await run_deployment(accepted.deployment.id, worker_id="w1", **work) is not None

    early = await sweep_expiry(dispatcher=dispatcher, warning_seconds=HOUR)
    warned = await sweep_expiry(dispatcher=dispatcher, warning_seconds=3 * HOUR)
    again = await sweep_expiry(dispatcher=dispatcher, warning_seconds=3 * HOUR)

    assert (early.warned, warned.warned, again.warned) == ([], [stack_id], [])
    assert early.ending == warned.ending == again.ending == []
    shown = await service.get_stack(identity=ANALYST, stack_id=stack_id)
    assert shown.status is StackStatus.ACTIVE and shown.expiry_warned_at is not None
    entries = await audit_entries(target_kind="stack", target_id=str(stack_id))
    warnings = [entry for entry in entries if entry.action == "stack.expiry_warning"]
    assert len(warnings) == 1 and warnings[0].details["expires_at"] == expires_at.isoformat()

    await expire_now(stack_id)
    expired = await sweep_expiry(dispatcher=dispatcher, warning_seconds=3 * HOUR)

    (destroy_id,) = expired.ending
    assert dispatcher.enqueued[-1] == destroy_id
    destroy = await Deployment.get(id=destroy_id)
    assert (destroy.kind, destroy.requester) == (DeploymentKind.DESTROY, EXPIRY.user)
    status = await run_deployment(destroy_id, worker_id="w1", **work)
    assert status is DeploymentStatus.SUCCEEDED
    gone = await service.get_stack(identity=ANALYST, stack_id=stack_id)
    assert gone.status is StackStatus.DESTROYED
    assert templates.BUCKET not in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]
    assert (await sweep_expiry(dispatcher=dispatcher, warning_seconds=HOUR)).ending == []


async def test_a_stack_expired_before_any_warning_is_warned_first(
    requester: Requester, dispatcher: RecordingDispatcher
) -> None:
    stack_id = (await requester.active_stack(ANALYST)).stack.id
    await expire_now(stack_id)

    first = await sweep_expiry(dispatcher=dispatcher, warning_seconds=0)
    second = await sweep_expiry(dispatcher=dispatcher, warning_seconds=0)

    assert (first.warned, first.ending) == ([stack_id], [])
    assert second.warned == [] and len(second.ending) == 1


async def test_a_failed_stack_is_destroyed_with_force_and_a_failed_expiry_destroy_not_again(
    requester: Requester, dispatcher: RecordingDispatcher
) -> None:
    accepted = await requester.stack(ANALYST)
    failure = DeploymentFailure(code="stack_failed", message="CREATE_FAILED")
    await run_to_end(accepted.deployment.id, status=DeploymentStatus.FAILED, error=failure)
    stack_id = accepted.stack.id
    await expire_now(stack_id)
    await sweep_expiry(dispatcher=dispatcher, warning_seconds=0)

    (destroy_id,) = (await sweep_expiry(dispatcher=dispatcher, warning_seconds=0)).ending
    assert (await Deployment.get(id=destroy_id)).force is True
    await run_to_end(destroy_id, status=DeploymentStatus.FAILED, error=failure)

    assert (await sweep_expiry(dispatcher=dispatcher, warning_seconds=0)).ending == []
    shown = await service.get_stack(identity=ANALYST, stack_id=stack_id)
    assert shown.status is StackStatus.FAILED


async def test_a_stack_busy_with_a_deployment_is_destroyed_by_a_later_sweep(
    requester: Requester, dispatcher: RecordingDispatcher
) -> None:
    stack_id = (await requester.active_stack(ANALYST)).stack.id
    update = await requester.update(ANALYST, stack_id, {"retention_days": 7})
    await expire_now(stack_id)
    await sweep_expiry(dispatcher=dispatcher, warning_seconds=0)

    assert (await sweep_expiry(dispatcher=dispatcher, warning_seconds=0)).ending == []
    await run_to_end(update.deployment.id)
    assert len((await sweep_expiry(dispatcher=dispatcher, warning_seconds=0)).ending) == 1


async def test_a_held_update_preview_does_not_keep_an_expired_stack_alive(
    requester: Requester, dispatcher: RecordingDispatcher
) -> None:
    stack_id = (await requester.active_stack(ANALYST)).stack.id
    held = await service.request_update(
        registry=requester.registry,
        dispatcher=dispatcher,
        identity=ANALYST,
        stack_id=stack_id,
        params={"retention_days": 7},
        preview=True,
    )
    await preview_and_hold(held.deployment.id)
    await expire_now(stack_id)
    await sweep_expiry(dispatcher=dispatcher, warning_seconds=0)

    swept = await sweep_expiry(dispatcher=dispatcher, warning_seconds=0)

    assert len(swept.ending) == 1
    preview = await service.get_deployment(identity=ANALYST, deployment_id=held.deployment.id)
    assert preview.status is DeploymentStatus.CANCELLED


async def test_a_create_still_held_at_expiry_is_cancelled_and_its_stack_ends(
    requester: Requester, dispatcher: RecordingDispatcher
) -> None:
    accepted = await requester.stack(ANALYST, preview=True)
    await preview_and_hold(accepted.deployment.id)
    await expire_now(accepted.stack.id)
    await sweep_expiry(dispatcher=dispatcher, warning_seconds=0)

    swept = await sweep_expiry(dispatcher=dispatcher, warning_seconds=0)

    assert swept.ending == [accepted.deployment.id]
    assert dispatcher.enqueued[-1] == accepted.deployment.id  # to delete its change set
    create = await service.get_deployment(identity=ANALYST, deployment_id=accepted.deployment.id)
    assert create.status is DeploymentStatus.CANCELLED
    stack = await service.get_stack(identity=ANALYST, stack_id=accepted.stack.id)
    assert stack.status is StackStatus.CANCELLED
