"""``datahubctl stacks`` against a running service: request, list, show, destroy, watch."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cdk_service.api import events as events_api
from cdk_service.db.models import DeploymentStatus
from cdk_service.deployments import work
from cdk_service.stacks import service
from cdk_service.stacks.dispatch import UnwiredDispatcher
from cdk_service.stacks.schemas import DeploymentFailure
from datahubctl import cli
from datahubctl.cli import main
from service_contract.client import ServiceClient
from tests.cdk_service.api.conftest import ANALYST, KEY
from tests.cdk_service.api.test_stacks_events_stream import WORKER, events
from tests.cdk_service.api.test_stacks_routes import ORDER, client, dispatcher
from tests.cdk_service.stacks.conftest import run_to_end

__all__ = ["client", "dispatcher"]


@pytest.fixture(autouse=True)
def fast_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events_api, "STREAM_POLL_SECONDS", 0.05)


@pytest.fixture
def datahubctl(client: Any, tmp_path: Path):
    """Runs the CLI in a thread (it has its own event loop) against the test server."""
    env = {
        "DATAHUB_SERVICE_URL": str(client.make_url("/")).rstrip("/"),
        "DATAHUB_SERVICE_KEY": KEY,
        "DATAHUB_STATE_DIR": str(tmp_path / "state"),
    }

    async def run(*args: str, answer: str | None = None, **more_env: str) -> Result:
        invoke = CliRunner().invoke
        return await asyncio.to_thread(invoke, main, list(args), env=env | more_env, input=answer)

    return run


REQUEST = ("stacks", "request", "bucket", "--team", "analytics", "--name", "sandbox")


async def requested(datahubctl, *extra: str) -> tuple[str, str]:
    """Request a bucket stack; its stack id and create deployment id."""
    result = await datahubctl(*REQUEST, "--param", "bucket_name=sandbox-data", *extra)
    assert result.exit_code == 0, result.output
    words = result.output.split()
    return words[1], words[words.index("deployment") + 1]


async def test_request_then_list_and_show(datahubctl, dispatcher) -> None:
    result = await datahubctl(*REQUEST, "--version", "1.0.0", "--param", "bucket_name=sandbox-data")
    assert result.exit_code == 0, result.output
    assert "create deployment" in result.output and "is queued" in result.output
    assert len(dispatcher.enqueued) == 1
    stack_id = result.output.split()[1]

    listed = await datahubctl("stacks", "list", "--team", "analytics")
    assert listed.exit_code == 0, listed.output
    assert "sandbox" in listed.output and "requested" in listed.output
    assert (await datahubctl("stacks", "list", "--status", "active")).output.count("sandbox") == 0

    shown = await datahubctl("stacks", "show", stack_id)
    assert shown.exit_code == 0, shown.output
    stack = json.loads(shown.output)
    assert stack["params"]["bucket_name"] == "sandbox-data" and stack["version"] == "1.0.0"


async def test_list_shows_whole_ids_in_a_narrow_terminal(datahubctl, monkeypatch) -> None:
    # The id is what `stacks show`, `deploy` and `destroy` take: cut to "7101dcc0-…" to fit
    # an 80-column terminal, the list gave nothing to copy.
    monkeypatch.setattr(cli.console, "_width", 80)
    stack_id, _ = await requested(datahubctl)

    listed = await datahubctl("stacks", "list")

    assert listed.exit_code == 0, listed.output
    assert stack_id in listed.output


async def test_a_stack_is_named_by_team_and_name_as_well_as_by_its_id(datahubctl) -> None:
    stack_id, deployment_id = await requested(datahubctl)
    other_team = await datahubctl(
        "stacks", "request", "bucket", "--team", "finance", "--name", "sandbox",
        "--param", "bucket_name=finance-data",
    )  # fmt: skip
    assert other_team.exit_code == 0, other_team.output

    shown = await datahubctl("stacks", "show", "analytics/sandbox")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["id"] == stack_id
    await run_to_end(uuid.UUID(deployment_id))
    destroyed = await datahubctl("stacks", "destroy", "analytics/sandbox")
    assert destroyed.exit_code == 0, destroyed.output
    assert f"stack {stack_id} (analytics/sandbox): destroy deployment" in destroyed.output


@pytest.mark.parametrize(
    "command",
    [
        ("show",),
        ("destroy",),
        ("preview", "--param", "retention_days=7"),
        ("deploy", "--param", "retention_days=7"),
        ("upgrade", "1.1.0"),
    ],
    ids=lambda command: command[0],
)
async def test_a_team_and_name_no_live_stack_has_is_a_one_line_error(
    datahubctl, command: tuple[str, ...]
) -> None:
    await requested(datahubctl)
    name, *rest = command

    result = await datahubctl("stacks", name, "analytics/nothing", *rest)

    assert result.exit_code == 1, result.output
    assert "error [stack_not_found]: team analytics has no live stack named nothing" in " ".join(
        result.output.split()
    )
    assert "Traceback" not in result.output


async def test_a_team_and_name_live_in_two_targets_is_refused_naming_both(
    datahubctl, as_user, factories
) -> None:
    first, _ = await requested(datahubctl)
    await factories.target_account("210987654321", "eu-west-1")
    other_target = {**ORDER, "account": "210987654321", "region": "eu-west-1"}
    status, second = await as_user(ANALYST)("POST", "/v1/stacks", other_target)
    assert status == 202, second

    result = await datahubctl("stacks", "show", "analytics/sandbox")

    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert "error [ambiguous_stack]: 2 live stacks of team analytics are named sandbox" in said
    assert first in said and second["stack"]["id"] in said and "eu-west-1" in said
    malformed = await datahubctl("stacks", "show", "analytics/")
    assert malformed.exit_code == 1 and "error [invalid_stack]" in malformed.output


@pytest.fixture
def listings(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str] | None]:
    """The queries of the CLI's ``GET /v1/stacks`` requests, in order."""
    queries: list[dict[str, str] | None] = []
    send = ServiceClient.request

    async def recording(self: ServiceClient, method: str, path: str, **more: Any) -> Any:
        if (method, path) == ("GET", "/v1/stacks"):
            queries.append(more.get("query"))
        return await send(self, method, path, **more)

    monkeypatch.setattr(ServiceClient, "request", recording)
    return queries


