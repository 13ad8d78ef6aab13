"""The local gateway as an async context manager: serving on loopback until the block ends."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from api_lambdas.lambda_runtime import close_event_loops
from datahubctl.gateway.app import Functions, GatewayConfig, gateway_app
from datahubctl.gateway.http_errors import GatewayRunner


@asynccontextmanager
async def running_gateway(
    functions: Functions,
    config: GatewayConfig | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
) -> AsyncIterator[str]:
    """The gateway's base URL while it serves (``port`` 0: a free one)."""
    runner = GatewayRunner(gateway_app(functions, config), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound_port = runner.addresses[0][1]
        # Everything loaded so far (the process may hold moto and the service too) is kept out
        # of the full collections, which otherwise stall every handler for 100-200 ms at a time.
        gc.freeze()
        yield f"http://{host}:{bound_port}"
    finally:
        gc.unfreeze()
        await runner.cleanup()
        # The handler threads' loops and the connections kept on them (run elsewhere: one
        # thread cannot run two loops).
        await asyncio.to_thread(close_event_loops)
