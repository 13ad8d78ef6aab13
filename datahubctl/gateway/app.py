"""The local gateway's aiohttp application: the two GraphQL APIs as API Gateway serves them.

``/graphql`` (Backend API) runs the REQUEST Authorizer on the ``Authorization`` header, then the
Backend handler with the authorizer's context; ``/metadata/graphql`` (Metadata API, IAM auth)
checks the SigV4 signature here and runs the Metadata handler with the caller's identity.
Each invocation gets a fresh Lambda context and a timeout. A function named by its module runs
in execution environments of its own (processes, ``environments.py``) when
``lambda_environments`` allows them; other handlers, and all with it at 0, run on the gateway's
threads. With a console configured, every other path serves the web console (``console.py``).
"""

from __future__ import annotations

import asyncio
import fnmatch
import importlib
from collections.abc import AsyncIterator, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from aiohttp import web

from datahubctl.gateway import responses
from datahubctl.gateway.authorizer_cache import AuthorizerCache
from datahubctl.gateway.console import CONFIG_PATH, ConsoleFiles, ConsoleSite
from datahubctl.gateway.environments import Environments
from datahubctl.gateway.events import LambdaContext, Stage, authorizer_event, proxy_event
from datahubctl.gateway.explorer import explorer, to_explorer
from datahubctl.gateway.http_errors import hide_server_software
from datahubctl.gateway.sigv4 import IamPrincipal, SignatureRejected, SignedRequest, verify

Handler = Callable[[dict[str, Any], Any], Any]
log = structlog.get_logger("datahub.local_gateway")
BACKEND_RESOURCE = "/graphql"
METADATA_RESOURCE = "/metadata/graphql"
EXPLORER_PATH = "/explorer"
# Paths the console never answers for, even where no route matches: they are the APIs'.
API_PREFIXES = (BACKEND_RESOURCE, "/metadata/", EXPLORER_PATH)
GRAPHQL_METHODS = {"GET", "POST"}
FUNCTIONS = ("authorizer", "backend", "metadata")
CORS_HEADERS = {
    "Access-Control-Allow-Headers": "Authorization,Content-Type",
    "Access-Control-Allow-Methods": "GET,POST,OPTIONS",
}


@dataclass(frozen=True)
class Functions:
    """The three Lambdas the gateway runs."""

    authorizer: Handler
    backend: Handler
    metadata: Handler

    @classmethod
    def from_modules(cls) -> Functions:
        """The handlers of ``api_lambdas`` (each module's ``handler``, imported when first run)."""
        return cls(*(FunctionModule(f"api_lambdas.{name}.handler") for name in FUNCTIONS))


@dataclass(frozen=True)
class FunctionModule:
    """A Lambda named by its module, imported at its first invocation as on a cold start."""

    module: str

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        """Runs the module's ``handler`` (an import error fails the invocation, not the gateway)."""
        handler: Handler = importlib.import_module(self.module).handler
        return handler(event, context)


@dataclass(frozen=True)
class GatewayConfig:
    """How the gateway plays API Gateway locally."""

    stage: Stage = field(default_factory=Stage)
    principals: Mapping[str, IamPrincipal] = field(default_factory=dict)
    explorer: bool = True
    cors_origin: str | None = "*"
    authorizer_cache_seconds: float = 300.0  # API Gateway's default TTL; 0 turns it off
    timeout_seconds: float = 29.0  # API Gateway's integration timeout
    max_body_bytes: int = 10 * 1024 * 1024  # API Gateway's payload limit
    threads: int = 16
    # Most execution environments (processes) per function named by its module; 0: threads.
    lambda_environments: int = 0
    console: ConsoleSite | None = None  # the web console, served at / with its config.json


