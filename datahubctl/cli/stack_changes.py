"""``datahubctl stacks preview|deploy|upgrade|approve|cancel``: change a live stack, seen first."""

from __future__ import annotations

from typing import Any

import click

from datahubctl.cli import client_of, console, parse_assignment, run
from datahubctl.cli.following import follow, report, settle
from datahubctl.cli.preview_view import show_preview
from datahubctl.cli.stacks import STACK_HELP, accepted, stack_id_of, stacks
from service_contract.client import ServiceClient


async def _preview(
    client: ServiceClient, stack_id: str, body: dict[str, Any]
) -> tuple[str, dict[str, Any] | None]:
    """Request a preview and follow it until it is held (or ends); its id, and the deployment
    (None when the stream ended first)."""
    made = await client.request("POST", f"/v1/stacks/{stack_id}/preview", body=body)
    accepted(made)
    deployment_id = made["deployment"]["id"]
    return deployment_id, await follow(client, deployment_id, stop_when_held=True)


async def _approve_and_follow(client: ServiceClient, deployment_id: str) -> dict[str, Any] | None:
    await client.request("POST", f"/v1/deployments/{deployment_id}/approve")
    console.print(f"deployment {deployment_id} approved", soft_wrap=True)
    return await follow(client, deployment_id)


def _change(
    ctx: click.Context, stack_id: str, body: dict[str, Any], *, preview: bool, yes: bool
) -> None:
    """Deploy a change: straight away, or previewed, confirmed, then executed."""
    client = client_of(ctx)
    if not preview:
        made = run(client.request("POST", f"/v1/stacks/{stack_id}/deployments", body=body))
        accepted(made)
        deployment_id = made["deployment"]["id"]
        settle(deployment_id, run(follow(client, deployment_id, stop_when_held=True)))
        return
    wanted = {k: v for k, v in body.items() if k != "kind"}
    deployment_id, previewed = run(_preview(client, stack_id, wanted))
    if previewed is None or previewed["status"] != "awaiting_execution":
        settle(deployment_id, previewed)
        return
    # The command asks (or, with --yes, goes on) itself: no "approve it with" to follow.
    show_preview(previewed, next_steps=False)
    if not yes and not click.confirm("Execute this change?", default=False):
        run(client.request("POST", f"/v1/deployments/{deployment_id}/cancel"))
        console.print(
            f"deployment {deployment_id} cancelled; the stack is unchanged", soft_wrap=True
        )
        return
    report(deployment_id, run(_approve_and_follow(client, deployment_id)))


def _params(params: tuple[str, ...]) -> dict[str, Any]:
    return dict(parse_assignment(p) for p in params)


PARAM = click.option("--param", "params", multiple=True, help="A parameter as key=value")
PREVIEW = click.option(
    "--preview", is_flag=True, help="Show the preview and ask before executing it"
)
YES = click.option("--yes", is_flag=True, help="With --preview: execute without asking")


@stacks.command("preview", epilog=STACK_HELP)
@click.argument("stack")
@PARAM
@click.option("--version", help="A newer template version to upgrade to")
@click.pass_context
def preview_change(
    ctx: click.Context, stack: str, params: tuple[str, ...], version: str | None
) -> None:
    """Preview changing a stack's parameters (or its version) without changing anything."""
    stack_id = stack_id_of(ctx, stack)
    body = {"params": _params(params), "version": version}
    settle(*run(_preview(client_of(ctx), stack_id, body)))


@stacks.command("deploy", epilog=STACK_HELP)
@click.argument("stack")
@PARAM
@PREVIEW
@YES
@click.pass_context
def deploy(
    ctx: click.Context, stack: str, params: tuple[str, ...], preview: bool, yes: bool
) -> None:
    """Deploy new parameters on a stack and follow it; exits 1 unless it succeeds."""
    body = {"kind": "update", "params": _params(params)}
    _change(ctx, stack_id_of(ctx, stack), body, preview=preview, yes=yes)


@stacks.command("upgrade", epilog=STACK_HELP)
@click.argument("stack")
@click.argument("version")
@PARAM
@PREVIEW
@YES
@click.pass_context
def upgrade(
    ctx: click.Context,
    stack: str,
    version: str,
    params: tuple[str, ...],
    preview: bool,
    yes: bool,
) -> None:
    """Move a stack to a newer VERSION of its template and follow it."""
    body = {"kind": "upgrade", "version": version, "params": _params(params)}
    _change(ctx, stack_id_of(ctx, stack), body, preview=preview, yes=yes)


@stacks.command("approve")
@click.argument("deployment_id")
@click.option("--no-watch", is_flag=True, help="Return once approved, without following")
@click.pass_context
def approve(ctx: click.Context, deployment_id: str, no_watch: bool) -> None:
    """Execute a previewed deployment (admins: one pending approval) and follow it."""
    client = client_of(ctx)
    if no_watch:
        run(client.request("POST", f"/v1/deployments/{deployment_id}/approve"))
        console.print(f"deployment {deployment_id} approved", soft_wrap=True)
        return
    report(deployment_id, run(_approve_and_follow(client, deployment_id)))


@stacks.command("cancel")
@click.argument("deployment_id")
@click.pass_context
def cancel(ctx: click.Context, deployment_id: str) -> None:
    """Cancel a deployment that has not started executing; its change set is deleted."""
    ended = run(client_of(ctx).request("POST", f"/v1/deployments/{deployment_id}/cancel"))
    console.print(f"deployment {ended['id']} {ended['status']}", soft_wrap=True)
