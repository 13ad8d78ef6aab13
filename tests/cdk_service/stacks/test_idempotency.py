"""An Idempotency-Key makes a retried request return the deployment it first made."""

from __future__ import annotations

import asyncio

import pytest

from cdk_service.db.models import Deployment, Stack
from service_contract.errors import Conflict, InvalidInput
from service_contract.identity import Identity


async def test_the_same_key_returns_the_first_deployment(requester, analyst, dispatcher) -> None:
    first = await requester.stack(analyst, key="retry-1")
    again = await requester.stack(analyst, key="retry-1")

    assert again.replayed and not first.replayed
    assert again.deployment.id == first.deployment.id and again.stack.id == first.stack.id
    assert await Deployment.all().count() == 1
    # Queued again while it waits: the first answer, and its message, may have been lost.
    assert dispatcher.enqueued == [first.deployment.id, first.deployment.id]


async def test_the_same_key_with_a_different_body_is_refused(requester, analyst) -> None:
    first = await requester.stack(analyst, key="retry-1")

    with pytest.raises(Conflict) as raised:
        await requester.stack(analyst, key="retry-1", name="other")

    assert raised.value.code == "idempotency_key_reused"
    assert raised.value.details == {"deployment_id": str(first.deployment.id)}


async def test_keys_belong_to_their_requester(requester, analyst) -> None:
    colleague = Identity(user="annie", groups=frozenset({"analytics"}))
    first = await requester.stack(analyst, key="shared")
    second = await requester.stack(colleague, key="shared", name="annies")
    assert second.deployment.id != first.deployment.id and not second.replayed


async def test_concurrent_requests_with_one_key_make_one_deployment(requester, analyst) -> None:
    results = await asyncio.gather(*(requester.stack(analyst, key="burst") for _ in range(3)))

    assert len({result.deployment.id for result in results}) == 1
    assert sum(not result.replayed for result in results) == 1
    assert await Stack.all().count() == 1


async def test_a_key_for_a_change_is_tied_to_the_stack_and_the_change(requester, analyst):
    stack = (await requester.active_stack(analyst)).stack
    first = await requester.update(analyst, stack.id, {"retention_days": 7}, key="change-1")
    again = await requester.update(analyst, stack.id, {"retention_days": 7}, key="change-1")
    assert again.replayed and again.deployment.id == first.deployment.id

    with pytest.raises(Conflict) as raised:
        await requester.update(analyst, stack.id, {"retention_days": 8}, key="change-1")
    assert raised.value.code == "idempotency_key_reused"


async def test_a_key_must_be_printable_ascii(requester, analyst) -> None:
    with pytest.raises(InvalidInput) as raised:
        await requester.stack(analyst, key="has space")
    assert raised.value.code == "invalid_idempotency_key"
