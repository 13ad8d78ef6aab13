"""Accepting a change once: a repeated Idempotency-Key returns the deployment it first made."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from tortoise.exceptions import IntegrityError

from cdk_service.db.models import Deployment, Stack
from cdk_service.stacks import repository
from cdk_service.stacks.dispatch import Dispatcher, dispatch
from cdk_service.stacks.policies import stack_not_found
from cdk_service.stacks.presenters import accepted
from cdk_service.stacks.schemas import DeploymentAccepted
from service_contract.errors import Conflict, DatahubError
from service_contract.identity import Identity
from service_contract.limits import checked_idempotency_key

Write = Callable[[], Awaitable[tuple[Stack, Deployment]]]
Explain = Callable[[], Awaitable[DatahubError | None]]


def checked_key(key: str | None) -> str | None:
    """The ``Idempotency-Key`` header, if given, when it is 1 to 128 printable ASCII characters."""
    return checked_idempotency_key(key, field="Idempotency-Key")


def request_digest(kind: str, request: dict[str, Any]) -> str:
    """SHA-256 of the request as canonical JSON, so a retry can be told from a new request."""
    canonical = json.dumps({"kind": kind, **request}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def first_made(identity: Identity, key: str | None, digest: str) -> Deployment | None:
    """The deployment this requester's key made before, if any; 409 if it was another request."""
    if key is None:
        return None
    first = await repository.find_by_idempotency_key(identity.user, key)
    if first is not None and first.request_digest != digest:
        raise Conflict(
            "this Idempotency-Key was used for a different request",
            code="idempotency_key_reused",
            details={"deployment_id": str(first.id)},
        )
    return first


async def _replayed(first: Deployment) -> DeploymentAccepted:
    stack = await repository.get_stack(first.stack_id)
    if stack is None:  # deployments are never deleted without their stack
        raise stack_not_found(first.stack_id)
    active = await repository.active_deployment(stack.id)
    return accepted(stack, first, None if active is None else active.id, replayed=True)


async def accept_once(
    *,
    identity: Identity,
    key: str | None,
    digest: str,
    write: Write,
    explain: Explain,
    dispatcher: Dispatcher,
) -> DeploymentAccepted:
    """Run ``write`` unless the key already made a deployment; enqueue what it committed.

    When the database refuses the write (a concurrent request won a uniqueness race), the
    answer is the concurrent request's deployment for the same key, else what ``explain`` says.
    """
    if (first := await first_made(identity, key, digest)) is not None:
        # The first answer may never have reached the caller (a connection lost at the commit)
        # and its message not been sent: queue it again while it waits (a duplicate is harmless).
        await dispatch(dispatcher, first)
        return await _replayed(first)
    try:
        stack, deployment = await write()
    except IntegrityError as error:
        if (first := await first_made(identity, key, digest)) is not None:
            return await _replayed(first)
        if (problem := await explain()) is not None:
            raise problem from error
        raise
    await dispatch(dispatcher, deployment)
    return accepted(stack, deployment, deployment.id, replayed=False)
