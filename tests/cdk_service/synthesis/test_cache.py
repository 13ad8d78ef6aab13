"""The synth result cache: fresh copies and LRU eviction (hit latency: bench/synth.py)."""

from __future__ import annotations

from cdk_service.synthesis.cache import SynthCache
from cdk_service.synthesis.models import SynthResult, sha256_of


def a_result(resources: int = 3) -> SynthResult:
    """A result whose template has the given number of resources."""
    template = {
        "Resources": {
            f"Bucket{i}": {
                "Type": "AWS::S3::Bucket",
                "Properties": {"Tags": [{"Key": "team", "Value": "data-team"}] * 5},
            }
            for i in range(resources)
        }
    }
    return SynthResult(template=template, digest=sha256_of(template), duration_ms=40.0)


def test_a_hit_is_the_same_result_marked_cached():
    cache = SynthCache(4)
    result = a_result()

    cache.put("k", result)
    hit = cache.get("k")

    assert hit is not None
    assert hit.cached is True
    assert hit.model_dump(exclude={"cached"}) == result.model_dump(exclude={"cached"})
    assert result.cached is False


def test_a_hit_is_a_copy_the_caller_may_change():
    cache = SynthCache(4)
    cache.put("k", a_result())

    first = cache.get("k")
    assert first is not None
    first.template["Resources"].clear()

    second = cache.get("k")
    assert second is not None
    assert second.template["Resources"]


def test_the_least_recently_used_entry_is_evicted():
    cache = SynthCache(2)
    cache.put("a", a_result())
    cache.put("b", a_result())
    cache.get("a")

    cache.put("c", a_result())

    assert cache.get("b") is None
    assert cache.get("a") is not None
    assert cache.get("c") is not None
    assert len(cache) == 2


def test_zero_entries_turns_caching_off():
    cache = SynthCache(0)

    cache.put("k", a_result())

    assert cache.get("k") is None
    assert len(cache) == 0
