"""The dry run: every stack's action and change preview over the plan; nothing left changed."""

from __future__ import annotations

from bootstrap import messages
from bootstrap.plan import Plan, origin_said, stack_order
from bootstrap.results import DryRun, ServiceRole
from bootstrap.service_image import image_said
from bootstrap.service_roles import needed_services, service_role
from bootstrap.stack_preview import plan_stack
from cdk_service.cloudformation.engine import DeployEngine


def dry_run(plan: Plan, caller: str, *, engine: DeployEngine) -> DryRun:
    """What a run of ``plan`` would do: each stack's preview, made and deleted again."""
    options = plan.options
    planned = [
        plan_stack(
            engine,
            options.target(toolkit.region),
            plan.toolkit_order(toolkit),
            options.run_id,
            kind="toolkit",
        )
        for toolkit in plan.toolkits
    ]
    planned += [
        plan_stack(
            engine,
            plan.target(stack),
            stack_order(stack),
            options.run_id,
            kind="platform",
            file_assets=stack.file_asset_count,
        )
        for stack in plan.assembly.stacks
    ]
    steps: tuple[str, ...] = messages.AFTER_STACKS_STEPS
    if plan.narrows_origin:
        steps = (messages.ORIGIN_STEP, *steps)
    return DryRun(
        caller_arn=caller,
        account=plan.config.account,
        service_roles=service_roles(plan, engine),
        stacks=tuple(planned),
        post_deploy=steps,
        console_origin=origin_said(plan, engine, planned=True),
        service_image=image_said(plan.assembly, plan.config),
    )


def service_roles(plan: Plan, engine: DeployEngine) -> tuple[ServiceRole, ...]:
    """The service-linked roles the stacks need, and whether the account has them."""
    iam = engine.clients.client(plan.options.home, "iam")
    services = needed_services(stack.template for stack in plan.assembly.stacks)
    return tuple(service_role(iam, service) for service in services)
