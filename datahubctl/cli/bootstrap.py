"""``datahubctl bootstrap``: stand up the base platform in an account, or tear it down."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from datahub_platform.config import PlatformConfig

from bootstrap import run
from bootstrap.options import PLATFORM_APP, Options
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


def _installation(
    ctx: click.Context, options: dict[str, Any], **choices: Any
) -> tuple[Options, DeployEngine, Reporter]:
    settings: Settings = ctx.obj
    for name in ("account", "region"):
        if not options[name]:
            raise click.UsageError(f"--{name} is required")
    config = load_config(options["config_path"], options["account"], options["region"])
    engine = DeployEngine(AwsClients(), polling=Polling(timeout_seconds=CHANGE_SET_WAIT_SECONDS))
    chosen = Options(
        config=config,
        workdir=settings.state_dir / "bootstrap" / config.prefix,
        endpoint_url=options["endpoint_url"] or settings.aws_endpoint_url,
        app_module=options["app_module"],
        lambda_dependencies=options["lambda_dependencies"],
        **choices,
    )
    return chosen, engine, Reporter(console)


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
    chosen, engine, reporter = _installation(ctx, options, seed_catalog=not skip_catalog_seed)
    if dry_run:
        run.preview(chosen, engine=engine, reporter=reporter, assembly=options["assembly"])
    else:
        run.install(chosen, engine=engine, reporter=reporter, assembly=options["assembly"])


@bootstrap.command("destroy")
@_installation_options
@click.option("--yes", is_flag=True, help="Do not ask for confirmation")
@click.pass_context
def destroy(ctx: click.Context, yes: bool, **options: Any) -> None:
    """Tear the platform down: its stacks in reverse order, the toolkit last."""
    chosen, engine, reporter = _installation(ctx, options)
    run.teardown(
        chosen,
        engine=engine,
        reporter=reporter,
        confirm=lambda question: None if yes else click.confirm(question, abort=True),
        assembly=options["assembly"],
    )
