"""The local gateway on loopback with the real Authorizer and stand-in Backend and Metadata Lambdas.

The stand-ins record the events and contexts the gateway hands them and answer with what they
saw, so a test checks what a real handler would receive.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import aiohttp
import boto3
import pytest
from botocore.credentials import Credentials

from api_lambdas.authorizer.handler import Authorizer
from api_lambdas.settings import LambdaSettings
from datahubctl.gateway.app import Functions, GatewayConfig
from datahubctl.gateway.principals import ensure_pipeline_user
from datahubctl.gateway.running import running_gateway
from datahubctl.gateway.sigv4 import IamPrincipal, signed_headers
from tests.cognito import REGION


@dataclass
class StandIn:
    """A Lambda handler that records its invocations and echoes what it received."""

    name: str
    events: list[dict[str, Any]] = field(default_factory=list)
    behaviour: Callable[[dict[str, Any], Any], Any] | None = None

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.events.append(event)
        if self.behaviour is not None:
            return self.behaviour(event, context)
        seen = {
            "function": context.function_name,
            "remaining_ms": context.get_remaining_time_in_millis(),
            "request_id": context.aws_request_id,
            "event": event,
        }
        return {"statusCode": 200, "headers": {"X-Lambda": self.name}, "body": json.dumps(seen)}


@dataclass
class Gateway:
    """A running gateway, its stand-ins and an HTTP session to call it."""

    url: str
    backend: StandIn
    metadata: StandIn
    http: aiohttp.ClientSession


StartGateway = Callable[..., AbstractAsyncContextManager[Gateway]]


@pytest.fixture
def start_gateway(lambda_settings: LambdaSettings, pipeline: IamPrincipal) -> StartGateway:
    """Starts a gateway (config fields and handler stand-ins may be changed per test)."""

    @asynccontextmanager
    async def start(
        authorizer: Any = None, backend: Any = None, metadata: Any = None, **config: Any
    ) -> AsyncIterator[Gateway]:
        stand_ins = (StandIn("backend", behaviour=backend), StandIn("metadata", behaviour=metadata))
        functions = Functions(authorizer or Authorizer(lambda_settings), *stand_ins)
        settings = replace(GatewayConfig(principals={pipeline.access_key_id: pipeline}), **config)
        async with (
            running_gateway(functions, settings) as url,
            aiohttp.ClientSession(url) as http,
        ):
            yield Gateway(url, *stand_ins, http)

    return start


@pytest.fixture
async def gateway(start_gateway: StartGateway) -> AsyncIterator[Gateway]:
    """A gateway with the default configuration."""
    async with start_gateway() as running:
        yield running


@pytest.fixture
def pipeline(moto_url: str, fake_credentials: None) -> IamPrincipal:
    """An IAM user on moto with an access key: a pipeline calling the Metadata API."""
    iam = boto3.client("iam", region_name=REGION, endpoint_url=moto_url)
    return ensure_pipeline_user(iam)


def sigv4_headers(
    url: str,
    body: bytes,
    access_key: str,
    secret_key: str,
    *,
    service: str = "execute-api",
    method: str = "POST",
) -> dict[str, str]:
    """The headers a pipeline sends: signed by botocore as an AWS SDK would."""
    credentials = Credentials(access_key, secret_key)
    return signed_headers(url, body, credentials, REGION, method=method, service=service)


def graphql(query: str) -> bytes:
    """A GraphQL request body."""
    return json.dumps({"query": query}).encode()
