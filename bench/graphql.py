"""Benchmark: the Backend GraphQL API through the local gateway, with 100,000 stacks recorded.

The whole path of a request: HTTP → local gateway → Authorizer (a real moto Cognito id token;
its policy cached per token, as API Gateway does) → Backend Lambda handler (on the gateway's
threads, each with its kept event loop and service connections) → signed calls to the service
(its own process) → PostgreSQL. 50 concurrent clients (in a process of their own) run each
query twice: as fast as answers come (the most requests per second, and the latency then: at
saturation, 50 requests always in flight), then paced at the target rate (the latency at
300 req/s, counted from when each request was due). Also printed: answers that were not a
clean 200, and in the saturated run the CPU time per request of the service's process and of
the gateway's (the Authorizer and the Backend Lambda run on its threads): where the time goes,
and less swayed than the rates by other work on the machine. Queries: ``stacks(first: 20)``,
``stack(id)`` (ids of the caller's team) and ``search``. Target, on a 2-core machine: at least
300 requests per second, with p99 under 100 ms at that rate.

Run from the repository root: ``.venv/bin/python bench/graphql.py`` (``--quick`` for a smoke
run). It works in a scratch database on ``DATAHUB_BENCH_DATABASE_URL`` (default: the local
server) that is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from tortoise import Tortoise

# Run as a script, this file's folder comes first on the path, and its name would hide the
# ``graphql`` package the repository's modules import: leave the folder out, put the repository in.
BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
REPO = BENCH.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from api_lambdas.authorizer.handler import Authorizer  # noqa: E402
from api_lambdas.local_gateway.app import (  # noqa: E402
    FunctionModule,
    Functions,
    GatewayConfig,
)
from api_lambdas.local_gateway.running import running_gateway  # noqa: E402
from bench.demo_caller import demo_caller  # noqa: E402
from cdk_service.api.app import create_app  # noqa: E402
from cdk_service.api.context import Services  # noqa: E402
from cdk_service.db.admin import scratch_database  # noqa: E402
from cdk_service.db.config import close_database, open_database  # noqa: E402
from cdk_service.db.models import (  # noqa: E402
    Stack,
    StackStatus,
    Template,
    TemplateVersion,
    VersionStatus,
)
from cdk_service.db.upgrade import upgrade  # noqa: E402
from cdk_service.local.moto import moto_server  # noqa: E402
from cdk_service.search.backends import search_backend  # noqa: E402
from cdk_service.search.indexer import Indexer  # noqa: E402
from cdk_service.search.postgres import PostgresSearch  # noqa: E402
from cdk_service.settings import Settings  # noqa: E402
from stack_catalog.registry import Registry  # noqa: E402

SERVER_URL = os.environ.get(
    "DATAHUB_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
KEY = "bench-service-key"
TEAMS = ["analytics", *(f"team-{n:02d}" for n in range(1, 20))]  # the analyst sees 1 in 20
WORDS = [
    *("orders", "customers", "payments", "invoices", "refunds"),
    *("clicks", "sessions", "leads", "churn", "revenue"),
]
TARGET_P99_MS, TARGET_RPS = 100.0, 300.0
ENVIRONMENTS = int(os.environ.get("DATAHUB_BENCH_LAMBDA_ENVIRONMENTS", "4"))
SEED = 20261128


class NoSynthesis:
    """The bench never synthesizes."""

    async def synth(self, request: Any) -> Any:
        raise RuntimeError("not in this benchmark")

    def stats(self) -> dict[str, Any]:
        return {}


async def seed(count: int) -> list[str]:
    """``count`` stacks over 20 teams, and the search documents for them; the analyst's ids."""
    rng = random.Random(SEED)
    template = await Template.create(name="bucket", title="Bucket", description="An S3 bucket")
    version = await TemplateVersion.create(
        template=template,
        version="1.0.0",
        title="Bucket",
        description="An S3 bucket",
        status=VersionStatus.PUBLISHED,
        params_schema={},
        code_digest="0" * 64,
    )
    mine: list[str] = []
    for start in range(0, count, 1000):
        rows = [
            Stack(
                id=uuid.uuid4(),
                name=f"{rng.choice(WORDS)}-{n}",
                team=TEAMS[n % len(TEAMS)],
                template_version=version,
                params={"bucket_name": f"{rng.choice(WORDS)}-data-{n}"},
                account="123456789012",
                region="eu-west-1",
                status=StackStatus.ACTIVE,
                cloudformation_stack_name=f"stack-{n}",
                outputs={},
                created_by="bench",
            )
            for n in range(start, min(start + 1000, count))
        ]
        await Stack.bulk_create(rows)
        mine += [str(row.id) for row in rows if row.team == "analytics"]
    await Indexer(backend=PostgresSearch(), batch_size=1000).drain()
    # Statistics and the visibility map, as autovacuum leaves them on a database that grew
    # this big (it vacuums after inserts too): the steady state, not the first read's.
    await Tortoise.get_connection("default").execute_script("VACUUM ANALYZE")
    return mine


