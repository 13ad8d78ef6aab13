"""Benchmark: a stack request to completion through the service, against bare boto3 calls.

Our path: a signed ``POST /v1/stacks`` (as the CLI sends it) to the internal API running on
``service_app``, the deploy task queued on Redis, two ``celery worker --pool=solo`` processes
of the real app (default settings; each with its warm synth pool of one process), the deploy
engine on moto, every step, event and the outcome recorded in PostgreSQL. The bare path: the
same template, synthesized by the same kind of warm pool, deployed with four boto3 calls on the
same moto (create change set, wait, execute, wait for the stack; waiters polling every 0.1 s).
moto runs in a process of its own, so neither path shares an interpreter with it.

What is compared. Each request has a stack name of its own, so each synth is a fresh warm synth
(the cache never answers). The synth is **excluded from both**: the workers time their synths
(this script is the celery app they run: the real worker process, its synthesizer wrapped in a
stopwatch), and our figure is the request's time to the finish its worker recorded, minus its
synth; the bare figure is the boto3 calls alone. The ratio of the medians is our orchestration
overhead (API, queue, lease, step records, event copying, preview, outputs). One request at a
time alternates with one bare deployment. Totals with the synth in both are printed too.

50 at once: 50 requests sent together, as many deployments at a time as there are workers; then
the 50 bare deployments two at a time (the workers' parallelism) and all 50 at once.

Targets: p50 overhead at most 1.5 times the bare calls at one request; 50 concurrent requests
all complete, none lost or duplicated (50 stacks CREATE_COMPLETE in moto, none twice, 50
deployments succeeded).

Run from the repository root: ``.venv/bin/python bench/lifecycle.py`` (``--quick``: 3 rounds
of one request; the 50 still run). Workers use a Redis queue of their own (removed at the end);
everything is recorded in a scratch database dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import logging
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import boto3
import redis
from aiohttp import web
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, WaiterError

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make the repository's packages importable
    sys.path.insert(0, str(REPO))

from cdk_service.api.context import SERVICES  # noqa: E402
from cdk_service.cloudformation.changeset import CAPABILITIES  # noqa: E402
from cdk_service.db.admin import scratch_database  # noqa: E402
from cdk_service.jobs.app import WorkerProcess, celery_app  # noqa: E402
from cdk_service.runtime import service_app  # noqa: E402
from cdk_service.settings import Settings  # noqa: E402
from cdk_service.synthesis.models import Synthesizer, SynthRequest, SynthResult  # noqa: E402
from datahubctl.local.cognito import local_demo_teams  # noqa: E402
from service_contract.client import ServiceClient  # noqa: E402
from service_contract.identity import Identity  # noqa: E402
from service_contract.logging import configure_logging  # noqa: E402
from stack_catalog.contract import DeployContext  # noqa: E402

SERVER_URL = os.environ.get(
    "DATAHUB_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("DATAHUB_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SYNTH_LOG = "DATAHUB_BENCH_SYNTH_LOG"  # where the workers write each synth's seconds
TEMPLATE, VERSION, TEAM = "ingestion-queue", "1.0.0", "analytics"
ACCOUNT, REGION = "123456789012", "us-east-1"
MEMBER = Identity(user="bench", groups=frozenset({TEAM}))
KEY = "bench-service-key"
WORKERS = 2
CONCURRENT = 50
TARGET_OVERHEAD = 1.5
SETTLE_SECONDS = 600.0
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
}
BARE_WAIT = {"Delay": 0.1, "MaxAttempts": 300}


# --- inside the workers: the real worker process, its synths timed -------------------------


class TimedSynthesizer:
    """The worker's synthesizer, writing each synth's stack name and seconds to a file."""

    def __init__(self, inner: Synthesizer, log: Path) -> None:
        self.inner = inner
        self.log = log

    @property
    def ready(self) -> bool:
        return self.inner.ready

    def stats(self) -> dict[str, Any]:
        return self.inner.stats()

    async def synth(self, request: SynthRequest) -> SynthResult:
        started = time.perf_counter()
        result = await self.inner.synth(request)
        line = f"{request.context.stack_name} {time.perf_counter() - started:.6f} {os.getpid()}\n"
        with self.log.open("a") as log:
            log.write(line)
        return result


def timed_worker_process(settings: Settings) -> WorkerProcess:
    """The real worker process (warm pool, engine, database), with its synths timed."""
    process = WorkerProcess(settings)
    process.synthesizer = TimedSynthesizer(process.synthesizer, Path(os.environ[SYNTH_LOG]))
    return process


@functools.cache
def worker_app() -> Any:
    """The celery app the bench's workers run: ``celery -A bench.lifecycle worker``."""
    return celery_app(Settings(), process_factory=timed_worker_process)


