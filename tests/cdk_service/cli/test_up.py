"""``datahubctl up`` from a bare state directory: the README's main job, end to end."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

DATAHUBCTL = str(Path(sys.executable).with_name("datahubctl"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_ready(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "datahubctl up exited early"
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"not ready within {seconds} s")


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    """``datahubctl up`` running on a free port with a fresh state directory."""
    port = free_port()
    state = tmp_path / "state"
    env = {
        **os.environ,
        "DATAHUB_STATE_DIR": str(state),
        "DATAHUB_PORT": str(port),
        "DATAHUB_SERVICE_URL": f"http://127.0.0.1:{port}",
        "DATAHUB_SYNTH_WORKERS": "1",
        "DATAHUB_DATABASE_URL": "",
    }
    env.pop("DATAHUB_SERVICE_KEY", None)
    log = (tmp_path / "up.log").open("wb")
    process = subprocess.Popen([DATAHUBCTL, "up"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_ready(env["DATAHUB_SERVICE_URL"], process, seconds=180)
        yield env, state
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0, (tmp_path / "up.log").read_text()
    finally:
        if process.poll() is None:
            process.kill()
        log.close()
    assert not list((state / "synth").rglob("*")), "synth temp files outlived the service"


def test_up_serves_the_catalog_and_synthesizes_from_a_bare_state_dir(
    platform, tmp_path: Path
) -> None:
    env, state = platform
    listed = subprocess.run(
        [DATAHUBCTL, "templates", "list"], env=env, capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr
    assert "ingestion-queue" in listed.stdout and "1.0.0" in listed.stdout

    out = tmp_path / "queue.json"
    command = [
        DATAHUBCTL,
        "synth",
        "ingestion-queue",
        "--team",
        "analytics",
        "--param",
        "queue_name=orders",
        "-o",
        str(out),
    ]
    synth = subprocess.run(command, env=env, capture_output=True, text=True)
    assert synth.returncode == 0, synth.stderr
    resources = json.loads(out.read_text())["Resources"].values()
    assert any(r["Type"] == "AWS::SQS::Queue" for r in resources)
    assert (state / "pgdata").is_dir() and (state / "service.key").is_file()
