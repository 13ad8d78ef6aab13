"""The destroy step over a plan: platform stacks in reverse order, toolkits last."""

from __future__ import annotations

import asyncio

from bootstrap.assembly import PlatformAssembly
from bootstrap.destroy import destroy_platform
from tests.bootstrap.conftest import PREFIX, Steps


async def test_on_a_fresh_account_every_stack_is_already_gone_in_reverse_order(
    steps: Steps, standin_assembly: PlatformAssembly
) -> None:
    plan = await asyncio.to_thread(steps.plan, standin_assembly.directory)

    teardowns = await asyncio.to_thread(
        destroy_platform, plan, engine=steps.engine, reporter=steps.reporter
    )

    assert [(t.stack_name, t.outcome) for t in teardowns] == [
        (f"{PREFIX}-edge", "already_gone"),
        (f"{PREFIX}-functions", "already_gone"),
        (f"{PREFIX}-storage", "already_gone"),
        (f"{PREFIX}-toolkit", "already_gone"),
        (f"{PREFIX}-toolkit", "already_gone"),
    ]
    assert f"{PREFIX}-edge was not there" in steps.said()
