"""The composition root: the running service, built from settings in one place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import structlog
from aiohttp import web

from cdk_service.api.app import create_app
from cdk_service.api.context import Services
from cdk_service.catalog import service as catalog
from cdk_service.catalog.schemas import Constraints
from cdk_service.db.config import close_database, open_database
from cdk_service.db.embedded import start_embedded, stop_embedded
from cdk_service.db.upgrade import upgrade
from cdk_service.identity import ADMIN_GROUP, Identity
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
    )


@asynccontextmanager
async def running_service(
    settings: Settings, *, publish_new_versions: bool = False
) -> AsyncIterator[Services]:
    """Database open, catalog in step with the code, synth pool warm; all closed on exit.

    ``publish_new_versions`` publishes the versions first seen on this start, unconstrained:
    what a local ``datahubctl up`` wants, never a production service.
    """
    async with AsyncExitStack() as stack:
        await open_records(settings, stack, migrate=settings.migrate_on_start)
        registry = Registry.discover()
        report = await catalog.sync_registry(registry=registry)
        if publish_new_versions:
            await publish_all(registry, report.registered, settings)
        pool = synth_pool(settings)
        await pool.start()
        stack.push_async_callback(pool.close)
        synthesizer = SynthService(pool, SynthCache(settings.synth_cache_entries))
        yield Services(settings=settings, registry=registry, synthesizer=synthesizer)


async def publish_all(registry: Registry, keys: list[str], settings: Settings) -> None:
    """Publish ``name@version`` keys as the operator, with no constraints."""
    operator = Identity(user=settings.operator_user, groups=frozenset({ADMIN_GROUP}))
    for key in keys:
        name, _, version = key.partition("@")
        await catalog.publish(
            registry=registry,
            identity=operator,
            name=name,
            version=version,
            constraints=Constraints(),
        )
        log.info("template_published", template=name, version=version)


async def service_app(settings: Settings, *, publish_new_versions: bool = False) -> web.Application:
    """The application with its services started; they stop when the application cleans up."""
    stack = AsyncExitStack()
    services = await stack.enter_async_context(
        running_service(settings, publish_new_versions=publish_new_versions)
    )
    app = create_app(services)

    async def stop(_: web.Application) -> None:
        await stack.aclose()

    app.on_cleanup.append(stop)
    return app
