"""``datahubctl search "words" --facet team=analytics``, ``search status``, ``search reindex``."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import click
from rich.table import Column, Table
from rich.text import Text

from datahubctl.cli import DatahubGroup, client_of, console, main, print_table, run

MARK = re.compile(r"<mark>(.*?)</mark>")
MATCH_WIDTH = 40
# The fields the match column shows first, in this order; then any other; the title, which has
# a column of its own, last.
MATCH_FIELDS = ("description", "body")


class QueryOrCommand(DatahubGroup):
    """A group whose first argument, when it is not one of its commands, is a query."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] in self.commands:
            return super().resolve_command(ctx, args)
        return "query", self.commands["query"], args


def highlighted(fragment: str) -> Text:
    """An HTML highlight (escaped text, matches in <mark>) as terminal text, matches in bold."""
    text = Text()
    position = 0
    for match in MARK.finditer(fragment):
        text.append(html.unescape(fragment[position : match.start()]))
        text.append(html.unescape(match.group(1)), style="bold yellow")
        position = match.end()
    return text.append(html.unescape(fragment[position:]))


def facet_filters(facets: tuple[str, ...]) -> dict[str, str]:
    """``key=value`` options as query parameters; a key given twice matches either value."""
    filters: dict[str, list[str]] = {}
    for facet in facets:
        key, sep, value = facet.partition("=")
        if not sep or not key or not value:
            raise click.BadParameter(f"expected facet=value, got {facet!r}", param_hint="--facet")
        filters.setdefault(key, []).append(value)
    return {key: ",".join(values) for key, values in filters.items()}


def match_of(hit: dict[str, Any]) -> Text:
    """What matched, shown beside the title: a highlight of another field when there is one
    (the title is its own column), the title's otherwise; the description when none."""
    highlights: dict[str, list[str]] = hit["highlights"]
    fields = sorted(highlights, key=_match_rank)
    fragments = [part for field in fields for part in highlights[field] if part]
    return highlighted(fragments[0]) if fragments else Text(hit["description"][:80])


def _match_rank(field: str) -> int:
    if field == "title":
        return len(MATCH_FIELDS) + 1
    return MATCH_FIELDS.index(field) if field in MATCH_FIELDS else len(MATCH_FIELDS)


def _hit_row(hit: dict[str, Any]) -> list[Any]:
    where = hit["team"] or "catalog"
    state = hit["classification"] or hit["status"] or ""
    return [hit["kind"], highlighted(hit["highlights"].get("title", [hit["title"]])[0]), where,
            state, match_of(hit), hit["id"]]  # fmt: skip


def print_page(page: dict[str, Any]) -> None:
    """A page of results as a table, then the facet counts and the next cursor."""
    # The match wraps (a highlight can be long), so the table stays narrow and the id whole.
    match = Column("match", max_width=MATCH_WIDTH)
    table = Table("kind", "title", "team", "status", match, "id", title=f"{page['total']} found")
    for hit in page["hits"]:
        table.add_row(*_hit_row(hit))
    print_table(table)
    for facet, counts in page["facets"].items():
        if counts:
            values = ", ".join(f"{c['value']} ({c['count']})" for c in counts)
            console.print(f"{facet}: {values}", markup=False, soft_wrap=True)
    if page["next_cursor"]:
        console.print(f"more: --cursor {page['next_cursor']}", soft_wrap=True)


@main.group(cls=QueryOrCommand, context_settings={"ignore_unknown_options": True})
def search() -> None:
    """Find stacks, datasets and templates: datahubctl search "words" --facet team=analytics."""


@search.command("query", hidden=True)
@click.argument("words", nargs=-1)
@click.option("--facet", "facets", multiple=True, help="facet=value (repeatable)")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 100))
@click.option("--cursor", help="Where the previous page ended")
@click.option("--json", "as_json", is_flag=True, help="Print the response as JSON")
@click.pass_context
def query(
    ctx: click.Context,
    words: tuple[str, ...],
    facets: tuple[str, ...],
    limit: int,
    cursor: str | None,
    as_json: bool,
) -> None:
    """Search with words (prefixes match; typos are forgiven) and facet filters."""
    parameters = {"q": " ".join(words), "limit": str(limit), **facet_filters(facets)}
    if cursor:
        parameters["cursor"] = cursor
    page = run(client_of(ctx).request("GET", "/v1/search", query=parameters))
    if as_json:
        console.print_json(json.dumps(page))
    else:
        print_page(page)


@search.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """The search backend, its document count and the outbox lag (admins)."""
    report = run(client_of(ctx).request("GET", "/v1/search/status"))
    lag = report["outbox"]
    console.print(
        f"backend {report['backend']}: {report['documents']} documents; outbox: "
        f"{lag['pending']} pending ({lag['failing']} failing), oldest "
        f"{lag['oldest_age_seconds']:.1f} s",
        soft_wrap=True,
    )
    if lag["last_error"]:
        console.print(f"last error: {lag['last_error']}", markup=False, soft_wrap=True)


@search.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the whole index from the database, without downtime (admins)."""
    report = run(client_of(ctx).request("POST", "/v1/search/reindex"))
    console.print(
        f"reindexed {report['documents']} documents into {report['backend']} "
        f"in {report['seconds']:.1f} s"
    )
