"""A deployment's preview as text: resources added, removed and modified, property by property."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text

from datahubctl.cli import console

MARKS = {"add": ("+", "green"), "remove": ("-", "red"), "modify": ("~", "yellow")}
MAX_VALUE_CHARS = 60


def _value(value: Any) -> str:
    """A property value on one line, shortened."""
    text = "(none)" if value is None else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _replacement(line: Text) -> Text:
    return line.append("  REPLACEMENT", style="bold red")


def _resource_lines(resource: dict[str, Any]) -> list[Text]:
    mark, style = MARKS.get(resource.get("action", ""), ("?", ""))
    line = Text(f"{mark} {resource['logical_id']}", style=style)
    line.append(f" ({resource.get('resource_type', '')})", style="dim")
    if resource.get("replacement"):
        _replacement(line)
    lines = [line]
    for change in resource.get("changes") or []:
        detail = Text(f"    {change['path']}: ", style="")
        detail.append(_value(change.get("old")), style="red")
        detail.append(" → ")
        detail.append(_value(change.get("new")), style="green")
        if change.get("replacement"):
            _replacement(detail)
        lines.append(detail)
    return lines


def _value_lines(title: str, changes: list[dict[str, Any]]) -> list[Text]:
    lines: list[Text] = []
    for change in changes:
        mark, style = MARKS.get(change.get("action", ""), ("?", ""))
        line = Text(f"{mark} {title} {change['name']}: ", style=style)
        line.append(f"{_value(change.get('old'))} → {_value(change.get('new'))}", style="")
        lines.append(line)
    return lines


def preview_lines(preview: dict[str, Any] | None) -> list[Text]:
    """The lines that show a preview: the template diff, then CloudFormation's own list."""
    if not preview:
        return [Text("no preview recorded yet", style="dim")]
    diff = preview.get("diff") or {}
    resources = diff.get("resources") or []
    lines: list[Text] = []
    for resource in resources:
        lines.extend(_resource_lines(resource))
    lines.extend(_value_lines("parameter", diff.get("parameters") or []))
    lines.extend(_value_lines("output", diff.get("outputs") or []))
    if not lines:
        lines.append(Text("no changes: the stack already runs this template", style="dim"))
    counts = {action: 0 for action in MARKS}
    for resource in resources:
        counts[resource.get("action", "")] = counts.get(resource.get("action", ""), 0) + 1
    summary = f"{counts['add']} to add, {counts['modify']} to modify, {counts['remove']} to remove"
    replaced = sum(1 for resource in resources if resource.get("replacement"))
    lines.append(Text(summary + (f", {replaced} replaced" if replaced else ""), style="bold"))
    listed = preview.get("changes") or []
    if listed:
        cloudformation = ", ".join(
            f"{c.get('action')} {c.get('logical_id')}"
            + (f" (replacement {c['replacement']})" if c.get("replacement") == "True" else "")
            for c in listed
        )
        lines.append(Text(f"CloudFormation change set: {cloudformation}", style="dim"))
    return lines


def show_preview(deployment: dict[str, Any], *, next_steps: bool = True) -> None:
    """Print a held deployment's preview, and (``next_steps``) the commands that act on it."""
    title = (
        f"preview of {deployment['kind']} deployment {deployment['id']} "
        f"({deployment['template']} {deployment['version']})"
    )
    console.print(Text(title, style="bold"), soft_wrap=True)
    for line in preview_lines(deployment.get("preview")):
        console.print(line, soft_wrap=True)
    if not next_steps:
        return
    if deployment["status"] == "pending_approval":
        console.print(
            f"waiting for an admin: datahubctl stacks approve {deployment['id']}", soft_wrap=True
        )
    elif deployment["status"] == "awaiting_execution":
        console.print(
            f"execute it with: datahubctl stacks approve {deployment['id']} "
            f"(or free the stack: datahubctl stacks cancel {deployment['id']})",
            soft_wrap=True,
        )
