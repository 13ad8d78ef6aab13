"""The service's internal API as one caller, for one GraphQL request.

Every call is signed with the caller's identity (``service_contract.client.ServiceClient``) and
bounded by a timeout. Reads are retried when the service is briefly unreachable and are
remembered for the rest of the request, so sibling resolvers asking for the same thing make
one call; writes are never retried, because the service may have done them already.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import structlog

from api_lambdas import arguments
from service_contract.client import ServiceClient, ServiceError
from service_contract.errors import InvalidInput, Unavailable, UpstreamFailure

log = structlog.get_logger(__name__)
RETRYABLE_STATUSES = frozenset({502, 503, 504})
PATH_SEGMENT = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


def segment(value: str, field: str) -> str:
    """``value`` checked to be safe as one path segment (ids, slugs, versions)."""
    if not PATH_SEGMENT.match(value) or value in {".", ".."}:
        raise InvalidInput(f"{field} is not a valid identifier", code="invalid_id", field=field)
    return value


def _retryable(error: Exception) -> bool:
    if isinstance(error, ServiceError):
        return error.status in RETRYABLE_STATUSES
    return isinstance(error, Unavailable) or getattr(error, "code", "") == "service_timeout"


class ServiceCalls:
    """Signed calls as one caller: reads retried and remembered, writes sent once."""

    def __init__(
        self, client: ServiceClient, *, read_attempts: int = 3, retry_pause_seconds: float = 0.2
    ) -> None:
        self._client = client
        self._read_attempts = read_attempts
        self._retry_pause = retry_pause_seconds
        self._reads: dict[tuple[str, tuple[tuple[str, str], ...]], asyncio.Task[Any]] = {}

    async def read(self, path: str, query: dict[str, Any] | None = None) -> Any:
        """``GET path``: retried on transient failures, one call per path and query."""
        given = {k: str(v) for k, v in (query or {}).items() if v is not None}
        arguments.within_request_line(path, given)
        key = (path, tuple(sorted(given.items())))
        if key not in self._reads:
            self._reads[key] = asyncio.ensure_future(self._read(path, given))
        return await asyncio.shield(self._reads[key])

    async def write(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        query: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> Any:
        """One non-GET call, never retried; remembered reads are forgotten after it."""
        key = arguments.idempotency_key(idempotency_key)
        headers = None if key is None else {"Idempotency-Key": key}
        given = {k: str(v) for k, v in (query or {}).items() if v is not None}
        arguments.within_request_line(path, given)
        self._reads.clear()
        return await _bounded(
            lambda: self._client.request(
                method, path, body=body, query=given or None, headers=headers
            )
        )

    async def _read(self, path: str, query: dict[str, str]) -> Any:
        for attempt in range(1, self._read_attempts + 1):
            try:
                return await _bounded(lambda: self._client.request("GET", path, query=query))
            except (ServiceError, UpstreamFailure) as error:
                if attempt == self._read_attempts or not _retryable(error):
                    raise
                log.info("service_read_retried", path=path, attempt=attempt, code=error.code)
                await asyncio.sleep(self._retry_pause * attempt)
        raise AssertionError("unreachable")  # the loop returns or raises


async def _bounded(call: Callable[[], Awaitable[Any]]) -> Any:
    """``call()`` with the client's timeout and bad answers turned into domain errors."""
    try:
        return await call()
    except Unavailable as error:
        # The client's message names the service's address: log it, do not show it.
        log.warning("service_unreachable", error=error.message)
        raise Unavailable(
            "the service cannot be reached right now; try again", code="service_unreachable"
        ) from None
    except TimeoutError:
        raise UpstreamFailure(
            "the service did not answer in time", code="service_timeout"
        ) from None
    except (ValueError, aiohttp.ClientError) as error:
        log.warning("service_bad_response", error=str(error))
        raise UpstreamFailure(
            "the service gave an answer that could not be read", code="service_bad_response"
        ) from None
