"""How a Lambda reaches the service: the signing key (resolved once) and a caller's session."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import boto3

from api_lambdas.lambda_runtime import kept_resource
from api_lambdas.service_calls import ServiceCalls
from api_lambdas.settings import LambdaSettings
from service_contract.client import ServiceClient
from service_contract.errors import Unavailable
from service_contract.identity import Identity


@functools.cache
def _secret_value(secret_arn: str, endpoint_url: str | None) -> bytes:
    client = boto3.client("secretsmanager", endpoint_url=endpoint_url)
    return str(client.get_secret_value(SecretId=secret_arn)["SecretString"]).strip().encode()


def service_key(settings: LambdaSettings) -> bytes:
    """The HMAC key: configured directly (local, tests) or read once from Secrets Manager."""
    if settings.service_key is not None:
        return settings.service_key.get_secret_value().encode()
    if settings.service_key_secret_arn:
        return _secret_value(settings.service_key_secret_arn, settings.aws_endpoint_url)
    raise Unavailable("no service key is configured", code="service_key_missing")


class KeptAliveClient(ServiceClient):
    """The signed service client, over the thread's kept session instead of one per call."""

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[aiohttp.ClientSession]:
        """The HTTP session kept on this Lambda thread's loop, or else one for this call only.

        A kept session keeps its connections open (aiohttp drops one idle for 15 s, before the
        service would), so a warm Lambda does not connect to the service again for every call.
        """
        kept = kept_resource("service_session", aiohttp.ClientSession, aiohttp.ClientSession.close)
        if kept is None:
            async with super()._session() as session:
                yield session
        else:
            yield kept


def calls_as(
    settings: LambdaSettings, identity: Identity, *, request_id: str | None = None
) -> ServiceCalls:
    """Signed, timed calls to the service as ``identity``, under the caller's ``request_id``
    (API Gateway's, so one id follows a request through the Lambda's and the service's logs)."""
    client = KeptAliveClient(
        settings.service_url,
        key=service_key(settings),
        identity=identity,
        timeout_seconds=settings.service_timeout_seconds,
        request_id=request_id,
        ca_certificate=settings.service_ca_certificate,
    )
    return ServiceCalls(client, read_attempts=settings.service_read_attempts)


def request_id_of(event: dict[str, Any]) -> str | None:
    """API Gateway's id of the request an event stands for, if it has one."""
    request_id = (event.get("requestContext") or {}).get("requestId")
    return str(request_id) if request_id else None
