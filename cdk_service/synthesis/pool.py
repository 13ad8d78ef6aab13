"""A pool of warm synth worker processes: one synth at a time each, with timeouts and healing.

The parent never imports jsii: each worker is a fresh interpreter (``worker.py``) in its own
process group, with a private temporary directory that the pool removes once it has exited.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter, deque
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import structlog

from cdk_service.synthesis.models import SynthRequest, SynthResult
from cdk_service.synthesis.worker import WorkerProcess, bundle_dir, error_from_reply
from service_contract.errors import Busy, Unavailable, UpstreamFailure

log = structlog.get_logger(__name__)

DEFAULT_JOB_MODULE = "cdk_service.synthesis.synthesizer"
RESPAWN_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)
LIFETIME_COUNTERS = (
    "synths",
    "recycled",
    "killed",
    "died",
    "replaced",
    "warm_failures",
    "refused_busy",
)


class SynthPool:
    """Warm worker processes that synthesize one request at a time each."""

    def __init__(
        self,
        *,
        workers: int,
        recycle_after: int,
        timeout_seconds: float,
        warm_timeout_seconds: float,
        tmp_root: Path,
        job_module: str = DEFAULT_JOB_MODULE,
        pin_cpus: bool = True,
        max_waiting: int | None = None,
    ) -> None:
        self._size = workers
        self._max_waiting = max_waiting
        self._recycle_after = recycle_after
        self._timeout = timeout_seconds
        self._warm_timeout = warm_timeout_seconds
        # jsii's node child refuses a relative temp path, and the default state dir is the
        # relative .datahub: anchor it where the pool was made.
        self._tmp_root = tmp_root.absolute()
        self._job_module = job_module
        # Pinned, a synth costs less CPU (~40 ms instead of ~45-48 on 2 vCPUs) and two workers do
        # 15-35% more synths per second than unpinned (bench/synth.py --no-pin).
        self._cpus = sorted(os.sched_getaffinity(0)) if pin_cpus else []
        self._pinned: Counter[int] = Counter()  # workers in service (or starting) per CPU
        self._workers: set[WorkerProcess] = set()  # every live process, warming ones included
        self._idle: list[WorkerProcess] = []
        self._busy: set[WorkerProcess] = set()
        self._waiters: deque[asyncio.Future[WorkerProcess]] = deque()
        self._tasks: set[asyncio.Task[Any]] = set()  # synths, exit watchers and refills
        self._refills: set[asyncio.Task[None]] = set()
        self._spawns_in_flight = 0
        self._last_warm_error = "the pool has not been started"
        self._closed = False
        self._counts: Counter[str] = Counter()

    @property
    def bundle_dir(self) -> Path:
        """Where bundle archives are put for this pool's workers to load."""
        return bundle_dir(self._tmp_root)

    @property
    def ready(self) -> bool:
        """True while at least one worker is warm."""
        return not self._closed and bool(self._idle or self._busy)

    def stats(self) -> dict[str, int]:
        """Sizes now and lifetime counters, for health checks and metrics.

        ``workers`` is the configured size; ``starting`` counts workers warming up; ``killed``
        counts timeouts, ``died`` unexpected exits, ``replaced`` replacements that became warm,
        ``warm_failures`` workers that never became warm, ``refused_busy`` synths refused
        because ``max_waiting`` requests were waiting already.
        """
        return {
            "workers": self._size,
            "warm": len(self._idle) + len(self._busy),
            "busy": len(self._busy),
            "waiting": sum(not w.done() for w in self._waiters),
            "starting": self._spawns_in_flight,
            **{k: self._counts[k] for k in LIFETIME_COUNTERS},
        }

    async def start(self) -> None:
        """Spawn every worker and wait until each is warm or has failed to warm.

        Raises ``Unavailable`` (and leaves nothing running) when no worker became warm;
        workers that failed while others succeeded are retried in the background.
        """
        self._tmp_root.mkdir(parents=True, exist_ok=True)
        self._spawns_in_flight += self._size
        outcomes = await asyncio.gather(
            *(self._warm_one() for _ in range(self._size)), return_exceptions=True
        )
        failures = [o for o in outcomes if isinstance(o, BaseException)]
        if len(failures) == self._size:
            await self.close()
            raise Unavailable(f"no synth worker became warm: {self._last_warm_error}")
        for _ in failures:
            self._replace()

    async def synthesize(self, request: SynthRequest) -> SynthResult:
        """Synthesize on the next idle worker; waits while all are busy."""
        worker = await self._acquire()
        # Shielded: if the caller goes away, the synth finishes and the worker returns to the pool.
        run = self._track(asyncio.create_task(self._run(worker, request)))
        return await asyncio.shield(run)

    async def close(self) -> None:
        """Stop every worker and remove their directories; in-flight requests fail."""
        self._closed = True
        self._fail_waiters(Unavailable("the synth pool is closed"))
        for worker in list(self._workers):
            self._retire(worker, kill=worker not in self._idle)
        for refill in self._refills:
            refill.cancel()
        # Synths end once their worker is killed; exit watchers then remove the directories.
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _acquire(self) -> WorkerProcess:
        if (error := self._hopeless()) is not None:
            raise error
        if self._idle:
            worker = self._idle.pop()
            self._busy.add(worker)
            return worker
        waiting = sum(not w.done() for w in self._waiters)
        if self._max_waiting is not None and waiting >= self._max_waiting:
            self._counts["refused_busy"] += 1
            raise Busy(
                f"the synth pool is busy: {waiting} synths are waiting for its "
                f"{self._size} workers; retry shortly",
                retry_after=max(1, round(self._timeout / 10)),
                code="synth_busy",
            )
        waiter: asyncio.Future[WorkerProcess] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._busy.discard(waiter.result())  # handed over just as the caller gave up
                self._offer(waiter.result())
            raise

    def _offer(self, worker: WorkerProcess) -> None:
        """Hand a warm, idle worker to the longest waiting request, or park it."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._busy.add(worker)
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    async def _run(self, worker: WorkerProcess, request: SynthRequest) -> SynthResult:
        what = f"synth of {request.template} {request.version}"
        try:
            await worker.send({"kind": "synth", "request": request.model_dump(mode="json")})
            reply = await asyncio.wait_for(worker.receive(), self._timeout)
        except TimeoutError:
            self._lose(worker, "killed")
            raise UpstreamFailure(
                f"{what} ran past the {self._timeout:g} s limit and was stopped",
                code="synth_timeout",
            ) from None
        except (asyncio.IncompleteReadError, ConnectionError):
            raise await self._worker_died(worker, what) from None
        self._counts["synths"] += 1
        worker.synths += 1
        self._release(worker)
        if reply["kind"] != "result":
            raise error_from_reply(reply, what)
        return SynthResult.model_validate(reply["result"])

    async def _worker_died(self, worker: WorkerProcess, what: str) -> Exception:
        if self._closed:
            return Unavailable(f"{what} was stopped: the synth pool is closed")
        try:
            returncode = await asyncio.wait_for(worker.process.wait(), WorkerProcess.grace_seconds)
        except TimeoutError:
            returncode = None  # it closed its stdout but lives on; _lose kills it
        self._lose(worker, "died")
        how = WorkerProcess.describe_exit(returncode)
        return UpstreamFailure(
            f"synth worker {worker.pid} died ({how}) during the {what}",
            code="synth_worker_died",
        )

    def _release(self, worker: WorkerProcess) -> None:
        self._busy.discard(worker)
        if self._closed:
            self._retire(worker, kill=False)
        elif worker.synths >= self._recycle_after:
            self._counts["recycled"] += 1
            self._retire(worker, kill=False)
            self._replace()
        else:
            self._offer(worker)

    def _lose(self, worker: WorkerProcess, reason: str) -> None:
        """A worker is gone or must go mid-life: count it, kill it, replace it."""
        if worker.retired:
            return
        self._counts[reason] += 1
        self._retire(worker, kill=True)
        if not self._closed:
            self._replace()

    def _retire(self, worker: WorkerProcess, *, kill: bool) -> None:
        """Take a worker out of service; its exit watcher cleans up after it."""
        self._busy.discard(worker)
        if worker in self._idle:
            self._idle.remove(worker)
        if worker.retired:
            return
        worker.retired = True
        self._release_cpu(worker.cpu)
        if kill:
            worker.kill()
        else:
            worker.stop()

    def _replace(self) -> None:
        """Warm a replacement in the background (counted as in flight from this moment)."""
        self._spawns_in_flight += 1
        refill = self._track(asyncio.create_task(self._refill()))
        self._refills.add(refill)
        refill.add_done_callback(self._refills.discard)

    async def _refill(self) -> None:
        for delay in chain(RESPAWN_DELAYS, repeat(RESPAWN_DELAYS[-1])):
            try:
                await self._warm_one()
            except Unavailable:
                if self._closed:
                    return
                log.warning("synth_worker_replacement_failed", retry_in_seconds=delay)
                await asyncio.sleep(delay)
                self._spawns_in_flight += 1
                continue
            self._counts["replaced"] += 1
            return

    async def _warm_one(self) -> WorkerProcess:
        """Launch a worker and wait for its warm-up; the caller has counted it in flight."""
        try:
            worker = await self._launch()
            await self._await_ready(worker)
        except BaseException as exc:
            self._spawns_in_flight -= 1
            if isinstance(exc, Unavailable):
                self._counts["warm_failures"] += 1
                self._last_warm_error = exc.message
                self._fail_waiters_if_hopeless()
            raise
        self._spawns_in_flight -= 1
        if self._closed:
            self._retire(worker, kill=True)
            raise Unavailable("the synth pool is closed")
        self._offer(worker)
        return worker

    async def _launch(self) -> WorkerProcess:
        cpu = self._claim_cpu()
        try:
            worker = await WorkerProcess.launch(self._job_module, self._tmp_root, cpu)
        except BaseException as exc:
            self._release_cpu(cpu)
            if isinstance(exc, OSError):
                raise Unavailable(f"cannot start a synth worker: {exc}") from exc
            raise
        self._workers.add(worker)
        self._track(asyncio.create_task(self._watch(worker)))
        return worker

    def _claim_cpu(self) -> int | None:
        """The CPU with the fewest workers in service pinned to it (None when not pinning)."""
        if not self._cpus:
            return None
        cpu = min(self._cpus, key=lambda candidate: self._pinned[candidate])
        self._pinned[cpu] += 1  # claimed now: workers launched together spread out
        return cpu

    def _release_cpu(self, cpu: int | None) -> None:
        if cpu is not None:
            self._pinned[cpu] -= 1

    async def _await_ready(self, worker: WorkerProcess) -> None:
        try:
            hello = await asyncio.wait_for(worker.receive(), self._warm_timeout)
        except TimeoutError:
            problem = f"did not warm within {self._warm_timeout:g} s"
        except asyncio.IncompleteReadError:
            problem = "exited during warm-up"
        except BaseException:
            self._retire(worker, kill=True)
            raise
        else:
            if hello["kind"] == "ready":
                return
            problem = f"failed to warm: {hello['error']}"
        self._retire(worker, kill=True)
        raise Unavailable(f"synth worker {worker.pid} {problem}")

    async def _watch(self, worker: WorkerProcess) -> None:
        """Wait for a worker to exit, then remove its process group and directory."""
        await worker.process.wait()
        # Only an idle worker's death is news here: a busy one's is handled by the synth it was
        # running, a warming one's by its warm-up.
        if worker in self._idle:
            log.warning("synth_worker_exited_while_idle", pid=worker.pid)
            self._lose(worker, "died")
        worker.exited()
        self._workers.discard(worker)
        await asyncio.to_thread(worker.remove_directory)

    def _hopeless(self) -> Unavailable | None:
        """Why no worker can serve a request now or later (warm, busy or warming), if so."""
        if self._closed:
            return Unavailable("the synth pool is closed")
        if not (self._idle or self._busy or self._spawns_in_flight):
            return Unavailable(f"no synth worker is warm: {self._last_warm_error}")
        return None

    def _fail_waiters_if_hopeless(self) -> None:
        if (error := self._hopeless()) is not None:
            self._fail_waiters(error)

    def _fail_waiters(self, error: Exception) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(error)

    def _track(self, task: asyncio.Task[Any]) -> asyncio.Task[Any]:
        self._tasks.add(task)
        task.add_done_callback(self._forget)
        return task

    def _forget(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: a shielded synth whose caller left must not warn
