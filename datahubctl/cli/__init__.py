"""``datahubctl``: run the service and talk to it from a terminal."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cdk_service.settings import Settings
from service_contract.client import ServiceClient
from service_contract.errors import DatahubError
from service_contract.identity import Identity

T = TypeVar("T")
console = Console()
errors = Console(stderr=True)


class DatahubGroup(click.Group):
    """A command group that prints domain errors as ``error [code]: message`` and exits 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DatahubError as error:
            where = f" (field: {error.field})" if error.field else ""
            line = Text("error", style="red").append(
                f" [{error.code}]: {error.message}{where}", style=""
            )
            errors.print(line)
            for detail in error.details if isinstance(error.details, list) else []:
                said = _detail_line(detail)
                if said not in error.message:
                    errors.print(f"  - {said}", markup=False)
            if isinstance(ctx.obj, Settings) and error.code in HINTS:
                errors.print(HINTS[error.code](ctx.obj), markup=False, soft_wrap=True)
            raise SystemExit(1) from None


def _unreachable_hint(settings: Settings) -> str:
    return (
        "  is the service running? `datahubctl up` starts one; the CLI looks for it at "
        f"DATAHUB_SERVICE_URL ({settings.service_url})"
    )


def _key_hint(settings: Settings) -> str:
    """What to do when the service does not know the CLI's key: it is another service's."""
    where = (
        "DATAHUB_SERVICE_KEY"
        if settings.service_key is not None
        else f"the key in {(settings.state_dir / 'service.key').absolute()}"
    )
    return (
        f"  the CLI signs with {where}, which the service at {settings.service_url} does not "
        "know: run it from the folder `datahubctl up` runs in (or set DATAHUB_STATE_DIR to "
        "that one's state directory), or set DATAHUB_SERVICE_KEY to the service's key"
    )


def _detail_line(detail: Any) -> str:
    """One detail of an error as ``field: message`` (the JSON when it has another shape)."""
    if isinstance(detail, dict) and set(detail) == {"field", "message"}:
        return f"{detail['field']}: {detail['message']}"
    return json.dumps(detail)


def print_table(table: Table) -> None:
    """Print a table whole: in a terminal too narrow for it, rich would cut the ids one needs to
    copy into the next command, so the table keeps its natural width and the terminal wraps."""
    natural = console.measure(table, options=console.options.update_width(10_000)).maximum
    if natural <= console.width:
        console.print(table)
        return
    Console(width=natural).print(table)  # otherwise detected as ``console`` is


# What to do about an error the CLI can say more about than the service did.
HINTS: dict[str, Callable[[Settings], str]] = {
    "bad_signature": _key_hint,
    "service_unreachable": _unreachable_hint,
}


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run one coroutine to completion from a synchronous command."""
    return asyncio.run(coroutine)


def client_of(ctx: click.Context) -> ServiceClient:
    """A signed client for the service named in the settings."""
    settings: Settings = ctx.obj
    identity = Identity(user=settings.operator_user, groups=frozenset(settings.operator_groups))
    return ServiceClient(
        settings.service_url, key=settings.resolved_service_key(), identity=identity
    )


def parse_assignment(text: str) -> tuple[str, Any]:
    """``key=value``; the value is read as JSON when it parses (numbers, booleans, lists)."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"expected key=value, got {text!r}")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


@click.group(cls=DatahubGroup)
@click.pass_context
def main(ctx: click.Context) -> None:
    """DATAHUB: a self-service data platform built from a catalog of CDK templates."""
    ctx.obj = Settings()


from datahubctl.cli import (  # noqa: E402  (commands register on main)
    bootstrap,
    catalog,
    datasets,
    login,
    search,
    service,
    shares,
    stack_changes,  # preview, deploy, upgrade, approve, cancel: on stacks' group
    stacks,
    synth,
    templates,
)

__all__ = [
    "bootstrap",
    "catalog",
    "datasets",
    "login",
    "main",
    "search",
    "service",
    "shares",
    "stack_changes",
    "stacks",
    "synth",
    "templates",
]
