"""``datahubctl bootstrap`` as its steps: preflight, plan, deploy, after the stacks, seed; the
dry run; and the teardown. Each step takes the plan and returns a result of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bootstrap import messages, preflight
from bootstrap.after_stacks import AfterStacks, after_stacks
from bootstrap.deploy import deploy_platform
from bootstrap.destroy import destroy_platform
from bootstrap.dry_run import dry_run
from bootstrap.options import Options
from bootstrap.plan import Plan, make_plan
from bootstrap.progress import Reporter
from bootstrap.results import DryRun, PreflightReport, StackResult, StepResult
from bootstrap.seed import seed_platform
from bootstrap.settle_origin import settle_origin
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.models import Teardown


@dataclass(frozen=True)
class Installed:
    """What a run did: each stack's result, the plan deployed last, and the steps after."""

    results: tuple[StackResult, ...]
    redeployed: tuple[StackResult, ...]
    plan: Plan
    after: AfterStacks
    seeded: tuple[StepResult, ...]

    @property
    def changed(self) -> list[StackResult]:
        """The stacks the run changed."""
        return changed(self.results, self.redeployed)


def changed(results: Iterable[StackResult], redeployed: Iterable[StackResult]) -> list[StackResult]:
    """The stacks that changed; one deployed again for the console's origin counts once."""
    again = {r.stack_name for r in redeployed if r.action != "no_changes"}
    return [r for r in results if r.action != "no_changes" or r.stack_name in again]


def install(
    options: Options, *, engine: DeployEngine, reporter: Reporter, assembly: Path | None = None
) -> Installed:
    """Set up the platform, or bring it up to date."""
    plan, _ = _planned(options, engine, reporter, assembly)
    results = deploy_platform(plan, engine=engine, reporter=reporter)
    settled = settle_origin(plan, engine=engine, reporter=reporter)
    reporter.step(messages.AFTER_DEPLOYMENT)
    found = after_stacks(settled.plan, engine=engine, reporter=reporter)
    seeded = seed_platform(settled.plan, found, engine=engine, reporter=reporter)
    installed = Installed(results, settled.redeployed, settled.plan, found, seeded)
    reporter.say(messages.installed(len(installed.changed), len(results)))
    return installed


def preview(
    options: Options, *, engine: DeployEngine, reporter: Reporter, assembly: Path | None = None
) -> DryRun:
    """The dry run: what a run would do to each stack; nothing is left changed."""
    plan, survey = _planned(options, engine, reporter, assembly)
    reporter.step(messages.DRY_RUN)
    planned = dry_run(plan, survey.caller_arn, engine=engine)
    reporter.dry_run(planned)
    reporter.say(messages.dry_run_verdict(planned.changes_anything))
    return planned


def teardown(
    options: Options,
    *,
    engine: DeployEngine,
    reporter: Reporter,
    confirm: Callable[[str], object],
    assembly: Path | None = None,
) -> tuple[Teardown, ...]:
    """Tear the platform down once ``confirm`` lets it (it raises to stop)."""
    # Only the stacks' names and places matter here: no need to settle the console's origin.
    plan, survey = _planned(options, engine, reporter, assembly, settle_origin=False)
    present = [stack for stack in survey.stacks if stack.exists]
    if not present:
        reporter.say(messages.NOTHING_TO_DESTROY)
        return ()
    confirm(messages.confirm_destroy(len(present), plan.config.prefix, plan.config.account))
    teardowns = destroy_platform(plan, engine=engine, reporter=reporter)
    reporter.say(messages.destroyed(teardowns))
    return teardowns


def _planned(
    options: Options,
    engine: DeployEngine,
    reporter: Reporter,
    assembly: Path | None,
    *,
    settle_origin: bool = True,
) -> tuple[Plan, PreflightReport]:
    """Preflight, the plan, then what of it exists already (shown)."""
    reporter.step(messages.PREFLIGHT)
    caller = preflight.verify(options, engine.clients)
    plan = make_plan(
        options, engine=engine, reporter=reporter, assembly=assembly, settle_origin=settle_origin
    )
    survey = preflight.survey(plan, caller, engine.clients)
    reporter.survey(survey)
    return plan, survey
