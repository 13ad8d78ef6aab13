"""Property: what the service client signs, the service accepts; any change, it refuses.

Over real HTTP (the client's aiohttp, yarl's re-escaping, the service's signature check), with
arbitrary path segments, query keys and values and caller names. Before the canonical target,
``search(query: "O'Brien")`` failed: the client signed ``%27``, the service saw ``'``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdk_service.api.middleware import identity_of, request_context, signature_check
from service_contract import signing
from service_contract.client import ServiceClient
from service_contract.identity import Identity

KEY = b"signed-targets-key"
# Any character a URL can carry: everything but unpaired surrogates (not UTF-8).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
SEGMENTS = st.lists(TEXT.filter(lambda s: s not in ("", ".", "..")), min_size=1, max_size=3)
QUERIES = st.dictionaries(TEXT.filter(bool), TEXT, max_size=4)
USERS = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20)
EXAMPLES = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


async def echo(request: web.Request) -> web.Response:
    """What the service made of the request: its path, query and caller."""
    caller = identity_of(request)
    return web.json_response(
        {"path": request.path, "query": dict(request.query), "user": caller.user}
    )


class EchoService:
    """The service's own middlewares in front of an echo, on a loopback port, in a thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.url = ""
        started = threading.Event()
        threading.Thread(target=self._serve, args=(started,), daemon=True).start()
        started.wait(10)

    def _serve(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        app = web.Application(
            middlewares=[
                request_context,
                signature_check(KEY, window_seconds=300, unsigned_paths=frozenset()),
            ]
        )
        app.router.add_route("*", r"/{tail:[\s\S]*}", echo)  # newlines too
        runner = web.AppRunner(app, access_log=None)
        self.loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        port = runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        started.set()
        self.loop.run_forever()

    def run(self, coroutine: Any) -> Any:
        """Run ``coroutine`` on the server's loop, from the test's thread."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)


@pytest.fixture(scope="module")
def service() -> Iterator[EchoService]:
    running = EchoService()
    yield running
    running.loop.call_soon_threadsafe(running.loop.stop)


def path_of(segments: list[str]) -> str:
    """A path the way callers build one: each segment escaped."""
    return "/v1/" + "/".join(quote(segment, safe="") for segment in segments)


@EXAMPLES
@given(segments=SEGMENTS, query=QUERIES, user=USERS)
def test_what_the_client_signs_the_service_accepts_as_meant(
    service: EchoService, segments: list[str], query: dict[str, str], user: str
) -> None:
    client = ServiceClient(service.url, key=KEY, identity=Identity(user=user))

    answer = service.run(client.request("GET", path_of(segments), query=query))

    assert answer == {"path": "/v1/" + "/".join(segments), "query": query, "user": user}


async def send(url: str, target: str, headers: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as session, session.get(url + target, headers=headers) as r:
        return r.status


@EXAMPLES
@given(segments=SEGMENTS, query=QUERIES, extra=TEXT.filter(bool))
def test_a_target_changed_after_signing_is_refused(
    service: EchoService, segments: list[str], query: dict[str, str], extra: str
) -> None:
    target = (
        path_of(segments)
        + "?"
        + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query.items())
    )
    headers = signing.sign(KEY, method="GET", path=target, body=b"", identity=Identity(user="u"))
    assert service.run(send(service.url, target, headers)) == 200

    changed_value = target + f"&{quote(extra, safe='')}=1"
    changed_path = path_of([*segments, extra]) + target[len(path_of(segments)) :]
    for changed in (changed_value, changed_path):
        assert service.run(send(service.url, changed, headers)) == 401, changed
