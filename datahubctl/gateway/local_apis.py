"""The two GraphQL APIs of a local config: Cognito pool and demo users, a pipeline IAM user,
and the gateway running the Lambdas, all on the local moto server.

The gateway's process is the Lambdas' runtime, so their ``DATAHUB_*`` variables are set in its
environment, as Lambda would set them from the function's configuration. ``datahubctl up``
announces the APIs once each demo user has signed in through them as the web console does
(``sign_in_check``), and says why when one could not.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

import aiohttp
import structlog
from aiohttp import web

from bootstrap.frontend_build import BUILD, REPOSITORY_FRONTEND
from datahubctl.cognito import aws_client
from datahubctl.gateway.app import Functions, GatewayConfig
from datahubctl.gateway.console import CognitoSettings, ConsoleSite, is_console_build
from datahubctl.gateway.events import Stage
from datahubctl.gateway.principals import ensure_pipeline_user
from datahubctl.gateway.running import running_gateway
from datahubctl.gateway.sign_in_check import (
    ConsoleSignIn,
    SignInFailed,
    check_sign_in,
    service_answering,
)
from datahubctl.gateway.sigv4 import IamPrincipal
from datahubctl.local.cognito import LocalCognito, ensure_local_cognito, remember_local_pool

log = structlog.get_logger("datahub.local_gateway")
# Each request of the sign-in check: the first ones wait for the Lambdas' environments' init.
SIGN_IN_REQUEST_SECONDS = 60.0


@dataclass(frozen=True)
class LocalApis:
    """Where the local APIs are, who may call them, and whether a sign-in works through them."""

    url: str
    cognito: LocalCognito
    pipeline: IamPrincipal
    serves_console: bool = False
    sign_in_failure: str | None = None  # why a demo user could not sign in, when one could not

    @property
    def backend_url(self) -> str:
        """The Backend API (Cognito id tokens)."""
        return f"{self.url}/graphql"

    @property
    def metadata_url(self) -> str:
        """The Metadata API (SigV4, service ``execute-api``)."""
        return f"{self.url}/metadata/graphql"

    @property
    def explorer_url(self) -> str:
        """GraphiQL on the Backend API."""
        return f"{self.url}/explorer"

    @property
    def console_url(self) -> str | None:
        """The web console, when a built one is served and no sign-in is known to fail."""
        return f"{self.url}/" if self.serves_console and not self.sign_in_failure else None


def repository_console() -> Path | None:
    """This checkout's built console (``frontend/dist``), if it has been built."""
    build = REPOSITORY_FRONTEND / BUILD
    return build if is_console_build(build) else None


@dataclass(frozen=True)
class LocalApiConfig:
    """What the local APIs are built on (moto, the service, the state directory) and where."""

    moto_url: str
    service_url: str
    service_key: bytes
    state_dir: Path
    region: str = "us-east-1"
    host: str = "127.0.0.1"
    port: int = 8765
    lambda_environments: int = 4  # processes per function, as Lambda runs them; 0: threads
    console_dir: Path | None = field(default_factory=repository_console)
    service_start_seconds: float = 60.0  # how long the sign-in check waits for the service


