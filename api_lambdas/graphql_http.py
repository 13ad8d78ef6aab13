"""GraphQL over API Gateway proxy events: parse, guard, execute, and answer with stable errors.

Shared by the Backend and the Metadata Lambdas. The guards run before any resolver: a body
size limit, a depth limit, a cost limit (list fields multiply by their ``first``) and, when
configured off, no introspection. Errors carry ``extensions.code`` and a human message; an
unexpected exception is logged here and shown only as ``internal_error``.

Every answer carries CORS headers for an allowed origin (``cors_allowed_origins``: the web
console's, on CloudFront): the browser reads a Lambda proxy answer only with them, success or
error. The origin is echoed when it is listed; with ``*`` listed any origin gets ``*``; an
unknown origin gets no allow header. ``Access-Control-Allow-Credentials`` is never sent: the
console sends its token in the Authorization header, not as a cookie. A preflight (OPTIONS) is
answered before any authentication, as preflights carry no credentials.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

import orjson
import structlog
from ariadne import graphql
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from graphql.error import GraphQLSyntaxError
from graphql.pyutils import is_awaitable

from api_lambdas.lambda_runtime import lambda_settings
from api_lambdas.query_checks import CheckedQueries, Limits
from api_lambdas.settings import LambdaSettings
from service_contract.errors import DatahubError, InvalidInput, PayloadTooLarge
from service_contract.text import refuse_unstorable_text

log = structlog.get_logger(__name__)
# ariadne logs every resolver error with its traceback; ``format_error`` logs the unexpected
# ones itself, so ariadne's own logger stays quiet rather than report expected domain errors.
QUIET = logging.getLogger(f"{__name__}.ariadne")
QUIET.disabled = True
INTERNAL_ERROR = {
    "message": "an unexpected error occurred",
    "extensions": {"code": "internal_error"},
}
ANY_ORIGIN = "*"
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET,POST,OPTIONS",
    "Access-Control-Allow-Headers": "Authorization,Content-Type",
    "Access-Control-Max-Age": "3600",
}
# Values no resolver's answer can await: most leaves are one of these.
PLAIN_TYPES = frozenset({str, int, float, bool, type(None), dict, list})
Answer = Callable[[dict[str, Any], LambdaSettings], Awaitable[dict[str, Any]]]
Endpoint = Callable[..., Coroutine[Any, Any, dict[str, Any]]]


def limits_of(settings: LambdaSettings) -> Limits:
    """The GraphQL guards the settings ask for."""
    return Limits(
        max_depth=settings.graphql_max_depth,
        max_cost=settings.graphql_max_cost,
        max_body_bytes=settings.graphql_max_body_bytes,
        introspection=settings.graphql_introspection,
    )


class RequestRefused(DatahubError):
    """The HTTP request is not a GraphQL request this endpoint takes; ``status`` says why."""

    def __init__(self, status: int, message: str, *, code: str) -> None:
        super().__init__(message, code=code)
        self.status = status


def proxy_response(status: int, body: Any) -> dict[str, Any]:
    """An API Gateway proxy response with a JSON body."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
        "body": orjson.dumps(body, default=str, option=orjson.OPT_NON_STR_KEYS).decode(),
        "isBase64Encoded": False,
    }


def header_of(event: dict[str, Any], name: str) -> str | None:
    """A request header, whatever its case (API Gateway passes the client's spelling)."""
    wanted = name.lower()
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == wanted and value:
            return str(value)
    return None


def cors_headers(event: dict[str, Any], allowed: Sequence[str]) -> dict[str, str]:
    """The CORS headers for the request's origin: none when it has none or is not allowed."""
    origin = header_of(event, "Origin")
    if origin is None:
        return {}
    if origin in allowed:
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    if ANY_ORIGIN in allowed:
        return {"Access-Control-Allow-Origin": ANY_ORIGIN}
    return {}


def preflight_response(event: dict[str, Any], allowed: Sequence[str]) -> dict[str, Any]:
    """The answer to a CORS preflight: 204, with the allowed methods and headers only for an
    allowed origin (the browser then refuses the request itself)."""
    headers = cors_headers(event, allowed)
    if headers:
        headers |= PREFLIGHT_HEADERS
    return {"statusCode": 204, "headers": headers, "body": "", "isBase64Encoded": False}


def http_endpoint(answer: Answer) -> Endpoint:
    """A GraphQL Lambda's ``handle(event, context, *, settings=None)``: preflights answered,
    ``answer``'s response given the CORS headers, an exception it lets out an ``internal_error``
    (a GraphQL error the console shows, where a failed invocation is API Gateway's bare 502)."""

    async def handle(
        event: dict[str, Any], context: Any, *, settings: LambdaSettings | None = None
    ) -> dict[str, Any]:
        settings = settings or lambda_settings()
        allowed = settings.cors_allowed_origins
        if str(event.get("httpMethod", "")).upper() == "OPTIONS":
            return preflight_response(event, allowed)
        try:
            response = await answer(event, settings)
        except Exception:
            log.exception("graphql_request_failed")
            response = proxy_response(500, {"errors": [INTERNAL_ERROR]})
        response["headers"] = {**(response.get("headers") or {}), **cors_headers(event, allowed)}
        return response

    return handle


def error_answer(error: DatahubError) -> dict[str, Any]:
    """One GraphQL error object for a domain error."""
    extensions: dict[str, Any] = {"code": error.code}
    if error.field is not None:
        extensions["field"] = error.field
    if error.details is not None:
        extensions["details"] = error.details
    return {"message": error.message, "extensions": extensions}


