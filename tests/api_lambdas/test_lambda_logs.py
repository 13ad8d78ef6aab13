"""A Lambda's logs: JSON lines, and tracebacks that never show the secrets in their frames."""

from __future__ import annotations

import json
import os
import subprocess
import sys

TOKEN = "Bearer eyJhbGciOiJSUzI1NiJ9.a-secret-token.signature"
RUN = (
    "from tests.api_lambdas.logging_handler import handler; "
    f"handler({{'headers': {{'Authorization': {TOKEN!r}}}}}, None)"
)


def test_a_failure_is_logged_as_json_without_the_frames_locals() -> None:
    # A fresh interpreter, as a Lambda's: nothing has set up its logs before the invocation.
    environment = {**os.environ, "DATAHUB_LOG_JSON": "true"}
    done = subprocess.run(
        [sys.executable, "-c", RUN], capture_output=True, text=True, env=environment, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    failure = next(line for line in lines if line["event"] == "handler_failed")
    assert "ValueError: the handler failed" in failure["exception"]
    assert "a-secret-token" not in done.stderr
