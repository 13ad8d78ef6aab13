"""Prometheus metrics of synthesis: latency by template and outcome, pool size, cache use."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# From a cache hit (well under 10 ms) through warm synths (~40 ms) to a cold worker (~3 s).
LATENCY_BUCKETS = (0.01, 0.025, 0.04, 0.06, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

SYNTH_SECONDS = Histogram(
    "datahub_synth_duration_seconds",
    "Time to answer a synth request, by template and outcome (ok, cache_hit, coalesced, "
    "rejected, failed)",
    ["template", "outcome"],
    buckets=LATENCY_BUCKETS,
)
POOL_WORKERS = Gauge("datahub_synth_pool_workers", "Configured number of synth workers")
POOL_WARM_WORKERS = Gauge("datahub_synth_pool_warm_workers", "Synth workers warm right now")
CACHE_HITS = Counter("datahub_synth_cache_hits", "Synth requests answered from the cache")
CACHE_MISSES = Counter("datahub_synth_cache_misses", "Synth requests not found in the cache")
