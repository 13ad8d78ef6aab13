"""The console's origin for the Backend API's CORS: bootstrap narrows it from ``*`` to the
Frontend stack's address once that stack exists (the stand-in's Edge stack plays it).

moto lists no Outputs for a stack made through change sets, where CloudFormation lists the
``FrontendUrl`` the stack declares; ``ListingOutputs`` lists what the deployed template declares
as a literal (the stand-in's URL is one), as CloudFormation would.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from datahub_platform.config import PlatformConfig

from bootstrap import console_origin
from bootstrap.assembly import PlatformAssembly
from bootstrap.deploy import deploy_platform
from bootstrap.dry_run import dry_run as dry_run_of
from bootstrap.options import PLATFORM_APP
from bootstrap.plan import Plan
from bootstrap.results import StackResult
from bootstrap.settle_origin import Settled, settle_origin
from bootstrap.synthesis import read
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.models import StackOutputs, StackState
from service_contract.targets import Target
from tests.bootstrap.conftest import (
    CONFIG,
    PREFIX,
    Bootstrap,
    Regional,
    Steps,
    make_engine,
    make_options,
    make_reporter,
    staged_from,
    synthesized,
)
from tests.bootstrap.standin_app import FRONTEND_URL


class ListingOutputs(DeployEngine):
    """The deploy engine, with the Outputs CloudFormation would list and moto does not."""

    def outputs(self, target: Target, stack: str, settled: StackState | None = None) -> Any:
        found = super().outputs(target, stack, settled)  # NotFound while the stack is missing
        if found.source == "outputs":
            return found
        body = self.clients.client(target, "cloudformation").get_template(StackName=stack)
        template = body["TemplateBody"]
        template = json.loads(template) if isinstance(template, str) else template
        declared = (template.get("Outputs") or {}).items()
        values = {name: o["Value"] for name, o in declared if isinstance(o.get("Value"), str)}
        return StackOutputs(source="outputs", values=values)


def deployed(steps: Steps, plan: Plan) -> tuple[tuple[StackResult, ...], Settled]:
    """The deploy step, then the console's origin settled."""
    results = deploy_platform(plan, engine=steps.engine, reporter=steps.reporter)
    return results, settle_origin(plan, engine=steps.engine, reporter=steps.reporter)


def steps_on(moto_url: str, workdir: Path, config: PlatformConfig) -> Steps:
    """A run of the stand-in whose Edge stack plays the Frontend stack."""
    plain = make_engine()
    return Steps(
        make_options(config, workdir, moto_url, frontend_stack="Edge"),
        ListingOutputs(plain.clients, polling=plain.polling),
        make_reporter(),
    )


def run(steps: Steps) -> tuple[tuple[StackResult, ...], tuple[StackResult, ...], str]:
    """What ``datahubctl bootstrap`` does up to the stacks: each stack's result, those of the
    stacks deployed again for the origin, and what the operator read."""
    results, settled = deployed(steps, steps.plan())
    return results, settled.redeployed, steps.said()


def dry_run(steps: Steps) -> str:
    """What ``datahubctl bootstrap --dry-run`` prints of its plan, the operator's text."""
    steps.reporter.dry_run(dry_run_of(steps.plan(), "caller", engine=steps.engine))
    return steps.said()


def allowed_by_backend(regional: Regional) -> list[str]:
    """The origins the deployed Backend Lambda allows, from its template on moto."""
    template = regional("cloudformation").get_template(StackName=f"{PREFIX}-functions")
    body = template["TemplateBody"]
    body = json.loads(body) if isinstance(body, str) else body
    variables = body["Resources"]["Backend"]["Properties"]["Environment"]["Variables"]
    origins: list[str] = json.loads(variables["DATAHUB_CORS_ALLOWED_ORIGINS"])
    return origins


async def test_a_first_install_narrows_the_origin_then_a_rerun_starts_with_it(
    config: PlatformConfig, moto_url: str, tmp_path: Path, regional: Regional
) -> None:
    first = steps_on(moto_url, tmp_path / "work", config)

    results, narrowed, said = await asyncio.to_thread(run, first)

    assert [r.action for r in results[2:]] == ["created", "created", "created"]
    # Only the Backend's stack changes with the origin; it alone is deployed again.
    assert [(r.stack_name, r.action) for r in narrowed] == [(f"{PREFIX}-functions", "updated")]
    assert allowed_by_backend(regional) == [FRONTEND_URL]
    said = " ".join(said.split())
    assert f"the Backend API allows {FRONTEND_URL}, from the Frontend stack's FrontendUrl" in said
    assert f"set console_origin: {FRONTEND_URL} in the configuration" in said

    # A re-run reads the address before deploying: synthesized with it, nothing changes.
    rerun = steps_on(moto_url, tmp_path / "work", config)
    results, narrowed, said = await asyncio.to_thread(run, rerun)

    assert {r.action for r in results} == {"no_changes"} and narrowed == ()
    assert allowed_by_backend(regional) == [FRONTEND_URL]
    assert f"the Backend API allows {FRONTEND_URL}" in " ".join(said.split())


