"""The two GraphQL APIs of a local config: Cognito pool and demo users, a pipeline IAM user,
and the gateway running the Lambdas, all on the local moto server.

The gateway's process is the Lambdas' runtime, so their ``DATAHUB_*`` variables are set in its
environment, as Lambda would set them from the function's configuration.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from api_lambdas.local_gateway.app import Functions, GatewayConfig
from api_lambdas.local_gateway.console import CognitoSettings, ConsoleSite, is_console_build
from api_lambdas.local_gateway.events import Stage
from api_lambdas.local_gateway.principals import ensure_pipeline_user
from api_lambdas.local_gateway.running import running_gateway
from api_lambdas.local_gateway.sigv4 import IamPrincipal
from cdk_service.cognito import aws_client
from cdk_service.local.cognito import LocalCognito, ensure_local_cognito, remember_local_pool
from cdk_service.local.console import BUILD, REPOSITORY_FRONTEND


@dataclass(frozen=True)
class LocalApis:
    """Where the local APIs are and who may call them."""

    url: str
    cognito: LocalCognito
    pipeline: IamPrincipal
    serves_console: bool = False

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
        """The web console, when a built one is served."""
        return f"{self.url}/" if self.serves_console else None


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
    """A ``cleanup_ctx`` entry: the local APIs start and stop with the application they join."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        async with running_local_apis(config) as apis:
            on_ready(apis)
            yield

    return context


def announcement(apis: LocalApis) -> str:
    """What ``datahubctl up`` prints: where the APIs are and the demo identities (local only)."""
    users = "\n".join(
        f"    {user.username:<14} password {user.password:<24} groups {', '.join(user.groups)}"
        for user in apis.cognito.users
    )
    pipeline = apis.pipeline
    console = f"Web console       {apis.console_url}\n" if apis.console_url else ""
    return (
        f"{console}"
        f"GraphQL API       {apis.backend_url}  (Cognito id token; `datahubctl login`)\n"
        f"Metadata API      {apis.metadata_url}  (SigV4, service execute-api)\n"
        f"GraphQL explorer  {apis.explorer_url}\n"
        f"  demo users (user pool {apis.cognito.user_pool_id}):\n{users}\n"
        f"  demo pipeline {pipeline.arn}:\n"
        f"    AWS_ACCESS_KEY_ID={pipeline.access_key_id} "
        f"AWS_SECRET_ACCESS_KEY={pipeline.secret_access_key}"
    )
