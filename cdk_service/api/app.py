"""The aiohttp application: middlewares, the declared endpoints and the OpenAPI document."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from typing import Any

from aiohttp import web

from cdk_service.api import (
    bundles,
    datasets,
    deployments,
    health,
    search,
    shares,
    stacks,
    synth,
    teams,
    templates,
)
from cdk_service.api.context import SERVICES, Services
from cdk_service.api.endpoints import Api
from cdk_service.api.http_errors import hide_server_software, serve_json_errors
from cdk_service.api.middleware import request_context, signature_check
from cdk_service.api.openapi import openapi_document

OPENAPI = web.AppKey("openapi", dict[str, Any])
docs = Api()


@docs.route("GET", "/v1/openapi.json", summary="This document", tag="meta")
async def openapi_json(request: web.Request) -> web.Response:
    """The OpenAPI document of the internal API."""
    return web.json_response(request.app[OPENAPI])


def service_api() -> Api:
    """Every endpoint of the service."""
    return Api(
        [
            *health.api.endpoints,
            *templates.api.endpoints,
            *bundles.api.endpoints,
            *synth.api.endpoints,
            *stacks.api.endpoints,
            *teams.api.endpoints,
            *deployments.api.endpoints,
            *datasets.api.endpoints,
            *search.api.endpoints,
            *shares.api.endpoints,
            *docs.endpoints,
        ]
    )


def _version() -> str:
    try:
        return package_version("datahub-platform")
    except PackageNotFoundError:
        return "0.0.0"


def create_app(services: Services) -> web.Application:
    """The application, wired with its services."""
    settings = services.settings
    api = service_api()
    app = web.Application(
        client_max_size=settings.max_body_bytes,
        middlewares=[
            request_context,
            signature_check(
                settings.resolved_service_key(),
                window_seconds=settings.signature_window_seconds,
                unsigned_paths=api.unsigned_paths(),
                body_limits={bundles.BUNDLES_PATH: bundles.upload_limit(settings)},
            ),
        ],
    )
    serve_json_errors()
    app.on_response_prepare.append(hide_server_software)
    app[SERVICES] = services
    app[OPENAPI] = openapi_document(api, version=_version())
    api.add_routes(app)
    return app
