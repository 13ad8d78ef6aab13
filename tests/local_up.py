"""``datahubctl up`` as a child process for tests: free ports, a fresh state directory, Ctrl-C.

Used by the ``up`` tests and the console's end-to-end test; both start the same platform.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DATAHUBCTL = str(Path(sys.executable).with_name("datahubctl"))
STOP_SECONDS = 90
# Settings a developer's shell may carry that would point up at servers other than its own.
CONFIGURED_ELSEWHERE = ("DATAHUB_SERVICE_KEY", "DATAHUB_BROKER_URL", "DATAHUB_AWS_ENDPOINT_URL")
# What up prints once a sign-in works through the gateway, or when it does not.
CONSOLE_ANNOUNCED = re.compile(r"^(Web console|Sign-in fails) +(\S.*)$", re.MULTILINE)


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


def wait_until_console_announced(
    log_path: Path, process: subprocess.Popen[bytes], seconds: float
) -> str:
    """The console's address, the moment ``up`` prints it; fails when up says a sign-in fails."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "datahubctl up exited early"
        found = CONSOLE_ANNOUNCED.search(log_path.read_text(errors="replace"))
        if found:
            assert found[1] == "Web console", f"up says: {found[0]}"
            return found[2].strip()
        time.sleep(0.1)
    raise AssertionError(f"no console announced within {seconds} s")


@dataclass(frozen=True)
class Platform:
    """A running ``datahubctl up``: its environment, state directory, addresses and pid."""

    env: dict[str, str]
    state: Path
    moto_url: str
    gateway_url: str
    pid: int

    def ctl(self, *arguments: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """``datahubctl`` against the running platform."""
        return subprocess.run(
            [DATAHUBCTL, *arguments], env=self.env, capture_output=True, text=True, timeout=timeout
        )


@contextmanager
def running_up(
    root: Path, *, ready_seconds: float, console_announced: bool = False
) -> Iterator[Platform]:
    """``datahubctl up`` in ``root``, ready (with ``console_announced``: the moment it prints
    the console's address, and no later); on exit Ctrl-C must end it with status 0."""
    port, moto_port, gateway_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "DATAHUB_STATE_DIR": str(root / "state"),
        "DATAHUB_PORT": str(port),
        "DATAHUB_SERVICE_URL": f"http://127.0.0.1:{port}",
        "DATAHUB_MOTO_PORT": str(moto_port),
        "DATAHUB_GATEWAY_PORT": str(gateway_port),
        "DATAHUB_SYNTH_WORKERS": "1",
        "DATAHUB_DATABASE_URL": "",
    }
    for name in CONFIGURED_ELSEWHERE:
        env.pop(name, None)
    log_path = root / "up.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [DATAHUBCTL, "up"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            if console_announced:
                console = wait_until_console_announced(log_path, process, ready_seconds)
                assert console == f"http://127.0.0.1:{gateway_port}/", console
            else:
                wait_until_ready(env["DATAHUB_SERVICE_URL"], process, seconds=ready_seconds)
            yield Platform(
                env=env,
                state=root / "state",
                moto_url=f"http://127.0.0.1:{moto_port}",
                gateway_url=f"http://127.0.0.1:{gateway_port}",
                pid=process.pid,
            )
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=STOP_SECONDS) == 0, log_path.read_text()
        finally:
            if process.poll() is None:
                process.kill()
