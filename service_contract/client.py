"""A signed client of the service's internal API, used by the CLI and the Lambdas."""

from __future__ import annotations

import functools
import json
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
import orjson

from service_contract import signing
from service_contract.errors import DatahubError, Unavailable
from service_contract.identity import Identity

# Sent by the client, echoed by the service: the caller's own id on the service's log lines.
REQUEST_ID_HEADER = "X-Request-Id"


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


@dataclass(frozen=True)
class ServerSentEvent:
    """One event of a server-sent event stream; ``data`` is decoded from JSON when it parses."""

    event: str
    data: Any
    id: str | None = None


def _error_of(raw_answer: bytes, status: int) -> dict[str, Any]:
    """The error object of an error answer; one of our own when the answer is not JSON (a
    proxy's page, say), so the caller still learns the status and not a parse failure."""
    try:
        payload = orjson.loads(raw_answer)
    except orjson.JSONDecodeError:
        payload = None
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        return error
    return {"code": "service_error", "message": f"the service answered {status}"}


def _decoded(data: str) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return data


@functools.cache
def trusting(ca_certificate: str) -> ssl.SSLContext:
    """A TLS context that verifies the service's certificate against this CA (PEM) alone."""
    return ssl.create_default_context(cadata=ca_certificate)


class ServiceClient:
    """Calls the service as ``identity``, signing each request with the service key."""

    def __init__(
        self,
        base_url: str,
        *,
        key: bytes,
        identity: Identity,
        timeout_seconds: float = 300,
        request_id: str | None = None,
        ca_certificate: str | None = None,
    ) -> None:
        """``request_id``: sent as ``X-Request-Id``, so the service's log lines for these calls
        carry the caller's own id (an API Gateway request's, for a Lambda). ``ca_certificate``:
        the CA (PEM) an ``https`` service's certificate is verified against, instead of the
        system's (the platform's private CA)."""
        self._ssl: ssl.SSLContext | bool = trusting(ca_certificate) if ca_certificate else True
        self._base_url = base_url.rstrip("/")
        self._key = key
        self._identity = identity
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._request_id = request_id

    def _signed(
        self, method: str, path_qs: str, raw: bytes, extra: dict[str, str] | None
    ) -> dict[str, str]:
        headers = signing.sign(
            self._key, method=method, path=path_qs, body=raw, identity=self._identity
        )
        headers["Content-Type"] = "application/json"
        if self._request_id is not None:
            headers[REQUEST_ID_HEADER] = self._request_id
        headers.update(extra or {})
        return headers

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[aiohttp.ClientSession]:
        """The HTTP session a request goes over: one for that call alone, unless overridden."""
        async with aiohttp.ClientSession() as session:
            yield session

    def _unreachable(self, error: Exception) -> Unavailable:
        return Unavailable(
            f"cannot reach the service at {self._base_url}: {error}", code="service_unreachable"
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """Send one signed request; returns the decoded JSON or raises ``ServiceError``."""
        path_qs = f"{path}?{urlencode(query)}" if query else path
        raw = b"" if body is None else json.dumps(body).encode()
        return await self._send(method, path_qs, raw, headers)

    async def upload(self, path: str, data: bytes, *, content_type: str) -> Any:
        """POST raw bytes (a bundle) signed like any request; returns the decoded JSON."""
        return await self._send("POST", path, data, {"Content-Type": content_type})

    async def _send(
        self, method: str, path_qs: str, raw: bytes, headers: dict[str, str] | None
    ) -> Any:
        headers = self._signed(method, path_qs, raw, headers)
        url = self._base_url + path_qs
        try:
            async with (
                self._session() as session,
                session.request(
                    method, url, data=raw, headers=headers, timeout=self._timeout, ssl=self._ssl
                ) as response,
            ):
                raw_answer = await response.read()
        except aiohttp.ClientConnectionError as error:
            raise self._unreachable(error) from None
        if response.status >= 400:
            raise ServiceError(response.status, _error_of(raw_answer, response.status))
        return orjson.loads(raw_answer) if raw_answer.strip() else None

    async def stream(
        self,
        path: str,
        *,
        query: dict[str, str] | None = None,
        last_event_id: str | None = None,
        idle_timeout_seconds: float = 60,
    ) -> AsyncIterator[ServerSentEvent]:
        """Follow a signed ``GET`` server-sent event stream until the service ends it.

        Comments (keep-alives) are skipped; ``idle_timeout_seconds`` bounds the wait for any
        bytes, keep-alives included. Raises ``ServiceError`` when the service refuses.
        """
        path_qs = f"{path}?{urlencode(query)}" if query else path
        extra = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            extra["Last-Event-ID"] = last_event_id
        headers = self._signed("GET", path_qs, b"", extra)
        timeout = aiohttp.ClientTimeout(total=None, sock_read=idle_timeout_seconds)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(self._base_url + path_qs, headers=headers, ssl=self._ssl) as response,
            ):
                if response.status >= 400:
                    payload = await response.json(content_type=None)
                    raise ServiceError(response.status, (payload or {}).get("error", {}))
                event, event_id = "message", None
                data: list[str] = []
                async for raw_line in response.content:
                    line = raw_line.decode().rstrip("\r\n")
                    if not line:
                        if data:
                            yield ServerSentEvent(event, _decoded("\n".join(data)), event_id)
                        event, data = "message", []
                        continue
                    if line.startswith(":"):
                        continue
                    name, _, value = line.partition(":")
                    value = value.removeprefix(" ")
                    if name == "event":
                        event = value
                    elif name == "data":
                        data.append(value)
                    elif name == "id":
                        event_id = value
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, TimeoutError) as error:
            raise self._unreachable(error) from None
