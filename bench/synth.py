"""Benchmark: warm-pool synthesis of the built-in templates against the CDK CLI, side by side.

Run from the repository root: ``.venv/bin/python bench/synth.py`` (``--quick`` for a smoke run
under a minute). The CLI comes from ``bench/cdk_cli`` (``npm ci`` there first). Everything
temporary lives in one directory that is removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make the repository's packages importable
    sys.path.insert(0, str(REPO))

from cdk_service.bundles.archive import Limits, normalised_archive, read_bundle  # noqa: E402
from cdk_service.bundles.checking import check_bundle  # noqa: E402
from cdk_service.bundles.imports import check_imports  # noqa: E402
from cdk_service.bundles.store import FolderBundleStore  # noqa: E402
from cdk_service.synthesis.cache import SynthCache  # noqa: E402
from cdk_service.synthesis.models import SynthRequest  # noqa: E402
from cdk_service.synthesis.pool import SynthPool  # noqa: E402
from cdk_service.synthesis.service import SynthService  # noqa: E402
from stack_catalog.contract import DeployContext, Template  # noqa: E402
from stack_catalog.registry import Registry  # noqa: E402

CDK_CLI = REPO / "bench" / "cdk_cli" / "node_modules" / ".bin" / "cdk"
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
TARGET_TEMPLATE = "data-environment"
TARGET_WARM_P50_MS = 60.0
TARGET_CLI_RATIO = 100.0
TARGET_CACHE_HIT_MS = 5.0
TARGET_SCALING = 1.7
# An uploaded template against a built-in of the same size: the built-in ingestion queue's own
# stack, uploaded as a bundle under another name.
BUNDLE_BUILTIN = ("ingestion-queue", "1.1.0")
TARGET_BUNDLE_RATIO = 1.10
BUNDLE_FILES = {
    "bench_queue_bundle/__init__.py": b"""
from stack_catalog.contract import Template
from stack_catalog.templates.ingestion_queue import OUTPUTS, LongPollingParams

TEMPLATES = [
    Template(
        name="bench-queue",
        version="1.0.0",
        title="Ingestion queue",
        description="The built-in ingestion queue, uploaded as a bundle",
        params=LongPollingParams,
        stack="bench_queue_bundle.stack:BenchQueueStack",
        outputs=OUTPUTS,
    )
]
EXAMPLE_PARAMS = {"bench-queue": {"queue_name": "orders-events"}}
""",
    "bench_queue_bundle/stack.py": b"""
from stack_catalog.templates.ingestion_queue.stack import IngestionQueueStack


class BenchQueueStack(IngestionQueueStack):
    \"\"\"The built-in stack, loaded from a bundle.\"\"\"
""",
}
CLI_APP = """\
import os, sys
from pathlib import Path
sys.path[:0] = {path!r}
from cdk_service.synthesis.models import SynthRequest
from cdk_service.synthesis.synthesizer import synthesize
request = SynthRequest.model_validate_json(Path(sys.argv[1]).read_text())
synthesize(request, Path(os.environ["CDK_OUTDIR"]))
"""


@dataclass
class TemplateFigures:
    """What was measured for one template."""

    name: str
    latencies_ms: list[float] = field(default_factory=list)
    cli_seconds: list[float] = field(default_factory=list)

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies_ms, 95)

    @property
    def cli_ratio(self) -> float:
        return statistics.median(self.cli_seconds) * 1000 / self.p50_ms


def percentile(values: list[float], pct: int) -> float:
    """The pct-th percentile (inclusive method; the value itself for one sample)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def example_params(template: Template) -> dict[str, Any]:
    """Valid params: each required field's first schema example, defaults for the rest."""
    schema = template.json_schema()
    raw = {name: schema["properties"][name]["examples"][0] for name in schema.get("required", [])}
    params: dict[str, Any] = template.parse_params(raw).model_dump(mode="json")
    return params


def requests_for(registry: Registry, template: Template, label: str) -> Iterator[SynthRequest]:
    """Endless distinct requests for a template (a new stack name each), so none hits a cache."""
    digest = registry.digest(template.name, template.version)
    return distinct_requests(template.key, example_params(template), digest, label)


