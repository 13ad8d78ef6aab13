"""``datahubctl up`` from a bare state directory: the README's main job, end to end.

One platform serves the module: embedded PostgreSQL, moto's server, the filesystem broker, a
celery worker child and the service. The teardown is checked too: Ctrl-C ends it with status 0
and leaves no child process and no synth temp file behind.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from datahubctl.local.cognito import DEMO_ANALYST
from tests.aws import FAKE_CREDENTIALS, REGION
from tests.local_up import CONFIGURED_ELSEWHERE, DATAHUBCTL, Platform, free_port, running_up


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    found: set[int] = set()
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in map(int, children.read_text().split()):
            found |= {child} | descendants(child)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """``datahubctl up`` on free ports with a fresh state directory, for the module."""
    with running_up(tmp_path_factory.mktemp("up"), ready_seconds=180) as platform:
        children = descendants(platform.pid)
        assert children, "up started no worker"
        yield platform
    assert not [pid for pid in children if alive(pid)], "a child outlived datahubctl up"
    assert not list((platform.state / "synth").rglob("*")), "synth temp files outlived the service"


def test_up_serves_the_catalog_and_synthesizes_from_a_bare_state_dir(
    platform: Platform, tmp_path: Path
) -> None:
    listed = platform.ctl("templates", "list")
    assert listed.returncode == 0, listed.stderr
    assert "ingestion-queue" in listed.stdout and "1.0.0" in listed.stdout

    out = tmp_path / "queue.json"
    synth = platform.ctl(
        "synth", "ingestion-queue", "--team", "analytics", "--param", "queue_name=orders",
        "-o", str(out),
    )  # fmt: skip
    assert synth.returncode == 0, synth.stderr
    resources = json.loads(out.read_text())["Resources"].values()
    assert any(r["Type"] == "AWS::SQS::Queue" for r in resources)
    assert (platform.state / "pgdata").is_dir() and (platform.state / "service.key").is_file()


def test_a_stack_requested_from_the_cli_is_deployed_on_moto(platform: Platform) -> None:
    requested = platform.ctl(
        "stacks", "request", "ingestion-queue", "--team", "analytics", "--name", "events",
        "--param", "queue_name=events",
    )  # fmt: skip
    assert requested.returncode == 0, requested.stderr
    stack_id, deployment_id = re.findall(r"[0-9a-f]{8}-[0-9a-f-]{27}", requested.stdout)[:2]

    watched = platform.ctl("stacks", "watch", deployment_id, timeout=180)
    assert watched.returncode == 0, watched.stdout + watched.stderr
    shown = json.loads(platform.ctl("stacks", "show", stack_id).stdout)
    assert shown["status"] == "active"

    sqs = boto3.client(
        "sqs",
        region_name=REGION,
        endpoint_url=platform.moto_url,
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    queues = sqs.list_queues()["QueueUrls"]
    assert len(queues) == 2  # the queue and its dead-letter queue, in moto's default account
    assert all("/123456789012/" in url for url in queues)


def test_a_demo_user_signs_in_and_reads_the_graphql_api_through_the_gateway(
    platform: Platform,
) -> None:
    login = platform.ctl("login", "--username", DEMO_ANALYST.username, "--password", "x")
    assert login.returncode == 1 and "wrong username or password" in login.stderr

    login = platform.ctl(
        "login", "--username", DEMO_ANALYST.username, "--password", DEMO_ANALYST.password
    )
    assert login.returncode == 0, login.stderr
    token = (platform.state / "id-token").read_text()
    query = "{ me { user isAdmin teams { slug } } templates { edges { node { name } } } }"
    request = urllib.request.Request(
        f"{platform.gateway_url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Authorization": token, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    assert "errors" not in answer, answer
    assert answer["data"]["me"] == {
        "user": DEMO_ANALYST.username,
        "isAdmin": False,
        "teams": [{"slug": "analytics"}],
    }
    names = {edge["node"]["name"] for edge in answer["data"]["templates"]["edges"]}
    assert "ingestion-queue" in names

    anonymous = urllib.request.Request(
        f"{platform.gateway_url}/graphql", data=json.dumps({"query": query}).encode()
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(anonymous, timeout=30)
    assert refused.value.code == 401


@pytest.mark.parametrize(
    ("setting", "what"),
    [("DATAHUB_PORT", "the service"), ("DATAHUB_GATEWAY_PORT", "the local API gateway")],
)
def test_a_taken_port_stops_up_at_once_with_what_to_do(
    tmp_path: Path, setting: str, what: str
) -> None:
    # A taken port used to surface only once all else had started: the gateway's as a
    # traceback, moto's as a hang with the embedded PostgreSQL left running.
    env = {
        **os.environ,
        "DATAHUB_STATE_DIR": str(tmp_path / "state"),
        "DATAHUB_MOTO_PORT": "0",
        "DATAHUB_PORT": str(free_port()),
        "DATAHUB_GATEWAY_PORT": str(free_port()),
    }
    for name in CONFIGURED_ELSEWHERE:
        env.pop(name, None)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        env[setting] = str(holder.getsockname()[1])
        result = subprocess.run(
            [DATAHUBCTL, "up"], env=env, capture_output=True, text=True, timeout=120
        )

    said = " ".join(result.stderr.split())
    assert result.returncode == 1, said
    assert f"error [port_in_use]: port {env[setting]} on 127.0.0.1, for {what}, is taken" in said
    assert f"set {setting} to another port" in said and "Traceback" not in said
    assert not (tmp_path / "state" / "pgdata").exists(), "nothing was started"
