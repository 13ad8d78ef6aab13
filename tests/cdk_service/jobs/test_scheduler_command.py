"""``datahubctl scheduler`` runs celery beat, which sends the sweeps to the workers' queue."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from uuid import uuid4

import redis

from tests.cdk_service.jobs.processes import REDIS_URL, REPOSITORY

WITHIN_SECONDS = 30


def queued_tasks(client: redis.Redis, queue: str) -> list[str]:
    """Names of the tasks waiting in a celery queue on Redis."""
    return [json.loads(raw)["headers"]["task"] for raw in client.lrange(queue, 0, -1)]


def test_the_scheduler_sends_the_resumer_and_the_expiry_sweep(tmp_path: Path) -> None:
    queue = f"datahub-test-{uuid4().hex}"
    environment = {
        **os.environ,
        "DATAHUB_BROKER_URL": REDIS_URL,
        "DATAHUB_WORKER_QUEUE": queue,
        "DATAHUB_STATE_DIR": str(tmp_path / "state"),
        "DATAHUB_RESUME_INTERVAL_SECONDS": "0.2",
        "DATAHUB_EXPIRY_INTERVAL_SECONDS": "0.2",
    }
    command = [str(Path(sys.executable).parent / "datahubctl"), "scheduler"]
    scheduler = subprocess.Popen(
        command, cwd=REPOSITORY, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    client = redis.Redis.from_url(REDIS_URL)
    try:
        deadline = time.monotonic() + WITHIN_SECONDS
        sent: set[str] = set()
        while len(sent) < 2 and time.monotonic() < deadline:
            assert scheduler.poll() is None, "the scheduler exited"
            sent = set(queued_tasks(client, queue))
            time.sleep(0.1)
    finally:
        scheduler.terminate()
        output, _ = scheduler.communicate(timeout=20)
        sys.stdout.write(output.decode(errors="replace"))
        client.delete(queue)
        client.close()

    assert sent == {"datahub.resume_deployments", "datahub.expire_stacks"}
    assert (tmp_path / "state").is_dir()  # beat keeps its schedule in the state directory
