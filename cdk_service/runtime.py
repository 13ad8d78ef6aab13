"""The composition root: the running service, built from settings in one place."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Set
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import structlog
from aiohttp import web

from cdk_service.api.app import create_app
from cdk_service.api.context import Services
from cdk_service.backends import open_records, synth_pool
from cdk_service.bundles.store import bundle_store
from cdk_service.catalog import service as catalog
from cdk_service.catalog.schemas import Constraints
from cdk_service.jobs.app import celery_app
from cdk_service.jobs.tasks import CeleryDispatcher
from cdk_service.search.backends import indexer_of, search_backend
from cdk_service.search.indexer import indexing
from cdk_service.settings import Settings
from cdk_service.synthesis.cache import SynthCache
from cdk_service.synthesis.service import SynthService
from cdk_service.teams import repository as team_repository
from cdk_service.teams import service as teams
from cdk_service.teams.service import TargetAccountCreate, TeamCreate
from service_contract.identity import ADMIN_GROUP, Identity
from stack_catalog.registry import Registry

log = structlog.get_logger(__name__)
DEFAULT_DEPLOY_ROLE = "datahub-deploy"  # the role bootstrap creates in a target account


@asynccontextmanager
async def running_service(
    settings: Settings,
    *,
    publish_new_versions: bool = False,
    demo_teams: Set[str] = frozenset(),
    broker_options: Mapping[str, Any] | None = None,
) -> AsyncIterator[Services]:
    """Database open, catalog in step with the code, synth pool warm; all closed on exit.

    ``publish_new_versions`` publishes the versions first seen on this start, unconstrained,
    and registers the default target account and ``demo_teams``: what a local
    ``datahubctl up`` wants, never a production service. ``broker_options``: the celery
    transport's (the laptop's file broker's folders), given by the command that runs this.
    """
    async with AsyncExitStack() as stack:
        await open_records(settings, stack, migrate=settings.migrate_on_start)
        registry = Registry.discover()
        report = await catalog.sync_registry(registry=registry)
        if publish_new_versions:
            await publish_all(registry, report.registered, settings)
            await register_local_defaults(settings, demo_teams=demo_teams)
        pool = synth_pool(settings)
        await pool.start()
        stack.push_async_callback(pool.close)
        synthesizer = SynthService(
            pool, SynthCache(settings.synth_cache_entries), bundle_store(settings)
        )
        dispatcher = CeleryDispatcher(celery_app(settings, broker_options=broker_options))
        search = search_backend(settings)
        stack.push_async_callback(search.close)
        await search.prepare()
        if settings.search_indexer:
            await stack.enter_async_context(indexing(indexer_of(settings, search)))
        yield Services(
            settings=settings,
            registry=registry,
            synthesizer=synthesizer,
            dispatcher=dispatcher,
            search=search,
        )


async def publish_all(registry: Registry, keys: list[str], settings: Settings) -> None:
    """Publish ``name@version`` keys as the operator, with no constraints."""
    operator = _operator(settings)
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


async def register_local_defaults(settings: Settings, *, demo_teams: Set[str]) -> None:
    """The default target account and the local demo users' teams, where not registered."""
    await register_default_target(settings)
    known = {team.slug for team in await team_repository.list_teams(None)}
    for slug in sorted(set(demo_teams) - known):
        await teams.create_team(identity=_operator(settings), team=TeamCreate(slug=slug, name=slug))
        log.info("team_registered", team=slug)


async def register_default_target(settings: Settings) -> None:
    """The settings' default account and region as a target account, unless registered."""
    account, region = settings.default_account, settings.default_region
    if await team_repository.get_target_account(account, region) is not None:
        return
    await teams.create_target_account(
        identity=_operator(settings),
        account=TargetAccountCreate(
            account=account,
            region=region,
            deploy_role_arn=f"arn:aws:iam::{account}:role/{DEFAULT_DEPLOY_ROLE}",
            name=f"default ({account} {region})",
        ),
    )
    log.info("target_account_registered", account=account, region=region)


def _operator(settings: Settings) -> Identity:
    return Identity(user=settings.operator_user, groups=frozenset({ADMIN_GROUP}))


async def service_app(
    settings: Settings,
    *,
    publish_new_versions: bool = False,
    demo_teams: Set[str] = frozenset(),
    broker_options: Mapping[str, Any] | None = None,
) -> web.Application:
    """The application with its services started (as ``running_service`` has them); they
    stop when the application cleans up."""
    stack = AsyncExitStack()
    services = await stack.enter_async_context(
        running_service(
            settings,
            publish_new_versions=publish_new_versions,
            demo_teams=demo_teams,
            broker_options=broker_options,
        )
    )
    app = create_app(services)

    async def stop(_: web.Application) -> None:
        await stack.aclose()

    app.on_cleanup.append(stop)
    return app
