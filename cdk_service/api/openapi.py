"""The OpenAPI 3.1 document, generated from the declared endpoints and their pydantic models."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from cdk_service.api.endpoints import IDEMPOTENCY_HEADER, Api, Endpoint
from service_contract.limits import IDEMPOTENCY_KEY
from service_contract.signing import IDENTITY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER

REF_TEMPLATE = "#/components/schemas/{model}"
ERROR_DESCRIPTIONS = {
    400: "Invalid input",
    401: "Unsigned, badly signed or stale request",
    403: "The caller may not do this",
    404: "Not found",
    409: "Conflicts with the current state",
    413: "Request body too large",
    422: "Rejected by policy",
    502: "A dependency failed",
    503: "Not ready",
    504: "Timed out",
}


class ErrorBody(BaseModel):
    """An error: a stable machine-readable code and a human message."""

    code: str = Field(description="Stable machine-readable error code")
    message: str = Field(description="What went wrong, for a human")
    field: str | None = Field(default=None, description="The input field at fault, if any")
    details: Any = Field(default=None, description="Structured extras (e.g. policy findings)")
    request_id: str | None = Field(default=None, description="Quote this when asking for help")


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorBody


def _schemas(api: Api) -> tuple[dict[Any, Any], dict[str, Any]]:
    mode: dict[type[BaseModel], Literal["validation", "serialization"]] = {}
    for endpoint in api.endpoints:
        for model in (endpoint.body, endpoint.query):
            if model is not None:
                mode[model] = "validation"
        if endpoint.response is not None:
            mode.setdefault(endpoint.response, "serialization")
    mode.setdefault(ErrorResponse, "serialization")
    refs, document = models_json_schema(list(mode.items()), ref_template=REF_TEMPLATE)
    return refs, document.get("$defs", {})


def _parameters(endpoint: Endpoint, components: dict[str, Any]) -> list[dict[str, Any]]:
    """Path, query and header parameters, each with the schema it is validated with."""
    path_schemas = endpoint.path_model.model_json_schema()["properties"]
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": _plain(path_schemas[name])}
        for name in endpoint.path_parameters
    ]
    if endpoint.query is not None:
        query_schemas = components[endpoint.query.__name__]["properties"]
        for name, info in endpoint.query.model_fields.items():
            parameters.append(
                {
                    "name": info.alias or name,
                    "in": "query",
                    "required": info.is_required(),
                    "description": info.description or "",
                    "schema": _plain(query_schemas[info.alias or name]),
                }
            )
    if endpoint.idempotency_key:
        parameters.append(
            {
                "name": IDEMPOTENCY_HEADER,
                "in": "header",
                "required": False,
                "description": "Makes a retry safe: the same key and request give the first "
                "answer again",
                "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY.pattern},
            }
        )
    return parameters


def _plain(schema: dict[str, Any]) -> dict[str, Any]:
    """A property's schema without its title (a parameter has its name already)."""
    return {k: v for k, v in schema.items() if k != "title"}


def _operation(
    endpoint: Endpoint, refs: dict[Any, Any], components: dict[str, Any]
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": endpoint.summary,
        "tags": [endpoint.tag],
        "operationId": endpoint.handler.__name__,
        "parameters": _parameters(endpoint, components),
        "responses": {},
    }
    if endpoint.body is not None:
        schema = refs[(endpoint.body, "validation")]
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    if endpoint.raw_body is not None:
        binary = {"type": "string", "format": "binary"}
        operation["requestBody"] = {
            "required": True,
            "content": {endpoint.raw_body: {"schema": binary}},
        }
    success: dict[str, Any] = {"description": "OK"}
    if endpoint.response is not None:
        schema = refs[(endpoint.response, "serialization")]
        success["content"] = {"application/json": {"schema": schema}}
    operation["responses"][str(endpoint.status)] = success
    error_schema = {"$ref": REF_TEMPLATE.format(model="ErrorResponse")}
    codes = set(endpoint.errors) | ({400, 401, 413} if endpoint.signed else set())
    for code in sorted(codes):
        operation["responses"][str(code)] = {
            "description": ERROR_DESCRIPTIONS[code],
            "content": {"application/json": {"schema": error_schema}},
        }
    if endpoint.signed:
        operation["security"] = [{"identity": [], "timestamp": [], "signature": []}]
    return operation


def openapi_document(api: Api, *, version: str) -> dict[str, Any]:
    """The whole document for ``api``."""
    refs, components = _schemas(api)
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in api.endpoints:
        operation = _operation(endpoint, refs, components)
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = operation
    header_scheme = {"type": "apiKey", "in": "header"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "DATAHUB service internal API",
            "version": version,
            "description": "Signed requests only: HMAC-SHA256 over method, path, body digest, "
            "identity and timestamp (see service_contract/signing.py).",
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "identity": {**header_scheme, "name": IDENTITY_HEADER},
                "timestamp": {**header_scheme, "name": TIMESTAMP_HEADER},
                "signature": {**header_scheme, "name": SIGNATURE_HEADER},
            },
        },
    }