async def test_a_team_and_name_is_found_by_listing_only_stacks_of_that_name(
    datahubctl, listings
) -> None:
    # The team's other stacks are not read: a team with hundreds of them costs one small call.
    stack_id, _ = await requested(datahubctl)
    for name in ("other-one", "other-two"):
        other = await datahubctl(
            "stacks", "request", "bucket", "--team", "analytics", "--name", name,
            "--param", f"bucket_name={name}-data",
        )  # fmt: skip
        assert other.exit_code == 0, other.output
    listings.clear()

    shown = await datahubctl("stacks", "show", "analytics/sandbox")

    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["id"] == stack_id
    assert len(listings) == 1, listings
    assert listings[0] is not None
    assert (listings[0]["team"], listings[0]["name"]) == ("analytics", "sandbox")


@pytest.mark.parametrize("stack", ["analytics/Sandbox", "Analytics/sandbox", "a/b/c", "/sandbox"])
async def test_a_team_and_name_no_stack_could_have_is_invalid_without_asking(
    datahubctl, listings, stack: str
) -> None:
    result = await datahubctl("stacks", "show", stack)

    assert result.exit_code == 1, result.output
    assert f"error [invalid_stack]: {stack!r} is neither a stack id nor team/name" in " ".join(
        result.output.split()
    )
    assert listings == []


async def test_an_idempotency_key_replays_the_request(datahubctl, dispatcher) -> None:
    _, first = await requested(datahubctl, "--idempotency-key", "k-1")
    again = await datahubctl(
        *REQUEST, "--param", "bucket_name=sandbox-data", "--idempotency-key", "k-1"
    )
    assert again.exit_code == 0 and "(replayed)" in again.output and first in again.output
    # One deployment; the replay queues it again while it waits (its first message may never
    # have been sent: issue 21), which a worker's claim makes harmless.
    assert len(set(dispatcher.enqueued)) == 1 and str(dispatcher.enqueued[0]) in first


async def test_destroy_an_active_stack(datahubctl) -> None:
    stack_id, deployment_id = await requested(datahubctl)
    await run_to_end(uuid.UUID(deployment_id))

    result = await datahubctl("stacks", "destroy", stack_id)
    assert result.exit_code == 0, result.output
    assert "destroy deployment" in result.output

    again = await datahubctl("stacks", "destroy", stack_id, "--force")
    assert again.exit_code == 1 and "error [" in again.output


async def test_watch_prints_events_live_and_exits_0_on_success(datahubctl) -> None:
    _, deployment_id = await requested(datahubctl)
    deployment = uuid.UUID(deployment_id)
    assert await work.claim(deployment_id=deployment, worker_id=WORKER, lease_seconds=60)
    await work.record_events(deployment_id=deployment, worker_id=WORKER, events=events("a"))

    watching = asyncio.create_task(datahubctl("stacks", "watch", deployment_id))
    await asyncio.sleep(0.3)
    assert not watching.done()
    await work.record_events(deployment_id=deployment, worker_id=WORKER, events=events("a", "b"))
    await work.finish(deployment_id=deployment, worker_id=WORKER, status=DeploymentStatus.SUCCEEDED)
    result = await asyncio.wait_for(watching, 10)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [i for i, line in enumerate(lines) if "CREATE_IN_PROGRESS" in line] == [0, 1]
    assert "Ra" in lines[0] and "Rb" in lines[1]
    assert f"deployment {deployment_id} succeeded" in result.output


async def test_watch_exits_1_with_the_reason_when_the_deployment_fails(datahubctl) -> None:
    _, deployment_id = await requested(datahubctl)
    failure = DeploymentFailure(code="stack_failed", message="the bucket exists", reason="409")
    await run_to_end(uuid.UUID(deployment_id), status=DeploymentStatus.FAILED, error=failure)

    result = await datahubctl("stacks", "watch", deployment_id)

    assert result.exit_code == 1
    assert "failed" in result.output and "error [stack_failed]: the bucket exists" in result.output


async def test_watch_exits_1_when_the_deployment_is_cancelled(datahubctl) -> None:
    _, deployment_id = await requested(datahubctl)
    await service.cancel(
        dispatcher=UnwiredDispatcher(), identity=ANALYST, deployment_id=uuid.UUID(deployment_id)
    )

    result = await datahubctl("stacks", "watch", deployment_id)

    assert result.exit_code == 1 and f"deployment {deployment_id} cancelled" in result.output


async def test_watch_of_an_unknown_deployment_is_a_one_line_error(datahubctl) -> None:
    result = await datahubctl("stacks", "watch", str(uuid.uuid4()))
    assert result.exit_code == 1 and "error [deployment_not_found]" in result.output
    assert "Traceback" not in result.output
