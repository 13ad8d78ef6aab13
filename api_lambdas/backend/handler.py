"""The Backend Lambda's entry point: GraphQL over HTTP for callers the Authorizer let in."""

from __future__ import annotations

from typing import Any

from api_lambdas.backend.schema import backend_queries
from api_lambdas.graphql_http import (
    error_answer,
    execute,
    http_endpoint,
    limits_of,
    proxy_response,
)
from api_lambdas.lambda_runtime import synchronous
from api_lambdas.resolver_context import ResolverContext
from api_lambdas.service_access import calls_as, request_id_of
from api_lambdas.settings import LambdaSettings
from service_contract.errors import Unauthenticated
from service_contract.identity import Identity


def caller_of(event: dict[str, Any]) -> Identity:
    """The caller the Authorizer passed on: ``user`` and comma-separated ``groups``."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    user = str(authorizer.get("user") or "").strip()
    if not user:
        raise Unauthenticated("the request carries no authorized caller", code="unauthenticated")
    groups = str(authorizer.get("groups") or "").split(",")
    return Identity(user=user, groups=frozenset(g.strip() for g in groups if g.strip()))


async def answer(event: dict[str, Any], settings: LambdaSettings) -> dict[str, Any]:
    """Answer one API Gateway proxy event with a GraphQL response."""
    try:
        identity = caller_of(event)
    except Unauthenticated as error:
        return proxy_response(401, {"errors": [error_answer(error)]})
    return await execute(
        event,
        queries=backend_queries(),
        context=ResolverContext(
            identity=identity,
            service=calls_as(settings, identity, request_id=request_id_of(event)),
        ),
        limits=limits_of(settings),
    )


handle = http_endpoint(answer)
handler = synchronous(handle)