async def test_each_pass_of_a_first_install_is_an_assembly_with_its_own_assets(
    config: PlatformConfig, moto_url: str, tmp_path: Path
) -> None:
    # Both passes run in one process: CDK remembers the assets it staged in a folder, so a second
    # synth into the same folder, emptied, wrote none, and the second pass's assets were staged
    # only because the store held the first pass's under the same hashes.
    steps = steps_on(moto_url, tmp_path / "work", config)

    def first_install() -> tuple[PlatformAssembly, PlatformAssembly]:
        plan = steps.plan()
        return plan.assembly, deployed(steps, plan)[1].plan.assembly

    first, narrowed = await asyncio.to_thread(first_install)

    assert console_origin.allowed_origins(narrowed) == [FRONTEND_URL]
    for assembly in (first, narrowed):
        sources = staged_from(assembly)
        assert sources, "the stand-in's Lambda bundle"
        assert all(source.exists() for source in sources), (assembly.directory, sources)
    # The first pass's folder still holds the assembly it deployed.
    assert read(steps.options, first.directory).stacks == first.stacks


async def test_a_configured_origin_is_used_and_no_stack_is_deployed_twice(
    moto_url: str, tmp_path: Path, regional: Regional
) -> None:
    pinned = PlatformConfig.from_mapping(CONFIG | {"console_origin": "https://console.example"})
    steps = steps_on(moto_url, tmp_path / "work", pinned)

    results, narrowed, said = await asyncio.to_thread(run, steps)

    assert narrowed == () and all(r.action == "created" for r in results)
    assert allowed_by_backend(regional) == ["https://console.example"]
    said = " ".join(said.split())
    assert "the Backend API allows https://console.example, from console_origin in the" in said


async def test_without_an_address_any_origin_stays_and_the_run_says_why(
    bootstrap: Bootstrap, regional: Regional
) -> None:
    # moto lists no outputs: the plain command never learns the console's address.
    result = await bootstrap()

    assert result.exit_code == 0, result.output
    assert allowed_by_backend(regional) == ["*"]
    said = " ".join(result.output.split())
    assert "console origin the Backend API allows any origin (*)" in said
    assert "the assembly was synthesized without console_origin or a custom domain" in said


async def test_a_dry_run_says_the_configured_origin_the_backend_api_will_allow(
    moto_url: str, tmp_path: Path, regional: Regional
) -> None:
    pinned = PlatformConfig.from_mapping(CONFIG | {"console_origin": "https://console.example"})

    said = await asyncio.to_thread(dry_run, steps_on(moto_url, tmp_path / "work", pinned))

    assert (
        "console origin the Backend API will allow https://console.example, from console_origin "
        "in the configuration" in said
    )
    assert regional("cloudformation").describe_stacks()["Stacks"] == []  # nothing deployed


async def test_a_dry_run_says_any_origin_until_the_frontend_stack_exists_then_its_url(
    config: PlatformConfig, moto_url: str, tmp_path: Path
) -> None:
    # Each pass synthesizes into a folder of its own: CDK remembers, per process, the assets it
    # staged in a folder, and would not stage them again in one emptied and reused.
    first = await asyncio.to_thread(dry_run, steps_on(moto_url, tmp_path / "plan", config))

    assert "console origin the Backend API will allow any origin (*) until the Frontend" in first
    assert "the run synthesizes again for its FrontendUrl and allows only that" in first

    await asyncio.to_thread(run, steps_on(moto_url, tmp_path / "work", config))
    rerun = await asyncio.to_thread(dry_run, steps_on(moto_url, tmp_path / "again", config))

    assert (
        f"console origin the Backend API will allow {FRONTEND_URL}, from the Frontend stack's "
        "FrontendUrl output" in rerun
    )


async def test_a_dry_run_of_a_given_assembly_says_it_allows_any_origin_and_why(
    bootstrap: Bootstrap,
) -> None:
    result = await bootstrap("--dry-run")

    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert (
        "console origin the Backend API will allow any origin (*): the assembly was synthesized "
        "without console_origin or a custom domain" in said
    )


def test_in_the_platform_app_the_origin_changes_only_the_backend_api_stack(
    platform_assembly: PlatformAssembly, tmp_path: Path
) -> None:
    # What the first install's second pass deploys: the real app synthesized for the URL.
    pinned = PlatformConfig.from_mapping(CONFIG | {"console_origin": FRONTEND_URL}).model_copy(
        update={"service_image": None}  # as the session's assembly: the image built in the account
    )
    narrowed = synthesized(pinned, tmp_path / "work", PLATFORM_APP)

    changed = console_origin.changed_stacks(platform_assembly, narrowed)

    assert [stack.artifact_id for stack in changed] == ["BackendApi"]
    assert console_origin.allowed_origins(platform_assembly) == ["*"]
    assert console_origin.allowed_origins(narrowed) == [FRONTEND_URL]
    # The stage takes the new preflight and error answers: a new API deployment, after them.
    resources = changed[0].template["Resources"]
    before = next(s for s in platform_assembly.stacks if s.artifact_id == "BackendApi")
    deployments = {n: r for n, r in resources.items() if r["Type"] == "AWS::ApiGateway::Deployment"}
    assert deployments and not set(deployments) & set(before.template["Resources"])
    responses = {n for n, r in resources.items() if r["Type"] == "AWS::ApiGateway::GatewayResponse"}
    assert responses and all(responses <= set(d["DependsOn"]) for d in deployments.values())
