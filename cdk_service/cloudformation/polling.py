"""Waiting on CloudFormation: poll with a growing interval until a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from service_contract.aws_errors import NotReady

T = TypeVar("T")


@dataclass(frozen=True)
class Polling:
    """How long and how often to ask whether CloudFormation is done."""

    timeout_seconds: float = 300.0
    first_interval: float = 0.5
    max_interval: float = 5.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    def until(self, check: Callable[[], T | None], waiting_for: str) -> T:
        """The first answer ``check`` gives that is not None; ``NotReady`` past the deadline."""
        deadline = self.clock() + self.timeout_seconds
        interval = self.first_interval
        while True:
            answer = check()
            if answer is not None:
                return answer
            if self.clock() + interval > deadline:
                raise NotReady(
                    f"still waiting for {waiting_for} after {self.timeout_seconds:g} s; "
                    "run the same step again to keep waiting"
                )
            self.sleep(interval)
            interval = min(interval * 2, self.max_interval)


def next_look(seconds_changing: float, *, longest: float, first: float = 0.5) -> float:
    """When to look again at a stack changing for that long: soon at first (a small stack
    settles in seconds), then less often as it goes on, every ``longest`` at most."""
    return min(longest, max(first, seconds_changing / 4))