def serve(database_url: str, cached_results: int, ready: Any) -> None:
    """The service in a process of its own, until terminated."""

    async def main() -> None:
        await open_database(database_url)
        settings = Settings(
            database_url=database_url,
            service_key=KEY,
            state_dir=Path(tempfile.mkdtemp()),
            search_cached_results=cached_results,
        )
        services = Services(
            settings=settings,
            registry=Registry([]),
            synthesizer=NoSynthesis(),
            search=search_backend(settings),
        )
        runner = web.AppRunner(create_app(services), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        ready.put(runner.addresses[0][1])
        await asyncio.Event().wait()

    asyncio.run(main())


async def load(
    url: str, token: str, bodies: list[bytes], clients: int, seconds: float, rate: float | None
) -> tuple[list[float], int, float]:
    """Latencies (ms) of ``clients`` sending for ``seconds``, the answers that failed, and the
    seconds it took.

    With no ``rate`` each client sends its next request as soon as the last is answered (the
    most the stack can do). With a ``rate`` (requests per second, all clients together) each
    client sends on a fixed schedule and a latency counts from when the request was due, so a
    backlog shows in the figures instead of slowing the senders down; requests still due
    after twice ``seconds`` are not sent (an overloaded run would take ever longer).
    """
    latencies: list[float] = []
    failures = 0
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    interval = None if rate is None else clients / rate
    begun = time.perf_counter()
    deadline = begun + seconds
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients)) as http:

        async def client(number: int) -> None:
            nonlocal failures
            turn = number
            due = begun + (0.0 if interval is None else interval * number / clients)
            while due < deadline and time.perf_counter() < begun + 2 * seconds:
                body = bodies[turn % len(bodies)]
                turn += clients
                if interval is None:
                    due = time.perf_counter()
                else:
                    await asyncio.sleep(max(0.0, due - time.perf_counter()))
                async with http.post(url, data=body, headers=headers) as response:
                    answer = await response.json(content_type=None)
                latencies.append((time.perf_counter() - due) * 1000)
                failures += response.status != 200 or bool(answer.get("errors"))
                due = time.perf_counter() if interval is None else due + interval

        await asyncio.gather(*(client(n) for n in range(clients)))
    return latencies, failures, time.perf_counter() - begun


def _load_sync(*arguments: Any) -> tuple[tuple[list[float], int, float], float, int]:
    """``load``'s figures, the CPU seconds the clients' process spent on them, and its id."""
    # The clients' process imported this whole module: keep its full collections short, or
    # their pauses would be counted as the gateway's latency.
    gc.freeze()
    started = time.process_time()
    figures = asyncio.run(load(*arguments))
    return figures, time.process_time() - started, os.getpid()


@dataclass(frozen=True)
class Scenario:
    """One query's bodies, sent round robin, and whether the service keeps search results."""

    name: str
    bodies: list[bytes]
    results_cache: bool = True


