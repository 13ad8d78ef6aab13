"""Benchmark: the search backends side by side with 100,000 documents (half stacks, half
datasets): PostgreSQL, and OpenSearch (a node started from ``tools/opensearch``, or the cluster
``DATAHUB_BENCH_SEARCH_URL`` names).

Per backend, on the same corpus and queries: bulk index throughput (the outbox drained by the
indexer, as in the service; and a full reindex), query latency p50/p95 for full text plus two
facets with counts (as a team member, so the visibility filter applies), the same queries asked
again (the results cache: PostgreSQL's own, OpenSearch's shard request cache), and the index lag
at 200 writes per second (from a write's commit until search finds it, the indexer running in a
process of its own, writing as the service does: no refresh forced).

Run from the repository root: ``.venv/bin/python bench/search.py`` (``--documents 10000`` for
a quick run, ``--backend postgres`` for one). It works in a scratch database on
``DATAHUB_BENCH_DATABASE_URL`` (default: the local server) that is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import os
import random
import statistics
import sys
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make the repository's packages importable
    sys.path.insert(0, str(REPO))

from tortoise import Tortoise  # noqa: E402

from cdk_service.db.admin import scratch_database  # noqa: E402
from cdk_service.db.config import close_database, open_database  # noqa: E402
from cdk_service.db.models import (  # noqa: E402
    Classification,
    Dataset,
    Stack,
    StackStatus,
    Template,
    TemplateVersion,
    VersionStatus,
)
from cdk_service.db.upgrade import upgrade  # noqa: E402
from cdk_service.search.indexer import Indexer, indexing  # noqa: E402
from cdk_service.search.opensearch import OpenSearchBackend, client_of  # noqa: E402
from cdk_service.search.port import SearchBackend, SearchQuery, Visibility  # noqa: E402
from cdk_service.search.postgres import PostgresSearch  # noqa: E402
from cdk_service.search.service import reindex  # noqa: E402
from cdk_service.settings import Settings  # noqa: E402
from datahubctl.local.opensearch_node import opensearch_node  # noqa: E402
from service_contract.identity import Identity  # noqa: E402

SERVER_URL = os.environ.get(
    "DATAHUB_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
TARGET_P95_MS = 50.0
TARGET_LAG_S = 1.0
TEAMS = [f"team-{n:02d}" for n in range(20)]
REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-2"]
TAGS_TEXT = "finance sales marketing pii daily hourly raw curated gold ml"
DOMAIN_TEXT = (
    "orders customers payments invoices refunds shipments inventory products prices "
    "clicks sessions pageviews campaigns leads accounts subscriptions churn revenue "
    "forecast events sensors telemetry logs metrics alerts tickets support returns "
    "suppliers warehouses stores employees payroll ledger transactions fraud risk "
    "claims policies quotes bookings flights hotels reviews ratings search catalog"
)
SYLLABLES_TEXT = "ka lo mi nu pe ra si to vu we xa yo zi bar cor dun fel gan hul"
TAGS, DOMAIN, SYLLABLES = (text.split() for text in (TAGS_TEXT, DOMAIN_TEXT, SYLLABLES_TEXT))
SEED = 20261128
FOUND_PROBES = """
SELECT DISTINCT split_part(description, ' ', 1) AS word FROM search_documents
WHERE vector @@ to_tsquery('simple', $1)
"""
BENCH_ALIAS = "datahub-bench"
_CUMULATIVE: dict[int, list[float]] = {}


def search_backend(name: str, search_url: str | None) -> SearchBackend:
    """The backend under test: PostgreSQL, or OpenSearch behind the bench's alias."""
    if name == "postgres":
        return PostgresSearch()
    settings = Settings(search_url=search_url, search_index=BENCH_ALIAS)
    return OpenSearchBackend(client_of(settings), BENCH_ALIAS)


async def probes_found(backend: SearchBackend, words: list[str]) -> set[str]:
    """Which probe words search finds now (one request for all of them)."""
    if isinstance(backend, PostgresSearch):
        rows = await Tortoise.get_connection("default").execute_query_dict(
            FOUND_PROBES, [" | ".join(words)]
        )
        return {row["word"] for row in rows}
    assert isinstance(backend, OpenSearchBackend)
    # A match, not terms: the description is stemmed, and so may a probe word be.
    query = {"match": {"description": " ".join(words)}}
    body = {"query": query, "size": len(words), "_source": ["document"]}
    response = await backend._client.search(index=BENCH_ALIAS, body=body)
    return {
        hit["_source"]["document"]["description"].split()[0] for hit in response["hits"]["hits"]
    }


