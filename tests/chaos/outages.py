"""Outages to cause on purpose: PostgreSQL restarted, a broker restarted, AWS answering errors.

Each is a real one: ``pg_ctl restart -m fast`` on the test run's server, a ``redis-server`` of
the test's own stopped and started on its port (append-only file on, like a durable broker),
and an HTTP proxy in front of moto that answers 503 and throttling errors for a while.
"""

from __future__ import annotations

import http.client
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg

THROTTLED = (
    b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
    b"<Message>Rate exceeded</Message></Error><RequestId>chaos</RequestId></ErrorResponse>"
)
UNAVAILABLE = (
    b"<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>"
    b"<Message>Service is unavailable</Message></Error><RequestId>chaos</RequestId></ErrorResponse>"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


async def data_directory(database_url: str) -> Path | None:
    """The data directory of the PostgreSQL serving ``database_url``, if this machine runs it
    (on a unix socket, or on loopback: the embedded server or a cluster of the machine's);
    else None."""
    parts = urlsplit(database_url)
    if not parse_qs(parts.query).get("host") and parts.hostname not in LOOPBACK:
        return None
    connection = await asyncpg.connect(database_url)
    try:
        folder = Path(await connection.fetchval("SHOW data_directory"))
    finally:
        await connection.close()
    return folder if (folder / "postmaster.opts").exists() else None


@dataclass
class PostgresRestarts:
    """Restarts the local PostgreSQL in a data directory, as its owner; remembers when."""

    pgdata: Path
    restarted_at: list[datetime] = field(default_factory=list)

    def restart(self, *, down_seconds: float = 0.0) -> None:
        """``pg_ctl restart -m fast``: every connection is cut, the server back in a moment;
        with ``down_seconds``, stopped that long first (connections refused meanwhile)."""
        if down_seconds <= 0:
            self._pg_ctl("restart")
        else:
            options = shlex.split((self.pgdata / "postmaster.opts").read_text())[3:]  # past -D
            self._pg_ctl("stop")
            time.sleep(down_seconds)
            self._pg_ctl("-o", shlex.join(options), "start")
        self.restarted_at.append(datetime.now(UTC))

    def _pg_ctl(self, *action: str) -> None:
        # The pg_ctl beside the postgres that runs: pgserver's, or the machine's (Debian's).
        postgres = shlex.split((self.pgdata / "postmaster.opts").read_text())[0]
        pg_ctl = Path(postgres).with_name("pg_ctl")
        log = self.pgdata / "log"  # the restarted server's output
        command = [str(pg_ctl), "-D", str(self.pgdata), "-l", str(log), "-m", "fast", "-w"]
        owner = pwd.getpwuid(self.pgdata.stat().st_uid)
        as_owner: dict[str, Any] = {}
        if owner.pw_uid != os.getuid():  # with the owner's groups (Debian's: ssl-cert)
            groups = os.getgrouplist(owner.pw_name, owner.pw_gid)
            as_owner = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": groups}
        subprocess.run(  # no pipes: the server would hold them open, and the run never end
            [*command, *action],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
            **as_owner,
        )


@dataclass
class DedicatedRedis:
    """A ``redis-server`` on a loopback port of its own, to stop and start without disturbing
    the shared one; its append-only file keeps the queues across a restart."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    restarted_at: list[datetime] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        executable = shutil.which("redis-server")
        assert executable is not None, "redis-server is not installed"
        command = [
            executable, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder),
            "--appendonly", "yes", "--appendfsync", "always", "--save", "",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while not self._answers():
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self, *, down_seconds: float = 0.5) -> None:
        self.stop()
        time.sleep(down_seconds)
        self.start()
        self.restarted_at.append(datetime.now(UTC))

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class FlakyAws:
    """A proxy in front of moto: while ``failing``, every call is answered 503 or throttled."""

    def __init__(self, moto_url: str) -> None:
        upstream = urlsplit(moto_url)
        self.failing = False
        self.failed_calls = 0
        self.recovered_at: datetime | None = None
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if proxy.failing:
                    proxy.failed_calls += 1
                    throttled = proxy.failed_calls % 2 == 0
                    self._answer(400 if throttled else 503, THROTTLED if throttled else UNAVAILABLE)
                    return
                connection = http.client.HTTPConnection(upstream.hostname, upstream.port)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                headers["Host"] = upstream.netloc
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                self._answer(answer.status, answer.read(), answer.getheaders())
                connection.close()

            def _answer(
                self, status: int, body: bytes, headers: list[tuple[str, str]] | None = None
            ) -> None:
                self.send_response(status)
                for name, value in headers or [("Content-Type", "text/xml")]:
                    if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_for(self, seconds: float) -> None:
        """Answer every call with an error for ``seconds`` (blocking), then forward again."""
        self.failing = True
        time.sleep(seconds)
        self.failing = False
        self.recovered_at = datetime.now(UTC)
