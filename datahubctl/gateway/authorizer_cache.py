"""API Gateway's authorizer caching: a policy kept per identity source value for a TTL.

Like API Gateway, a cached policy outlives the token's own expiry by up to the TTL; a TTL of 0
asks the Authorizer every time.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any


class AuthorizerCache:
    """Policies by ``Authorization`` header, for ``seconds``, at most ``entries`` of them."""

    def __init__(self, seconds: float, entries: int = 10_000) -> None:
        self.seconds = seconds
        self.entries = entries
        self._policies: OrderedDict[str, tuple[float, Any]] = OrderedDict()

    def get(self, identity: str) -> Any | None:
        """The cached policy for ``identity``, if it is still fresh."""
        cached = self._policies.get(identity)
        if cached is None:
            return None
        expires, policy = cached
        if time.monotonic() >= expires:
            del self._policies[identity]
            return None
        return policy

    def put(self, identity: str, policy: Any) -> None:
        """Keeps ``policy`` (nothing is kept with a TTL of 0); the oldest entry goes when full."""
        if self.seconds <= 0:
            return
        self._policies[identity] = (time.monotonic() + self.seconds, policy)
        self._policies.move_to_end(identity)
        while len(self._policies) > self.entries:
            self._policies.popitem(last=False)
