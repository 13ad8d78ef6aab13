"""What every resolver gets: the caller and signed calls to the service as that caller."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, TypeVar

from graphql import GraphQLResolveInfo

from api_lambdas.service_calls import ServiceCalls
from service_contract.client import ServiceError
from service_contract.identity import Identity

T = TypeVar("T")


@dataclass(frozen=True)
class ResolverContext:
    """The context value of one GraphQL request."""

    identity: Identity
    service: ServiceCalls


def service_of(info: GraphQLResolveInfo) -> ServiceCalls:
    """The service calls of the request being resolved."""
    context: ResolverContext = info.context
    return context.service


async def or_none(call: Awaitable[T]) -> T | None:
    """The result, or None when the service says the thing does not exist for this caller."""
    try:
        return await call
    except ServiceError as error:
        if error.status == 404:
            return None
        raise


def renamed(source: dict[str, Any], **names: str) -> dict[str, Any]:
    """``source`` with extra keys copied from others (``templateName="template"``)."""
    return {**source, **{new: source.get(old) for new, old in names.items()}}