def scenarios(stack_ids: list[str]) -> list[Scenario]:
    """The queries, in the order they run."""
    rng = random.Random(SEED + 1)

    def body(query: str, **variables: Any) -> bytes:
        return json.dumps({"query": query, "variables": variables}).encode()

    stacks = (
        "{ stacks(first: 20) { edges { node { id name status team } } pageInfo { endCursor } } }"
    )
    stack = "query($id: ID!) { stack(id: $id) { id name status params templateVersion } }"
    search = (
        "query($q: String!) { search(query: $q, first: 20) "
        "{ totalCount edges { node { id title } } } }"
    )
    searches = [body(search, q=word) for word in WORDS]
    ids = rng.sample(stack_ids, min(500, len(stack_ids)))
    return [
        Scenario("stacks(first: 20)", [body(stacks)]),
        Scenario("stack(id)", [body(stack, id=i) for i in ids]),
        Scenario("search", searches),
        # The same ten searches as if each were asked for the first time since the index
        # last changed: a service that keeps no results (``search_cached_results=0``).
        Scenario("search, not kept", searches, results_cache=False),
    ]


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) a process has used so far, from Linux's ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """CPU time the PostgreSQL server's processes have used so far (the bench's connections
    are the busy ones; a process that ends between two readings drops out of both)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        if "(postgres)" in text:
            total += cpu_seconds(int(stat.parent.name))
    return total


def lambda_cpu_seconds(others: set[int]) -> float:
    """CPU time this process's children but ``others`` have used so far: the Lambda execution
    environments of the gateway (and multiprocessing's resource tracker, which does ~nothing)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        pid = int(stat.parent.name)
        if int(fields[1]) == os.getpid() and pid not in others:
            total += cpu_seconds(pid)
    return total


def machine_cpu_seconds() -> float:
    """CPU time every core has spent busy so far (all of ``/proc/stat``'s but idle and iowait)."""
    jiffies = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(jiffies) - jiffies[3] - jiffies[4]) / os.sysconf("SC_CLK_TCK")


def report(name: str, most: Figures, paced: Figures, cpu: CpuUse) -> bool:
    """Two lines of figures; True when the targets are met."""
    met = (
        most.rps >= TARGET_RPS
        and paced.p99 < TARGET_P99_MS
        and paced.rps >= TARGET_RPS * 0.97  # the paced senders kept up with the rate
        and most.failures + paced.failures == 0
    )
    print(
        f"{name:<18} most {most.rps:4.0f} req/s (p50 {most.p50:5.1f}, p99 {most.p99:5.1f} ms)   "
        f"at {TARGET_RPS:.0f} req/s: p50 {paced.p50:5.1f}, p99 {paced.p99:5.1f} ms   "
        f"failed: {most.failures + paced.failures}   {'PASS' if met else 'FAIL'}"
    )
    service, gateway, lambdas, clients, postgres, machine = (
        ms / most.count for ms in cpu.milliseconds()
    )
    print(
        f"{'':<18} CPU per request: gateway {gateway:.2f} ms, Lambdas {lambdas:.2f} ms, "
        f"service {service:.2f} ms, PostgreSQL {postgres:.2f} ms, clients {clients:.2f} ms; "
        f"whole machine {machine:.2f} ms"
    )
    return met


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds each part used over one run."""

    service: float
    gateway: float
    lambdas: float
    clients: float
    postgres: float
    machine: float

    def milliseconds(self) -> tuple[float, ...]:
        """The six figures in milliseconds."""
        return tuple(seconds * 1000 for seconds in astuple(self))

    @classmethod
    def reading(cls, service_pid: int, others: set[int]) -> CpuUse:
        """The counters now (the clients' share is measured in their process; ``others``: the
        children that are not Lambda environments)."""
        return cls(
            cpu_seconds(service_pid),
            cpu_seconds(os.getpid()),
            lambda_cpu_seconds(others),
            0.0,
            postgres_cpu_seconds(),
            machine_cpu_seconds(),
        )

    def since(self, before: CpuUse, clients: float) -> CpuUse:
        """What was used from ``before`` to this reading, with the clients' share."""
        used = (now - then for now, then in zip(astuple(self), astuple(before), strict=True))
        service, gateway, lambdas, _, postgres, machine = used
        return CpuUse(service, gateway, lambdas, clients, postgres, machine)