def vocabulary(size: int = 4000) -> list[str]:
    """Domain words and made-up ones; drawn with a Zipf-like skew so some words are common."""
    rng = random.Random(SEED)
    made = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    return DOMAIN + sorted(made - set(DOMAIN))


def skewed(rng: random.Random, words: list[str]) -> str:
    """One word, Zipf-Mandelbrot like (rank r drawn in proportion to 1/(r + 10)): a few words
    are common (the first is in about a quarter of all documents), most are rare."""
    weights = _CUMULATIVE.get(len(words))
    if weights is None:
        weights = _CUMULATIVE[len(words)] = list(
            itertools.accumulate(1 / (rank + 10) for rank in range(1, len(words) + 1))
        )
    return rng.choices(words, cum_weights=weights)[0]


def sentence(rng: random.Random, words: list[str], count: int) -> str:
    return " ".join(skewed(rng, words) for _ in range(count))


async def catalog_version() -> TemplateVersion:
    template = await Template.create(name="dataset", title="Dataset", description="Storage")
    return await TemplateVersion.create(
        template=template,
        version="1.0.0",
        title="Dataset",
        description="Storage for one dataset",
        status=VersionStatus.PUBLISHED,
        params_schema={},
        code_digest="0" * 64,
    )


async def seed(documents: int, words: list[str]) -> list[uuid.UUID]:
    """Half stacks, half datasets, written through the ORM (the triggers fill the outbox)."""
    rng = random.Random(SEED)
    version = await catalog_version()
    half = documents // 2
    for start in range(0, half, 1000):
        stacks = [
            Stack(
                id=uuid.uuid4(),
                name=f"{skewed(rng, words)}-{skewed(rng, words)}-{n}",
                team=rng.choice(TEAMS),
                template_version=version,
                params={"dataset_name": skewed(rng, words), "description": sentence(rng, words, 8)},
                account="123456789012",
                region=rng.choice(REGIONS),
                status=rng.choice([StackStatus.ACTIVE] * 4 + [StackStatus.FAILED]),
                cloudformation_stack_name=f"stack-{n}",
                outputs={},
                created_by="bench",
            )
            for n in range(start, min(start + 1000, half))
        ]
        await Stack.bulk_create(stacks)
    dataset_ids: list[uuid.UUID] = []
    for start in range(0, documents - half, 1000):
        datasets = [
            Dataset(
                id=uuid.uuid4(),
                team=rng.choice(TEAMS),
                name=f"{skewed(rng, words)}-{n}",
                description=sentence(rng, words, rng.randint(8, 16)),
                columns=[
                    {"name": skewed(rng, words), "type": "string", "description": "", "pii": False}
                    for _ in range(rng.randint(3, 8))
                ],
                tags=rng.sample(TAGS, rng.randint(0, 3)),
                topics=[skewed(rng, words)],
                classification=rng.choice(list(Classification)),
                created_by="bench",
                updated_by="bench",
            )
            for n in range(start, min(start + 1000, documents - half))
        ]
        await Dataset.bulk_create(datasets)
        dataset_ids += [d.id for d in datasets]
    return dataset_ids


async def vacuum() -> None:
    """What autovacuum does after a bulk load: statistics, the visibility map, the GIN index's
    pending list merged (else every query scans it)."""
    await Tortoise.get_connection("default").execute_script("VACUUM ANALYZE search_documents")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def bench_queries(words: list[str], count: int) -> list[SearchQuery]:
    """Full text plus two facets (kind and team), with facet counts; the same on every backend."""
    rng = random.Random(SEED + 1)
    return [
        SearchQuery(
            text=skewed(rng, words[:400]),
            filters={
                "kind": frozenset({rng.choice(["dataset", "stack"])}),
                "team": frozenset({rng.choice(TEAMS[:2] if n % 2 else TEAMS)}),
            },
        )
        for n in range(count + 10)
    ]


async def measure_queries(backend: SearchBackend, queries: list[SearchQuery]) -> dict[str, float]:
    """The queries as a two-team member; then all of them again, answered from a cache where
    the backend keeps one (the index unchanged in between)."""
    caller = Visibility.of(Identity(user="bench", groups=frozenset(TEAMS[:2])))
    timings: list[float] = []
    again: list[float] = []
    matches: list[int] = []
    for n, query in enumerate(queries):
        started = time.perf_counter()
        results = await backend.search(query, caller)
        if n >= 10:  # the first few warm the connection and caches
            timings.append((time.perf_counter() - started) * 1000)
            matches.append(results.total)
    for query in queries[10:]:
        started = time.perf_counter()
        await backend.search(query, caller)
        again.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "again_p50_ms": statistics.median(again),
        "again_p95_ms": percentile(again, 0.95),
        "median_matches": statistics.median(matches),
        "max_matches": max(matches),
    }


