"""The deploy step over a plan: toolkits first, then each stack's assets and the stack."""

from __future__ import annotations

import asyncio
import dataclasses

from bootstrap.deploy import deploy_platform
from bootstrap.plan import Plan
from tests.bootstrap.conftest import PLATFORM, PREFIX, TOOLKITS, Steps

IN_ORDER = TOOLKITS + PLATFORM


async def test_each_stack_of_the_plan_is_deployed_in_order_and_its_result_returned(
    steps: Steps, standin_plan: Plan
) -> None:
    first = await asyncio.to_thread(
        deploy_platform, standin_plan, engine=steps.engine, reporter=steps.reporter
    )

    assert [(r.stack_name, r.region) for r in first] == IN_ORDER
    assert {r.action for r in first} == {"created"}
    assert all(r.stack_id for r in first)
    said = steps.said()
    assert f"{PREFIX}-functions file assets: 1 uploaded, 0 already published" in said
    assert said.index(f"{PREFIX}-storage created") < said.index(f"{PREFIX}-edge created")

    # A second run: the same plan under a run id of its own.
    rerun = dataclasses.replace(
        standin_plan, options=dataclasses.replace(standin_plan.options, run_id="rerun")
    )
    again = await asyncio.to_thread(
        deploy_platform, rerun, engine=steps.engine, reporter=steps.reporter
    )

    assert [(r.stack_name, r.action) for r in again] == [
        (name, "no_changes") for name, _ in IN_ORDER
    ]
    assert f"{PREFIX}-functions file assets: 0 uploaded, 1 already published" in steps.said()