def lambda_environment(config: LocalApiConfig, pool: LocalCognito) -> dict[str, str]:
    """The Lambdas' configuration for the local config."""
    return {
        **pool.lambda_environment(config.moto_url),
        "DATAHUB_SERVICE_URL": config.service_url,
        "DATAHUB_SERVICE_KEY": config.service_key.decode(),
    }


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """``values`` set in this process's environment for the block, then put back as they were."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@asynccontextmanager
async def running_local_apis(
    config: LocalApiConfig, functions: Functions | None = None
) -> AsyncIterator[LocalApis]:
    """Sets up identities on moto (idempotently) and serves the gateway until the block ends.

    ``functions`` defaults to the ``api_lambdas`` handlers.
    """
    cognito = aws_client("cognito-idp", config.region, config.moto_url)
    iam = aws_client("iam", config.region, config.moto_url)
    pool = await asyncio.to_thread(ensure_local_cognito, cognito)
    pipeline = await asyncio.to_thread(ensure_pipeline_user, iam)
    remember_local_pool(config.state_dir, pool, config.moto_url)
    gateway = GatewayConfig(
        stage=Stage(region=config.region, account_id=pipeline.account_id),
        principals={pipeline.access_key_id: pipeline},
        console=console_site(config, pool),
        lambda_environments=config.lambda_environments,
    )
    functions = functions or Functions.from_modules()
    with environment(lambda_environment(config, pool)):
        async with running_gateway(functions, gateway, host=config.host, port=config.port) as url:
            serves_console = gateway.console is not None
            yield LocalApis(url=url, cognito=pool, pipeline=pipeline, serves_console=serves_console)


def console_site(config: LocalApiConfig, pool: LocalCognito) -> ConsoleSite | None:
    """The built console signing in with the local pool on moto, if there is a build."""
    if config.console_dir is None or not is_console_build(config.console_dir):
        return None
    cognito = CognitoSettings(pool.region, pool.user_pool_id, pool.client_id, config.moto_url)
    return ConsoleSite(config.console_dir, cognito)


def serving_local_apis(
    config: LocalApiConfig, on_ready: Callable[[LocalApis], None]
) -> Callable[[web.Application], AsyncIterator[None]]:
    """A ``cleanup_ctx`` entry: the local APIs start and stop with the application they join.

    ``on_ready`` hears of them once the service answers and each demo user has signed in
    through them as the console does (or with ``sign_in_failure`` saying why one could not):
    after the application has started, since the service listens only then.
    """

    async def context(app: web.Application) -> AsyncIterator[None]:
        async with running_local_apis(config) as apis:
            announcing = asyncio.create_task(announce_when_signed_in(apis, config, on_ready))
            yield
            announcing.cancel()
            with suppress(asyncio.CancelledError):
                await announcing

    return context


async def announce_when_signed_in(
    apis: LocalApis, config: LocalApiConfig, on_ready: Callable[[LocalApis], None]
) -> None:
    """``on_ready`` with ``apis`` once a sign-in works through them, or with why it does not."""
    on_ready(await checked_sign_in(apis, config))


async def checked_sign_in(apis: LocalApis, config: LocalApiConfig) -> LocalApis:
    """``apis``, once the service answers and each demo user has signed in and read ``me`` as
    the console does; with ``sign_in_failure`` set when one could not."""
    console = ConsoleSignIn(
        origin=apis.url,
        cognito_endpoint=config.moto_url,
        client_id=apis.cognito.client_id,
        graphql_url=apis.backend_url,
    )
    timeout = aiohttp.ClientTimeout(total=SIGN_IN_REQUEST_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        try:
            await service_answering(http, config.service_url, config.service_start_seconds)
            for user in apis.cognito.users:
                await check_sign_in(http, console, user)
        except SignInFailed as failure:
            log.error("console_sign_in_failed", step=failure.step, reason=str(failure))
            return replace(apis, sign_in_failure=str(failure))
    return apis


def announcement(apis: LocalApis) -> str:
    """What ``datahubctl up`` prints: where the APIs are and the demo identities (local only)."""
    users = "\n".join(
        f"    {user.username:<14} password {user.password:<24} groups {', '.join(user.groups)}"
        for user in apis.cognito.users
    )
    pipeline = apis.pipeline
    return (
        f"{_console_line(apis)}"
        f"GraphQL API       {apis.backend_url}  (Cognito id token; `datahubctl login`)\n"
        f"Metadata API      {apis.metadata_url}  (SigV4, service execute-api)\n"
        f"GraphQL explorer  {apis.explorer_url}\n"
        f"  demo users (user pool {apis.cognito.user_pool_id}):\n{users}\n"
        f"  demo pipeline {pipeline.arn}:\n"
        f"    AWS_ACCESS_KEY_ID={pipeline.access_key_id} "
        f"AWS_SECRET_ACCESS_KEY={pipeline.secret_access_key}"
    )


def _console_line(apis: LocalApis) -> str:
    """Why a sign-in fails (and then no console address), or the console's address, if any."""
    if apis.sign_in_failure:
        return f"Sign-in fails     {apis.sign_in_failure}\n"
    return f"Web console       {apis.console_url}\n" if apis.console_url else ""
