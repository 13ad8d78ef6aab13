"""``datahubctl templates new|check|upload|bundles``: the template kit and template bundles."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import click
from rich.table import Table

from cdk_service.bundles.archive import Bundle, Limits, pack_folder, read_bundle
from cdk_service.bundles.checking import CheckReport, check_bundle
from cdk_service.bundles.imports import check_imports
from cdk_service.bundles.service import check_package_name
from cdk_service.settings import Settings
from datahubctl.cli import client_of, console, print_table, run
from datahubctl.cli.catalog import templates
from datahubctl.cli.template_kit import write_template_package
from service_contract.errors import InvalidInput

BUNDLES_PATH = "/v1/template-bundles"
LINT_REGION = "us-east-1"


def bundle_bytes(path: Path) -> bytes:
    """A folder packed as a bundle, or a wheel or zip as it is."""
    return pack_folder(path) if path.is_dir() else path.read_bytes()


def _limits(settings: Settings) -> Limits:
    return Limits(bundle_bytes=settings.bundle_max_bytes, file_bytes=settings.bundle_file_max_bytes)


@templates.command("new")
@click.argument("name")
@click.option("--version", default="1.0.0", show_default=True, help="The first version")
@click.option(
    "--into", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help="Parent"
)
def new(name: str, version: str, into: Path) -> None:
    """Write a new template package NAME that follows the catalog's contract."""
    try:
        root = write_template_package(into, name, version=version)
    except (ValueError, FileExistsError) as error:
        raise click.UsageError(str(error)) from None
    console.print(f"wrote {root}: edit it, then `datahubctl templates check {root}`")


async def checked(bundle: Bundle, settings: Settings) -> CheckReport:
    """Everything publishing checks, offline: paths, names, imports, import, contract, synth."""
    check_package_name(bundle.package)
    check_imports(bundle)
    return await check_bundle(bundle, timeout_seconds=settings.bundle_check_timeout_seconds)


def lint(report: CheckReport) -> list[str]:
    """cfn-lint's errors on each example template, where cfn-lint is installed (a dev tool,
    not in the service image: upload does not run it)."""
    if importlib.util.find_spec("cfnlint") is None:
        console.print("cfn-lint is not installed: skipped")
        return []
    from cfnlint.api import lint as cfn_lint

    errors = []
    for template in report.templates:
        if template.cloudformation is None:
            continue
        matches = cfn_lint(json.dumps(template.cloudformation), regions=[LINT_REGION])
        for match in matches:
            line = f"{template.name} {template.version}: {match.rule.id} {match.message}"
            console.print(f"  cfn-lint {line}")
            if match.rule.id.startswith("E"):
                errors.append(line)
    console.print(f"cfn-lint: {len(errors)} error(s)")
    return errors


@templates.command("check")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.pass_context
def check(ctx: click.Context, path: Path) -> None:
    """Check a template package (folder or wheel) as upload will, offline; print the findings."""
    settings: Settings = ctx.obj
    bundle = read_bundle(bundle_bytes(path), limits=_limits(settings))
    report = run(checked(bundle, settings))
    for template in report.templates:
        console.print(f"{template.name} {template.version}: {len(template.findings)} finding(s)")
        for finding in template.findings:
            console.print(f"  {finding['level']} {finding['rule_id']} {finding['resource']}")
    if (refusal := report.refusal()) is not None:
        raise refusal
    if errors := lint(report):
        raise InvalidInput(f"cfn-lint found {len(errors)} error(s)", code="bundle_lint_failed")
    console.print(f"bundle {bundle.digest} of {bundle.package}: ready to upload")


@templates.command("upload")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.pass_context
def upload(ctx: click.Context, path: Path) -> None:
    """Upload a template package (folder or wheel) as a bundle (admins); versions are drafts."""
    data = bundle_bytes(path)
    if not data:
        raise InvalidInput(f"{path} is empty", code="bundle_invalid")
    payload = run(
        client_of(ctx).upload(BUNDLES_PATH, data, content_type="application/octet-stream")
    )
    console.print(f"bundle {payload['digest']} ({payload['package']}) holds:")
    for version in payload["versions"]:
        console.print(f"  {version} (draft: publish it with `datahubctl templates publish`)")


@templates.command("bundles")
@click.pass_context
def bundles(ctx: click.Context) -> None:
    """List uploaded bundles with their digests and versions (admins)."""
    payload = run(client_of(ctx).request("GET", BUNDLES_PATH))
    table = Table("digest", "package", "versions", "uploaded by", "uploaded at")
    for bundle in payload["bundles"]:
        table.add_row(
            bundle["digest"][:12],
            bundle["package"],
            ", ".join(bundle["versions"]),
            bundle["uploaded_by"],
            bundle["uploaded_at"],
        )
    print_table(table)
