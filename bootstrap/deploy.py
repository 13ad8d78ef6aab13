"""The deploy step: missing service-linked roles, the toolkits, then each platform stack's
file assets and the stack itself, in the plan's order."""

from __future__ import annotations

from collections.abc import Iterable

from bootstrap import messages, protection
from bootstrap.assembly import PlatformStack
from bootstrap.plan import Plan, stack_order
from bootstrap.progress import Reporter
from bootstrap.results import StackResult
from bootstrap.service_roles import ensure_service_role, needed_services
from bootstrap.stack_deploy import StackOrder, deploy_stack
from cdk_service.cloudformation.asset_store import DirectoryAssetSource, stage_file_assets
from cdk_service.cloudformation.engine import DeployEngine
from service_contract.targets import Target


def deploy_platform(
    plan: Plan, *, engine: DeployEngine, reporter: Reporter
) -> tuple[StackResult, ...]:
    """Every stack of the plan brought to its template, toolkits first; each stack's result."""
    iam = engine.clients.client(plan.options.home, "iam")
    for service in needed_services(stack.template for stack in plan.assembly.stacks):
        created = ensure_service_role(iam, service)
        reporter.note(messages.service_role(service), messages.service_role_ensured(created))
    toolkits = tuple(
        _deploy(plan, plan.options.target(t.region), plan.toolkit_order(t), engine, reporter)
        for t in plan.toolkits
    )
    return toolkits + deploy_stacks(plan, plan.assembly.stacks, engine=engine, reporter=reporter)


def deploy_stacks(
    plan: Plan,
    stacks: Iterable[PlatformStack],
    *,
    engine: DeployEngine,
    reporter: Reporter,
    run_id: str | None = None,
) -> tuple[StackResult, ...]:
    """Each of ``stacks`` (of the plan's assembly, in its order): its file assets, then the
    stack, with change sets named for ``run_id`` (the run's by default)."""
    results = []
    for stack in stacks:
        target = plan.target(stack)
        _publish_assets(plan, target, stack, engine, reporter)
        results.append(_deploy(plan, target, stack_order(stack), engine, reporter, run_id))
    return tuple(results)


def _publish_assets(
    plan: Plan, target: Target, stack: PlatformStack, engine: DeployEngine, reporter: Reporter
) -> None:
    """Upload the stack's file assets (Lambda bundles) to the toolkit's bucket."""
    if not stack.file_asset_count:
        return
    store = plan.options.workdir / "assets"
    stage_file_assets(plan.assembly.directory, stack.asset_manifest, store)
    published = engine.publish_assets(target, stack.asset_manifest, DirectoryAssetSource(store))
    uploaded = sum(1 for asset in published if asset.uploaded)
    reporter.note(stack.stack_name, messages.file_assets(uploaded, len(published)))


def _deploy(
    plan: Plan,
    target: Target,
    order: StackOrder,
    engine: DeployEngine,
    reporter: Reporter,
    run_id: str | None = None,
) -> StackResult:
    watch = reporter.watch(plan.options.poll_seconds)
    reporter.step(messages.stack_step(order.stack_name, target.region))
    with reporter.waiting(messages.deploying(order.stack_name)):
        result = deploy_stack(engine, target, order, run_id or plan.options.run_id, watch)
        if order.termination_protection:
            protection.protect(engine, target, order.stack_name, watch)
    reporter.note(order.stack_name, messages.stack_deployed(result))
    return result
