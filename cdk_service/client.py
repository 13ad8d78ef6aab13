"""A signed client of the service's internal API, used by the CLI."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import aiohttp

from cdk_service.api import signing
from cdk_service.errors import DatahubError, Unavailable
from cdk_service.identity import Identity


class ServiceError(DatahubError):
    """An error response from the service, carrying its status, code and message."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(
            body.get("message", "the service failed"),
            code=body.get("code", "error"),
            field=body.get("field"),
            details=body.get("details"),
        )
        self.status = status


class ServiceClient:
    """Calls the service as ``identity``, signing each request with the service key."""

    def __init__(
        self, base_url: str, *, key: bytes, identity: Identity, timeout_seconds: float = 300
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._key = key
        self._identity = identity
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)

    async def request(
        self, method: str, path: str, *, body: Any = None, query: dict[str, str] | None = None
    ) -> Any:
        """Send one signed request; returns the decoded JSON or raises ``ServiceError``."""
        path_qs = f"{path}?{urlencode(query)}" if query else path
        raw = b"" if body is None else json.dumps(body).encode()
        headers = signing.sign(
            self._key, method=method, path=path_qs, body=raw, identity=self._identity
        )
        headers["Content-Type"] = "application/json"
        try:
            async with (
                aiohttp.ClientSession(timeout=self._timeout) as session,
                session.request(
                    method, self._base_url + path_qs, data=raw, headers=headers
                ) as response,
            ):
                payload = await response.json(content_type=None)
        except aiohttp.ClientConnectionError as error:
            raise Unavailable(
                f"cannot reach the service at {self._base_url}: {error}", code="service_unreachable"
            ) from None
        if response.status >= 400:
            raise ServiceError(response.status, (payload or {}).get("error", {}))
        return payload
