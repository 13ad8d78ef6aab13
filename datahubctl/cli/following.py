"""Following a deployment from the terminal: its events live, then how it ended."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from datahubctl.cli import console, errors
from datahubctl.cli.preview_view import show_preview
from service_contract.client import ServiceClient

UNSUCCESSFUL = {"failed", "cancelled"}
# A previewed deployment waits in these for someone to approve it.
HELD = {"awaiting_execution", "pending_approval"}
STATUS_STYLES = {
    "succeeded": "green",
    "failed": "red",
    "cancelled": "yellow",
    "awaiting_execution": "cyan",
    "pending_approval": "cyan",
}


def event_line(event: dict[str, Any]) -> Text:
    """One stack event as a coloured line: time, status, resource, reason."""
    status = str(event.get("status", ""))
    style = "red" if "FAILED" in status else "green" if status.endswith("COMPLETE") else "cyan"
    line = Text(f"{str(event.get('timestamp', ''))[:19]}  ", style="dim")
    line.append(f"{status:<28}", style=style)
    line.append(f" {event.get('logical_id', '')} ({event.get('resource_type', '')})")
    if event.get("reason"):
        line.append(f"  {event['reason']}", style="dim")
    return line


async def follow(
    client: ServiceClient, deployment_id: str, *, stop_when_held: bool = False
) -> dict[str, Any] | None:
    """Print events as they come, with a live status line; the deployment once it is final
    (or, with ``stop_when_held``, once it waits for approval), None if the stream ended early."""
    seen, status = 0, "queued"
    with console.status(f"deployment {deployment_id}: {status}") as progress:
        async for message in client.stream(f"/v1/deployments/{deployment_id}/events"):
            if message.event == "stack_event":
                seen += 1
                console.print(event_line(message.data), soft_wrap=True)
            elif message.event == "progress":
                status = str(message.data.get("status"))
                if stop_when_held and status in HELD:
                    held: dict[str, Any] = await client.request(
                        "GET", f"/v1/deployments/{deployment_id}"
                    )
                    return held
            elif message.event == "status":
                final: dict[str, Any] = message.data
                return final
            elif message.event == "error":
                failure = f"error [{message.data.get('code')}]: {message.data.get('message')}"
                errors.print(failure, soft_wrap=True, markup=False)
            progress.update(f"deployment {deployment_id}: {status}, {seen} events")
    return None


def report(deployment_id: str, deployment: dict[str, Any] | None) -> None:
    """Print how the deployment ended; exit 1 unless it succeeded or waits for approval."""
    if deployment is None:
        ended = "error [stream_ended]: the stream ended before the deployment finished"
        errors.print(ended, markup=False)
        raise SystemExit(1)
    status = deployment["status"]
    line = Text(f"deployment {deployment_id} {status}", style=STATUS_STYLES.get(status, ""))
    console.print(line, soft_wrap=True)
    failure = deployment.get("error")
    if failure and status in UNSUCCESSFUL:
        reason = f" ({failure['reason']})" if failure.get("reason") else ""
        message = f"error [{failure['code']}]: {failure['message']}{reason}"
        errors.print(message, soft_wrap=True, markup=False)
    if status in UNSUCCESSFUL:
        raise SystemExit(1)


def settle(deployment_id: str, deployment: dict[str, Any] | None) -> None:
    """Show the preview a held deployment waits with, or report how it ended."""
    if deployment is not None and deployment["status"] in HELD:
        show_preview(deployment)
        return
    report(deployment_id, deployment)
