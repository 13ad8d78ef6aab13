"""``GET /v1/deployments/{id}/events`` as a live server-sent event stream."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from cdk_service.api import events as events_api
from cdk_service.db.models import DeploymentStatus, DeploymentStep
from cdk_service.deployments import work
from cdk_service.stacks.schemas import DeploymentFailure
from service_contract import signing
from service_contract.identity import Identity
from tests.cdk_service.api.conftest import ANALYST, KEY, error_of
from tests.cdk_service.api.test_stacks_routes import ORDER, client, dispatcher
from tests.cdk_service.deployments.test_work import Event
from tests.cdk_service.stacks.conftest import OTHER_TEAM

__all__ = ["client", "dispatcher"]
WORKER = "worker-1"


def events(*ids: str) -> list[Event]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        Event(event_id=i, timestamp=start + timedelta(seconds=n), logical_id=f"R{i}")
        for n, i in enumerate(ids)
    ]


async def open_stream(
    client: TestClient, deployment_id: Any, identity: Identity = ANALYST, **headers: str
) -> ClientResponse:
    path = f"/v1/deployments/{deployment_id}/events"
    signed = signing.sign(KEY.encode(), method="GET", path=path, body=b"", identity=identity)
    return await client.get(path, headers={**signed, "Accept": "text/event-stream", **headers})


async def read_messages(response: ClientResponse) -> list[dict[str, Any]]:
    """Every message until the service ends the stream; comments kept as ``comment``."""
    messages: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    async for raw in response.content:
        line = raw.decode().rstrip("\n")
        if not line:
            if current:
                messages.append(current)
            current = {}
        elif line.startswith(":"):
            messages.append({"comment": line[1:].strip()})
        else:
            name, _, value = line.partition(": ")
            current[name] = json.loads(value) if name == "data" else value
    return messages


@pytest.fixture
async def deployment_id(as_user) -> uuid.UUID:
    status, created = await as_user(ANALYST)("POST", "/v1/stacks", ORDER)
    assert status == 202, created
    return uuid.UUID(created["deployment"]["id"])


@pytest.fixture(autouse=True)
def fast_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events_api, "STREAM_POLL_SECONDS", 0.05)


async def test_events_before_and_during_the_stream_arrive_in_order_then_the_status(
    client, deployment_id
) -> None:
    assert await work.claim(deployment_id=deployment_id, worker_id=WORKER, lease_seconds=60)
    await work.record_events(deployment_id=deployment_id, worker_id=WORKER, events=events("a"))

    response = await open_stream(client, deployment_id)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/event-stream")
    reading = asyncio.create_task(read_messages(response))
    await asyncio.sleep(0.2)
    assert not reading.done()  # live: the deployment is still running
    await work.record_events(
        deployment_id=deployment_id, worker_id=WORKER, events=events("a", "b", "c")
    )
    await work.record_step(
        deployment_id=deployment_id,
        worker_id=WORKER,
        step=DeploymentStep.EXECUTING,
        status=DeploymentStatus.EXECUTING,
    )
    await asyncio.sleep(0.2)
    await work.finish(
        deployment_id=deployment_id, worker_id=WORKER, status=DeploymentStatus.SUCCEEDED
    )
    messages = [m for m in await asyncio.wait_for(reading, 5) if "comment" not in m]

    stack_events = [m for m in messages if m["event"] == "stack_event"]
    assert [m["data"]["event_id"] for m in stack_events] == ["a", "b", "c"]
    assert [int(m["id"]) for m in stack_events] == [m["data"]["id"] for m in stack_events]
    progress = [m["data"]["status"] for m in messages if m["event"] == "progress"]
    # Each status change, once: previewing since the claim, then executing.
    assert progress == ["previewing", "executing"]
    assert messages[-1]["event"] == "status" and len(messages) == 6
    assert messages[-1]["data"]["status"] == "succeeded"
    assert messages[-1]["data"]["id"] == str(deployment_id)


async def test_a_failed_deployment_ends_with_its_error(client, deployment_id) -> None:
    assert await work.claim(deployment_id=deployment_id, worker_id=WORKER, lease_seconds=60)
    failure = DeploymentFailure(code="stack_failed", message="the bucket exists", reason="409")
    await work.finish(
        deployment_id=deployment_id,
        worker_id=WORKER,
        status=DeploymentStatus.FAILED,
        error=failure,
    )

    messages = await asyncio.wait_for(read_messages(await open_stream(client, deployment_id)), 5)

    assert [m["event"] for m in messages] == ["status"]
    assert messages[0]["data"]["status"] == "failed"
    assert messages[0]["data"]["error"]["code"] == "stack_failed"


async def test_last_event_id_resumes_without_repeats(client, deployment_id) -> None:
    assert await work.claim(deployment_id=deployment_id, worker_id=WORKER, lease_seconds=60)
    await work.record_events(
        deployment_id=deployment_id, worker_id=WORKER, events=events("a", "b", "c")
    )
    await work.finish(
        deployment_id=deployment_id, worker_id=WORKER, status=DeploymentStatus.SUCCEEDED
    )
    first = await read_messages(await open_stream(client, deployment_id))
    after_a = first[0]["id"]

    resumed = await read_messages(
        await open_stream(client, deployment_id, **{"Last-Event-ID": after_a})
    )

    assert [m["data"]["event_id"] for m in resumed if m["event"] == "stack_event"] == ["b", "c"]
    assert resumed[-1]["event"] == "status"


async def test_a_quiet_stream_sends_keep_alives(client, deployment_id, monkeypatch) -> None:
    monkeypatch.setattr(events_api, "STREAM_KEEPALIVE_SECONDS", 0.1)
    response = await open_stream(client, deployment_id)
    reading = asyncio.create_task(read_messages(response))
    await asyncio.sleep(0.4)
    assert await work.claim(deployment_id=deployment_id, worker_id=WORKER, lease_seconds=60)
    await work.finish(
        deployment_id=deployment_id, worker_id=WORKER, status=DeploymentStatus.SUCCEEDED
    )

    messages = await asyncio.wait_for(reading, 5)

    assert {"comment": "keep-alive"} in messages
    assert messages[-1]["event"] == "status"


async def test_another_team_gets_a_404_before_any_stream(client, deployment_id) -> None:
    response = await open_stream(client, deployment_id, identity=OTHER_TEAM)
    assert response.status == 404
    assert error_of(await response.json())["code"] == "deployment_not_found"


async def test_a_bad_last_event_id_is_invalid_input(client, deployment_id) -> None:
    response = await open_stream(client, deployment_id, **{"Last-Event-ID": "nope"})
    assert response.status == 400
    assert error_of(await response.json())["code"] == "invalid_id"


async def test_without_the_accept_header_the_answer_is_still_a_json_page(
    as_user, deployment_id
) -> None:
    status, body = await as_user(ANALYST)("GET", f"/v1/deployments/{deployment_id}/events")
    assert status == 200 and body["events"] == [] and body["finished"] is False