def run_indexer(database_url: str, backend_name: str, search_url: str | None, stop: Any) -> None:
    """The indexer in a process of its own, as the service runs it, until ``stop`` is set."""

    async def main() -> None:
        await open_database(database_url)
        backend = search_backend(backend_name, search_url)
        try:
            async with indexing(Indexer(backend=backend, poll_seconds=0.05)):
                while not stop.is_set():
                    await asyncio.sleep(0.05)
        finally:
            await backend.close()
            await close_database()

    asyncio.run(main())


async def measure_lag(
    database_url: str,
    backend: SearchBackend,
    search_url: str | None,
    dataset_ids: list[uuid.UUID],
    rate: int,
    seconds: float,
) -> dict[str, float]:
    """Writes at ``rate`` per second (one UPDATE each, its own transaction, several at once);
    every 20th carries a unique word that is then searched for until found: the time from its
    commit until search finds it."""
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    arguments = (database_url, backend.name, search_url, stop)
    process = context.Process(target=run_indexer, args=arguments)
    process.start()
    await asyncio.sleep(3)  # the indexer process starts and imports
    lags: list[float] = []
    lost: list[str] = []
    pending: dict[str, float] = {}  # probe word: when its write committed
    writing = True

    async def check() -> None:
        """One look every 10 ms for all outstanding probe words (one lookup each time)."""
        while writing or pending:
            words = list(pending)
            if words:
                found = await probes_found(backend, words)
                now = time.perf_counter()
                for word in found & set(pending):
                    lags.append(now - pending.pop(word))
                for word, committed in list(pending.items()):
                    if now - committed > 30:  # never found: counted as lost
                        del pending[word]
                        lost.append(word)
            await asyncio.sleep(0.01)

    checker = asyncio.create_task(check())
    rng = random.Random(SEED + 2)
    in_flight: set[asyncio.Task[None]] = set()

    async def write(number: int) -> None:
        probing = number % 20 == 0  # probes write datasets of their own: none overwrites one
        word = f"probe{uuid.uuid4().hex[:12]}" if probing else "updated"
        target = dataset_ids[number // 20 % 500] if probing else rng.choice(dataset_ids[500:])
        await Dataset.filter(id=target).update(description=f"{word} metadata")
        if word != "updated":
            pending[word] = time.perf_counter()

    writes, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        if writes >= elapsed * rate:
            await asyncio.sleep(0.001)
            continue
        task = asyncio.create_task(write(writes))  # writers overlap, as a service's requests do
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
        writes += 1
    await asyncio.gather(*in_flight)
    achieved = writes / (time.perf_counter() - started)
    writing = False
    await asyncio.wait_for(checker, 60)
    stop.set()
    process.join(30)
    return {
        "writes_per_s": achieved,
        "probes": len(lags),
        "lost": len(lost),
        "lag_p50_s": statistics.median(lags),
        "lag_p95_s": percentile(lags, 0.95),
        "lag_max_s": max(lags),
    }


async def bench_backend(
    name: str, url: str, search_url: str | None, dataset_ids: list[uuid.UUID], arguments: Any
) -> dict[str, float]:
    """Drain, reindex, queries (and again) and lag on one backend."""
    backend = search_backend(name, search_url)
    await backend.prepare()
    figures: dict[str, float] = {}
    try:
        started = time.perf_counter()
        drained = await Indexer(backend=backend, batch_size=1000).drain()
        drain_s = time.perf_counter() - started
        await vacuum()
        indexed = await backend.count()
        figures["drain_per_s"] = indexed / drain_s
        print(f"[{name}] outbox drain: {drained} entries, {indexed} documents in {drain_s:.1f} s "
              f"= {indexed / drain_s:,.0f} documents/s")  # fmt: skip
        started = time.perf_counter()
        report = await reindex(
            backend=backend, identity=Identity(user="bench", groups=frozenset({"admins"}))
        )
        rebuild_s = time.perf_counter() - started
        figures["reindex_per_s"] = report.documents / rebuild_s
        print(f"[{name}] full reindex: {report.documents} documents in {rebuild_s:.1f} s "
              f"= {report.documents / rebuild_s:,.0f} documents/s")  # fmt: skip
        await vacuum()
        queried = await measure_queries(backend, bench_queries(vocabulary(), arguments.queries))
        figures.update(queried)
        print(f"[{name}] query (full text + kind + team facets, counts over 8 facets, "
              f"visibility): p50 {queried['p50_ms']:.1f} ms, p95 {queried['p95_ms']:.1f} ms over "
              f"{arguments.queries} queries (median {queried['median_matches']:.0f} matches, max "
              f"{queried['max_matches']:.0f}); asked again: p50 {queried['again_p50_ms']:.1f} ms, "
              f"p95 {queried['again_p95_ms']:.1f} ms")  # fmt: skip
        lag = await measure_lag(url, backend, search_url, dataset_ids, 200, arguments.lag_seconds)
        figures.update(lag)
        print(f"[{name}] index lag at {lag['writes_per_s']:.0f} writes/s for "
              f"{arguments.lag_seconds:.0f} s: p50 {lag['lag_p50_s'] * 1000:.0f} ms, p95 "
              f"{lag['lag_p95_s'] * 1000:.0f} ms, max {lag['lag_max_s'] * 1000:.0f} ms "
              f"({lag['probes']:.0f} probes, {lag['lost']:.0f} never found)")  # fmt: skip
    finally:
        if isinstance(backend, OpenSearchBackend):
            await backend.delete_indexes()
        await backend.close()
    return figures


def passed(figures: dict[str, float]) -> bool:
    """The targets: query p95 and index lag p95, at 190 writes/s or more, nothing lost."""
    return (
        figures["p95_ms"] < TARGET_P95_MS
        and figures["lag_p95_s"] < TARGET_LAG_S
        and figures["writes_per_s"] >= 190
        and not figures["lost"]
    )


def print_side_by_side(results: dict[str, dict[str, float]]) -> None:
    """The figures as a Markdown table, a column per backend."""
    print("\n| | " + " | ".join(results) + " |\n|---|" + "---|" * len(results))
    for label, low, high, scale in (
        ("query p50 / p95 ms", "p50_ms", "p95_ms", 1.0),
        ("asked again p50 / p95 ms", "again_p50_ms", "again_p95_ms", 1.0),
        ("index lag p50 / p95 ms", "lag_p50_s", "lag_p95_s", 1000.0),
    ):
        cells = [f"{f[low] * scale:.1f} / {f[high] * scale:.1f}" for f in results.values()]
        print(f"| {label} | " + " | ".join(cells) + " |")
    for label, key in (
        ("drain documents/s", "drain_per_s"),
        ("reindex documents/s", "reindex_per_s"),
    ):
        print(f"| {label} | " + " | ".join(f"{f[key]:,.0f}" for f in results.values()) + " |")
    verdicts = ["PASS" if passed(f) else "FAIL" for f in results.values()]
    print(f"| query p95 < {TARGET_P95_MS:.0f} ms, lag p95 < {TARGET_LAG_S:.0f} s | "
          + " | ".join(verdicts) + " |")  # fmt: skip


async def bench(arguments: Any, search_url: str | None) -> bool:
    words = vocabulary()
    async with scratch_database(SERVER_URL, prefix="datahub_bench_search") as url:
        await upgrade(url)
        await open_database(url)
        try:
            started = time.perf_counter()
            dataset_ids = await seed(arguments.documents, words)
            print(f"seeded {arguments.documents} records in {time.perf_counter() - started:.1f} s")
            connection = Tortoise.get_connection("default")
            await connection.execute_script("CREATE TABLE bench_outbox AS TABLE search_outbox")
            results: dict[str, dict[str, float]] = {}
            for name in arguments.backends:
                await connection.execute_script(  # the same outbox for each backend to drain
                    "DELETE FROM search_outbox; INSERT INTO search_outbox TABLE bench_outbox"
                )
                results[name] = await bench_backend(name, url, search_url, dataset_ids, arguments)
            print_side_by_side(results)
            return all(passed(figures) for figures in results.values())
        finally:
            await close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--lag-seconds", type=float, default=20.0)
    parser.add_argument(
        "--backend", dest="backends", action="append", choices=["postgres", "opensearch"]
    )
    arguments = parser.parse_args()
    arguments.backends = arguments.backends or ["postgres", "opensearch"]
    with ExitStack() as stack:
        search_url = os.environ.get("DATAHUB_BENCH_SEARCH_URL")
        if "opensearch" in arguments.backends and not search_url:
            search_url = stack.enter_context(opensearch_node())
        all_passed = asyncio.run(bench(arguments, search_url))
    sys.exit(0 if all_passed else 1)


if __name__ == "__main__":
    main()
