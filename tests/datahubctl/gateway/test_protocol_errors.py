"""Requests the gateway's HTTP parser refuses, sent as raw bytes: each is a 4xx in API
Gateway's JSON error format that echoes nothing sent, and no answer names aiohttp or Python."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit

import pytest

from tests.datahubctl.gateway.conftest import Gateway

LONG = "A" * 9_000
HOST = b"Host: localhost\r\n"


async def raw(url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of the answer to ``request``."""
    address = urlsplit(url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines if x)}
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    writer.close()
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize(
    "request_bytes",
    [
        f"GET /graphql?q={LONG} HTTP/1.1\r\n".encode() + HOST + b"\r\n",
        b"GET /graphql HTTP/1.1\r\n" + HOST + f"X-Long: {LONG}\r\n\r\n".encode(),
        b"GET /graphql HTTP/1.1\r\n" + HOST + f"{LONG}: x\r\n\r\n".encode(),
        b"GET /graphql HTTP/1.1\r\n" + HOST + b"X-Bad: a\x01b\r\n\r\n",
        b"GET /graphql HTTP/1.1\r\n" + HOST + b"Bad Name: x\r\n\r\n",
        b"POST /graphql HTTP/1.1\r\n" + HOST + b"Content-Length: lots\r\n\r\n",
        b"POST /graphql HTTP/1.1\r\n" + HOST + b"Content-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"GE<T> /graphql HTTP/1.1\r\n" + HOST + b"\r\n",
        b"GET /graphql HTTP/9.9\r\n" + HOST + b"\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40 + b"\r\n\r\n",
    ],
    ids=[
        "request-line-too-long",
        "header-value-too-long",
        "header-name-too-long",
        "control-character-in-a-header",
        "space-in-a-header-name",
        "content-length-not-a-number",
        "two-content-lengths",
        "bad-method",
        "bad-version",
        "tls-on-the-http-port",
    ],
)
async def test_what_the_http_parser_refuses_is_a_json_4xx(
    gateway: Gateway, request_bytes: bytes
) -> None:
    status, headers, body = await raw(gateway.url, request_bytes)
    assert 400 <= status < 500, body
    assert headers["content-type"].startswith("application/json")
    assert set(json.loads(body)) == {"message"}
    assert b"AAAA" not in body and b"\\x" not in body and b"Bad Name" not in body
    assert "aiohttp" not in headers.get("server", "") and "Python" not in headers.get("server", "")


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"POST /graphql HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST /metadata/graphql HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST /metadata/graphql HTTP/1.1\r\n"
        + HOST
        + b"Content-Encoding: gzip\r\nContent-Length: 5\r\n\r\nnot-gzip",
    ],
    ids=["backend", "metadata", "not-the-encoding-it-claims"],
)
async def test_a_malformed_body_is_a_json_4xx(gateway: Gateway, request_bytes: bytes) -> None:
    status, headers, body = await raw(gateway.url, request_bytes)
    assert 400 <= status < 500, body
    assert headers["content-type"].startswith("application/json")
    assert "aiohttp" not in headers.get("server", "")


async def test_no_answer_names_the_server_software(gateway: Gateway) -> None:
    for method, path in [("GET", "/nowhere"), ("POST", "/graphql"), ("GET", "/explorer")]:
        async with gateway.http.request(method, path) as response:
            server = response.headers.get("Server", "")
            assert "aiohttp" not in server and "Python" not in server, (path, server)
