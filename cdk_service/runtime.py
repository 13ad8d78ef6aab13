"""The composition root: the running service, built from settings in one place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import structlog
from aiohttp import web

from cdk_service.api.app import create_app
from cdk_service.api.context import Services
from cdk_service.catalog import service as catalog
from cdk_service.db.config import close_database, open_database
from cdk_service.db.embedded import start_embedded, stop_embedded
from cdk_service.db.upgrade import upgrade
from cdk_service.settings import Settings
from cdk_service.synthesis.cache import SynthCache
from cdk_service.synthesis.pool import SynthPool
from cdk_service.synthesis.service import SynthService
from stack_catalog.registry import Registry

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
    await open_database(url)
    stack.push_async_callback(close_database)


def synth_pool(settings: Settings) -> SynthPool:
    """The warm synth pool described by the settings."""
    return SynthPool(
        workers=settings.synth_workers,
        recycle_after=settings.synth_recycle_after,
        timeout_seconds=settings.synth_timeout_seconds,
        warm_timeout_seconds=settings.synth_warm_timeout_seconds,
        tmp_root=settings.state_dir / "synth",
    )


@asynccontextmanager
async def running_service(settings: Settings) -> AsyncIterator[Services]:
    """Database open, catalog in step with the code, synth pool warming; all closed on exit."""
    async with AsyncExitStack() as stack:
        await open_records(settings, stack, migrate=settings.migrate_on_start)
        registry = Registry.discover()
        await catalog.sync_registry(registry=registry)
        pool = synth_pool(settings)
        await pool.start()
        stack.push_async_callback(pool.close)
        synthesizer = SynthService(pool, SynthCache(settings.synth_cache_entries))
        yield Services(settings=settings, registry=registry, synthesizer=synthesizer)


async def service_app(settings: Settings) -> web.Application:
    """The application with its services started; they stop when the application cleans up."""
    stack = AsyncExitStack()
    services = await stack.enter_async_context(running_service(settings))
    app = create_app(services)

    async def stop(_: web.Application) -> None:
        await stack.aclose()

    app.on_cleanup.append(stop)
    return app
