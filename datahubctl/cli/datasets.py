"""``datahubctl datasets``: register, show, update, delete datasets and read their history."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click
from rich.table import Column, Table

from datahubctl.cli import client_of, console, main, print_table, run
from datahubctl.cli.stacks import stack_id_of

CLASSIFICATIONS = click.Choice(["public", "internal", "confidential", "restricted"])


def column_of(text: str) -> dict[str, Any]:
    """``name:type``, optionally ``:pii`` at the end."""
    name, _, rest = text.partition(":")
    kind, _, flag = rest.rpartition(":") if rest.endswith(":pii") else (rest, "", "")
    if not name or not kind:
        raise click.BadParameter(f"expected name:type[:pii], got {text!r}", param_hint="--column")
    return {"name": name, "type": kind, "pii": flag == "pii"}


def metadata_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The metadata options that register and update share."""
    options = [
        click.option("--description"),
        click.option("--location", help="S3 URI of the data"),
        click.option("--glue-database"),
        click.option("--glue-table"),
        click.option("--format", "data_format", help="parquet, orc, avro, json, csv, …"),
        click.option("--classification", type=CLASSIFICATIONS),
        click.option("--tag", "tags", multiple=True, help="Repeatable; replaces the tags"),
        click.option("--topic", "topics", multiple=True, help="Repeatable; replaces the topics"),
        click.option("--column", "columns", multiple=True, help="name:type[:pii], repeatable"),
        click.option(
            "--stack", "stack_id", help="The stack the dataset lives in: its id, or team/name"
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def body_of(ctx: click.Context, values: dict[str, Any]) -> dict[str, Any]:
    """The request fields that were given (empty repeatable options are not sent), the stack
    as its id."""
    renamed = {"data_format": "format"}
    body = {renamed.get(k, k): v for k, v in values.items() if v not in (None, ())}
    if "stack_id" in body:
        body["stack_id"] = stack_id_of(ctx, body["stack_id"])
    for many in ("tags", "topics"):
        if many in body:
            body[many] = list(body[many])
    if "columns" in body:
        body["columns"] = [column_of(c) for c in body["columns"]]
    return body


def show(payload: dict[str, Any]) -> None:
    """Print a response as JSON."""
    console.print_json(json.dumps(payload))


@main.group()
def datasets() -> None:
    """Datasets: what a team's data is, where it lives and who changed it."""


@datasets.command()
@click.argument("team")
@click.argument("name")
@metadata_options
@click.pass_context
def register(ctx: click.Context, team: str, name: str, **values: Any) -> None:
    """Register dataset NAME of TEAM."""
    body = {"team": team, "name": name, **body_of(ctx, values)}
    show(run(client_of(ctx).request("POST", "/v1/datasets", body=body)))


@datasets.command("show")
@click.argument("dataset_id")
@click.pass_context
def show_dataset(ctx: click.Context, dataset_id: str) -> None:
    """A dataset's latest metadata."""
    show(run(client_of(ctx).request("GET", f"/v1/datasets/{dataset_id}")))


@datasets.command()
@click.argument("dataset_id")
@metadata_options
@click.option("--revision", type=int, help="Refuse the change unless this is the revision")
@click.pass_context
def update(ctx: click.Context, dataset_id: str, **values: Any) -> None:
    """Change the given fields of a dataset."""
    body = body_of(ctx, values)
    show(run(client_of(ctx).request("PATCH", f"/v1/datasets/{dataset_id}", body=body)))


@datasets.command()
@click.argument("dataset_id")
@click.option("--revision", type=int, help="Refuse unless this is the revision")
@click.pass_context
def delete(ctx: click.Context, dataset_id: str, revision: int | None) -> None:
    """Delete a dataset (its history is kept)."""
    query = None if revision is None else {"revision": str(revision)}
    run(client_of(ctx).request("DELETE", f"/v1/datasets/{dataset_id}", query=query))
    console.print(f"dataset {dataset_id} deleted")


@datasets.command()
@click.argument("dataset_id")
@click.pass_context
def history(ctx: click.Context, dataset_id: str) -> None:
    """Who changed which fields of a dataset, and when."""
    payload = run(client_of(ctx).request("GET", f"/v1/datasets/{dataset_id}/history"))
    fields = Column("fields", max_width=40)  # wraps, so the table stays narrow
    table = Table("revision", "action", "by", "at", fields, title=f"dataset {dataset_id}")
    for revision in payload["revisions"]:
        table.add_row(
            str(revision["revision"]),
            revision["action"],
            revision["changed_by"],
            revision["changed_at"],
            ", ".join(sorted(revision["changes"])),
        )
    print_table(table)
