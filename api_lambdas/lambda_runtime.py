"""What every Lambda shares: settings built once per cold start, and async handlers run sync."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from api_lambdas.settings import LambdaSettings

AsyncHandler = Callable[[dict[str, Any], Any], Coroutine[Any, Any, dict[str, Any]]]


@functools.cache
def lambda_settings() -> LambdaSettings:
    """The settings of this Lambda process, read from the environment on first use."""
    return LambdaSettings()


def synchronous(handle: AsyncHandler) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """The Lambda entry point for an async handler: one event loop per invocation."""

    @functools.wraps(handle)
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return asyncio.run(handle(event, context))

    return handler
