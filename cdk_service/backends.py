"""The backends that the service and the workers both open: the database and the synth pool."""

from __future__ import annotations

from contextlib import AsyncExitStack

import structlog

from cdk_service.db.config import close_database, open_database
from cdk_service.db.embedded import start_embedded, stop_embedded
from cdk_service.db.upgrade import upgrade
from cdk_service.settings import Settings
from cdk_service.synthesis.pool import SynthPool

log = structlog.get_logger(__name__)


async def database_url(settings: Settings, stack: AsyncExitStack) -> str:
    """The configured database, or an embedded PostgreSQL in the state directory."""
    if settings.database_url:
        return settings.database_url
    url = start_embedded(settings.state_dir)
    stack.callback(stop_embedded, settings.state_dir)
    log.info("embedded_database_started", state_dir=str(settings.state_dir))
    return url


async def open_records(settings: Settings, stack: AsyncExitStack, *, migrate: bool) -> None:
    """Connect to the database, upgrading its schema first when asked to."""
    url = await database_url(settings, stack)
    if migrate:
        applied = await upgrade(url)
        log.info("schema_upgraded", applied=applied)
    if await open_database(url):  # else it was open already (tests) and is not ours to close
        stack.push_async_callback(close_database)


def synth_pool(settings: Settings) -> SynthPool:
    """The warm synth pool described by the settings."""
    return SynthPool(
        workers=settings.synth_workers,
        recycle_after=settings.synth_recycle_after,
        timeout_seconds=settings.synth_timeout_seconds,
        warm_timeout_seconds=settings.synth_warm_timeout_seconds,
        tmp_root=settings.state_dir / "synth",
        max_waiting=settings.synth_max_waiting,
    )
