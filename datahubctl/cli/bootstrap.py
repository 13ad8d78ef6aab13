"""``datahubctl bootstrap``: stand up the base platform in an account, or tear it down."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from datahub_platform.config import PlatformConfig

from bootstrap.installation import PLATFORM_APP, Installation
from bootstrap.progress import Reporter
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.polling import Polling
from cdk_service.settings import Settings
from datahubctl.cli import console, main
from service_contract.errors import InvalidInput
from service_contract.targets import AwsClients

DEFAULT_CONFIG = Path("platform.yaml")
CHANGE_SET_WAIT_SECONDS = 900.0


def _installation_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say which installation: account, region, endpoint, config, app."""
    options = [
        click.option("--account", help="The AWS account to set up (12 digits)"),
        click.option("--region", help="The platform's home region"),
        click.option("--endpoint-url", help="AWS endpoint override (moto); default from settings"),
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, path_type=Path),
            help=f"Platform configuration (YAML or JSON); default ./{DEFAULT_CONFIG}",
        ),
        click.option(
            "--assembly",
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help="Deploy this already synthesized cloud assembly instead of synthesizing",
        ),
        click.option(
            "--lambda-dependencies/--no-lambda-dependencies",
            default=True,
            show_default=True,
            help="Install the Lambdas' third-party packages into their bundle (pip, binary "
            "wheels for the Lambda runtime)",
        ),
        click.option(
            "--app",
            "app_module",
            default=PLATFORM_APP,
            show_default=True,
            help="Python module with build_app(config, outdir) and STACK_ORDER",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def load_config(path: Path | None, account: str, region: str) -> PlatformConfig:
    """The platform configuration, checked against the account and region asked for."""
    chosen = path or DEFAULT_CONFIG
    if path is None and not chosen.exists():
        raise InvalidInput(
            f"no platform configuration: pass --config FILE or create ./{DEFAULT_CONFIG} "
            "(see platform/platform.example.yaml)",
            code="config_missing",
        )
    config = PlatformConfig.from_file(chosen)
    for name, given, configured in (
        ("account", account, config.account),
        ("region", region, config.region),
    ):
        if given != configured:
            raise InvalidInput(
                f"--{name} {given} differs from the {name} in {chosen} ({configured})",
                code=f"config_{name}_mismatch",
                field=name,
            )
    return config


def _installation(ctx: click.Context, options: dict[str, Any]) -> Installation:
    settings: Settings = ctx.obj
    for name in ("account", "region"):
        if not options[name]:
            raise click.UsageError(f"--{name} is required")
    config = load_config(options["config_path"], options["account"], options["region"])
    engine = DeployEngine(AwsClients(), polling=Polling(timeout_seconds=CHANGE_SET_WAIT_SECONDS))
    return Installation(
        config=config,
        engine=engine,
        reporter=Reporter(console),
        workdir=settings.state_dir / "bootstrap" / config.prefix,
        endpoint_url=options["endpoint_url"] or settings.aws_endpoint_url,
        app_module=options["app_module"],
        lambda_dependencies=options["lambda_dependencies"],
    )


@main.group("bootstrap", invoke_without_command=True)
@_installation_options
@click.option("--dry-run", is_flag=True, help="Print the plan and change previews; change nothing")
@click.option(
    "--skip-catalog-seed",
    is_flag=True,
    help="Do not publish the built-in templates through the Backend Lambda (moto runs no "
    "Lambda code without docker)",
)
@click.pass_context
def bootstrap(ctx: click.Context, dry_run: bool, skip_catalog_seed: bool, **options: Any) -> None:
    """Set up the base platform in a fresh account, or bring it up to date (safe to re-run)."""
    if ctx.invoked_subcommand is not None:
        return
    installation = _installation(ctx, options)
    installation.seed_catalog = not skip_catalog_seed
    reporter = installation.reporter
    reporter.step("preflight")
    caller = installation.verify_credentials()
    assembly = installation.assemble(options["assembly"])
    reporter.survey(installation.survey(caller, assembly))
    if dry_run:
        reporter.step("plan (dry run)")
        plan = installation.plan(caller, assembly)
        reporter.plan(plan)
        verdict = "would change" if plan.changes_anything else "would change nothing in"
        console.print(f"dry run: nothing was changed; a run {verdict} the platform")
        return
    results = installation.deploy(assembly)
    assembly, narrowed = installation.settle_console_origin(assembly)
    reporter.step("after deployment")
    installation.post_deploy(assembly)
    # A stack deployed again for the console's origin is one stack, and one that changed.
    again = {r.stack_name for r in narrowed if r.action != "no_changes"}
    changed = [r for r in results if r.action != "no_changes" or r.stack_name in again]
    if changed:
        console.print(f"bootstrap complete: {len(changed)} of {len(results)} stacks changed")
    else:
        console.print(f"bootstrap complete: no changes ({len(results)} stacks up to date)")


@bootstrap.command("destroy")
@_installation_options
@click.option("--yes", is_flag=True, help="Do not ask for confirmation")
@click.pass_context
def destroy(ctx: click.Context, yes: bool, **options: Any) -> None:
    """Tear the platform down: its stacks in reverse order, the toolkit last."""
    installation = _installation(ctx, options)
    reporter = installation.reporter
    reporter.step("preflight")
    caller = installation.verify_credentials()
    # Only the stacks' names and places matter here: no need to settle the console's origin.
    directory = options["assembly"]
    assembly = installation.read(directory) if directory else installation.synthesize()
    survey = installation.survey(caller, assembly)
    reporter.survey(survey)
    present = [stack for stack in survey.stacks if stack.exists]
    if not present:
        console.print("nothing to destroy: no stack of the platform exists")
        return
    if not yes:
        click.confirm(
            f"Delete {len(present)} stacks of platform {installation.config.prefix} in account "
            f"{installation.config.account}? Resources without a retain policy are deleted",
            abort=True,
        )
    teardowns = installation.destroy(assembly)
    retained = [kept for teardown in teardowns for kept in teardown.retained]
    console.print(
        f"destroyed: {sum(1 for t in teardowns if t.outcome != 'already_gone')} stacks deleted, "
        f"{len(retained)} resources retained"
    )
