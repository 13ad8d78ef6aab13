"""``datahubctl shares``: ask for another team's dataset, decide on requests, revoke grants."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.table import Table

from datahubctl.cli import client_of, console, main, print_table, run

STATUSES = click.Choice(
    ["requested", "approved", "granting", "granted", "rejected", "revoking", "revoked", "failed"]
)


def _show(payload: Any) -> None:
    console.print_json(json.dumps(payload))


@main.group()
def shares() -> None:
    """Dataset shares: read access to another team's dataset, approved by its team."""


@shares.command()
@click.argument("dataset_id")
@click.option("--team", required=True, help="Your team, which asks")
@click.option("--principal", "principal_arn", required=True, help="One of the team's roles")
@click.option("--reason", required=True, help="Why the team needs the data")
@click.pass_context
def request(ctx: click.Context, dataset_id: str, **values: Any) -> None:
    """Ask for read access to DATASET_ID for one of your team's registered roles."""
    body = {"dataset_id": dataset_id, **values}
    _show(run(client_of(ctx).request("POST", "/v1/shares", body=body)))


@shares.command("list")
@click.option("--outgoing", is_flag=True, help="Your teams' own requests (default: incoming)")
@click.option("--status", type=STATUSES)
@click.option("--team", help="One of your teams")
@click.option("--dataset", "dataset_id", help="One dataset's shares")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--cursor", help="Where the previous page ended")
@click.pass_context
def list_shares(ctx: click.Context, outgoing: bool, **filters: Any) -> None:
    """Requests for your teams' datasets, or (--outgoing) by your teams, newest first."""
    query = {k: str(v) for k, v in filters.items() if v is not None}
    query["direction"] = "outgoing" if outgoing else "incoming"
    page = run(client_of(ctx).request("GET", "/v1/shares", query=query))
    table = Table("id", "dataset", "owner", "requester", "principal", "status", "requested by")
    for share in page["shares"]:
        table.add_row(
            share["id"],
            share["dataset_name"],
            share["owner_team"],
            share["requester_team"],
            share["principal_arn"],
            share["status"],
            share["requested_by"],
        )
    print_table(table)
    if page["next_cursor"]:
        console.print(f"more: --cursor {page['next_cursor']}", markup=False)


@shares.command("show")
@click.argument("share_id")
@click.pass_context
def show_share(ctx: click.Context, share_id: str) -> None:
    """A share and where it is."""
    _show(run(client_of(ctx).request("GET", f"/v1/shares/{share_id}")))


@shares.command()
@click.argument("share_id")
@click.pass_context
def preview(ctx: click.Context, share_id: str) -> None:
    """Preview the grant in your dataset's stack (`datahubctl stacks` shows the deployment)."""
    _show(run(client_of(ctx).request("POST", f"/v1/shares/{share_id}/preview")))


def _decision(name: str, summary: str) -> None:
    @shares.command(name, help=summary)
    @click.argument("share_id")
    @click.option("--note", default="", help="Kept in the share's history")
    @click.pass_context
    def decide(ctx: click.Context, share_id: str, note: str) -> None:
        path = f"/v1/shares/{share_id}/{name}"
        _show(run(client_of(ctx).request("POST", path, body={"note": note})))


_decision("approve", "Approve SHARE_ID (your team owns the dataset; admins too).")
_decision("reject", "Turn SHARE_ID down.")
_decision("revoke", "End the grant SHARE_ID; the role leaves the owner's stack.")


@shares.command()
@click.argument("share_id")
@click.pass_context
def history(ctx: click.Context, share_id: str) -> None:
    """Who requested, approved, granted or revoked a share, and when."""
    payload = run(client_of(ctx).request("GET", f"/v1/shares/{share_id}/history"))
    table = Table("at", "action", "by", title=f"share {share_id}")
    for event in payload["events"]:
        table.add_row(event["at"], event["action"], event["actor"])
    print_table(table)
