"""The celery app, and what each worker process keeps: one event loop, database and engine.

Celery tasks are synchronous and Tortoise is async: each worker process runs every task on
its one event loop, with Tortoise opened once (``worker_process_init``, or the first task)
and closed when the process shuts down.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable, Coroutine, Mapping
from contextlib import AsyncExitStack
from typing import Any, TypeVar

from celery import Celery, current_app
from celery.signals import worker_process_init, worker_process_shutdown, worker_shutdown

from cdk_service.backends import open_records, synth_pool
from cdk_service.bundles.store import bundle_store
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.polling import Polling
from cdk_service.jobs.beat import beat_schedule
from cdk_service.settings import Settings
from cdk_service.synthesis.cache import SynthCache
from cdk_service.synthesis.models import Synthesizer
from cdk_service.synthesis.pool import SynthPool
from cdk_service.synthesis.service import SynthService
from service_contract.targets import AwsClients

T = TypeVar("T")
TASK_MODULES = ("cdk_service.jobs.tasks", "cdk_service.jobs.scheduled")


def celery_app(
    settings: Settings,
    *,
    process_factory: Callable[[Settings], WorkerProcess] | None = None,
    broker_options: Mapping[str, Any] | None = None,
) -> Celery:
    """The celery app on the configured broker: late acks, one task at a time, JSON only,
    and the scheduler's sweeps (run by ``celery beat``).

    ``process_factory`` builds each worker process's state (tests swap the synthesizer);
    ``broker_options`` are the transport's options (the laptop's file broker's folders).
    """
    app = Celery("datahub", broker=settings.broker_url, include=list(TASK_MODULES))
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options=dict(broker_options or {}),
        task_default_queue=settings.worker_queue,
        beat_schedule=beat_schedule(settings),
        beat_schedule_filename=str(settings.state_dir / "celerybeat-schedule"),
    )
    app.datahub_settings = settings
    app.datahub_process_factory = process_factory or WorkerProcess
    return app


class WorkerProcess:
    """One worker process's event loop, open database, deploy engine and warm synth pool."""

    def __init__(self, settings: Settings, *, synthesizer: Synthesizer | None = None) -> None:
        self.settings = settings
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}"
        # The lease is renewed in the background while a step waits (jobs/heartbeat.py);
        # a wait past the polling deadline still gives up (NotReady: retried later).
        waiting = Polling()
        clients = AwsClients(max_attempts=settings.aws_max_attempts)
        self.engine = DeployEngine(clients, polling=waiting)
        self.loop = asyncio.new_event_loop()
        self._resources = AsyncExitStack()
        self._pool: SynthPool | None = None
        if synthesizer is None:
            self._pool = synth_pool(settings)
            synthesizer = SynthService(
                self._pool, SynthCache(settings.synth_cache_entries), bundle_store(settings)
            )
        self.synthesizer = synthesizer
        self.run(self._open())

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine to its end on the process's loop."""
        return self.loop.run_until_complete(work)

    def close(self) -> None:
        """Stop the synth pool, close the database and the loop."""
        self.run(self._resources.aclose())
        self.loop.close()

    async def _open(self) -> None:
        await open_records(self.settings, self._resources, migrate=False)
        if self._pool is not None:  # started here: its processes belong to this loop
            await self._pool.start()
            self._resources.push_async_callback(self._pool.close)


_process: WorkerProcess | None = None


def worker_process(app: Celery) -> WorkerProcess:
    """This process's worker state, opened on first use."""
    global _process
    if _process is None:
        _process = app.datahub_process_factory(app.datahub_settings)
    return _process


@worker_process_init.connect
def _open_process(**_: Any) -> None:
    if hasattr(current_app, "datahub_settings"):
        worker_process(current_app)


@worker_process_shutdown.connect
@worker_shutdown.connect  # the solo pool runs tasks in the main process
def _close_process(**_: Any) -> None:
    global _process
    if _process is not None:
        _process.close()
        _process = None
