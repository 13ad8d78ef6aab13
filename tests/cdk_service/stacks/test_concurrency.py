"""One active deployment per stack: the service says which one, and the database insists."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.exceptions import IntegrityError

from cdk_service.db.models import Deployment, DeploymentKind
from cdk_service.stacks import repository
from service_contract.errors import Conflict
from tests.cdk_service.stacks.conftest import run_to_end, unchecked_deployment


async def assert_one_won_and_the_other_names_it(results, stack_id) -> None:
    [winner] = [r for r in results if not isinstance(r, BaseException)]
    [loser] = [r for r in results if isinstance(r, BaseException)]
    assert isinstance(loser, Conflict) and loser.code == "deployment_in_progress"
    assert loser.details == {"deployment_id": str(winner.deployment.id)}
    assert await Deployment.filter(stack_id=stack_id, active=True).count() == 1


async def test_two_concurrent_updates_one_wins_the_other_names_it(requester, analyst) -> None:
    stack = (await requester.active_stack(analyst)).stack

    results = await asyncio.gather(
        requester.update(analyst, stack.id, {"retention_days": 7}),
        requester.update(analyst, stack.id, {"retention_days": 8}),
        return_exceptions=True,
    )

    await assert_one_won_and_the_other_names_it(results, stack.id)


async def test_a_second_change_while_one_is_active_is_refused(requester, analyst) -> None:
    stack = (await requester.active_stack(analyst)).stack
    update = await requester.update(analyst, stack.id, {"retention_days": 7})

    with pytest.raises(Conflict) as raised:
        await requester.destroy(analyst, stack.id)

    assert raised.value.details == {"deployment_id": str(update.deployment.id)}


async def test_the_database_refuses_a_second_active_deployment(requester, analyst) -> None:
    accepted = await requester.stack(analyst)

    with pytest.raises(IntegrityError):
        await unchecked_deployment(accepted.stack.id, DeploymentKind.UPDATE)


async def test_with_the_code_check_bypassed_the_constraint_still_names_the_winner(
    requester, analyst, monkeypatch
) -> None:
    stack = (await requester.active_stack(analyst)).stack
    real_active = repository.active_deployment
    calls = 0

    async def blind_first_look(stack_id):
        nonlocal calls
        calls += 1
        return None if calls <= 2 else await real_active(stack_id)

    monkeypatch.setattr(repository, "active_deployment", blind_first_look)

    results = await asyncio.gather(
        requester.update(analyst, stack.id, {"retention_days": 7}),
        requester.update(analyst, stack.id, {"retention_days": 8}),
        return_exceptions=True,
    )

    await assert_one_won_and_the_other_names_it(results, stack.id)


async def test_a_finished_deployment_frees_the_stack(requester, analyst) -> None:
    stack = (await requester.active_stack(analyst)).stack
    update = await requester.update(analyst, stack.id, {"retention_days": 7})
    await run_to_end(update.deployment.id)

    destroy = await requester.destroy(analyst, stack.id)
    assert destroy.deployment.kind is DeploymentKind.DESTROY
