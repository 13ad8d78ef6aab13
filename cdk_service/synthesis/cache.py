"""An in-memory LRU of synth results, keyed by ``SynthRequest.cache_key()``."""

from __future__ import annotations

from collections import OrderedDict

from cdk_service.synthesis.models import SynthResult


class SynthCache:
    """Least-recently-used synth results; ``max_entries=0`` turns caching off."""

    def __init__(self, max_entries: int) -> None:
        self._max_entries = max_entries
        # Stored as JSON so every hit is an independent copy (~0.7 ms for a 50 KB template)
        # that a caller may change without corrupting the cache.
        self._entries: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> SynthResult | None:
        """A fresh copy of the cached result, marked ``cached``, or None."""
        raw = self._entries.get(key)
        if raw is None:
            return None
        self._entries.move_to_end(key)
        return SynthResult.model_validate_json(raw)

    def put(self, key: str, result: SynthResult) -> None:
        """Remember a successful result, evicting the least recently used beyond the limit."""
        if self._max_entries <= 0:
            return
        self._entries[key] = result.model_copy(update={"cached": True}).model_dump_json()
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
