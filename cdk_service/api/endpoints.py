"""Declared endpoints: one list that both registers aiohttp routes and writes the OpenAPI doc.

Each endpoint names the pydantic models that validate its body and query and shape its
response, so the document can never drift from what the handlers accept.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ValidationError

from cdk_service.errors import InvalidInput, invalid_input

Handler = Callable[..., Awaitable[BaseModel | web.StreamResponse]]
PATH_PARAMETER = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Endpoint:
    """One route: method, path, the models at its edges, and its handler."""

    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    signed: bool = True
    errors: tuple[int, ...] = ()

    @property
    def path_parameters(self) -> list[str]:
        """Names of the ``{placeholders}`` in the path."""
        return PATH_PARAMETER.findall(self.path)


@dataclass
class Api:
    """The set of endpoints the service exposes."""

    endpoints: list[Endpoint] = field(default_factory=list)

    def route(self, method: str, path: str, **options: Any) -> Callable[[Handler], Handler]:
        """Declare a handler for ``method path``; see ``Endpoint`` for the options."""

        def register(handler: Handler) -> Handler:
            self.endpoints.append(Endpoint(method, path, handler, **options))
            return handler

        return register

    def unsigned_paths(self) -> frozenset[str]:
        """Paths that need no signature (health and metrics)."""
        return frozenset(e.path for e in self.endpoints if not e.signed)

    def add_routes(self, app: web.Application) -> None:
        """Register every endpoint on an aiohttp application."""
        for endpoint in self.endpoints:
            app.router.add_route(endpoint.method, endpoint.path, _adapt(endpoint))


def parse_model(model: type[BaseModel], data: Any, *, location: str) -> BaseModel:
    """Validate input with ``model``; the error names every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise invalid_input(error, code="invalid_request", what=f"request {location}") from None


async def _read_json(request: web.Request) -> Any:
    raw = await request.read()
    if not raw:
        return {}
    try:
        return await request.json()
    except ValueError:
        raise InvalidInput("the request body is not valid JSON", code="invalid_json") from None


def _adapt(endpoint: Endpoint) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        arguments: dict[str, Any] = dict(request.match_info)
        if endpoint.body is not None:
            arguments["body"] = parse_model(
                endpoint.body, await _read_json(request), location="body"
            )
        if endpoint.query is not None:
            arguments["query"] = parse_model(endpoint.query, dict(request.query), location="query")
        result = await endpoint.handler(request, **arguments)
        if isinstance(result, web.StreamResponse):
            return result
        return web.json_response(text=result.model_dump_json(), status=endpoint.status)

    handle.__name__ = endpoint.handler.__name__
    return handle
