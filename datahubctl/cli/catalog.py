"""``datahubctl templates``: browse the catalog; admins publish, deprecate and retire."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.table import Table

from datahubctl.cli import client_of, console, main, parse_assignment, print_table, run


@main.group()
def templates() -> None:
    """The template catalog."""


@templates.command("list")
@click.pass_context
def list_templates(ctx: click.Context) -> None:
    """List the templates you may request."""
    payload = run(client_of(ctx).request("GET", "/v1/templates"))
    table = Table("name", "title", "latest published", "versions")
    for template in payload["templates"]:
        table.add_row(
            template["name"],
            template["title"],
            template["latest_published"] or "-",
            ", ".join(template["versions"]),
        )
    print_table(table)


@templates.command("show")
@click.argument("name")
@click.option("--version", help="A version; without it, the template and its versions")
@click.pass_context
def show(ctx: click.Context, name: str, version: str | None) -> None:
    """Show a template, or one version with its parameter schema."""
    path = f"/v1/templates/{name}" + (f"/versions/{version}" if version else "")
    console.print_json(json.dumps(run(client_of(ctx).request("GET", path))))


def _constraints(
    allowed: tuple[str, ...], requires_approval: bool, quota: int | None, ttl_hours: int | None
) -> dict[str, Any]:
    allowed_values: dict[str, Any] = {}
    for assignment in allowed:
        key, value = parse_assignment(assignment)
        allowed_values[key] = value if isinstance(value, list) else [value]
    return {
        "allowed_values": allowed_values,
        "requires_approval": requires_approval,
        "quota_per_team": quota,
        "default_ttl_hours": ttl_hours,
    }


@templates.command("publish")
@click.argument("name")
@click.argument("version")
@click.option("--allow", "allowed", multiple=True, help='Narrow a param: key=["a","b"] or key=a')
@click.option("--requires-approval", is_flag=True, help="Requests wait for an admin's approval")
@click.option("--quota", type=int, help="Most stacks of this version per team")
@click.option("--ttl-hours", type=int, help="Default time-to-live of new stacks")
@click.pass_context
def publish(
    ctx: click.Context,
    name: str,
    version: str,
    allowed: tuple[str, ...],
    requires_approval: bool,
    quota: int | None,
    ttl_hours: int | None,
) -> None:
    """Publish a template version with constraints (admins)."""
    body = {"constraints": _constraints(allowed, requires_approval, quota, ttl_hours)}
    path = f"/v1/templates/{name}/versions/{version}/publish"
    result = run(client_of(ctx).request("POST", path, body=body))
    console.print(f"{name} {version} is {result['status']}")


@templates.command("deprecate")
@click.argument("name")
@click.argument("version")
@click.pass_context
def deprecate(ctx: click.Context, name: str, version: str) -> None:
    """Deprecate a version: no new requests; existing stacks keep working (admins)."""
    path = f"/v1/templates/{name}/versions/{version}/deprecate"
    console.print(f"{name} {version} is {run(client_of(ctx).request('POST', path))['status']}")


@templates.command("retire")
@click.argument("name")
@click.argument("version")
@click.pass_context
def retire(ctx: click.Context, name: str, version: str) -> None:
    """Retire a version for good (admins)."""
    path = f"/v1/templates/{name}/versions/{version}/retire"
    console.print(f"{name} {version} is {run(client_of(ctx).request('POST', path))['status']}")
