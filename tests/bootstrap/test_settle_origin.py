"""The console's origin settled after the stacks, for plans that need no second pass (the
first install's second pass is in ``test_console_origin``)."""

from __future__ import annotations

import asyncio

from bootstrap.plan import Plan
from bootstrap.settle_origin import settle_origin
from tests.bootstrap.conftest import Steps


async def test_a_given_assembly_stays_the_plan_and_the_run_says_which_origin(
    steps: Steps, standin_plan: Plan
) -> None:
    settled = await asyncio.to_thread(
        settle_origin, standin_plan, engine=steps.engine, reporter=steps.reporter
    )

    assert settled.plan is standin_plan
    assert settled.redeployed == ()
    assert (
        "console origin the Backend API allows any origin (*): the assembly was synthesized "
        "without console_origin or a custom domain; set console_origin in the configuration, "
        "or run bootstrap again once the Frontend stack exists" in steps.said()
    )