def format_error(error: GraphQLError, debug: bool = False) -> dict[str, Any]:
    """A GraphQL error as the client sees it: a code and a message, never a traceback."""
    original = error.original_error
    if isinstance(original, DatahubError):
        answer = error_answer(original)
    elif isinstance(original, GraphQLError) and not error.path:
        # A variable's value the operation cannot take, found before any resolver ran.
        answer = {"message": original.message, "extensions": {"code": "invalid_variables"}}
    elif original is not None:
        log.error("resolver_failed", path=error.path, exc_info=original)
        answer = dict(INTERNAL_ERROR)
    else:
        answer = {"message": error.message, "extensions": {"code": _validation_code(error)}}
    if error.path:
        answer["path"] = error.path
    if error.locations:
        answer["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    return answer


def _validation_code(error: GraphQLError) -> str:
    extensions = error.extensions or {}
    if "code" in extensions:
        return str(extensions["code"])
    if "cost" in extensions:
        return "query_too_complex"
    if "introspection is disabled" in error.message:
        return "introspection_disabled"
    return "invalid_query"


def _body_of(event: dict[str, Any], limit: int) -> bytes:
    raw = event.get("body") or ""
    if len(raw) > limit * 4 // 3 + 4:
        raise _too_large(limit)
    try:
        body = (
            base64.b64decode(raw, validate=True) if event.get("isBase64Encoded") else raw.encode()
        )
    except binascii.Error:
        raise InvalidInput(
            "the body is marked base64 but is not", code="invalid_request", field="body"
        ) from None
    if len(body) > limit:
        raise _too_large(limit)
    return body


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"the request body is over the {limit} byte limit", field="body")


def request_of(event: dict[str, Any], limits: Limits) -> dict[str, Any]:
    """The GraphQL request (query, variables, operationName) in a proxy event."""
    method = str(event.get("httpMethod", "")).upper()
    if method == "GET":
        params = event.get("queryStringParameters") or {}
        data: Any = dict(params)
        if isinstance(data.get("variables"), str):
            data["variables"] = _json(data["variables"], "variables")
    elif method == "POST":
        data = _json(_body_of(event, limits.max_body_bytes), "body")
    else:
        raise RequestRefused(405, "GraphQL takes GET and POST", code="method_not_allowed")
    if not isinstance(data, dict) or not isinstance(data.get("query"), str):
        raise InvalidInput(
            "the request has no GraphQL query", code="invalid_request", field="query"
        )
    refuse_unstorable_text(data, location="body")  # no service could pass it on or store it
    if len(data["query"].encode()) > limits.max_body_bytes:
        raise _too_large(limits.max_body_bytes)
    if method == "GET" and _is_mutation(data):
        raise RequestRefused(405, "mutations must be sent with POST", code="mutation_over_get")
    return data


def _json(raw: str | bytes, field: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:  # not JSON, or bytes that are not UTF-8/16/32
        reason = f"the {field} is not valid JSON"
    except RecursionError:  # arrays or objects nested past the interpreter's limit
        reason = f"the {field} is JSON nested too deeply"
    raise InvalidInput(reason, code="invalid_json", field=field)


def _is_mutation(data: dict[str, Any]) -> bool:
    try:
        document = parse(data["query"])
    except GraphQLSyntaxError:
        return False  # reported as a syntax error by the execution that follows
    wanted = data.get("operationName")
    return any(
        isinstance(d, OperationDefinitionNode)
        and d.operation is OperationType.MUTATION
        and (wanted is None or (d.name is not None and d.name.value == wanted))
        for d in document.definitions
    )


async def execute(
    event: dict[str, Any], *, queries: CheckedQueries, context: Any, limits: Limits
) -> dict[str, Any]:
    """Run the GraphQL request in ``event``; the proxy response, whatever happens."""
    try:
        data = request_of(event, limits)
        variables = data.get("variables") if isinstance(data.get("variables"), dict) else None
        document, errors = queries.check(data["query"], variables, limits)
        if errors:
            return proxy_response(400, {"errors": [format_error(e) for e in errors]})
        success, result = await graphql(
            queries.schema,
            data,
            context_value=context,
            query_document=document,
            query_validator=_checked_already,
            error_formatter=format_error,
            debug=False,
            logger=QUIET,
            is_awaitable=_awaitable,
        )
    except RequestRefused as error:
        return proxy_response(error.status, {"errors": [error_answer(error)]})
    except DatahubError as error:
        status = 413 if isinstance(error, PayloadTooLarge) else 400
        return proxy_response(status, {"errors": [error_answer(error)]})
    except Exception:
        log.exception("graphql_request_failed")
        return proxy_response(500, {"errors": [INTERNAL_ERROR]})
    return proxy_response(200 if success or _executed(result) else 400, result)


def _executed(result: dict[str, Any]) -> bool:
    """Whether the operation ran, though its data is null: some error has a path. Without one,
    it never started (no such operation, several and none named, bad variables): the request is
    at fault."""
    return any("path" in error for error in result.get("errors") or [])


def _awaitable(value: Any) -> bool:
    """graphql-core's test, asked about each field's value; a plain one is answered first."""
    return type(value) not in PLAIN_TYPES and is_awaitable(value)


def _checked_already(*_: Any, **__: Any) -> list[GraphQLError]:
    return []  # ``CheckedQueries`` validated the document before it was handed over
