"""After the stacks, the console's origin settled: on a first install, where the console's
address became known only now, a new plan synthesized for it and the stacks it changes (the
Backend API's) deployed again; then which origin the API allows, and why."""

from __future__ import annotations

from dataclasses import dataclass

from bootstrap import console_origin, messages
from bootstrap.deploy import deploy_stacks
from bootstrap.plan import Plan, for_frontend_origin, origin_said
from bootstrap.progress import Reporter
from bootstrap.results import StackResult
from cdk_service.cloudformation.engine import DeployEngine


@dataclass(frozen=True)
class Settled:
    """The plan deployed last, and the stacks deployed again for the console's origin."""

    plan: Plan
    redeployed: tuple[StackResult, ...] = ()


def settle_origin(plan: Plan, *, engine: DeployEngine, reporter: Reporter) -> Settled:
    """The plan narrowed to the Frontend stack's URL (if the run learnt it only now) and
    deployed; the origin the Backend API allows said."""
    settled = Settled(plan)
    narrowed = None
    if plan.synthesized:  # a given assembly is deployed as it was synthesized
        narrowed = for_frontend_origin(plan, engine=engine, reporter=reporter)
    if narrowed is not None:
        changed = console_origin.changed_stacks(plan.assembly, narrowed.assembly)
        # A change set of its own: the run's name for the stack is the first pass's.
        run_id = f"{plan.options.run_id}-origin"
        redeployed = deploy_stacks(
            narrowed, changed, engine=engine, reporter=reporter, run_id=run_id
        )
        settled = Settled(narrowed, redeployed)
    said = origin_said(settled.plan, engine)
    if said is not None:
        reporter.note(messages.CONSOLE_ORIGIN, said)
    return settled