def distinct_requests(
    key: tuple[str, str],
    params: dict[str, Any],
    digest: str,
    label: str,
    *,
    bundle_digest: str | None = None,
) -> Iterator[SynthRequest]:
    """Endless requests for a template version, each for a new stack name."""
    for number in range(sys.maxsize):
        context = DeployContext(
            account="123456789012",
            region="eu-west-1",
            team="bench",
            stack_name=f"bench-{key[0]}-{label}-{number}",
        )
        yield SynthRequest(
            template=key[0],
            version=key[1],
            code_digest=digest,
            bundle_digest=bundle_digest,
            params=params,
            context=context,
        )


async def timed(call: Callable[[], Awaitable[Any]]) -> float:
    """Milliseconds one awaited call took."""
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


@dataclass
class WorkerUsage:
    """Resident memory and CPU time of one pool worker's process group (node included)."""

    resident_mb: float = 0.0
    cpu_seconds: float = 0.0


def worker_usage() -> list[WorkerUsage]:
    """Usage of each pool worker of this process: the groups led by its children."""
    groups: dict[int, WorkerUsage] = {}
    leaders: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rpartition(")")[2].split()
            resident_pages = int((entry / "statm").read_text().split()[1])
        except (FileNotFoundError, ProcessLookupError):
            continue
        parent, group = int(stat[1]), int(stat[2])
        usage = groups.setdefault(group, WorkerUsage())
        usage.resident_mb += resident_pages * PAGE_BYTES / 2**20
        usage.cpu_seconds += (int(stat[11]) + int(stat[12])) / CLOCK_TICKS  # utime + stime
        if parent == os.getpid() and group == int(entry.name):
            leaders.add(group)
    return [groups[leader] for leader in sorted(leaders)]


