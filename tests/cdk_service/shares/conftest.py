"""Shares fixtures: an owner team's active dataset stack, a requesting team's roles, the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from aiohttp.test_utils import TestClient

from cdk_service.api.app import create_app
from cdk_service.api.context import Services
from cdk_service.datasets.from_stacks import register_from_stack
from cdk_service.db.models import (
    Dataset,
    Deployment,
    PrincipalGrant,
    Stack,
    Team,
    VersionStatus,
)
from cdk_service.settings import Settings
from cdk_service.shares import flows, service
from cdk_service.shares.schemas import ShareDetail, ShareRequest
from cdk_service.stacks import service as stacks
from cdk_service.stacks.schemas import StackRequest
from service_contract.identity import Identity
from stack_catalog.registry import Registry
from tests.cdk_service.api.conftest import KEY, Caller, FakeSynthesizer
from tests.cdk_service.stacks.conftest import DEFAULT_TARGET, RecordingDispatcher, run_to_end
from tests.conftest import ADMIN, Factories

OWNER = Identity(user="olga", groups=frozenset({"analytics"}))
REQUESTER = Identity(user="rita", groups=frozenset({"finance"}))
OUTSIDER = Identity(user="carl", groups=frozenset({"marketing"}))
READER = "arn:aws:iam::123456789012:role/finance-reader"
OTHER_READER = "arn:aws:iam::123456789012:role/finance-auditor"
OWNERS_OWN = "arn:aws:iam::123456789012:role/analytics-bi"


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.discover()


@dataclass
class Sharing:
    """The service with the real registry and a recording dispatcher; a worker's part too."""

    registry: Registry
    dispatcher: RecordingDispatcher

    @property
    def wired(self) -> dict[str, Any]:
        return {"registry": self.registry, "dispatcher": self.dispatcher}

    async def dataset(self, name: str = "orders", **params: Any) -> Dataset:
        """An active dataset stack of the analytics team, and the dataset it registered."""
        order = StackRequest(
            name=name,
            team="analytics",
            template="dataset",
            version="1.0.0",
            params={"dataset_name": name, **params},
        )
        accepted = await stacks.request_stack(
            registry=self.registry,
            dispatcher=self.dispatcher,
            identity=OWNER,
            order=order,
            idempotency_key=None,
            default_account=DEFAULT_TARGET["default_account"],
            default_region=DEFAULT_TARGET["default_region"],
        )
        await run_to_end(accepted.deployment.id, outputs={"DataLocation": f"s3://b-{name}/data/"})
        await register_from_stack(await Stack.get(id=accepted.stack.id))
        return await Dataset.get(stack_id=accepted.stack.id)

    async def request(
        self, dataset: Dataset, principal: str = READER, identity: Identity = REQUESTER
    ) -> ShareDetail:
        order = ShareRequest(
            dataset_id=dataset.id, team="finance", principal_arn=principal, reason="month end"
        )
        return await service.request_share(identity=identity, order=order)

    async def approve(self, share_id: UUID, identity: Identity = OWNER) -> ShareDetail:
        return await service.approve(**self.wired, identity=identity, share_id=share_id, note="")

    async def revoke(self, share_id: UUID, identity: Identity = REQUESTER) -> ShareDetail:
        return await service.revoke(**self.wired, identity=identity, share_id=share_id, note="")

    async def get(self, share_id: UUID) -> ShareDetail:
        return await service.get_share(identity=ADMIN, share_id=share_id)

    async def deploy_last(self, **finish: Any) -> Deployment:
        """Run the newest queued deployment to its end as a worker, then its after-step."""
        deployment = await Deployment.get(id=self.dispatcher.enqueued[-1])
        await run_to_end(deployment.id, **finish)
        await flows.after_deployment(deployment.id, dispatcher=self.dispatcher)
        return deployment


@pytest.fixture
async def sharing(factories: Factories, registry: Registry) -> Sharing:
    """Teams, published dataset and data-environment versions, the finance team's roles."""
    built = Factories(registry)
    for slug in ("analytics", "finance", "marketing"):
        await built.team(slug)
    for name in ("dataset", "data-environment"):
        await built.template_version(name, "1.0.0", status=VersionStatus.PUBLISHED)
    finance = await Team.get(slug="finance")
    for arn in (READER, OTHER_READER):
        await PrincipalGrant.create(principal_arn=arn, team=finance, granted_by="ada")
    return Sharing(registry, RecordingDispatcher())


@pytest.fixture
async def client(aiohttp_client: Any, sharing: Sharing, tmp_path: Any) -> TestClient:
    settings = Settings(service_key=KEY, state_dir=tmp_path)
    services = Services(
        settings=settings,
        registry=sharing.registry,
        synthesizer=FakeSynthesizer(),
        dispatcher=sharing.dispatcher,
    )
    return await aiohttp_client(create_app(services))


@pytest.fixture
def as_user(client: TestClient) -> Callable[[Identity], Caller]:
    return lambda identity: Caller(client, identity)
