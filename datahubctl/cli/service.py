"""``datahubctl serve``, ``up`` and ``db upgrade``: run the service and manage its schema."""

from __future__ import annotations

from contextlib import AsyncExitStack

import click
from aiohttp import web
from rich.table import Table

from bootstrap.frontend_build import REPOSITORY_FRONTEND, ensure_console
from cdk_service.backends import open_records
from cdk_service.jobs.app import celery_app
from cdk_service.runtime import service_app
from cdk_service.settings import Settings
from datahubctl.cli import console, main, run
from datahubctl.gateway.local_apis import LocalApiConfig, announcement, serving_local_apis
from datahubctl.local.broker import transport_options
from datahubctl.local.cognito import local_demo_teams
from datahubctl.local.platform import LocalPlatform, local_platform
from datahubctl.local.ports import refuse_a_taken_port
from service_contract.logging import configure_logging


@main.command()
@click.pass_context
def serve(ctx: click.Context) -> None:
    """Run the service (internal API and warm synth pool) until interrupted."""
    settings: Settings = ctx.obj
    configure_logging(settings.log_level, json=settings.log_json)
    app = service_app(settings, broker_options=transport_options(settings))
    web.run_app(app, host=settings.host, port=settings.port, print=None)


@main.command()
@click.option("--workers", default=1, show_default=True, help="Celery worker processes to start")
@click.option(
    "--search",
    type=click.Choice(["postgres", "opensearch"]),
    default="postgres",
    show_default=True,
    help="Search backend: opensearch starts a node (bash tools/opensearch/build first)",
)
@click.pass_context
def up(ctx: click.Context, workers: int, search: str) -> None:
    """Run the whole platform locally: service, workers, database, AWS (moto) and broker.

    An embedded PostgreSQL, moto's server as the AWS endpoint and a broker kept in files start
    unless DATAHUB_DATABASE_URL, DATAHUB_AWS_ENDPOINT_URL or DATAHUB_BROKER_URL name others.
    The schema is upgraded first, template versions new to the catalog are published and the
    default target account and the demo users' teams are registered. On moto, a Cognito pool
    with demo users and the local API gateway (the GraphQL APIs and the web console, built
    first when its build is missing or stale) start too; their addresses and the demo users
    are printed once each demo user has signed in through the gateway as the console does
    (or, instead of the console's address, why a sign-in fails).
    Ctrl-C stops everything it started.
    """
    settings = ctx.obj.model_copy(update={"migrate_on_start": True})
    # Someone at a terminal reads up's logs: lines for people unless JSON is asked for.
    asked_for_json = "log_json" in settings.model_fields_set and settings.log_json
    configure_logging(settings.log_level, json=asked_for_json)
    # Before anything starts: a port taken later would leave a traceback, or moto hanging.
    refuse_a_taken_port(
        settings.host,
        settings.port,
        what="the service",
        setting="DATAHUB_PORT",
        hint=" (and DATAHUB_SERVICE_URL to match)",
    )
    if not settings.aws_endpoint_url:  # the gateway, and so the console, run on moto only
        refuse_a_taken_port(
            settings.host,
            settings.gateway_port,
            what="the local API gateway",
            setting="DATAHUB_GATEWAY_PORT",
        )
        ensure_console(REPOSITORY_FRONTEND)
    with local_platform(settings, workers=workers, search=search) as platform:
        table = Table(title="DATAHUB is starting; Ctrl-C stops it", show_header=False)
        for what, where in platform.describe().items():
            table.add_row(what, where)
        console.print(table)
        web.run_app(_local_app(platform), host=settings.host, port=settings.port, print=None)


async def _local_app(platform: LocalPlatform) -> web.Application:
    """The service, joined by the local APIs when AWS is the local moto server."""
    app = await service_app(
        platform.settings,
        publish_new_versions=True,
        demo_teams=local_demo_teams(),
        broker_options=transport_options(platform.settings),
    )
    if platform.moto_url:
        settings = platform.settings
        config = LocalApiConfig(
            moto_url=platform.moto_url,
            service_url=settings.service_url,
            service_key=settings.resolved_service_key(),
            state_dir=settings.state_dir,
            region=settings.default_region,
            host=settings.host,
            port=settings.gateway_port,
            lambda_environments=settings.gateway_lambda_environments,
        )
        app.cleanup_ctx.append(
            serving_local_apis(
                config, lambda apis: console.print(announcement(apis), soft_wrap=True, markup=False)
            )
        )
    return app


@main.command()
@click.option("--concurrency", default=1, show_default=True, help="Deployments run at once")
@click.option(
    "--beat", is_flag=True, help="Also run the scheduler (resumer and expiry); in one worker only"
)
@click.pass_context
def worker(ctx: click.Context, concurrency: int, beat: bool) -> None:
    """Run a celery worker that carries out deployments (each process keeps a warm synth pool)."""
    settings: Settings = ctx.obj
    arguments = ["worker", "--loglevel", settings.log_level, "--concurrency", str(concurrency)]
    _celery(settings, [*arguments, "--beat"] if beat else arguments)


@main.command()
@click.pass_context
def scheduler(ctx: click.Context) -> None:
    """Run celery beat: it sends the resumer and the expiry sweep to the workers (run one)."""
    _celery(ctx.obj, ["beat", "--loglevel", ctx.obj.log_level])


def _celery(settings: Settings, arguments: list[str]) -> None:
    """Run a celery program on the app from the settings (beat keeps its state in state_dir)."""
    configure_logging(settings.log_level, json=settings.log_json)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    celery_app(settings, broker_options=transport_options(settings)).start(arguments)


@main.group()
def db() -> None:
    """The database schema."""


@db.command()
@click.pass_context
def upgrade(ctx: click.Context) -> None:
    """Apply pending migrations (to the embedded database when none is configured)."""
    settings: Settings = ctx.obj

    async def apply() -> None:
        async with AsyncExitStack() as stack:
            await open_records(settings, stack, migrate=True)

    run(apply())
    console.print("schema is up to date")
