"""The Metadata Lambda's entry point: GraphQL for IAM principals, behind SigV4 on API Gateway.

API Gateway has verified the signature; the caller is ``requestContext.identity.userArn``. The
service maps that principal (a session counts as its role) to the teams it may write for; a
principal without any grant is refused before any GraphQL runs.
"""

from __future__ import annotations

from typing import Any

from api_lambdas.graphql_http import (
    error_answer,
    execute,
    http_endpoint,
    limits_of,
    proxy_response,
)
from api_lambdas.lambda_runtime import synchronous
from api_lambdas.metadata.schema import metadata_queries
from api_lambdas.resolver_context import ResolverContext
from api_lambdas.service_access import calls_as, request_id_of
from api_lambdas.settings import LambdaSettings
from service_contract.errors import DatahubError, Forbidden, Unauthenticated
from service_contract.iam_principals import is_principal, principal_of
from service_contract.identity import Identity

STATUS = {Unauthenticated: 401, Forbidden: 403}


def principal_arn_of(event: dict[str, Any]) -> str:
    """The calling role or user, from the IAM identity API Gateway verified."""
    identity = (event.get("requestContext") or {}).get("identity") or {}
    principal = principal_of(str(identity.get("userArn") or ""))
    if not is_principal(principal):
        raise Unauthenticated(
            "the request carries no IAM role or user; sign it with SigV4", code="unauthenticated"
        )
    return principal


async def caller_of(event: dict[str, Any], settings: LambdaSettings) -> Identity:
    """The principal with the teams it was granted; ``Forbidden`` when it has none."""
    principal = principal_arn_of(event)
    service = calls_as(settings, Identity(user=principal), request_id=request_id_of(event))
    granted = await service.read("/v1/principals/self")
    if not granted["teams"]:
        raise Forbidden(
            f"{principal} may not use the Metadata API: an admin must grant it a team",
            code="principal_not_granted",
        )
    return Identity(user=principal, groups=frozenset(granted["teams"]))


async def answer(event: dict[str, Any], settings: LambdaSettings) -> dict[str, Any]:
    """Answer one API Gateway proxy event with a GraphQL response."""
    try:
        identity = await caller_of(event, settings)
    except DatahubError as error:
        status = getattr(error, "status", None) or next(
            (s for kind, s in STATUS.items() if isinstance(error, kind)), 502
        )
        return proxy_response(status, {"errors": [error_answer(error)]})
    return await execute(
        event,
        queries=metadata_queries(),
        context=ResolverContext(
            identity=identity,
            service=calls_as(settings, identity, request_id=request_id_of(event)),
        ),
        limits=limits_of(settings),
    )


handle = http_endpoint(answer)
handler = synchronous(handle)
