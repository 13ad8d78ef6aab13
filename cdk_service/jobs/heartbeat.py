"""Keeping a lease while a step runs: a worker renews it in the background, so only a worker
that died (or whose event loop froze) lets it run out, however long an AWS call takes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from uuid import UUID

import structlog

from cdk_service.db.outage import connection_lost
from cdk_service.deployments import work

log = structlog.get_logger(__name__)
RENEWALS_PER_LEASE = 3


@contextlib.asynccontextmanager
async def lease_kept(
    *, deployment_id: UUID, worker_id: str, lease_seconds: float
) -> AsyncIterator[None]:
    """Renew the lease every third of its length until the block ends or the lease is lost
    (the block's next write then raises ``LeaseLost``)."""

    async def renew_until_lost() -> None:
        pause = lease_seconds / RENEWALS_PER_LEASE
        while True:
            await asyncio.sleep(pause)
            try:
                await work.renew(
                    deployment_id=deployment_id, worker_id=worker_id, lease_seconds=lease_seconds
                )
            except work.LeaseLost:
                log.info("lease_lost", deployment_id=str(deployment_id), renewing=True)
                return
            except Exception as error:
                if not connection_lost(error):
                    raise
                # The database is away (a failover): try again soon, well before the lease ends.
                log.warning("lease_renewal_failed", deployment_id=str(deployment_id))
                pause = min(1.0, lease_seconds / RENEWALS_PER_LEASE)
            else:
                pause = lease_seconds / RENEWALS_PER_LEASE

    renewing = asyncio.create_task(renew_until_lost())
    try:
        yield
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewing
