"""Benchmark: what the local gateway itself costs per request, with the real Authorizer.

``/graphql`` with a real moto Cognito id token in front of a Backend stand-in that answers at
once (the Authorizer's policy cached per token as API Gateway does, and with the cache off:
RS256 verified on every request), and ``/metadata/graphql`` with SigV4 signed requests (each
signed afresh by the client). The clients run in another process. The figures are the
gateway's share of a request's time: ``bench/graphql.py`` measures the Backend and service.

Run from the repository root: ``.venv/bin/python bench/local_gateway.py`` (``--quick``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from botocore.credentials import Credentials

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make the repository's packages importable
    sys.path.insert(0, str(REPO))

from api_lambdas.authorizer.handler import Authorizer  # noqa: E402
from bench.demo_caller import demo_caller  # noqa: E402
from datahubctl.gateway.app import Functions, GatewayConfig  # noqa: E402
from datahubctl.gateway.principals import ensure_pipeline_user  # noqa: E402
from datahubctl.gateway.running import running_gateway  # noqa: E402
from datahubctl.gateway.sigv4 import signed_headers  # noqa: E402
from datahubctl.local.moto import moto_server  # noqa: E402

BODY = json.dumps({"query": "{ me { user } }"}).encode()


def answer(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A Backend that costs nothing: the gateway's share is all that is measured."""
    return {"statusCode": 200, "body": '{"data": {"me": {"user": "x"}}}'}


async def load(url: str, headers: Any, clients: int, seconds: float) -> tuple[list[float], int]:
    """Latencies (ms) of ``clients`` looping for ``seconds``; and the count of non-200s."""
    latencies: list[float] = []
    failures = 0
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def client() -> None:
            nonlocal failures
            while time.monotonic() < deadline:
                started = time.perf_counter()
                async with http.post(url, data=BODY, headers=headers()) as response:
                    await response.read()
                    failures += response.status != 200
                latencies.append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, failures


def load_elsewhere(url: str, headers: Any, clients: int, seconds: float) -> tuple[list[float], int]:
    """``load`` in a process of its own, so that the clients do not share the gateway's CPU."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as other:
        return other.submit(_load_sync, url, headers, clients, seconds).result()


def _load_sync(url: str, headers: Any, clients: int, seconds: float) -> tuple[list[float], int]:
    return asyncio.run(load(url, headers, clients, seconds))


@dataclass(frozen=True)
class Bearer:
    """The same token on every request (picklable, for the client process)."""

    token: str

    def __call__(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass(frozen=True)
class Signer:
    """A fresh SigV4 signature on every request, as an SDK makes one."""

    url: str
    access_key: str
    secret_key: str

    def __call__(self) -> dict[str, str]:
        credentials = Credentials(self.access_key, self.secret_key)
        return signed_headers(self.url, BODY, credentials, "us-east-1")


def report(name: str, latencies: list[float], failures: int, seconds: float) -> None:
    """One line of figures."""
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{name:<28} {len(latencies) / seconds:7.0f} req/s   p50 {cuts[49]:6.1f} ms   "
        f"p99 {cuts[98]:6.1f} ms   non-200: {failures}"
    )


async def main(clients: int, seconds: float) -> None:
    """Both routes under load."""
    with moto_server() as moto:
        caller = demo_caller(moto.url)
        pipeline = ensure_pipeline_user(caller.client("iam"))
        token = Bearer(caller.id_token)
        functions = Functions(Authorizer(caller.settings), answer, answer)
        print(f"{clients} concurrent clients, {seconds:.0f} s per route")
        runs = [("/graphql (policy cached)", 300.0), ("/graphql (verified each time)", 0.0)]
        for name, ttl in runs:
            config = GatewayConfig(
                principals={pipeline.access_key_id: pipeline}, authorizer_cache_seconds=ttl
            )
            async with running_gateway(functions, config) as url:
                measured = await asyncio.to_thread(
                    load_elsewhere, f"{url}/graphql", token, clients, seconds
                )
                report(name, *measured, seconds)
        async with running_gateway(functions, config) as url:
            metadata_url = f"{url}/metadata/graphql"
            signer = Signer(metadata_url, pipeline.access_key_id, pipeline.secret_access_key)
            arguments = (metadata_url, signer, clients, seconds)
            measured = await asyncio.to_thread(load_elsewhere, *arguments)
            report("/metadata/graphql (SigV4)", *measured, seconds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--quick", action="store_true", help="3 s per route")
    options = parser.parse_args()
    asyncio.run(main(options.clients, 3.0 if options.quick else options.seconds))