def own_cpu_seconds() -> float:
    """CPU time of this (the parent) process."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def new_pool(workers: int, tmp_root: Path, *, pin_cpus: bool) -> SynthPool:
    """A pool on the real synthesizer that never recycles during the run."""
    return SynthPool(
        pin_cpus=pin_cpus,
        workers=workers,
        recycle_after=sys.maxsize,
        timeout_seconds=60,
        warm_timeout_seconds=180,
        tmp_root=tmp_root,
    )


async def measure_latency(
    pool: SynthPool, streams: dict[str, Iterator[SynthRequest]], synths: int, warmup: int
) -> dict[str, TemplateFigures]:
    """Warm synth latency per template, round robin over the templates."""
    figures = {name: TemplateFigures(name) for name in streams}
    for stream in streams.values():
        for _ in range(warmup):
            await pool.synthesize(next(stream))
    for number in range(synths):
        name = list(streams)[number % len(streams)]
        request = next(streams[name])
        figures[name].latencies_ms.append(await timed(partial(pool.synthesize, request)))
    return figures


async def measure_cache_hits(pool: SynthPool, request: SynthRequest, hits: int) -> list[float]:
    """Latency of cache hits through the service facade."""
    service = SynthService(pool, SynthCache(16))
    await service.synth(request)
    return [await timed(lambda: service.synth(request)) for _ in range(hits)]


@dataclass
class Throughput:
    """Synths done with the pool saturated, the time they took and the CPU they cost."""

    synths: int = 0
    seconds: float = 0.0
    worker_cpu_seconds: float = 0.0
    parent_cpu_seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.synths / self.seconds

    @property
    def worker_cpu_ms(self) -> float:
        return self.worker_cpu_seconds * 1000 / self.synths

    @property
    def parent_cpu_ms(self) -> float:
        return self.parent_cpu_seconds * 1000 / self.synths


async def run_batch(
    pool: SynthPool, stream: Iterator[SynthRequest], synths: int, concurrency: int
) -> Throughput:
    """One batch with ``concurrency`` requests always outstanding."""
    remaining = iter([next(stream) for _ in range(synths)])

    async def drain() -> None:
        for request in remaining:
            await pool.synthesize(request)

    # Idle workers of other pools cost no CPU, so summing over every worker is fair.
    workers_before, parent_before = worker_usage(), own_cpu_seconds()
    started = time.perf_counter()
    await asyncio.gather(*(drain() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    workers_after, parent_after = worker_usage(), own_cpu_seconds()
    return Throughput(
        synths=synths,
        seconds=elapsed,
        worker_cpu_seconds=sum(u.cpu_seconds for u in workers_after)
        - sum(u.cpu_seconds for u in workers_before),
        parent_cpu_seconds=parent_after - parent_before,
    )


async def measure_scaling(
    pools: dict[int, SynthPool], stream: Iterator[SynthRequest], synths: int, rounds: int = 4
) -> dict[int, Throughput]:
    """Throughput per pool size, in alternating rounds so load from elsewhere hits all alike."""
    totals = {workers: Throughput() for workers in pools}
    for workers, pool in pools.items():  # a template's first synths in a worker are slower
        await run_batch(pool, stream, 4 * workers, 2 * workers)
    for _ in range(rounds):
        for workers, pool in pools.items():
            batch = await run_batch(pool, stream, max(1, synths // rounds), 2 * workers)
            total = totals[workers]
            total.synths += batch.synths
            total.seconds += batch.seconds
            total.worker_cpu_seconds += batch.worker_cpu_seconds
            total.parent_cpu_seconds += batch.parent_cpu_seconds
    return totals


def measure_cli(request: SynthRequest, runs: int, workdir: Path, *, cold: bool) -> list[float]:
    """Seconds per ``cdk synth`` of a cdk.json app, one process per request.

    ``cold`` turns off jsii's package cache (~/.cache/aws/jsii), as in a fresh container:
    every run then unpacks aws-cdk-lib again.
    """
    app = workdir / f"cli-{request.template}"
    app.mkdir()
    (app / "app.py").write_text(CLI_APP.format(path=[str(REPO)]))
    (app / "request.json").write_text(request.model_dump_json())
    command = f"{shlex.quote(sys.executable)} app.py request.json"
    (app / "cdk.json").write_text(json.dumps({"app": command}))
    (app / "tmp").mkdir()
    env = {
        **os.environ,
        "TMPDIR": str(app / "tmp"),  # whatever the CLI, node or the app leave goes with workdir
        "CDK_DISABLE_VERSION_CHECK": "1",
        "CDK_DISABLE_CLI_TELEMETRY": "true",
        **({"JSII_RUNTIME_PACKAGE_CACHE": "disabled"} if cold else {}),
    }
    seconds = []
    for run in range(runs):
        arguments = [str(CDK_CLI), "synth", "--no-notices", "--output", f"cdk.out-{run}"]
        started = time.perf_counter()
        done = subprocess.run(arguments, cwd=app, env=env, capture_output=True, text=True)
        seconds.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"cdk synth failed for {request.template}:\n{done.stderr[-4000:]}")
    return seconds


def verdict(ok: bool) -> str:
    """PASS or MISS."""
    return "PASS" if ok else "MISS"


def print_latency(figures: dict[str, TemplateFigures]) -> None:
    """One row per template: pool latency, CLI time and their ratio."""
    print(f"\n{'template':<20}{'p50 ms':>9}{'p95 ms':>9}{'n':>6}{'CLI s':>9}{'CLI/pool':>10}")
    for f in figures.values():
        cli = f"{statistics.median(f.cli_seconds):>9.2f}" if f.cli_seconds else f"{'-':>9}"
        ratio = f"{f.cli_ratio:>9.0f}x" if f.cli_seconds else f"{'-':>10}"
        print(f"{f.name:<20}{f.p50_ms:>9.1f}{f.p95_ms:>9.1f}{len(f.latencies_ms):>6}{cli}{ratio}")


def print_pool(
    cache_ms: list[float], throughput: dict[int, Throughput], memory: dict[str, list[float]]
) -> None:
    """Cache hits, throughput and worker memory."""
    print(
        f"\ncache hit: p50 {statistics.median(cache_ms):.3f} ms, p95 "
        f"{percentile(cache_ms, 95):.3f} ms ({len(cache_ms)} hits)"
    )
    for workers, t in throughput.items():
        print(
            f"throughput, {workers} worker(s): {t.per_second:.1f} synths/s; CPU per synth: "
            f"worker {t.worker_cpu_ms:.0f} ms, parent {t.parent_cpu_ms:.1f} ms"
        )
    for moment, sizes in memory.items():
        print(f"worker memory {moment}: " + ", ".join(f"{mb:.0f} MB" for mb in sizes))
    print(f"CPUs: {os.cpu_count()}, load average now: {os.getloadavg()[0]:.2f}")


def print_targets(
    figures: dict[str, TemplateFigures], cache_ms: list[float], throughput: dict[int, Throughput]
) -> None:
    """Each target with PASS or MISS."""
    print("\ntargets")
    if TARGET_TEMPLATE in figures:
        p50 = figures[TARGET_TEMPLATE].p50_ms
        print(
            f"  {verdict(p50 <= TARGET_WARM_P50_MS)} warm p50 {TARGET_TEMPLATE} "
            f"{p50:.1f} ms <= {TARGET_WARM_P50_MS:g} ms"
        )
    for f in figures.values():
        if f.cli_seconds:
            print(
                f"  {verdict(f.cli_ratio >= TARGET_CLI_RATIO)} {f.name}: "
                f"{f.cli_ratio:.0f}x faster than the CLI >= {TARGET_CLI_RATIO:g}x"
            )
    hit = statistics.median(cache_ms)
    print(
        f"  {verdict(hit < TARGET_CACHE_HIT_MS)} cache hit p50 {hit:.3f} ms "
        f"< {TARGET_CACHE_HIT_MS:g} ms"
    )
    scaling = throughput[2].per_second / throughput[1].per_second
    print(
        f"  {verdict(scaling >= TARGET_SCALING)} 2 workers {scaling:.2f}x one worker "
        f">= {TARGET_SCALING:g}x"
    )


async def started_pool(workers: int, tmp_root: Path, *, pin_cpus: bool) -> SynthPool:
    """A warm pool, saying how long warming took."""
    pool = new_pool(workers, tmp_root, pin_cpus=pin_cpus)
    started = time.perf_counter()
    await pool.start()
    print(f"{workers}-worker pool warm in {time.perf_counter() - started:.1f} s", flush=True)
    return pool


async def measure_pools(
    options: argparse.Namespace, streams: dict[str, Iterator[SynthRequest]], tmp_root: Path
) -> tuple[dict[str, TemplateFigures], list[float], dict[int, Throughput], dict[str, list[float]]]:
    """Latency, cache hits and memory on a 1-worker pool; throughput on 1 and 2 workers."""
    main_stream = streams.get(TARGET_TEMPLATE) or next(iter(streams.values()))
    memory: dict[str, list[float]] = {}
    pools: dict[int, SynthPool] = {}
    try:
        pools[1] = await started_pool(1, tmp_root, pin_cpus=not options.no_pin)
        memory["after warm-up"] = [u.resident_mb for u in worker_usage()]
        figures = await measure_latency(pools[1], streams, options.synths, options.warmup)
        synths = pools[1].stats()["synths"]
        memory[f"after {synths} synths"] = [u.resident_mb for u in worker_usage()]
        cache_ms = await measure_cache_hits(pools[1], next(main_stream), options.cache_hits)
        pools[2] = await started_pool(2, tmp_root, pin_cpus=not options.no_pin)
        throughput = await measure_scaling(pools, main_stream, options.throughput_synths)
    finally:
        for pool in pools.values():
            await pool.close()
    return figures, cache_ms, throughput, memory


async def run(options: argparse.Namespace, workdir: Path) -> None:
    """Every measurement, in one process, against the same templates."""
    print(f"CPUs: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.2f}", flush=True)
    registry = Registry.discover()
    templates = [t for t in registry if not options.template or t.name in options.template]
    streams = {t.name: requests_for(registry, t, "bench") for t in templates}
    tmp_root = workdir / "pool"
    figures, cache_ms, throughput, memory = await measure_pools(options, streams, tmp_root)
    print(f"pool temp root after close: {len(list(tmp_root.iterdir()))} entries", flush=True)
    quick_cli = options.quick and TARGET_TEMPLATE in streams  # one CLI template keeps it short
    cli_templates = [TARGET_TEMPLATE] if quick_cli else list(streams)
    for name in cli_templates if options.cli_runs else []:
        cache = "off" if options.cli_cold else "on"
        print(
            f"cdk synth via the CLI ({name} x {options.cli_runs}, jsii cache {cache})", flush=True
        )
        request = next(streams[name])
        figures[name].cli_seconds = measure_cli(
            request, options.cli_runs, workdir, cold=options.cli_cold
        )
    print_latency(figures)
    print_pool(cache_ms, throughput, memory)
    print_targets(figures, cache_ms, throughput)
    if options.bundle_synths:
        await measure_bundle(options, workdir)


async def measure_bundle(options: argparse.Namespace, workdir: Path) -> None:
    """Upload-to-first-synth of a bundle on a warm pool, then its warm p50 against a built-in.

    The upload is what the service does minus HTTP and the database: read and normalise, check
    imports, check in a fresh worker (import, contract, cdk-nag synth), store; then the first
    synth on the already-warm pool fetches, verifies and imports the bundle.
    """
    registry = Registry.discover()
    builtin = registry.get(*BUNDLE_BUILTIN)
    assert builtin is not None
    builtin_stream = requests_for(registry, builtin, "bundle-bench")
    params = example_params(builtin)
    pool = await started_pool(1, workdir / "bundle-pool", pin_cpus=not options.no_pin)
    store = FolderBundleStore(workdir / "bundle-store")
    service = SynthService(pool, SynthCache(16), store)
    try:
        started = time.perf_counter()
        bundle = read_bundle(normalised_archive(BUNDLE_FILES), limits=Limits())
        check_imports(bundle)
        report = await check_bundle(bundle, timeout_seconds=600)
        assert not report.problems, report.problems
        await store.put(bundle.digest, bundle.archive)
        checked = time.perf_counter()
        key = ("bench-queue", "1.0.0")
        stream = distinct_requests(key, params, bundle.digest, "bench", bundle_digest=bundle.digest)
        await service.synth(next(stream))
        first = time.perf_counter()
        for _ in range(options.warmup):
            await service.synth(next(stream))
            await service.synth(next(builtin_stream))
        bundled, built_in = [], []
        for _ in range(options.bundle_synths):  # interleaved: both see the same machine
            bundled.append(await timed(partial(service.synth, next(stream))))
            built_in.append(await timed(partial(service.synth, next(builtin_stream))))
    finally:
        await pool.close()
    ratio = statistics.median(bundled) / statistics.median(built_in)
    print("\nuploaded template (bench-queue bundle vs built-in ingestion-queue 1.1.0)")
    print(f"  upload check (fresh worker) {checked - started:.1f} s")
    print(f"  upload-to-first-synth       {first - started:.1f} s")
    print(f"  first synth after upload    {(first - checked) * 1000:.0f} ms")
    print(
        f"  warm p50 bundle {statistics.median(bundled):.1f} ms, "
        f"built-in {statistics.median(built_in):.1f} ms ({options.bundle_synths} each)"
    )
    print(f"  {verdict(ratio <= TARGET_BUNDLE_RATIO)} ratio {ratio:.3f} <= {TARGET_BUNDLE_RATIO}")


def parse_options(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options; ``--quick`` shrinks every count for a smoke run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synths", type=int, default=500, help="latency synths, all templates")
    parser.add_argument("--warmup", type=int, default=3, help="discarded synths per template")
    parser.add_argument("--cache-hits", type=int, default=1000)
    parser.add_argument("--throughput-synths", type=int, default=200)
    parser.add_argument("--cli-runs", type=int, default=5, help="0 skips the CLI")
    parser.add_argument(
        "--cli-cold", action="store_true", help="CLI runs without jsii's package cache"
    )
    parser.add_argument("--no-pin", action="store_true", help="workers not pinned to CPUs")
    parser.add_argument("--template", action="append", help="only this template (repeatable)")
    parser.add_argument("--quick", action="store_true", help="small counts: under a minute")
    parser.add_argument(
        "--bundle-synths", type=int, default=200, help="uploaded vs built-in synths; 0 skips"
    )
    parser.add_argument("--only-bundle", action="store_true", help="only the uploaded template")
    options = parser.parse_args(argv)
    if options.quick:
        options.synths, options.cache_hits, options.throughput_synths = 60, 200, 40
        options.cli_runs = min(options.cli_runs, 1)
        options.bundle_synths = min(options.bundle_synths, 40)
    return options


def main() -> None:
    """Run the benchmark in a temporary directory that is removed afterwards."""
    options = parse_options()
    if options.cli_runs and not CDK_CLI.exists():
        sys.exit(f"{CDK_CLI} is missing: run `npm ci` in {CDK_CLI.parents[2]} or --cli-runs 0")
    with tempfile.TemporaryDirectory(prefix="datahub-bench-") as workdir:
        if options.only_bundle:
            asyncio.run(measure_bundle(options, Path(workdir)))
        else:
            asyncio.run(run(options, Path(workdir)))


if __name__ == "__main__":
    main()
