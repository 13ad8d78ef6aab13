"""The Authorizer against the local Cognito pool on moto's server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from api_lambdas.authorizer.handler import Authorizer
from api_lambdas.settings import LambdaSettings

METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:api0123456/local/POST/graphql"
Decide = Callable[..., dict[str, Any]]


def request_event(authorization: str | None) -> dict[str, Any]:
    """A REQUEST authorizer event for ``POST /graphql`` (header left out when ``None``)."""
    headers = {"Host": "api.example.com", "Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    return {"type": "REQUEST", "methodArn": METHOD_ARN, "headers": headers}


@pytest.fixture
def authorizer(lambda_settings: LambdaSettings) -> Authorizer:
    """An Authorizer for the local pool's app client (id tokens)."""
    return Authorizer(lambda_settings)


@pytest.fixture
def decide(authorizer: Authorizer) -> Decide:
    """The policy for a bearer token (``None``: no Authorization header)."""

    def answer(token: str | None, *, scheme: str = "Bearer ") -> dict[str, Any]:
        return authorizer(request_event(None if token is None else f"{scheme}{token}"))

    return answer


def effect(policy: dict[str, Any]) -> str:
    """``Allow`` or ``Deny``."""
    return str(policy["policyDocument"]["Statement"][0]["Effect"])
