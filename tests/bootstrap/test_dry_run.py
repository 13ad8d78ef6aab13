"""The dry run over a plan: each stack's action and preview, steps after; nothing changed."""

from __future__ import annotations

import asyncio

from bootstrap import messages
from bootstrap.dry_run import dry_run
from bootstrap.plan import Plan
from tests.bootstrap.conftest import PLATFORM, TOOLKITS, Regional, Steps


async def test_a_fresh_account_plans_every_stack_as_created_and_keeps_nothing(
    steps: Steps, standin_plan: Plan, regional: Regional
) -> None:
    planned = await asyncio.to_thread(dry_run, standin_plan, "arn:caller", engine=steps.engine)

    assert [(s.kind, s.stack_name, s.region) for s in planned.stacks] == [
        *(("toolkit", name, region) for name, region in TOOLKITS),
        *(("platform", name, region) for name, region in PLATFORM),
    ]
    assert {s.action for s in planned.stacks} == {"create"}
    assert all(s.preview_source == "change_set" and s.change_count for s in planned.stacks)
    assert [s.file_assets for s in planned.stacks] == [0, 0, 0, 1, 0]
    assert planned.changes_anything and planned.caller_arn == "arn:caller"
    assert planned.service_roles == (), "the stand-in has no OpenSearch domain"
    # A given assembly is not synthesized again after the stacks.
    assert planned.post_deploy == messages.AFTER_STACKS_STEPS
    assert planned.console_origin is not None
    assert planned.console_origin.startswith("the Backend API will allow any origin (*)")
    assert regional("cloudformation").describe_stacks()["Stacks"] == []
