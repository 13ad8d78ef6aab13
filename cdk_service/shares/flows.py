"""What follows a deployment of a shared dataset's stack, run by the worker that ended it."""

from __future__ import annotations

from functools import cache
from uuid import UUID

import structlog

from cdk_service.shares import grants, repository
from cdk_service.stacks import repository as stacks
from cdk_service.stacks.dispatch import Dispatcher
from stack_catalog.registry import Registry

log = structlog.get_logger(__name__)


@cache
def _registry() -> Registry:
    return Registry.discover()


async def after_deployment(deployment_id: UUID, *, dispatcher: Dispatcher) -> None:
    """Record the grants and revocations an ended deployment made (a destroy ends them all),
    and start the next one owed. A failure here is logged: the next read of a waiting share
    settles its stack again."""
    try:
        deployment = await stacks.get_deployment(deployment_id)
        if deployment is None or deployment.active is not None:
            return
        if not await repository.shares_of_stack(deployment.stack_id, repository.LIVE):
            return
        await grants.settle(
            registry=_registry(),
            dispatcher=dispatcher,
            identity=grants.SYSTEM,
            stack_id=deployment.stack_id,
        )
    except Exception:  # the deployment's own outcome stands; shares settle on their next read
        log.exception("shares_not_settled", deployment_id=str(deployment_id))