@dataclass(frozen=True)
class Figures:
    """What one load run measured."""

    rps: float
    p50: float
    p99: float
    failures: int
    count: int

    @classmethod
    def of(cls, latencies: list[float], failures: int, seconds: float) -> Figures:
        """The figures of a run's latencies (ms) over the ``seconds`` it took."""
        cuts = statistics.quantiles(latencies, n=100)
        return cls(len(latencies) / seconds, cuts[49], cuts[98], failures, len(latencies))


async def bench(stacks: int, clients: int, seconds: float, only: str | None = None) -> bool:
    """Seed, start the services (one keeping search results, one not) and the gateway, load
    each query in turn."""
    async with scratch_database(SERVER_URL, prefix="datahub_bench_graphql") as database_url:
        await upgrade(database_url)
        await open_database(database_url)
        try:
            started = time.perf_counter()
            mine = await seed(stacks)
            print(f"seeded and indexed {stacks} stacks in {time.perf_counter() - started:.0f} s")
        finally:
            await close_database()
        spawn = multiprocessing.get_context("spawn")
        services: dict[bool, tuple[str, Any]] = {}
        try:
            for cached in (True, False):
                ready = spawn.Queue()
                kept = Settings.model_fields["search_cached_results"].default if cached else 0
                process = spawn.Process(target=serve, args=(database_url, kept, ready), daemon=True)
                process.start()
                services[cached] = (f"http://127.0.0.1:{ready.get(timeout=60)}", process)
            return await _against(services, mine, clients, seconds, only)
        finally:
            for _, process in services.values():
                process.terminate()
                process.join()


async def _against(
    services: dict[bool, tuple[str, Any]],
    mine: list[str],
    clients: int,
    seconds: float,
    only: str | None,
) -> bool:
    os.environ["DATAHUB_SERVICE_KEY"] = KEY
    with moto_server() as moto:
        caller = demo_caller(moto.url)
        token = caller.id_token
        functions = Functions(
            Authorizer(caller.settings),
            FunctionModule("api_lambdas.backend.handler"),
            FunctionModule("api_lambdas.metadata.handler"),
        )
        config = GatewayConfig(explorer=False, lambda_environments=ENVIRONMENTS)
        print(
            f"{clients} concurrent clients, {seconds:.0f} s per query and pace, "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before, "
            f"at most {ENVIRONMENTS} Lambda environments"
        )
        passed = True
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as other:
            for scenario in scenarios(mine):
                if only and not scenario.name.startswith(only):
                    continue
                service_url, service = services[scenario.results_cache]
                # The Lambdas read it from their environment: a gateway with new ones.
                os.environ["DATAHUB_SERVICE_URL"] = service_url
                async with running_gateway(functions, config) as base:

                    async def run(
                        bodies: list[bytes], seconds: float, rate: float | None
                    ) -> tuple[Figures, float, int]:
                        work = (f"{base}/graphql", token, bodies, clients, seconds, rate)
                        answer, cpu, pid = await asyncio.wrap_future(
                            other.submit(_load_sync, *work)
                        )
                        return Figures.of(*answer), cpu, pid

                    # Warm: cold starts, connections.
                    *_, clients_pid = await run(scenario.bodies, 5.0, None)
                    others = {clients_pid, *(p.pid for _, p in services.values() if p.pid)}
                    before = CpuUse.reading(service.pid, others)
                    most, client_cpu, _ = await run(scenario.bodies, seconds, None)
                    used = CpuUse.reading(service.pid, others).since(before, client_cpu)
                    paced, *_ = await run(scenario.bodies, seconds, TARGET_RPS)
                    passed = report(scenario.name, most, paced, used) and passed
        return passed


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stacks", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--quick", action="store_true", help="5,000 stacks, 5 s per query")
    parser.add_argument("--only", help="run only the queries whose name starts with this")
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.stacks, arguments.seconds = 5_000, 5.0
    passed = asyncio.run(
        bench(arguments.stacks, arguments.clients, arguments.seconds, arguments.only)
    )
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
