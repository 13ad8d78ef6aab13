"""Waiting with a deadline."""

from __future__ import annotations

import pytest

from cdk_service.cloudformation.polling import Polling
from service_contract.aws_errors import NotReady, TransientAwsError


class FakeClock:
    """Time that passes only when slept."""

    def __init__(self) -> None:
        self.now = 0.0
        self.naps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.naps.append(seconds)
        self.now += seconds

    def polling(self, timeout_seconds: float, max_interval: float) -> Polling:
        """Polling on this clock, first waiting one second."""
        return Polling(
            timeout_seconds=timeout_seconds,
            first_interval=1,
            max_interval=max_interval,
            sleep=self.sleep,
            clock=lambda: self.now,
        )


def test_polling_returns_the_first_answer_backing_off_between_asks() -> None:
    clock = FakeClock()
    answers = iter([None, None, None, "ready"])
    polling = clock.polling(timeout_seconds=60, max_interval=3)

    assert polling.until(lambda: next(answers), "a change set") == "ready"
    assert clock.naps == [1, 2, 3]


def test_polling_past_the_deadline_asks_to_retry_later() -> None:
    clock = FakeClock()
    polling = clock.polling(timeout_seconds=10, max_interval=4)

    with pytest.raises(NotReady) as late:
        polling.until(lambda: None, "change set datahub-d1")

    assert isinstance(late.value, TransientAwsError)
    assert "change set datahub-d1" in late.value.message
    assert clock.now <= 10
