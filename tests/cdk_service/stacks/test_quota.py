"""Per-team quotas from the version's constraints count the team's live stacks."""

from __future__ import annotations

import asyncio

import pytest

from cdk_service.db.models import DeploymentStatus, TemplateVersion
from cdk_service.stacks import service
from service_contract.errors import Conflict
from tests.cdk_service.stacks.conftest import run_to_end


@pytest.fixture
async def quota_of_two(catalog) -> None:
    await TemplateVersion.filter(version="1.0.0").update(constraints={"quota_per_team": 2})


async def test_a_team_gets_no_more_live_stacks_than_its_quota(
    requester, analyst, admin, quota_of_two
) -> None:
    await requester.stack(analyst, name="one")
    await requester.stack(analyst, name="two")

    with pytest.raises(Conflict) as raised:
        await requester.stack(analyst, name="three")

    assert raised.value.code == "quota_exceeded"
    assert raised.value.details == {"quota": 2, "live": 2}
    assert (await requester.stack(admin, name="three", team="finance")).stack.team == "finance"
    assert (
        await requester.stack(
            analyst, name="three", template="queue", version="0.1.0", params={"queue_name": "jobs"}
        )
    ).stack.template == "queue"


async def test_concurrent_requests_cannot_overrun_the_quota(requester, analyst, quota_of_two):
    results = await asyncio.gather(
        *(requester.stack(analyst, name=f"stack-{n}") for n in range(4)), return_exceptions=True
    )

    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(refused) == 2 and {r.code for r in refused} == {"quota_exceeded"}


async def test_destroyed_and_cancelled_stacks_free_their_place(
    requester, analyst, dispatcher, quota_of_two
) -> None:
    destroyed = await requester.active_stack(analyst, name="one")
    cancelled = await requester.stack(analyst, name="two")
    destroy = await requester.destroy(analyst, destroyed.stack.id)
    await run_to_end(destroy.deployment.id)
    await service.cancel(
        dispatcher=dispatcher, identity=analyst, deployment_id=cancelled.deployment.id
    )

    await requester.stack(analyst, name="three")
    again = await requester.stack(analyst, name="one")
    assert again.deployment.status is DeploymentStatus.QUEUED


async def test_an_upgrade_counts_against_the_new_versions_quota(requester, analyst) -> None:
    await TemplateVersion.filter(version="1.1.0").update(constraints={"quota_per_team": 1})
    await requester.stack(analyst, name="newer", version="1.1.0")
    older = await requester.active_stack(analyst, name="older")

    with pytest.raises(Conflict) as raised:
        await requester.upgrade(analyst, older.stack.id, "1.1.0")
    assert raised.value.code == "quota_exceeded"
