"""The synth facade: cache first, coalesced misses, errors not cached, metrics recorded."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from cdk_service.synthesis.cache import SynthCache
from cdk_service.synthesis.models import SynthRequest, SynthResult, sha256_of
from cdk_service.synthesis.service import SynthService
from service_contract.errors import PolicyViolation
from tests.cdk_service.synthesis.fake_jobs import fake_pool, fake_request


@dataclass
class CountingPool:
    """Stands in for the pool: counts synths, optionally slow or failing."""

    delay: float = 0.0
    fail_with: Exception | None = None
    requests: list[SynthRequest] = field(default_factory=list)
    ready: bool = True

    async def synthesize(self, request: SynthRequest) -> SynthResult:
        self.requests.append(request)
        await asyncio.sleep(self.delay)
        if self.fail_with is not None:
            raise self.fail_with
        template = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}, "Params": request.params}
        return SynthResult(template=template, digest=sha256_of(template))

    def stats(self) -> dict[str, int]:
        return {"workers": 3, "warm": 2, "synths": len(self.requests)}


def sample(name: str, **labels: str) -> float:
    """The current value of a metric sample (0 when it was never recorded)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_a_cache_hit_returns_the_same_template_without_calling_the_pool():
    pool = CountingPool()
    service = SynthService(pool, SynthCache(8))  # type: ignore[arg-type]
    hits_before = sample("datahub_synth_cache_hits_total")

    first = await service.synth(fake_request(n=1))
    second = await service.synth(fake_request(n=1))

    assert len(pool.requests) == 1
    assert (first.cached, second.cached) == (False, True)
    assert second.template == first.template
    assert second.digest == first.digest
    assert sample("datahub_synth_cache_hits_total") == hits_before + 1


async def test_different_params_are_different_synths():
    pool = CountingPool()
    service = SynthService(pool, SynthCache(8))  # type: ignore[arg-type]

    await service.synth(fake_request(n=1))
    await service.synth(fake_request(n=2))

    assert len(pool.requests) == 2


async def test_identical_concurrent_requests_share_one_synth():
    pool = CountingPool(delay=0.1)
    service = SynthService(pool, SynthCache(8))  # type: ignore[arg-type]

    results = await asyncio.gather(*(service.synth(fake_request(n=3)) for _ in range(3)))

    assert len(pool.requests) == 1
    assert all(r.template == results[0].template for r in results)
    assert len({id(r) for r in results}) == 3
    assert service.stats()["coalesced"] == 2


async def test_failures_are_not_cached_and_keep_their_class():
    pool = CountingPool(fail_with=PolicyViolation("nag says no", details=[]))
    service = SynthService(pool, SynthCache(8))  # type: ignore[arg-type]
    rejected_before = sample(
        "datahub_synth_duration_seconds_count", template="fake", outcome="rejected"
    )

    for _ in range(2):
        with pytest.raises(PolicyViolation):
            await service.synth(fake_request(n=4))

    assert len(pool.requests) == 2
    after = sample("datahub_synth_duration_seconds_count", template="fake", outcome="rejected")
    assert after == rejected_before + 2


async def test_metrics_show_latency_by_outcome_and_the_pool_size():
    pool = CountingPool()
    service = SynthService(pool, SynthCache(8))  # type: ignore[arg-type]
    ok_before = sample("datahub_synth_duration_seconds_count", template="fake", outcome="ok")
    misses_before = sample("datahub_synth_cache_misses_total")

    await service.synth(fake_request(n=5))

    assert (
        sample("datahub_synth_duration_seconds_count", template="fake", outcome="ok")
        == ok_before + 1
    )
    assert sample("datahub_synth_cache_misses_total") == misses_before + 1
    assert sample("datahub_synth_pool_workers") == 3
    assert sample("datahub_synth_pool_warm_workers") == 2
    assert service.ready


async def test_the_service_on_a_real_pool_serves_misses_then_hits(tmp_path: Path):
    pool = fake_pool(tmp_path / "synth")
    await pool.start()
    service = SynthService(pool, SynthCache(8))
    try:
        miss = await service.synth(fake_request())
        hit = await service.synth(fake_request())
    finally:
        await pool.close()

    assert (miss.cached, hit.cached) == (False, True)
    assert hit.template == miss.template
    assert service.stats()["synths"] == 1
    assert not service.ready
    assert list((tmp_path / "synth").iterdir()) == []
