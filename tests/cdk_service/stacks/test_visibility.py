"""Teams see and touch their own stacks only; admins all; lists filter and page stably."""

from __future__ import annotations

from uuid import UUID

import pytest

from cdk_service.db.models import StackStatus
from cdk_service.stacks import service
from cdk_service.stacks.schemas import StackFilter
from service_contract.errors import InvalidInput, NotFound
from tests.cdk_service.stacks.conftest import OTHER_TEAM


async def test_another_teams_stack_does_not_exist_for_them(requester, analyst, dispatcher):
    accepted = await requester.stack(analyst)
    stack_id, deployment_id = accepted.stack.id, accepted.deployment.id

    attempts = [
        service.get_stack(identity=OTHER_TEAM, stack_id=stack_id),
        service.get_deployment(identity=OTHER_TEAM, deployment_id=deployment_id),
        service.list_events(identity=OTHER_TEAM, deployment_id=deployment_id),
        requester.update(OTHER_TEAM, stack_id, {"retention_days": 7}),
        requester.destroy(OTHER_TEAM, stack_id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound) as raised:
            await attempt
        assert raised.value.code in {"stack_not_found", "deployment_not_found"}


async def test_admins_see_every_stack(requester, analyst, admin) -> None:
    accepted = await requester.stack(analyst)
    assert (await service.get_stack(identity=admin, stack_id=accepted.stack.id)).team == "analytics"


async def _names(identity, **filters) -> list[str]:
    page = await service.list_stacks(identity=identity, filters=StackFilter(**filters))
    return [stack.name for stack in page.stacks]


async def test_lists_show_the_callers_teams_and_filter(requester, analyst, admin) -> None:
    await requester.stack(analyst, name="mine")
    await requester.stack(admin, name="theirs", team="finance")
    await requester.stack(
        analyst, name="queue", template="queue", version="0.1.0", params={"queue_name": "jobs"}
    )

    assert await _names(analyst) == ["queue", "mine"]
    assert await _names(OTHER_TEAM) == ["theirs"]
    assert await _names(admin) == ["queue", "theirs", "mine"]
    assert await _names(admin, team="finance") == ["theirs"]
    assert await _names(analyst, team="finance") == []
    assert await _names(analyst, template="queue") == ["queue"]
    assert await _names(analyst, status=StackStatus.ACTIVE) == []


async def test_gone_stacks_are_listed_only_when_asked_for(requester, analyst, dispatcher) -> None:
    accepted = await requester.stack(analyst, name="short-lived")
    await service.cancel(
        dispatcher=dispatcher, identity=analyst, deployment_id=accepted.deployment.id
    )

    assert await _names(analyst) == []
    assert await _names(analyst, status=StackStatus.CANCELLED) == ["short-lived"]


async def test_pages_are_stable_while_stacks_are_added(requester, analyst) -> None:
    for n in range(5):
        await requester.stack(analyst, name=f"stack-{n}")
    everything = await _names(analyst, limit=100)

    first = await service.list_stacks(identity=analyst, filters=StackFilter(limit=2))
    await requester.stack(analyst, name="newcomer")
    second = await service.list_stacks(
        identity=analyst, filters=StackFilter(limit=2, cursor=first.next_cursor)
    )
    third = await service.list_stacks(
        identity=analyst, filters=StackFilter(limit=2, cursor=second.next_cursor)
    )

    names = [s.name for page in (first, second, third) for s in page.stacks]
    assert names == everything and sorted(names) == [f"stack-{n}" for n in range(5)]
    assert third.next_cursor is None


async def test_a_forged_cursor_is_invalid_input(requester, analyst) -> None:
    with pytest.raises(InvalidInput) as raised:
        await service.list_stacks(identity=analyst, filters=StackFilter(cursor="not-a-cursor"))
    assert raised.value.code == "invalid_cursor" and raised.value.field == "cursor"


async def test_a_stack_reads_as_it_was_accepted_and_as_it_lists(requester, analyst) -> None:
    accepted = await requester.stack(analyst)
    shown = await service.get_stack(identity=analyst, stack_id=accepted.stack.id)
    page = await service.list_stacks(identity=analyst, filters=StackFilter())
    assert shown == accepted.stack == page.stacks[0]
    assert shown.active_deployment_id == accepted.deployment.id


async def test_a_missing_stack_is_not_found(analyst) -> None:
    missing = UUID(int=1)
    with pytest.raises(NotFound) as raised:
        await service.get_stack(identity=analyst, stack_id=missing)
    assert raised.value.code == "stack_not_found"
