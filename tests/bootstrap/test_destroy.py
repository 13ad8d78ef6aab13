"""The destroy step over a plan: platform stacks in reverse order, toolkits last."""

from __future__ import annotations

import asyncio

from bootstrap.destroy import destroy_platform
from bootstrap.plan import Plan
from tests.bootstrap.conftest import PLATFORM, PREFIX, TOOLKITS, Steps


async def test_on_a_fresh_account_every_stack_is_already_gone_in_reverse_order(
    steps: Steps, standin_plan: Plan
) -> None:
    teardowns = await asyncio.to_thread(
        destroy_platform, standin_plan, engine=steps.engine, reporter=steps.reporter
    )

    in_reverse = PLATFORM[::-1] + TOOLKITS[::-1]
    assert [(t.stack_name, t.outcome) for t in teardowns] == [
        (name, "already_gone") for name, _ in in_reverse
    ]
    assert f"{PREFIX}-edge was not there" in steps.said()
