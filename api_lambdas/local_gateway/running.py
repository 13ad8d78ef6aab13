"""The local gateway as an async context manager: serving on loopback until the block ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from api_lambdas.lambda_runtime import close_event_loops
from api_lambdas.local_gateway.app import Functions, GatewayConfig, gateway_app


@asynccontextmanager
async def running_gateway(
    functions: Functions,
    config: GatewayConfig | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
) -> AsyncIterator[str]:
    """The gateway's base URL while it serves (``port`` 0: a free one)."""
    runner = web.AppRunner(gateway_app(functions, config), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound_port = runner.addresses[0][1]
        yield f"http://{host}:{bound_port}"
    finally:
        await runner.cleanup()
        # The handler threads' loops and the connections kept on them (run elsewhere: one
        # thread cannot run two loops).
        await asyncio.to_thread(close_event_loops)
