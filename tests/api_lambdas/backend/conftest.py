"""The Backend handler against a real test service, called with Authorizer-passed callers."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from api_lambdas.backend.handler import handler
from service_contract.identity import Identity
from tests.api_lambdas.service_fixtures import invoke, lambda_environment, proxy_event, service

__all__ = ["lambda_environment", "service"]
Ask = Callable[..., Awaitable[tuple[int, Any]]]


def authorizer_context(identity: Identity) -> dict[str, str]:
    """What the Authorizer puts in the request context: user and comma-separated groups."""
    return {"user": identity.user, "groups": ",".join(sorted(identity.groups))}


@pytest.fixture
def ask(lambda_environment: None) -> Ask:
    """``await ask(identity, query, variables)``: the handler's status and GraphQL body."""

    async def call(
        identity: Identity | None, query: str, variables: dict[str, Any] | None = None
    ) -> tuple[int, Any]:
        body = json.dumps({"query": query, "variables": variables or {}})
        context = None if identity is None else authorizer_context(identity)
        return await invoke(handler, proxy_event("POST", body=body, authorizer=context))

    return call


def data_of(status: int, body: dict[str, Any]) -> dict[str, Any]:
    """The data of a successful answer (fails the test with the errors otherwise)."""
    assert status == 200 and not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data


def error_of(body: dict[str, Any]) -> dict[str, Any]:
    """The first error of an answer, checked for its stable shape and for leaks."""
    error: dict[str, Any] = body["errors"][0]
    assert error["extensions"]["code"] and error["message"]
    text = json.dumps(body)
    assert "Traceback" not in text and 'File "' not in text
    return error
