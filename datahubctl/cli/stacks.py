"""``datahubctl stacks``: request stacks from the catalog, browse them, destroy them, watch."""

from __future__ import annotations

import json
import re
from typing import Any

import click
from rich.table import Table

from cdk_service.stacks.schemas import STACK_NAME_PATTERN
from datahubctl.cli import client_of, console, main, parse_assignment, print_table, run
from datahubctl.cli.following import follow, settle
from service_contract.client import ServiceClient
from service_contract.errors import InvalidInput, NotFound
from stack_catalog.contract import SLUG_PATTERN

# Every command that takes a stack takes its id or team/name; a stack's help says so.
STACK_HELP = "STACK is the stack's id, or team/name for a live stack."


@main.group()
def stacks() -> None:
    """Stacks requested from the catalog, and their deployments."""


def accepted(payload: dict[str, Any]) -> None:
    """Print the stack and deployment a request made, and how to watch it."""
    stack, deployment = payload["stack"], payload["deployment"]
    replayed = " (replayed)" if payload.get("replayed") else ""
    console.print(
        f"stack {stack['id']} ({stack['team']}/{stack['name']}): "
        f"{deployment['kind']} deployment {deployment['id']} is {deployment['status']}{replayed}",
        soft_wrap=True,
    )
    console.print(f"watch it with: datahubctl stacks watch {deployment['id']}", soft_wrap=True)


@stacks.command("request")
@click.argument("template")
@click.option("--team", required=True, help="The team that will own the stack")
@click.option("--name", required=True, help="Stack name (a slug), unique per team and target")
@click.option("--version", help="Template version; the newest published one by default")
@click.option("--param", "params", multiple=True, help="A parameter as key=value (repeatable)")
@click.option("--idempotency-key", help="Makes retries of this request safe")
@click.option("--preview", is_flag=True, help="Stop at the preview; approve it to create the stack")
@click.pass_context
def request_stack(
    ctx: click.Context,
    template: str,
    team: str,
    name: str,
    version: str | None,
    params: tuple[str, ...],
    idempotency_key: str | None,
    preview: bool,
) -> None:
    """Request a stack from TEMPLATE; prints the stack and its create deployment."""
    body = {
        "template": template,
        "team": team,
        "name": name,
        "version": version,
        "params": dict(parse_assignment(p) for p in params),
        "preview": preview,
    }
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
    accepted(run(client_of(ctx).request("POST", "/v1/stacks", body=body, headers=headers)))


async def every_stack(client: ServiceClient, filters: dict[str, str]) -> list[dict[str, Any]]:
    """The stacks ``GET /v1/stacks`` lists with these filters, every page."""
    rows: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = filters | ({"cursor": cursor} if cursor else {})
        page = await client.request("GET", "/v1/stacks", query=query or None)
        rows.extend(page["stacks"])
        cursor = page["next_cursor"]
        if not cursor:
            return rows


def stack_id_of(ctx: click.Context, stack: str) -> str:
    """The id of STACK, given as its id or as ``team/name`` (a live stack, found by listing
    the team's stacks of that name: a name is unique per team and target, so one per target
    may match)."""
    team, slash, name = stack.partition("/")
    if not slash:
        return stack
    if not re.fullmatch(SLUG_PATTERN, team) or not re.fullmatch(STACK_NAME_PATTERN, name):
        raise InvalidInput(
            f"{stack!r} is neither a stack id nor team/name", code="invalid_stack", field="STACK"
        )
    found = run(every_stack(client_of(ctx), {"team": team, "name": name, "limit": "100"}))
    if not found:
        raise NotFound(
            f"team {team} has no live stack named {name} that you may see "
            f"(datahubctl stacks list --team {team} lists them)",
            code="stack_not_found",
        )
    if len(found) > 1:
        each = ", ".join(f"{row['id']} in {row['account']} {row['region']}" for row in found)
        raise InvalidInput(
            f"{len(found)} live stacks of team {team} are named {name}, one per target: "
            f"{each}; give the id of the one you mean",
            code="ambiguous_stack",
            field="STACK",
        )
    stack_id: str = found[0]["id"]
    return stack_id


@stacks.command("list")
@click.option("--team", help="Only this team's stacks")
@click.option("--status", help="Only stacks in this status; live stacks by default")
@click.pass_context
def list_stacks(ctx: click.Context, team: str | None, status: str | None) -> None:
    """List the stacks you may see, newest first (every page)."""
    filters = {k: v for k, v in (("team", team), ("status", status)) if v}
    rows = run(every_stack(client_of(ctx), filters))
    table = Table("id", "team", "name", "template", "version", "status", "deployment")
    for stack in rows:
        table.add_row(
            stack["id"],
            stack["team"],
            stack["name"],
            stack["template"],
            stack["version"],
            stack["status"],
            stack.get("active_deployment_id") or "-",
        )
    print_table(table)


@stacks.command("show", epilog=STACK_HELP)
@click.argument("stack")
@click.pass_context
def show(ctx: click.Context, stack: str) -> None:
    """Show a stack: parameters, status, outputs, deployment in progress."""
    path = f"/v1/stacks/{stack_id_of(ctx, stack)}"
    console.print_json(json.dumps(run(client_of(ctx).request("GET", path))))


@stacks.command("destroy", epilog=STACK_HELP)
@click.argument("stack")
@click.option("--force", is_flag=True, help="Destroy what is left of a failed stack")
@click.pass_context
def destroy(ctx: click.Context, stack: str, force: bool) -> None:
    """Start destroying a stack."""
    query = {"force": "true"} if force else None
    path = f"/v1/stacks/{stack_id_of(ctx, stack)}"
    accepted(run(client_of(ctx).request("DELETE", path, query=query)))


@stacks.command("watch")
@click.argument("deployment_id")
@click.option("--through-holds", is_flag=True, help="Keep following while it waits for approval")
@click.pass_context
def watch(ctx: click.Context, deployment_id: str, through_holds: bool) -> None:
    """Follow a deployment's events live until it ends (or waits for approval, showing its
    preview); exits 1 when it fails or is cancelled."""
    settle(
        deployment_id, run(follow(client_of(ctx), deployment_id, stop_when_held=not through_holds))
    )
