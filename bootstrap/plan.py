"""The plan step: the assembly a run deploys, the toolkits it needs, and the console's origin.

The plan is made once, before the stacks, and never changed: where the console's origin is
learnt only after the stacks (a first install), ``for_frontend_origin`` makes a new plan.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from datahub_platform.config import PlatformConfig

from bootstrap import console_origin, messages
from bootstrap.assembly import PlatformAssembly, PlatformStack
from bootstrap.options import Options
from bootstrap.progress import Reporter
from bootstrap.results import ConsoleOrigin
from bootstrap.stack_deploy import StackOrder
from bootstrap.synthesis import (
    ORIGIN_ASSEMBLY_FOLDER,
    read,
    synthesize_app,
    synthesize_platform,
)
from bootstrap.toolkit import Toolkit
from cdk_service.cloudformation.engine import DeployEngine
from service_contract.errors import InvalidInput
from service_contract.targets import Target


@dataclass(frozen=True)
class Plan:
    """What a run deploys: the assembly, in order, and one toolkit per region it deploys to."""

    options: Options
    config: PlatformConfig
    """The configuration the assembly was synthesized for (with the console's origin)."""
    assembly: PlatformAssembly
    toolkits: tuple[Toolkit, ...]
    origin: ConsoleOrigin | None = None
    """The console's origin the assembly was synthesized with; None while unknown."""
    synthesized: bool = False
    """Whether this run synthesized the assembly (else it was given: ``--assembly``)."""
    bundled: PlatformConfig | None = None
    """The configuration with the Lambda bundle, to synthesize again; None for a given one."""

    @property
    def narrows_origin(self) -> bool:
        """Whether the run learns the console's origin only after the stacks."""
        return self.synthesized and self.origin is None

    def toolkit(self, region: str) -> Toolkit:
        """The toolkit of ``region``."""
        return next(toolkit for toolkit in self.toolkits if toolkit.region == region)

    def target(self, stack: PlatformStack) -> Target:
        """Where a platform stack deploys: its region, through that region's toolkit."""
        return self.options.target(stack.region, self.toolkit(stack.region))

    def toolkit_order(self, toolkit: Toolkit) -> StackOrder:
        """The toolkit's stack, tagged as the platform's."""
        tags = {"datahub:platform": self.config.prefix, "datahub:component": "toolkit"}
        return StackOrder(stack_name=toolkit.stack_name, template=toolkit.template(), tags=tags)


def make_plan(
    options: Options,
    *,
    engine: DeployEngine,
    reporter: Reporter,
    assembly: Path | None = None,
    settle_origin: bool = True,
) -> Plan:
    """The plan over the assembly in ``assembly``, else one synthesized with the console's
    origin where it is known (``settle_origin``: configured, the custom domain, or the
    ``FrontendUrl`` of a Frontend stack an earlier run deployed)."""
    if assembly is not None:
        given = read(options, assembly)
        return Plan(options, options.config, given, toolkits(options, given))
    synthesized = synthesize_platform(options, reporter)
    plan = Plan(
        options,
        options.config,
        synthesized.assembly,
        toolkits(options, synthesized.assembly),
        synthesized=True,
        bundled=synthesized.bundled,
    )
    if not settle_origin:
        return plan
    plan = replace(plan, origin=console_origin.from_config(options.config))
    if plan.origin is None:
        return for_frontend_origin(plan, engine=engine, reporter=reporter) or plan
    return plan


def for_frontend_origin(plan: Plan, *, engine: DeployEngine, reporter: Reporter) -> Plan | None:
    """The plan synthesized again for the deployed Frontend stack's URL; None while there
    is none, or the origin is known already."""
    url = frontend_url(plan, engine) if plan.origin is None else None
    if url is None or plan.bundled is None:
        return None
    bundled = console_origin.with_origin(plan.bundled, url)
    if bundled is None:
        reporter.note(messages.CONSOLE_ORIGIN, messages.not_an_origin(url))
        return None
    reporter.note(messages.CONSOLE_ORIGIN, messages.synthesizing_for_origin(url))
    assembly = synthesize_app(plan.options, bundled, ORIGIN_ASSEMBLY_FOLDER)
    return replace(
        plan,
        config=console_origin.with_origin(plan.config, url) or plan.config,
        assembly=assembly,
        toolkits=toolkits(plan.options, assembly),
        origin=ConsoleOrigin(origin=url, source="frontend_stack"),
        bundled=bundled,
    )


def toolkits(options: Options, assembly: PlatformAssembly) -> tuple[Toolkit, ...]:
    """One toolkit per region the platform deploys to, in the stacks' region order."""
    qualifiers = assembly.qualifiers()
    if len(qualifiers) > 1:
        raise InvalidInput(
            messages.mixed_toolkit_qualifiers(qualifiers), code="mixed_toolkit_qualifiers"
        )
    config = options.config
    qualifier = qualifiers.pop() if qualifiers else config.toolkit_qualifier
    return tuple(
        Toolkit(prefix=config.prefix, account=config.account, region=region, qualifier=qualifier)
        for region in assembly.regions() or [config.region]
    )


def frontend_url(plan: Plan, engine: DeployEngine) -> str | None:
    """The deployed Frontend stack's URL; None while it or its output is missing."""
    frontend = console_origin.frontend_stack(plan.assembly, plan.options.frontend_stack)
    if frontend is None:
        return None
    target = plan.options.target(frontend.region)
    return console_origin.deployed_frontend_url(engine, target, frontend.stack_name)


def origin_said(plan: Plan, engine: DeployEngine, *, planned: bool = False) -> str | None:
    """Which origin the Backend API allows (``planned``: will allow) and why; None for an
    app whose Lambdas answer no browser."""
    allowed = console_origin.allowed_origins(plan.assembly)
    if allowed is None:
        return None
    # The deployed Frontend's address is looked up only where the message names it.
    looks_up = allowed == ["*"] and not (planned and plan.synthesized)
    return messages.origin_allowed(
        allowed,
        origin=plan.origin,
        synthesized=plan.synthesized,
        planned=planned,
        frontend_url=frontend_url(plan, engine) if looks_up else None,
    )


def stack_order(stack: PlatformStack) -> StackOrder:
    """A platform stack as the order to deploy it."""
    return StackOrder(
        stack_name=stack.stack_name,
        template=stack.template,
        tags=stack.tags,
        termination_protection=stack.termination_protection,
    )
