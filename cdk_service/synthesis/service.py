"""The synth facade: answers from the cache, else from the warm pool, and records metrics."""

from __future__ import annotations

import asyncio
import time

from cdk_service.bundles.fetching import fetch_bundle
from cdk_service.bundles.store import BundleStore
from cdk_service.synthesis import metrics
from cdk_service.synthesis.cache import SynthCache
from cdk_service.synthesis.models import SynthRequest, SynthResult
from cdk_service.synthesis.pool import SynthPool
from service_contract.errors import InvalidInput


class SynthService:
    """Cached, coalesced synthesis: identical concurrent requests share one synth."""

    def __init__(
        self, pool: SynthPool, cache: SynthCache, bundles: BundleStore | None = None
    ) -> None:
        self._pool = pool
        self._cache = cache
        self._bundles = bundles
        self._in_flight: dict[str, asyncio.Task[SynthResult]] = {}
        self._coalesced = 0
        # Gauges read the pool when scraped; the latest service in a process is the one shown.
        metrics.POOL_WORKERS.set_function(lambda: pool.stats()["workers"])
        metrics.POOL_WARM_WORKERS.set_function(lambda: pool.stats()["warm"])

    @property
    def ready(self) -> bool:
        """True while the pool has at least one warm worker."""
        return self._pool.ready

    def stats(self) -> dict[str, int]:
        """The pool's counters plus the cache's size and coalesced requests."""
        return {
            **self._pool.stats(),
            "cache_entries": len(self._cache),
            "coalesced": self._coalesced,
        }

    async def synth(self, request: SynthRequest) -> SynthResult:
        """The synthesized stack for a request; raises the ``DatahubError`` the synth raised."""
        started = time.perf_counter()
        outcome = "failed"
        try:
            result, outcome = await self._answer(request)
            return result
        except InvalidInput:
            outcome = "rejected"
            raise
        finally:
            elapsed = time.perf_counter() - started
            metrics.SYNTH_SECONDS.labels(request.template, outcome).observe(elapsed)

    async def _answer(self, request: SynthRequest) -> tuple[SynthResult, str]:
        key = request.cache_key()
        cached = self._cache.get(key)
        if cached is not None:
            metrics.CACHE_HITS.inc()
            return cached, "cache_hit"
        metrics.CACHE_MISSES.inc()
        shared = self._in_flight.get(key)
        if shared is not None:
            self._coalesced += 1
            result = await asyncio.shield(shared)
            return result.model_copy(deep=True), "coalesced"  # its own copy, as a hit would be
        task = asyncio.create_task(self._synthesize_and_store(key, request))
        self._in_flight[key] = task
        task.add_done_callback(lambda done: self._settle(key, done))
        return await asyncio.shield(task), "ok"

    async def _synthesize_and_store(self, key: str, request: SynthRequest) -> SynthResult:
        if request.bundle_digest is not None:
            await fetch_bundle(self._bundles, request.bundle_digest, self._pool.bundle_dir)
        result = await self._pool.synthesize(request)
        self._cache.put(key, result)
        return result

    def _settle(self, key: str, task: asyncio.Task[SynthResult]) -> None:
        self._in_flight.pop(key, None)
        if not task.cancelled():
            task.exception()  # retrieved: every caller may have gone before it finished
