"""Liveness, readiness and Prometheus metrics: the only unsigned endpoints."""

from __future__ import annotations

import asyncio

import structlog
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field
from tortoise import connections

from cdk_service.api.context import services_of
from cdk_service.api.endpoints import Api
from cdk_service.db.outage import connection_lost

api = Api()
log = structlog.get_logger(__name__)
READINESS_TIMEOUT_SECONDS = 3.0


async def database_reachable() -> bool:
    """Whether the database answers a trivial query within a few seconds. A pooled connection
    that died with an earlier server (a failover) fails once and is replaced: one more try
    on a fresh connection tells whether the server itself is back."""
    for attempt in range(2):
        try:
            async with asyncio.timeout(READINESS_TIMEOUT_SECONDS):
                await connections.get("default").execute_query("SELECT 1")
        except Exception as error:  # any failure means "not ready"; the reason goes to the log
            if attempt == 0 and connection_lost(error):
                continue
            log.warning("database_unreachable", error=repr(error))
            return False
        return True
    return False


class Health(BaseModel):
    """Whether the process is alive."""

    status: str = Field(description="'ok' when the process serves requests")


class Readiness(BaseModel):
    """Whether the service can do its work, and why not."""

    ready: bool
    checks: dict[str, bool] = Field(description="Each dependency and whether it is usable")


@api.route("GET", "/healthz", summary="Liveness", tag="health", response=Health, signed=False)
async def healthz(request: web.Request) -> Health:
    """The process is up."""
    return Health(status="ok")


@api.route(
    "GET",
    "/readyz",
    summary="Readiness: database reachable and synth pool warm",
    tag="health",
    response=Readiness,
    signed=False,
    errors=(503,),
)
async def readyz(request: web.Request) -> web.Response:
    """Ready when the database answers and at least one synth worker is warm."""
    checks = {
        "database": await database_reachable(),
        "synth_pool": services_of(request).synthesizer.ready,
    }
    readiness = Readiness(ready=all(checks.values()), checks=checks)
    return web.json_response(
        text=readiness.model_dump_json(), status=200 if readiness.ready else 503
    )


@api.route("GET", "/metrics", summary="Prometheus metrics", tag="health", signed=False)
async def metrics(request: web.Request) -> web.Response:
    """Synth latency, pool size and cache counters in the Prometheus text format."""
    response = web.Response(body=generate_latest())
    response.headers["Content-Type"] = CONTENT_TYPE_LATEST
    return response
