"""The plan step: the assembly, a toolkit per region, the console's origin; a frozen value."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from datahub_platform.config import PlatformConfig

from bootstrap import console_origin
from bootstrap.assembly import PlatformAssembly
from bootstrap.plan import Plan, for_frontend_origin, toolkits
from bootstrap.results import ConsoleOrigin
from bootstrap.synthesis import ASSEMBLY_FOLDER
from service_contract.errors import InvalidInput
from tests.bootstrap.conftest import CONFIG, TOOLKITS, Steps, make_options


def test_a_given_assembly_is_planned_as_it_is_with_a_toolkit_per_region(
    steps: Steps, standin_plan: Plan, standin_assembly: PlatformAssembly
) -> None:
    assert standin_plan.assembly.stacks == standin_assembly.stacks
    assert [(t.stack_name, t.region) for t in standin_plan.toolkits] == TOOLKITS
    assert standin_plan.config == steps.options.config
    assert (standin_plan.synthesized, standin_plan.origin, standin_plan.bundled) == (
        False,
        None,
        None,
    )
    assert not standin_plan.narrows_origin, "a given assembly is deployed as it was synthesized"
    assert steps.said() == "", "planning a given assembly says nothing"
    with pytest.raises(dataclasses.FrozenInstanceError):
        standin_plan.assembly = standin_assembly  # type: ignore[misc]


async def test_a_given_assembly_is_never_synthesized_again_for_the_frontends_address(
    steps: Steps, standin_plan: Plan
) -> None:
    again = await asyncio.to_thread(
        for_frontend_origin, standin_plan, engine=steps.engine, reporter=steps.reporter
    )

    assert again is None


async def test_a_configured_origin_is_synthesized_in_straight_away(
    moto_url: str, steps: Steps
) -> None:
    pinned = PlatformConfig.from_mapping(CONFIG | {"console_origin": "https://console.example"})
    steps = dataclasses.replace(
        steps, options=make_options(pinned, steps.options.workdir, moto_url)
    )

    plan = await asyncio.to_thread(steps.plan)

    assert plan.origin == ConsoleOrigin(origin="https://console.example", source="configured")
    assert plan.synthesized and not plan.narrows_origin
    assert plan.assembly.directory == steps.options.workdir / ASSEMBLY_FOLDER
    assert console_origin.allowed_origins(plan.assembly) == ["https://console.example"]
    assert plan.bundled is not None and plan.bundled.console_origin == "https://console.example"
    assert plan.bundled.lambda_bundles != pinned.lambda_bundles, "the run's Lambda bundle"
    assert "synthesized 3 platform stacks in" in steps.said()


def test_stacks_that_expect_different_toolkits_are_refused(
    config: PlatformConfig, standin_assembly: PlatformAssembly
) -> None:
    first, *others = standin_assembly.stacks
    mixed = standin_assembly.model_copy(
        update={"stacks": (first.model_copy(update={"qualifier": "other"}), *others)}
    )

    with pytest.raises(InvalidInput) as refused:
        toolkits(make_options(config, standin_assembly.directory), mixed)

    assert refused.value.code == "mixed_toolkit_qualifiers"
    assert "hnb659fds, other" in refused.value.message