def __getattr__(name: str) -> Any:
    if name == "app":  # built when celery asks, so importing this script reads no settings
        return worker_app()
    raise AttributeError(name)


# --- the pieces: moto in a process of its own, workers, the API -----------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_moto(port: int, stop: Any) -> None:
    """moto's server (patched) until ``stop`` is set; runs in a spawned process."""
    warnings.simplefilter("ignore")  # moto narrates each resource type it skips
    logging.getLogger("moto").setLevel(logging.ERROR)
    from datahubctl.local.moto import moto_server

    with moto_server(port=port):
        stop.wait()


@contextlib.contextmanager
def moto_elsewhere() -> Iterator[str]:
    """moto in a process of its own, so neither path shares its interpreter with it."""
    context = multiprocessing.get_context("spawn")
    port, stop = free_port(), context.Event()
    process = context.Process(target=serve_moto, args=(port, stop), daemon=True)
    process.start()
    deadline = time.monotonic() + 60
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            break
        assert process.is_alive() and time.monotonic() < deadline, "moto did not start"
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        process.join(10)
        if process.is_alive():
            process.kill()


@contextlib.contextmanager
def celery_workers(settings: Settings, count: int, folder: Path) -> Iterator[Path]:
    """``count`` worker processes on the settings' queue; yields the synth log they write."""
    synth_log = folder / "synths.log"
    synth_log.touch()
    environment = {
        **os.environ,
        **FAKE_CREDENTIALS,
        "DATAHUB_DATABASE_URL": str(settings.database_url),
        "DATAHUB_AWS_ENDPOINT_URL": str(settings.aws_endpoint_url),
        "DATAHUB_BROKER_URL": settings.broker_url,
        "DATAHUB_WORKER_QUEUE": settings.worker_queue,
        "DATAHUB_STATE_DIR": str(folder),
        "DATAHUB_SYNTH_WORKERS": "1",  # one deployment at a time per solo worker
        "DATAHUB_LOG_LEVEL": "WARNING",
        SYNTH_LOG: str(synth_log),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "bench.lifecycle", "worker", "--pool=solo",
        "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    children = []
    for n in range(count):
        with (folder / f"worker-{n}.log").open("wb") as output:
            hostname = ["--hostname", f"bench-{n}@%h"]
            children.append(
                subprocess.Popen(
                    [*command, *hostname], cwd=REPO, env=environment, stdout=output, stderr=output
                )
            )
    try:
        yield synth_log
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()


@contextlib.asynccontextmanager
async def running_api(settings: Settings) -> AsyncIterator[tuple[str, web.Application]]:
    """The internal API on a free port, catalog published as ``datahubctl up`` does."""
    app = await service_app(settings, publish_new_versions=True, demo_teams=local_demo_teams())
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        await runner.cleanup()


def forget_queue(queue: str) -> None:
    """Remove what kombu kept on Redis for the bench's queue."""
    connection = redis.Redis.from_url(REDIS_URL)
    connection.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    connection.close()


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Request:
    """One stack request through the API, and what its deployment recorded."""

    name: str
    sent_at: float
    deployment_id: str = ""
    stack_name: str = ""
    final: dict[str, Any] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        """From sending the request to the finish the worker recorded."""
        return _epoch(self.final["finished_at"]) - self.sent_at

    @property
    def queued_seconds(self) -> float:
        """From sending the request until a worker claimed the deployment."""
        return _epoch(self.final["started_at"]) - self.sent_at


def _epoch(timestamp: str) -> float:
    return datetime.fromisoformat(timestamp).timestamp()


class Service:
    """Stack requests as the CLI sends them, and waits on what the workers record."""

    def __init__(self, url: str) -> None:
        self.client = ServiceClient(url, key=KEY.encode(), identity=MEMBER)

    async def request(self, name: str) -> Request:
        """Request an ingestion queue named ``name``."""
        body = {
            "name": name,
            "team": TEAM,
            "template": TEMPLATE,
            "version": VERSION,
            "params": {"queue_name": name},
        }
        sent = Request(name=name, sent_at=time.time())
        headers = {"Idempotency-Key": uuid4().hex}
        accepted = await self.client.request("POST", "/v1/stacks", body=body, headers=headers)
        sent.deployment_id = accepted["deployment"]["id"]
        sent.stack_name = accepted["stack"]["cloudformation_stack_name"]
        return sent

    async def settled(self, requests: list[Request], within: float = SETTLE_SECONDS) -> None:
        """Wait until every request's deployment is final (one listing call every 0.2 s)."""
        waiting = {request.deployment_id: request for request in requests}
        deadline = time.monotonic() + within
        while waiting and time.monotonic() < deadline:
            page = await self.client.request("GET", "/v1/deployments", query={"limit": "100"})
            for deployment in page["deployments"]:
                request = waiting.get(deployment["id"])
                if request is not None and deployment["finished_at"] is not None:
                    request.final = deployment
                    del waiting[deployment["id"]]
            await asyncio.sleep(0.2)

    async def run(self, names: list[str]) -> tuple[list[Request], float]:
        """Request all at once and wait for them; the requests and the seconds it all took."""
        started = time.time()
        requests = await asyncio.gather(*(self.request(name) for name in names))
        await self.settled(requests)
        finished = [_epoch(r.final["finished_at"]) for r in requests if r.final]
        return requests, max(finished, default=time.time()) - started


class Bare:
    """The same template deployed with boto3 alone on the same moto."""

    def __init__(self, moto_url: str, app: web.Application) -> None:
        config = Config(max_pool_connections=CONCURRENT, retries={"max_attempts": 1})
        self.cloudformation = boto3.client(
            "cloudformation", region_name=REGION, endpoint_url=moto_url, config=config
        )
        services = app[SERVICES]  # the API's warm pool synthesizes the bare templates
        self.synthesizer, self.registry = services.synthesizer, services.registry

    async def template(self, name: str) -> tuple[dict[str, Any], float]:
        """The template our workers would deploy for ``name``, and the synth's seconds."""
        code = self.registry.get(TEMPLATE, VERSION)
        assert code is not None
        params = code.params.model_validate({"queue_name": name}).model_dump(mode="json")
        context = DeployContext(
            account=ACCOUNT, region=REGION, team=TEAM, stack_name=f"{TEAM}-{name}"
        )
        request = SynthRequest(
            template=TEMPLATE,
            version=VERSION,
            code_digest=self.registry.digest(TEMPLATE, VERSION),
            params=params,
            context=context,
        )
        started = time.perf_counter()
        result = await self.synthesizer.synth(request)
        return dict(result.template), time.perf_counter() - started

    def deploy(self, stack_name: str, template: dict[str, Any]) -> float:
        """Create change set, wait, execute, wait for the stack: the seconds it took."""
        # A name of its own: moto finds a change set by its name alone, whatever the stack.
        cloudformation, change_set = self.cloudformation, f"bare-{stack_name}"
        started = time.perf_counter()
        cloudformation.create_change_set(
            StackName=stack_name,
            ChangeSetName=change_set,
            ChangeSetType="CREATE",
            TemplateBody=json.dumps(template),
            Capabilities=list(CAPABILITIES),
        )
        cloudformation.get_waiter("change_set_create_complete").wait(
            StackName=stack_name, ChangeSetName=change_set, WaiterConfig=BARE_WAIT
        )
        cloudformation.execute_change_set(StackName=stack_name, ChangeSetName=change_set)
        try:
            cloudformation.get_waiter("stack_create_complete").wait(
                StackName=stack_name, WaiterConfig=BARE_WAIT
            )
        except WaiterError as error:
            stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
            events = cloudformation.describe_stack_events(StackName=stack_name)["StackEvents"]
            seen = [(e["LogicalResourceId"], e["ResourceStatus"]) for e in events[:5]]
            raise RuntimeError(
                f"{stack_name}: {stack['StackStatus']}, latest events {seen}"
            ) from error
        return time.perf_counter() - started

    async def run(self, names: list[str], threads: int) -> tuple[list[float], list[str], float]:
        """Synthesize first (one at a time), then deploy on ``threads`` threads at once: each
        completed deployment's seconds from the start (waiting for a thread included), why
        the others failed, and the seconds it all took."""
        templates = [(await self.template(name))[0] for name in names]
        started = time.perf_counter()

        def deployed(stack_name: str, template: dict[str, Any]) -> float | str:
            try:
                self.deploy(stack_name, template)
            except (RuntimeError, ClientError, WaiterError, BotoCoreError) as error:
                return str(error)
            return time.perf_counter() - started

        with ThreadPoolExecutor(threads) as pool:
            stack_names = [f"{TEAM}-{name}" for name in names]
            outcomes = list(pool.map(deployed, stack_names, templates))
        seconds = [outcome for outcome in outcomes if isinstance(outcome, float)]
        failures = [outcome for outcome in outcomes if isinstance(outcome, str)]
        return seconds, failures, time.perf_counter() - started


def synth_seconds(log: Path) -> dict[str, float]:
    """Each stack's synth time in the workers, by CloudFormation stack name."""
    lines = (line.split() for line in log.read_text().splitlines() if line.strip())
    return {stack_name: float(seconds) for stack_name, seconds, _ in lines}


def synth_pids(log: Path) -> set[str]:
    return {line.split()[2] for line in log.read_text().splitlines() if line.strip()}


# --- reporting ---------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def line(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return f"{name:<44} p50 {statistics.median(ms):7.0f} ms   p95 {p95(ms):7.0f} ms"


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


# --- the runs ----------------------------------------------------------------------------------


async def warm_up(service: Service, synth_log: Path) -> None:
    """Until each worker has run a deployment: its pool warm, its clients made (not timed)."""
    for round_ in range(10):
        names = [f"warm-{round_}-{n}" for n in range(WORKERS)]
        requests, _ = await service.run(names)
        assert all(r.final.get("status") == "succeeded" for r in requests), requests
        if len(synth_pids(synth_log)) >= WORKERS:
            return
    raise AssertionError("not every worker took a warm-up deployment")


async def one_at_a_time(service: Service, bare: Bare, synth_log: Path, rounds: int) -> float:
    """Alternate one request through the service and one bare deployment; the overhead ratio."""
    ours, ours_synth, queued, bare_seconds, bare_synth = [], [], [], [], []
    for n in range(rounds):
        template, seconds = await bare.template(f"bare-single-{n}")
        bare_synth.append(seconds)
        bare_deployed = asyncio.to_thread(bare.deploy, f"{TEAM}-bare-single-{n}", template)
        if n % 2:  # which goes first alternates: neither always meets the other's leftovers
            bare_seconds.append(await bare_deployed)
        requests, _ = await service.run([f"single-{n}"])
        request = requests[0]
        assert request.final.get("status") == "succeeded", request.final
        ours.append(request.seconds)
        ours_synth.append(synth_seconds(synth_log)[request.stack_name])
        queued.append(request.queued_seconds)
        if not n % 2:
            bare_seconds.append(await bare_deployed)
    without_synth = [total - synth for total, synth in zip(ours, ours_synth, strict=True)]
    with_synth = [synth + calls for synth, calls in zip(bare_synth, bare_seconds, strict=True)]
    print(f"\n1 request at a time, {rounds} rounds ({TEMPLATE}, each synth fresh):")
    print(line("service: request to recorded finish", ours))
    print(line("  of which waiting in the queue for a worker", queued))
    print(line("  of which the worker's synth", ours_synth))
    print(line("  without the synth", without_synth))
    print(line("bare boto3: change set, execute, waits", bare_seconds))
    print(line("  warm synth of the same template (the API's)", bare_synth))
    print(
        f"one at a time: {len(ours) / sum(ours):.1f} deployments/s through the service, "
        f"{len(with_synth) / sum(with_synth):.1f}/s synth and bare calls"
    )
    ratio = statistics.median(without_synth) / statistics.median(bare_seconds)
    print(
        f"overhead, synth excluded from both: {ratio:.2f}x   "
        f"(with the synth in both: {statistics.median(ours) / statistics.median(with_synth):.2f}x)"
    )
    return ratio


async def concurrently(service: Service, bare: Bare, moto_url: str) -> bool:
    """50 requests at once through the service; then 50 bare deployments two at a time (as
    many as there are workers), and 50 at once."""
    names = [f"many-{n:02d}" for n in range(CONCURRENT)]
    requests, elapsed = await service.run(names)
    finished = [r for r in requests if r.final]
    succeeded = [r for r in finished if r.final["status"] == "succeeded"]
    print(f"\n{CONCURRENT} requests at once, {WORKERS} workers:")
    if finished:
        print(line("service: request to recorded finish", [r.seconds for r in finished]))
    print(f"{'':<44} {len(succeeded) / elapsed:5.2f} deployments/s over {elapsed:.1f} s")
    for threads in (WORKERS, CONCURRENT):  # the workers' parallelism; all at once
        bare_names = [f"bare-{threads}-{name}" for name in names]
        seconds, failures, bare_elapsed = await bare.run(bare_names, threads)
        print(line(f"bare boto3, {threads} threads, from the start", seconds))
        rate = len(seconds) / bare_elapsed
        print(f"{'':<44} {rate:5.2f} deployments/s over {bare_elapsed:.1f} s")
        if failures:  # moto's server, not the script: see the README
            print(f"{'':<44} {len(failures)} failed in moto, e.g. {failures[0]}")
    return check_none_lost(requests, succeeded, moto_url)


def check_none_lost(requests: list[Request], succeeded: list[Request], moto_url: str) -> bool:
    """Every request's stack exists once in moto, complete, and its deployment succeeded."""
    cloudformation = boto3.client("cloudformation", region_name=REGION, endpoint_url=moto_url)
    paginator = cloudformation.get_paginator("list_stacks")
    summaries = [s for page in paginator.paginate() for s in page["StackSummaries"]]
    wanted = {request.stack_name for request in requests}
    found = [s for s in summaries if s["StackName"] in wanted]
    complete = {s["StackName"] for s in found if s["StackStatus"] == "CREATE_COMPLETE"}
    duplicates = len(found) - len({s["StackName"] for s in found})
    print(
        f"check: {len(complete)}/{len(wanted)} stacks CREATE_COMPLETE in moto, "
        f"{duplicates} duplicate stacks, {len(succeeded)}/{len(requests)} deployments succeeded"
    )
    return len(complete) == len(requests) == len(succeeded) and duplicates == 0


async def main(rounds: int) -> None:
    """Start the pieces, warm them, measure, print the verdicts; remove everything."""
    configure_logging("WARNING", json=False)
    os.environ.update(FAKE_CREDENTIALS)
    os.environ.pop("AWS_PROFILE", None)
    queue = f"datahub-bench-{uuid4().hex}"
    with tempfile.TemporaryDirectory(prefix="datahub-bench-") as folder, moto_elsewhere() as moto:
        async with scratch_database(SERVER_URL, prefix="datahub_bench") as database:
            settings = Settings(
                service_key=KEY,
                state_dir=Path(folder),
                database_url=database,
                migrate_on_start=True,
                aws_endpoint_url=moto,
                broker_url=REDIS_URL,
                worker_queue=queue,
                synth_workers=1,
                default_account=ACCOUNT,
                default_region=REGION,
            )
            try:
                async with running_api(settings) as (url, app):
                    with celery_workers(settings, WORKERS, Path(folder)) as synth_log:
                        await measure(Service(url), Bare(moto, app), synth_log, moto, rounds)
            finally:
                forget_queue(queue)


async def measure(service: Service, bare: Bare, synth_log: Path, moto: str, rounds: int) -> None:
    started = time.monotonic()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    await warm_up(service, synth_log)
    print(f"{WORKERS} workers warm after {time.monotonic() - started:.0f} s; moto at {moto}")
    ratio = await one_at_a_time(service, bare, synth_log, rounds)
    none_lost = await concurrently(service, bare, moto)
    overhead = f"p50 overhead at 1 request {ratio:.2f}x (target <= {TARGET_OVERHEAD}x)"
    print(f"\n{verdict(ratio <= TARGET_OVERHEAD)}  {overhead}")
    print(f"{verdict(none_lost)}  {CONCURRENT} at once all complete, none lost or duplicated")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="single requests measured")
    parser.add_argument("--quick", action="store_true", help="3 rounds (the 50 still run)")
    options = parser.parse_args()
    asyncio.run(main(3 if options.quick else options.rounds))
