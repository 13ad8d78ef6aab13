"""One installation of the base platform in an account: the bootstrap's steps, wired together."""

from __future__ import annotations

import importlib
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from datahub_platform.config import PlatformConfig

from bootstrap import console_origin, protection, seed
from bootstrap.assembly import PlatformAssembly, PlatformStack, read_assembly, synthesize
from bootstrap.bundles import (
    LambdaRuntime,
    build_lambda_bundle,
    installed_dependencies,
    with_bundle,
)
from bootstrap.console_build import ensure_console_built
from bootstrap.deploy import StackOrder, StackResult, deploy_stack
from bootstrap.destroy import destroy_stack, empty_bucket
from bootstrap.plan import Plan, plan_stack
from bootstrap.preflight import PreflightReport, caller_arn, check_region, existing_stacks
from bootstrap.progress import Reporter
from bootstrap.service_image import image_said
from bootstrap.service_roles import ServiceRole, ensure_service_role, needed_services, service_role
from bootstrap.toolkit import Toolkit
from bootstrap.watching import Watch
from cdk_service.cloudformation.asset_store import DirectoryAssetSource, stage_file_assets
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.models import Teardown
from cdk_service.cloudformation.stacks import stack_resources
from service_contract.errors import InvalidInput
from service_contract.targets import AwsClients, Target

PLATFORM_APP = "datahub_platform.app"
# The platform's Lambdas run Python 3.14 on arm64 (datahub_platform.stacks.functions).
RUNTIME = LambdaRuntime(python_version="3.14", architecture="arm64")
# Each synth of a run has a folder of its own under the workdir: the one synthesized for the
# console's origin leaves the first as it was, the assembly the first pass deployed.
ASSEMBLY_FOLDER = "assembly"
ORIGIN_ASSEMBLY_FOLDER = "assembly-origin"


def new_run_id() -> str:
    """A run's id: names its change sets (letters, digits and hyphens), unique to the run."""
    # The time alone repeats for runs started within a second: the later run would take up the
    # earlier run's change sets by name (moto keeps executed ones) and redeploy or preview those.
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"