class Gateway:
    """Routes requests to the Lambdas as API Gateway would."""

    def __init__(self, functions: Functions, config: GatewayConfig) -> None:
        self.functions = functions
        self.config = config
        self.threads = ThreadPoolExecutor(config.threads, thread_name_prefix="lambda")
        self.policies = AuthorizerCache(config.authorizer_cache_seconds)
        self.environments: dict[str, Environments] = {}

    async def provision(self) -> None:
        """One execution environment of each function named by its module, started with the
        gateway, so that the first requests do not wait for their init."""
        if self.config.lambda_environments > 0:
            functions = (self.functions.authorizer, self.functions.backend, self.functions.metadata)
            modules = {f.module for f in functions if isinstance(f, FunctionModule)}
            await asyncio.gather(*(self._environments(m).provision() for m in sorted(modules)))

    def _environments(self, module: str) -> Environments:
        if module not in self.environments:
            self.environments[module] = Environments(module, self.config.lambda_environments)
        return self.environments[module]

    async def invoke(self, name: str, handler: Handler, event: dict[str, Any]) -> Any:
        """One invocation within the timeout: in an execution environment of the function's,
        or on a thread (Lambda handlers are synchronous)."""
        context = LambdaContext(name, self.config.timeout_seconds, self.config.stage)
        if isinstance(handler, FunctionModule) and self.config.lambda_environments > 0:
            environments = self._environments(handler.module)
            return await environments.invoke(event, context, self.config.timeout_seconds)
        loop = asyncio.get_running_loop()
        call = loop.run_in_executor(self.threads, handler, event, context)
        return await asyncio.wait_for(call, self.config.timeout_seconds)

    async def backend(self, request: web.Request) -> web.StreamResponse:
        """``/graphql``: Authorizer, then the Backend handler with the caller in the context."""
        if request.method not in GRAPHQL_METHODS:
            return responses.gateway_response(responses.MISSING_AUTHENTICATION_TOKEN)
        identity_source = request.headers.get("Authorization")
        if not identity_source:
            return responses.gateway_response(responses.UNAUTHORIZED)
        method_arn = self.config.stage.method_arn(request.method, BACKEND_RESOURCE)
        policy = self.policies.get(identity_source)
        if policy is None:  # the event is built only when the Authorizer is asked
            event = authorizer_event(request, self.config.stage, BACKEND_RESOURCE)
            try:
                policy = await self.invoke("authorizer", self.functions.authorizer, event)
            except Exception:
                log.exception("authorizer_failed")
                return responses.gateway_response(responses.AUTHORIZER_FAILURE)
            self.policies.put(identity_source, policy)
        if not allows(policy, method_arn):
            return responses.gateway_response(responses.ACCESS_DENIED)
        context = {name: str(value) for name, value in (policy.get("context") or {}).items()}
        authorizer = {**context, "principalId": str(policy.get("principalId", ""))}
        body = await _read(request)
        if body is None:
            return responses.gateway_response(responses.REQUEST_TOO_LARGE)
        proxied = proxy_event(
            request, body, self.config.stage, BACKEND_RESOURCE, authorizer=authorizer
        )
        return await self.integrate("backend", self.functions.backend, proxied)

    async def metadata(self, request: web.Request) -> web.StreamResponse:
        """``/metadata/graphql``: SigV4 checked here, then the Metadata handler."""
        if request.method not in GRAPHQL_METHODS:
            return responses.gateway_response(responses.MISSING_AUTHENTICATION_TOKEN)
        body = await _read(request)
        if body is None:
            return responses.gateway_response(responses.REQUEST_TOO_LARGE)
        signed = SignedRequest(request.method, str(request.url), request.headers, body)
        stage = self.config.stage
        try:
            principal = verify(signed, self.config.principals, stage.region, datetime.now(UTC))
        except SignatureRejected as rejected:
            log.info("signature_rejected", reason=rejected.code)
            return responses.gateway_response((403, rejected.message))
        identity = principal.identity()
        proxied = proxy_event(request, body, stage, METADATA_RESOURCE, identity=identity)
        return await self.integrate("metadata", self.functions.metadata, proxied)

    async def integrate(self, name: str, handler: Handler, event: dict[str, Any]) -> web.Response:
        """The Lambda proxy integration: 502 when the function fails, 504 past the timeout."""
        try:
            result = await self.invoke(name, handler, event)
        except TimeoutError:
            log.error("lambda_timed_out", function=name)
            return responses.gateway_response(responses.INTEGRATION_TIMEOUT)
        except Exception:
            log.exception("lambda_failed", function=name)
            return responses.gateway_response(responses.INTEGRATION_FAILURE)
        return responses.lambda_response(result, name)

    async def preflight(self, request: web.Request) -> web.Response:
        """CORS preflight for the web console on another origin."""
        return web.Response(status=204)

    async def unknown(self, request: web.Request) -> web.Response:
        """What API Gateway answers for a path or method it has no route for."""
        return responses.gateway_response(responses.MISSING_AUTHENTICATION_TOKEN)


async def _read(request: web.Request) -> bytes | None:
    """The body, or ``None`` when it is over the payload limit."""
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        return None


def allows(policy: Any, method_arn: str) -> bool:
    """Whether an authorizer's policy allows ``method_arn`` (an explicit Deny wins)."""
    try:
        statements = policy["policyDocument"]["Statement"]
        matching = [s for s in statements if _covers(s, method_arn)]
        effects = {s["Effect"] for s in matching}
    except (KeyError, TypeError):
        return False
    return "Allow" in effects and "Deny" not in effects


def _covers(statement: dict[str, Any], method_arn: str) -> bool:
    def listed(key: str) -> list[str]:
        value = statement.get(key, [])
        return [value] if isinstance(value, str) else list(value)

    actions = any(fnmatch.fnmatchcase("execute-api:Invoke", a) for a in listed("Action"))
    return actions and any(fnmatch.fnmatchcase(method_arn, r) for r in listed("Resource"))


def _cors(origin: str | None) -> Any:
    @web.middleware
    async def cors(request: web.Request, handler: Any) -> web.StreamResponse:
        response: web.StreamResponse = await handler(request)
        if origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers.update(CORS_HEADERS)
        return response

    return cors


def gateway_app(functions: Functions, config: GatewayConfig | None = None) -> web.Application:
    """The gateway as an aiohttp application."""
    config = config or GatewayConfig()
    gateway = Gateway(functions, config)
    middlewares = [_cors(config.cors_origin)]
    app = web.Application(client_max_size=config.max_body_bytes, middlewares=middlewares)
    app.on_response_prepare.append(hide_server_software)
    app.router.add_route("OPTIONS", BACKEND_RESOURCE, gateway.preflight)
    app.router.add_route("*", BACKEND_RESOURCE, gateway.backend)
    app.router.add_route("*", METADATA_RESOURCE, gateway.metadata)
    if config.explorer:
        app.router.add_get(EXPLORER_PATH, explorer)
    if config.console is not None:
        files = ConsoleFiles(config.console, BACKEND_RESOURCE, API_PREFIXES, gateway.unknown)
        app.router.add_get(CONFIG_PATH, files.config)
        app.router.add_route("*", "/{path:.*}", files.file)
    else:
        if config.explorer:
            app.router.add_get("/", to_explorer)
        app.router.add_route("*", "/{path:.*}", gateway.unknown)

    async def lambdas(_: web.Application) -> AsyncIterator[None]:
        await gateway.provision()
        yield
        gateway.threads.shutdown(wait=False, cancel_futures=True)
        await asyncio.gather(*(e.close() for e in gateway.environments.values()))

    app.cleanup_ctx.append(lambdas)
    return app
