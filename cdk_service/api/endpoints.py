"""Declared endpoints: one list that both registers aiohttp routes and writes the OpenAPI doc.

Each endpoint names the pydantic models that validate its body and query and shape its
response, and its path parameters are typed once in ``PATH_PARAMETERS``, so the document can
never drift from what the handlers accept. Every input passes the same edge before a handler
runs: text no field can hold is refused, then each part is validated by its model.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any
from uuid import UUID

from aiohttp import web
from pydantic import BaseModel, Field, ValidationError, create_model

from service_contract.errors import InvalidInput, invalid_input
from service_contract.text import refuse_unstorable_text
from stack_catalog.contract import NAME_MAX_LENGTH, VERSION_MAX_LENGTH

Handler = Callable[..., Awaitable[BaseModel | web.StreamResponse]]
PATH_PARAMETER = re.compile(r"{(\w+)}")
IDEMPOTENCY_HEADER = "Idempotency-Key"
# The grants table's id is a PostgreSQL integer (serial).
INTEGER_MAX = 2**31 - 1
# Every path parameter of every route, by name: what its handler receives.
PATH_PARAMETERS: dict[str, Any] = {
    "stack_id": Annotated[UUID, Field(description="A stack's id")],
    "deployment_id": Annotated[UUID, Field(description="A deployment's id")],
    "dataset_id": Annotated[UUID, Field(description="A dataset's id")],
    "share_id": Annotated[UUID, Field(description="A dataset share's id")],
    "grant_id": Annotated[int, Field(ge=1, le=INTEGER_MAX, description="A grant's id")],
    "name": Annotated[str, Field(min_length=1, max_length=NAME_MAX_LENGTH)],
    "version": Annotated[str, Field(min_length=1, max_length=VERSION_MAX_LENGTH)],
    "digest": Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="A bundle's digest")],
}


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
    idempotency_key: bool = False  # the handler reads an optional ``Idempotency-Key`` header
    raw_body: str | None = None  # media type of a body the handler reads as bytes itself

    @property
    def path_parameters(self) -> list[str]:
        """Names of the ``{placeholders}`` in the path."""
        return PATH_PARAMETER.findall(self.path)

    @property
    def path_model(self) -> type[BaseModel]:
        """The model the path's parameters are validated with."""
        return path_model(self.path)


@cache
def path_model(path: str) -> type[BaseModel]:
    """A model of ``path``'s parameters, each typed as ``PATH_PARAMETERS`` says."""
    fields: dict[str, Any] = {n: (PATH_PARAMETERS[n], ...) for n in PATH_PARAMETER.findall(path)}
    return create_model(f"Path{abs(hash(path))}", **fields)


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


def parse_model(
    model: type[BaseModel], data: Any, *, location: str, code: str = "invalid_request"
) -> BaseModel:
    """Validate input with ``model``; the error names every bad field."""
    refuse_unstorable_text(data, location=location)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise invalid_input(error, code=code, what=f"request {location}") from None


async def _read_json(request: web.Request) -> Any:
    raw = await request.read()
    if not raw:
        raise InvalidInput("this request needs a JSON body", code="invalid_request", field="body")
    try:
        return await request.json()
    except ValueError:
        raise InvalidInput("the request body is not valid JSON", code="invalid_json") from None


def _adapt(endpoint: Endpoint) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        path = parse_model(
            endpoint.path_model, dict(request.match_info), location="path", code="invalid_id"
        )
        arguments: dict[str, Any] = dict(path)
        if endpoint.query is not None:
            arguments["query"] = parse_model(endpoint.query, dict(request.query), location="query")
        if endpoint.body is not None:
            arguments["body"] = parse_model(
                endpoint.body, await _read_json(request), location="body"
            )
        result = await endpoint.handler(request, **arguments)
        if isinstance(result, web.StreamResponse):
            return result
        return web.json_response(text=result.model_dump_json(), status=endpoint.status)

    handle.__name__ = endpoint.handler.__name__
    return handle
