"""``datahubctl up``'s platform: everything the service needs, on one machine, with no servers.

An embedded PostgreSQL (unless ``DATAHUB_DATABASE_URL`` names one), an OpenSearch node when
asked (``--search opensearch``), moto's server as the AWS
endpoint (unless ``DATAHUB_AWS_ENDPOINT_URL`` names one), the filesystem broker (unless
``DATAHUB_BROKER_URL`` names one) and celery workers as child processes. Leaving the context
stops the workers (warm shutdown, then a kill), moto and the database, in that order.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import structlog

from cdk_service.db.embedded import start_embedded, stop_embedded
from cdk_service.settings import Settings
from datahubctl.local.broker import local_broker_url, queue_folder
from datahubctl.local.opensearch_node import opensearch_node

log = structlog.get_logger(__name__)
WORKER_STOP_SECONDS = 30
# moto takes any credentials; these keep a machine's real ones away from it.
LOCAL_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "datahub-local",
    "AWS_SECRET_ACCESS_KEY": "datahub-local",
    "AWS_SESSION_TOKEN": "datahub-local",
}


@dataclass(frozen=True)
class LocalPlatform:
    """What runs, and the settings the service and its workers run with."""

    settings: Settings
    database: str
    moto_url: str | None
    broker: str
    workers: list[subprocess.Popen[bytes]]
    search: str = "PostgreSQL"

    def describe(self) -> dict[str, str]:
        """Where each piece is, for the operator."""
        return {
            "service": self.settings.service_url,
            "AWS endpoint": self.moto_url or str(self.settings.aws_endpoint_url or "AWS"),
            "moto dashboard": f"{self.moto_url}/moto-api/" if self.moto_url else "-",
            "database": self.database,
            "broker": self.broker,
            "search": self.search,
            "workers": ", ".join(f"pid {worker.pid}" for worker in self.workers),
        }


def worker_environment(settings: Settings) -> dict[str, str]:
    """The environment a worker child reads its settings from."""
    values = {
        "DATAHUB_DATABASE_URL": str(settings.database_url),
        "DATAHUB_BROKER_URL": settings.broker_url,
        "DATAHUB_STATE_DIR": str(settings.state_dir.resolve()),
        "DATAHUB_AWS_ENDPOINT_URL": str(settings.aws_endpoint_url or ""),
    }
    return {**os.environ, **values}


@contextmanager
def worker_children(settings: Settings, count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``count`` celery workers (the first also runs the scheduler), stopped on exit."""
    command = [
        sys.executable, "-m", "celery", "-A", "datahubctl.local.worker_main", "worker",
        "--pool=solo", "--loglevel", settings.log_level,
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    children: list[subprocess.Popen[bytes]] = []
    environment = worker_environment(settings)
    try:
        for n in range(count):
            scheduler = ["--beat"] if n == 0 else []
            hostname = ["--hostname", f"datahub-local-{n}@%h"]
            children.append(subprocess.Popen([*command, *hostname, *scheduler], env=environment))
        yield children
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)  # celery's warm shutdown: finish the task
        for child in children:
            try:
                child.wait(timeout=WORKER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


@contextmanager
def local_platform(
    settings: Settings, *, workers: int = 1, search: str = "postgres"
) -> Iterator[LocalPlatform]:
    """Start what the settings do not name elsewhere; stop it all on exit. ``search``:
    ``opensearch`` starts an OpenSearch node (data in the state directory) unless
    ``DATAHUB_SEARCH_URL`` names a cluster."""
    with ExitStack() as stack:
        updates: dict[str, Any] = {}
        database = "configured (DATAHUB_DATABASE_URL)"
        if not settings.database_url:
            updates["database_url"] = start_embedded(settings.state_dir)
            stack.callback(stop_embedded, settings.state_dir)
            database = f"embedded PostgreSQL in {(settings.state_dir / 'pgdata').resolve()}"
        moto_url = None
        if not settings.aws_endpoint_url:
            # moto is a dev dependency, not in the service image: imported only to start it
            from datahubctl.local.moto import moto_server

            moto_url = stack.enter_context(moto_server(settings.host, settings.moto_port)).url
            os.environ.update(LOCAL_CREDENTIALS)
            updates["aws_endpoint_url"] = moto_url
        broker = "configured (DATAHUB_BROKER_URL)"
        if "broker_url" not in settings.model_fields_set:
            updates["broker_url"] = local_broker_url()
            broker = f"files in {queue_folder(settings.state_dir)}"
        searched_in = (
            "PostgreSQL" if settings.search_url is None else "configured (DATAHUB_SEARCH_URL)"
        )
        if search == "opensearch" and settings.search_url is None:
            folder = (settings.state_dir / "opensearch").resolve()
            updates["search_url"] = stack.enter_context(opensearch_node(folder))
            searched_in = f"OpenSearch at {updates['search_url']}, data in {folder}"
        local = settings.model_copy(update=updates)
        children = stack.enter_context(worker_children(local, workers))
        platform = LocalPlatform(local, database, moto_url, broker, children, searched_in)
        log.info("local_platform_started", **platform.describe())
        yield platform
