"""A deployment's stack events as a live server-sent event stream (``text/event-stream``)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from uuid import UUID

from aiohttp import web

from cdk_service.api.middleware import identity_of
from cdk_service.stacks import service
from service_contract.errors import DatahubError, InvalidInput

EVENT_STREAM = "text/event-stream"
LAST_EVENT_ID_HEADER = "Last-Event-ID"
STREAM_POLL_SECONDS = 0.5
STREAM_KEEPALIVE_SECONDS = 15.0


def last_event_id(request: web.Request, *, default: int) -> int:
    """The ``Last-Event-ID`` a reconnecting client sends, else the ``after`` query."""
    given = request.headers.get(LAST_EVENT_ID_HEADER, "").strip()
    if not given:
        return default
    if not given.isdigit():
        raise InvalidInput(
            "Last-Event-ID must be an event id", code="invalid_id", field=LAST_EVENT_ID_HEADER
        )
    return int(given)


def sse_message(data: str, *, event: str | None = None, event_id: int | None = None) -> bytes:
    """One server-sent event; ``data`` is one line of JSON."""
    lines = [f"event: {event}"] if event else []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.extend(f"data: {line}" for line in data.splitlines() or [""])
    return ("\n".join(lines) + "\n\n").encode()


async def stream_events(
    request: web.Request, deployment_id: UUID, *, after: int, limit: int
) -> web.StreamResponse:
    """Send events as they are recorded; end with the final status.

    The first page is read before the response starts, so a deployment the caller may not
    see (or that does not exist) is still a plain 404.
    """
    identity = identity_of(request)
    page = await service.list_events(
        identity=identity, deployment_id=deployment_id, after=after, limit=limit
    )
    response = web.StreamResponse(
        headers={
            "Content-Type": EVENT_STREAM,
            "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    last_sent, last_status = time.monotonic(), None
    try:
        while True:
            if page.status is not last_status and not page.finished:
                progress = json.dumps({"status": page.status.value})
                await response.write(sse_message(progress, event="progress"))
                last_status = page.status
            for event in page.events:
                payload = event.model_dump_json()
                await response.write(sse_message(payload, event="stack_event", event_id=event.id))
                last_sent = time.monotonic()
            if page.finished:
                detail = await service.get_deployment(
                    identity=identity, deployment_id=deployment_id
                )
                await response.write(sse_message(detail.model_dump_json(), event="status"))
                break
            if len(page.events) < limit:
                if time.monotonic() - last_sent >= STREAM_KEEPALIVE_SECONDS:
                    await response.write(b": keep-alive\n\n")
                    last_sent = time.monotonic()
                await asyncio.sleep(STREAM_POLL_SECONDS)
            page = await service.list_events(
                identity=identity, deployment_id=deployment_id, after=page.after, limit=limit
            )
        await response.write_eof()
    except ConnectionResetError:
        pass  # the client went away; it resumes with Last-Event-ID
    except DatahubError as error:
        # The headers are sent: report in-band, then end the stream.
        with contextlib.suppress(ConnectionResetError):
            await response.write(sse_message(json.dumps(error.as_dict()), event="error"))
    return response