@dataclass
class Installation:
    """The platform in one account, and how bootstrap reaches it."""

    config: PlatformConfig
    engine: DeployEngine
    reporter: Reporter
    workdir: Path
    endpoint_url: str | None = None
    app_module: str = PLATFORM_APP
    poll_seconds: float = 2.0
    seed_catalog: bool = True
    lambda_dependencies: bool = True
    build_console: bool = True
    run_id: str = field(default_factory=new_run_id)
    frontend_stack: str = console_origin.FRONTEND_STACK
    origin: console_origin.ConsoleOrigin | None = None
    """The console's origin the assembly was synthesized with; None while unknown."""
    synthesized: bool = False
    _bundled: PlatformConfig | None = field(default=None, init=False, repr=False)

    @property
    def clients(self) -> AwsClients:
        """The boto3 client factory (the operator's credentials)."""
        return self.engine.clients

    @property
    def watch(self) -> Watch:
        """How stack operations are followed: live events and notes on the reporter."""
        return Watch(
            on_event=self.reporter.event,
            on_note=self.reporter.note,
            interval_seconds=self.poll_seconds,
        )

    def toolkit(self, region: str, qualifier: str) -> Toolkit:
        """The toolkit of one region."""
        return Toolkit(
            prefix=self.config.prefix,
            account=self.config.account,
            region=region,
            qualifier=qualifier,
        )

    def target(self, region: str, toolkit: Toolkit | None = None) -> Target:
        """Where to deploy in ``region``; with a toolkit, through its bucket and execution role."""
        if toolkit is None:
            return Target(
                account=self.config.account, region=region, endpoint_url=self.endpoint_url
            )
        return Target(
            account=self.config.account,
            region=region,
            endpoint_url=self.endpoint_url,
            asset_bucket_name=toolkit.asset_bucket,
            execution_role_arn=toolkit.role_arn(toolkit.execution_role_name),
        )

    def verify_credentials(self) -> str:
        """Check region, credentials and account before the slow steps; the caller's ARN."""
        check_region(self.config.region)
        return caller_arn(self.clients, self.target(self.config.region))

    def synthesize(self) -> PlatformAssembly:
        """Build the console if it is missing and the Lambda bundle, then synthesize the
        platform app with the bundle.

        ``lambda_dependencies`` off, the bundle holds this repository's sources alone: enough
        to synthesize and deploy, not to run the Lambdas.
        """
        started = time.monotonic()
        if self.build_console and self.app_module == PLATFORM_APP:
            ensure_console_built(self.config, lambda line: self.reporter.note("console", line))
        dependencies = None
        if self.lambda_dependencies:
            dependencies = installed_dependencies(self.workdir / "lambda-dependencies", RUNTIME)
        bundle = build_lambda_bundle(self.workdir / "lambda-bundle", dependencies=dependencies)
        self._bundled = with_bundle(self.config, bundle)
        assembly = self._synthesize_app(self._bundled, ASSEMBLY_FOLDER)
        self.reporter.note(
            "synthesized",
            f"{len(assembly.stacks)} platform stacks in {time.monotonic() - started:.1f} s",
        )
        return assembly

    def assemble(self, directory: Path | None = None) -> PlatformAssembly:
        """The assembly to deploy: the one in ``directory``, else synthesized, with the
        console's origin where it is known (configured, the custom domain, or the ``FrontendUrl``
        of a Frontend stack an earlier run deployed)."""
        if directory is not None:
            return self.read(directory)
        assembly = self.synthesize()
        self.synthesized = True
        self.origin = console_origin.from_config(self.config)
        if self.origin is None:
            assembly = self._with_frontend_origin(assembly) or assembly
        return assembly

    def settle_console_origin(
        self, assembly: PlatformAssembly
    ) -> tuple[PlatformAssembly, list[StackResult]]:
        """After the stacks: on a first install, where the console's address became known only
        now, synthesize with it and deploy the stacks it changes (the Backend API's); then say
        which origin the API allows and why. The assembly deployed, and those stacks' results."""
        results: list[StackResult] = []
        narrowed = self._with_frontend_origin(assembly) if self.synthesized else None
        if narrowed is not None:
            changed = console_origin.changed_stacks(assembly, narrowed)
            # A change set of its own: the run's name for the stack is the first pass's.
            results = self._deploy_stacks(narrowed, changed, run_id=f"{self.run_id}-origin")
            assembly = narrowed
        self._report_origin(assembly)
        return assembly, results

    def read(self, directory: Path) -> PlatformAssembly:
        """An assembly synthesized before (``--assembly``)."""
        app = importlib.import_module(self.app_module)
        assembly = read_assembly(directory, app.STACK_ORDER, default_account=self.config.account)
        return self._checked(assembly)

    def toolkits(self, assembly: PlatformAssembly) -> list[Toolkit]:
        """One toolkit per region the platform deploys to, in the stacks' region order."""
        qualifiers = assembly.qualifiers()
        if len(qualifiers) > 1:
            raise InvalidInput(
                f"the platform's stacks expect different toolkits: {', '.join(sorted(qualifiers))}",
                code="mixed_toolkit_qualifiers",
            )
        qualifier = qualifiers.pop() if qualifiers else self.config.toolkit_qualifier
        regions = assembly.regions() or [self.config.region]
        return [self.toolkit(region, qualifier) for region in regions]

    def survey(self, caller: str, assembly: PlatformAssembly) -> PreflightReport:
        """What exists already: each toolkit and platform stack's status."""
        toolkits = self.toolkits(assembly)
        targets = {toolkit.region: self.target(toolkit.region) for toolkit in toolkits}
        names = [(t.stack_name, t.region) for t in toolkits]
        names += [(s.stack_name, s.region) for s in assembly.stacks]
        return PreflightReport(
            caller_arn=caller,
            account=self.config.account,
            regions=list(targets),
            stacks=existing_stacks(self.clients, targets, names),
        )

    def plan(self, caller: str, assembly: PlatformAssembly) -> Plan:
        """Every stack's action and change preview; nothing is left changed."""
        toolkits = self.toolkits(assembly)
        planned = [
            plan_stack(
                self.engine,
                self.target(t.region),
                self._toolkit_order(t),
                self.run_id,
                kind="toolkit",
            )
            for t in toolkits
        ]
        by_region = {toolkit.region: toolkit for toolkit in toolkits}
        planned += [
            plan_stack(
                self.engine,
                self.target(stack.region, by_region[stack.region]),
                _order(stack),
                self.run_id,
                kind="platform",
                file_assets=stack.file_asset_count,
            )
            for stack in assembly.stacks
        ]
        steps = ["setup custom resources (report)", "first admin", "catalog seed", "endpoints"]
        if self.synthesized and self.origin is None:
            steps.insert(0, "console origin: the Backend API redeployed for the Frontend's URL")
        return Plan(
            caller_arn=caller,
            account=self.config.account,
            service_roles=self.service_roles(assembly),
            stacks=planned,
            post_deploy=steps,
            console_origin=self.origin_said(assembly, planned=True),
            service_image=image_said(assembly, self.config),
        )

    def service_roles(self, assembly: PlatformAssembly) -> list[ServiceRole]:
        """The service-linked roles the stacks need, and whether the account has them."""
        iam = self.clients.client(self.target(self.config.region), "iam")
        services = needed_services(stack.template for stack in assembly.stacks)
        return [service_role(iam, service) for service in services]

    def deploy(self, assembly: PlatformAssembly) -> list[StackResult]:
        """Missing service-linked roles, the toolkits, then each stack's assets and the stack
        itself, in order."""
        iam = self.clients.client(self.target(self.config.region), "iam")
        for service in needed_services(stack.template for stack in assembly.stacks):
            created = ensure_service_role(iam, service)
            said = "created (the account had none)" if created else "present"
            self.reporter.note(f"service-linked role of {service}", said)
        toolkits = self.toolkits(assembly)
        results = [self._deploy(self.target(t.region), self._toolkit_order(t)) for t in toolkits]
        return results + self._deploy_stacks(assembly, list(assembly.stacks))

    def _deploy_stacks(
        self, assembly: PlatformAssembly, stacks: list[PlatformStack], run_id: str | None = None
    ) -> list[StackResult]:
        """Each of ``stacks`` (of ``assembly``, in its order): its assets, then the stack, with
        change sets named for ``run_id`` (the run's by default)."""
        by_region = {toolkit.region: toolkit for toolkit in self.toolkits(assembly)}
        results = []
        for stack in stacks:
            target = self.target(stack.region, by_region[stack.region])
            self.publish_assets(target, assembly, stack)
            results.append(self._deploy(target, _order(stack), run_id or self.run_id))
        return results

    def publish_assets(
        self, target: Target, assembly: PlatformAssembly, stack: PlatformStack
    ) -> None:
        """Upload the stack's file assets (Lambda bundles) to the toolkit's bucket."""
        if not stack.file_asset_count:
            return
        store = self.workdir / "assets"
        stage_file_assets(assembly.directory, stack.asset_manifest, store)
        published = self.engine.publish_assets(
            target, stack.asset_manifest, DirectoryAssetSource(store)
        )
        uploaded = sum(1 for asset in published if asset.uploaded)
        self.reporter.note(
            stack.stack_name,
            f"file assets: {uploaded} uploaded, {len(published) - uploaded} already published",
        )

    def outputs(self, assembly: PlatformAssembly) -> dict[str, dict[str, str]]:
        """Each platform stack's outputs (none where CloudFormation returns none)."""
        found: dict[str, dict[str, str]] = {}
        for stack in assembly.stacks:
            outputs = self.engine.outputs(self.target(stack.region), stack.stack_name)
            if outputs.source == "outputs":
                found[stack.stack_name] = outputs.values
        if not found:
            self.reporter.note("endpoints", "the stacks returned no Outputs (moto returns none)")
        return found

    def resources(self, assembly: PlatformAssembly) -> dict[str, list[dict[str, Any]]]:
        """Each platform stack's resources, as CloudFormation lists them."""
        return {
            stack.stack_name: stack_resources(
                self.clients.client(self.target(stack.region), "cloudformation"), stack.stack_name
            )
            for stack in assembly.stacks
        }

    def post_deploy(self, assembly: PlatformAssembly) -> list[seed.StepResult]:
        """Report the setup custom resources, make the first admin, seed the catalog; endpoints."""
        outputs_by_stack = self.outputs(assembly)
        outputs = seed.merged_outputs(outputs_by_stack)
        resources = self.resources(assembly)
        home = self.target(self.config.region)
        pool = seed.physical_id(
            outputs, resources, output=seed.USER_POOL_OUTPUT, resource_type=seed.USER_POOL_TYPE
        )
        backend = seed.physical_id(
            outputs,
            resources,
            output=seed.BACKEND_FUNCTION_OUTPUT,
            resource_type=seed.FUNCTION_TYPE,
            logical_id=seed.BACKEND_LOGICAL_ID,
        )
        results = seed.setup_resources(resources)
        cognito = self.clients.client(home, "cognito-idp")
        results.append(seed.first_admin(cognito, pool, self.config.admin_email))
        results.append(self._seed_catalog(home, backend))
        for result in results:
            self.reporter.note(result.step, f"{result.outcome}: {result.detail}")
        self.reporter.outputs(seed.endpoints(outputs_by_stack))
        return results

    def _seed_catalog(self, home: Target, backend: str | None) -> seed.StepResult:
        if not self.seed_catalog:
            detail = "left out (--skip-catalog-seed)"
            return seed.StepResult(step="catalog seed", outcome="skipped", detail=detail)
        lambda_client = self.clients.client(home, "lambda")
        return seed.seed_catalog(lambda_client, backend, seed.newest_builtin_versions())

    def destroy(self, assembly: PlatformAssembly) -> list[Teardown]:
        """Platform stacks in reverse order, then the toolkits (their buckets emptied)."""
        teardowns = [
            self._destroy(self.target(stack.region), stack.stack_name)
            for stack in reversed(assembly.stacks)
        ]
        for toolkit in reversed(self.toolkits(assembly)):
            target = self.target(toolkit.region)
            emptied = empty_bucket(self.clients.client(target, "s3"), toolkit.asset_bucket)
            if emptied:
                self.reporter.note(toolkit.asset_bucket, f"emptied ({emptied} object versions)")
            teardowns.append(self._destroy(target, toolkit.stack_name))
        return teardowns

    def _synthesize_app(self, config: PlatformConfig, folder: str) -> PlatformAssembly:
        app = importlib.import_module(self.app_module)
        return self._checked(synthesize(config, self.workdir / folder, app))

    def _frontend_url(self, assembly: PlatformAssembly) -> str | None:
        frontend = console_origin.frontend_stack(assembly, self.frontend_stack)
        if frontend is None:
            return None
        target = self.target(frontend.region)
        return console_origin.deployed_frontend_url(self.engine, target, frontend.stack_name)

    def _with_frontend_origin(self, assembly: PlatformAssembly) -> PlatformAssembly | None:
        """The app synthesized again for the deployed Frontend stack's URL; None while there
        is none, or the origin is known already."""
        url = self._frontend_url(assembly) if self.origin is None else None
        if url is None or self._bundled is None:
            return None
        bundled = console_origin.with_origin(self._bundled, url)
        if bundled is None:
            self.reporter.note("console origin", f"{url} is not an origin: left as it was")
            return None
        self.config = console_origin.with_origin(self.config, url) or self.config
        self.origin = console_origin.ConsoleOrigin(origin=url, source="frontend_stack")
        said = f"{url} (the Frontend stack's {console_origin.FRONTEND_URL_OUTPUT})"
        self.reporter.note("console origin", f"{said}: synthesizing again to allow only it")
        return self._synthesize_app(bundled, ORIGIN_ASSEMBLY_FOLDER)

    def _report_origin(self, assembly: PlatformAssembly) -> None:
        said = self.origin_said(assembly)
        if said is not None:
            self.reporter.note("console origin", said)

    def origin_said(self, assembly: PlatformAssembly, *, planned: bool = False) -> str | None:
        """Which origin the Backend API allows (``planned``: will allow, before the stacks)
        and why; None for an app whose Lambdas answer no browser."""
        allowed = console_origin.allowed_origins(assembly)
        if allowed is None:
            return None
        allows = "will allow" if planned else "allows"
        if allowed != ["*"]:
            why = f"from {self.origin.said()}" if self.origin else "as the assembly was synthesized"
            return f"the Backend API {allows} {', '.join(allowed)}, {why}"
        if planned and self.synthesized:  # assemble() found no Frontend stack's address yet
            return (
                f"the Backend API will allow any origin (*) until the Frontend stack exists: no "
                "console_origin is configured and no custom domain; after the stacks the run "
                f"synthesizes again for its {console_origin.FRONTEND_URL_OUTPUT} and allows only "
                "that (set console_origin in the configuration to decide it now)"
            )
        url = self._frontend_url(assembly)
        if not self.synthesized:
            why = "the assembly was synthesized without console_origin or a custom domain"
        else:
            why = (
                "no console_origin is configured, no custom domain, and the Frontend stack "
                f"lists no {console_origin.FRONTEND_URL_OUTPUT} output (moto lists no outputs)"
            )
        todo = (
            f"set console_origin: {url} in the configuration and synthesize again"
            if url
            else "set console_origin in the configuration, or run bootstrap again once the "
            "Frontend stack exists"
        )
        return f"the Backend API {allows} any origin (*): {why}; {todo}"

    def _checked(self, assembly: PlatformAssembly) -> PlatformAssembly:
        """The assembly, if every stack of it goes to the configured account."""
        elsewhere = [s.stack_name for s in assembly.stacks if s.account != self.config.account]
        if elsewhere:
            raise InvalidInput(
                f"stacks {', '.join(elsewhere)} of the assembly go to another account than "
                f"{self.config.account}: synthesize it for this configuration",
                code="assembly_account_mismatch",
            )
        return assembly

    def _toolkit_order(self, toolkit: Toolkit) -> StackOrder:
        tags = {"datahub:platform": self.config.prefix, "datahub:component": "toolkit"}
        return StackOrder(stack_name=toolkit.stack_name, template=toolkit.template(), tags=tags)

    def _deploy(self, target: Target, order: StackOrder, run_id: str | None = None) -> StackResult:
        self.reporter.step(f"{order.stack_name} ({target.region})")
        with self.reporter.waiting(f"{order.stack_name}: deploying"):
            result = deploy_stack(self.engine, target, order, run_id or self.run_id, self.watch)
            if order.termination_protection:
                protection.protect(self.engine, target, order.stack_name, self.watch)
        self.reporter.note(order.stack_name, _said(result))
        return result

    def _destroy(self, target: Target, stack_name: str) -> Teardown:
        self.reporter.step(f"destroy {stack_name} ({target.region})")
        with self.reporter.waiting(f"{stack_name}: deleting"):
            teardown = destroy_stack(self.engine, target, stack_name, self.watch)
        said = "was not there" if teardown.outcome == "already_gone" else teardown.outcome
        self.reporter.note(stack_name, said)
        for kept in teardown.retained:
            self.reporter.note(
                stack_name,
                f"retained {kept.resource_type} {kept.physical_id or kept.logical_id} "
                f"(DeletionPolicy {kept.deletion_policy}): delete it by hand when no longer needed",
            )
        return teardown


def _order(stack: PlatformStack) -> StackOrder:
    return StackOrder(
        stack_name=stack.stack_name,
        template=stack.template,
        tags=stack.tags,
        termination_protection=stack.termination_protection,
    )


def _said(result: StackResult) -> str:
    if result.action == "no_changes":
        return "no changes"
    replaced = " (the failed stack was replaced)" if result.replaced_failed_stack else ""
    return f"{result.action}{replaced}"
