"""Stacks fixtures: published versions, a dispatcher that records, and request helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import pytest

from cdk_service.db.models import (
    Deployment,
    DeploymentKind,
    DeploymentStatus,
    DeploymentStep,
    VersionStatus,
)
from cdk_service.deployments import previews, work
from cdk_service.stacks import service
from cdk_service.stacks.schemas import DeploymentAccepted, StackRequest
from service_contract.identity import Identity
from tests.conftest import Factories, StubDigestRegistry

DEFAULT_TARGET = {"default_account": "000000000000", "default_region": "us-east-1"}
OTHER_TEAM = Identity(user="grace", groups=frozenset({"finance"}))


@dataclass
class RecordingDispatcher:
    """Stands in for the job queue: remembers what was enqueued, in order."""

    enqueued: list[UUID] = field(default_factory=list)
    fail_with: Exception | None = None

    async def enqueue(self, deployment_id: UUID) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.enqueued.append(deployment_id)


@pytest.fixture
def dispatcher() -> RecordingDispatcher:
    return RecordingDispatcher()


@pytest.fixture
async def catalog(factories: Factories) -> Factories:
    """bucket 1.0.0 and 1.1.0 and queue 0.1.0, all published without constraints."""
    for name, version in (("bucket", "1.0.0"), ("bucket", "1.1.0"), ("queue", "0.1.0")):
        await factories.template_version(name, version, status=VersionStatus.PUBLISHED)
    return factories


def stack_order(**overrides: Any) -> StackRequest:
    """A request for a bucket stack of the analytics team."""
    values: dict[str, Any] = {
        "name": "sandbox",
        "team": "analytics",
        "template": "bucket",
        "version": "1.0.0",
        "params": {"bucket_name": "sandbox-data"},
    }
    return StackRequest.model_validate(values | overrides)


@dataclass
class Requester:
    """Calls the stacks service with the test registry and a recording dispatcher."""

    registry: StubDigestRegistry
    dispatcher: RecordingDispatcher

    async def stack(
        self, identity: Identity, key: str | None = None, **overrides: Any
    ) -> DeploymentAccepted:
        return await service.request_stack(
            registry=self.registry,
            dispatcher=self.dispatcher,
            identity=identity,
            order=stack_order(**overrides),
            idempotency_key=key,
            **DEFAULT_TARGET,
        )

    async def update(
        self, identity: Identity, stack_id: UUID, params: dict[str, Any], key: str | None = None
    ) -> DeploymentAccepted:
        return await service.request_update(
            registry=self.registry,
            dispatcher=self.dispatcher,
            identity=identity,
            stack_id=stack_id,
            params=params,
            idempotency_key=key,
        )

    async def upgrade(
        self, identity: Identity, stack_id: UUID, version: str, **params: Any
    ) -> DeploymentAccepted:
        return await service.request_upgrade(
            registry=self.registry,
            dispatcher=self.dispatcher,
            identity=identity,
            stack_id=stack_id,
            version=version,
            params=params,
        )

    async def destroy(
        self, identity: Identity, stack_id: UUID, *, force: bool = False
    ) -> DeploymentAccepted:
        return await service.request_destroy(
            dispatcher=self.dispatcher, identity=identity, stack_id=stack_id, force=force
        )

    async def active_stack(self, identity: Identity, **overrides: Any) -> DeploymentAccepted:
        """A stack whose create deployment a worker ran to success."""
        accepted = await self.stack(identity, **overrides)
        await run_to_end(accepted.deployment.id, outputs={"BucketName": "sandbox-data"})
        return accepted


async def claim_to(
    deployment_id: UUID,
    status: DeploymentStatus,
    step: DeploymentStep,
    *,
    worker: str = "worker-1",
    **recorded: Any,
) -> None:
    """Claim a deployment and record a step at ``status``, as a worker would."""
    assert await work.claim(deployment_id=deployment_id, worker_id=worker, lease_seconds=60)
    await work.record_step(
        deployment_id=deployment_id, worker_id=worker, step=step, status=status, **recorded
    )


async def preview_and_hold(deployment_id: UUID, *, worker: str = "worker-1") -> DeploymentStatus:
    """Claim a gated deployment, record its preview and hold it, as a worker would."""
    preview = {"changes": [], "diff": {"resources": []}}
    await claim_to(
        deployment_id,
        DeploymentStatus.PREVIEWING,
        DeploymentStep.CHANGE_SET_CREATED,
        worker=worker,
        preview=preview,
    )
    return await previews.hold(deployment_id=deployment_id, worker_id=worker)


async def run_to_end(
    deployment_id: UUID,
    *,
    status: DeploymentStatus = DeploymentStatus.SUCCEEDED,
    worker: str = "worker-1",
    **finish: Any,
) -> None:
    """Claim a deployment, execute and finish it, as a worker would."""
    arn = f"arn:aws:cloudformation:us-east-1:000000000000:stack/x/{deployment_id}"
    await claim_to(
        deployment_id,
        DeploymentStatus.EXECUTING,
        DeploymentStep.EXECUTING,
        worker=worker,
        cloudformation_stack_id=arn,
    )
    await work.finish(deployment_id=deployment_id, worker_id=worker, status=status, **finish)


async def unchecked_deployment(stack_id: UUID, kind: DeploymentKind) -> Deployment:
    """A queued deployment written straight to the database, past every service check."""
    first = await Deployment.filter(stack_id=stack_id).order_by("created_at").first()
    assert first is not None
    return await Deployment.create(
        stack_id=stack_id,
        kind=kind,
        status=DeploymentStatus.QUEUED,
        requester="system",
        request_digest="0" * 64,
        template_version_id=first.template_version_id,
        params=first.params,
    )


@pytest.fixture
def requester(
    catalog: Factories, test_registry: StubDigestRegistry, dispatcher: RecordingDispatcher
) -> Requester:
    return Requester(test_registry, dispatcher)
